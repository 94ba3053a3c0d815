"""Licence strings as inventories write them: the alias table and spelling rules, applied before parsing.

A value that still does not read is never silently unknown: its resolution carries an error, and
licence_problems (engine/tables.py) lists it for the caller to report with file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from aireport.engine.tables import licence_problems
from aireport.load.licences import LicenceTable, load_licence_table, spelling_key

TABLE_PATH = Path(__file__).resolve().parents[1] / "rules" / "licences.yaml"
ALIASES: dict[str, str] = YAML(typ="safe", pure=True).load(TABLE_PATH.read_text(encoding="utf-8"))["aliases"]


@pytest.fixture(scope="module")
def table() -> LicenceTable:
    return load_licence_table(TABLE_PATH, {})


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("MIT License", "mit"),
        ("The MIT Licence", "mit"),
        ("  'CC BY-SA 4.0' ", "cc-by-sa-4.0"),
        ("cc_by_sa_4.0", "cc-by-sa-4.0"),
        ("Apache License 2.0", "apache-license-2.0"),
        ("OpenRAIL++", "openrail++"),
        ("license", "license"),  # a word alone is not emptied
    ],
)
def test_spelling_key(written: str, key: str) -> None:
    assert spelling_key(written) == key


# The spellings, and others seen in inventories and dataset cards.
SPELLINGS = [
    ("MIT License", "MIT"),
    ("The MIT License (MIT)", "MIT"),
    ("Apache License 2.0", "Apache-2.0"),
    ("Apache License, Version 2.0", "Apache-2.0"),
    ("Apache 2.0", "Apache-2.0"),
    ("apache-2.0", "Apache-2.0"),
    ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
    ("cc-by-4.0", "CC-BY-4.0"),
    ("CC BY-NC-ND 3.0", "CC-BY-NC-ND-3.0"),
    ("Creative Commons Attribution 4.0 International", "CC-BY-4.0"),
    ("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International Public License", "CC-BY-NC-SA-4.0"),
    ("Attribution-NoDerivs 3.0 Unported", "CC-BY-ND-3.0"),
    ("CC0", "CC0-1.0"),
    ("public domain", "LicenseRef-Public-Domain"),
    ("Public Domain Mark 1.0", "CC-PDM-1.0"),
    ("ODC-BY", "ODC-By-1.0"),
    ("ODbL", "ODbL-1.0"),
    ("Open Government Licence v3.0", "OGL-UK-3.0"),
    ("C-UDA", "C-UDA-1.0"),
    ("CDLA Permissive 2.0", "CDLA-Permissive-2.0"),
    ("OpenRAIL++", "LicenseRef-CreativeML-OpenRAIL-PlusPlus-M"),
    ("openrail", "LicenseRef-OpenRAIL"),
    ("BigScience-OpenRAIL-M", "LicenseRef-BigScience-OpenRAIL-M"),
    ("creativeml-openrail-m", "LicenseRef-CreativeML-OpenRAIL-M"),
    ("llama2", "LicenseRef-Llama-2"),
    ("llama3.1", "LicenseRef-Llama-3.1"),
    ("LicenseRef-scancode-llama-2-license-2023", "LicenseRef-Llama-2"),
    ("GPLv3", "GPL-3.0-only"),
    ("GNU General Public License v3.0 or later", "GPL-3.0-or-later"),
    ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ("BSD License", "BSD-3-Clause"),
    ("Boost Software License 1.0", "BSL-1.0"),
    ("dl-de/by-2-0", "DL-DE-BY-2.0"),
    ("unknown", "NOASSERTION"),
    ("no license", "NONE"),
    ("MIT", "MIT"),
]


@pytest.mark.parametrize(("written", "read_as"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_spellings(table: LicenceTable, written: str, read_as: str) -> None:
    res = table.resolve(written)
    assert res.error is None
    assert res.normalised == read_as
    if written.casefold() != read_as.casefold():
        assert res.aliased == ((written, read_as),)


def test_the_parsers_own_deprecated_id_mapping_still_applies(table: LicenceTable) -> None:
    res = table.resolve("gpl-2.0+ OR GPL-3.0+")
    assert res.normalised == "GPL-2.0-or-later OR GPL-3.0-or-later"
    assert res.aliased == ()  # the SPDX parser's doing, not the alias table's
    assert res.known


@pytest.mark.parametrize(
    ("written", "read_as", "aliased"),
    [
        (
            "MIT License AND Apache License 2.0",
            "MIT AND Apache-2.0",
            (("MIT License", "MIT"), ("Apache License 2.0", "Apache-2.0")),
        ),
        ("GPL v2 or later OR MIT", "GPL-2.0-or-later OR MIT", (("GPL v2 or later", "GPL-2.0-or-later"),)),
        (
            "(CC BY 4.0 OR MIT License) AND ODbL",
            "(CC-BY-4.0 OR MIT) AND ODbL-1.0",
            (("CC BY 4.0", "CC-BY-4.0"), ("MIT License", "MIT"), ("ODbL", "ODbL-1.0")),
        ),
        (
            "cc by-nc 4.0 or unknown",
            "CC-BY-NC-4.0 OR NOASSERTION",
            (("cc by-nc 4.0", "CC-BY-NC-4.0"), ("unknown", "NOASSERTION")),
        ),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", ()),
        ("gpl-2.0-or-later AND mit", "GPL-2.0-or-later AND MIT", ()),
    ],
)
def test_spellings_inside_expressions(
    table: LicenceTable, written: str, read_as: str, aliased: tuple[tuple[str, str], ...]
) -> None:
    res = table.resolve(written)
    assert res.error is None
    assert res.normalised == read_as
    assert res.aliased == aliased


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("Some Custom Licence", "'Some Custom Licence'"),
        ("MIT AND Proprietary", "'Proprietary'"),
        ("CC BY-SA 3.0 ES", "'CC BY-SA 3.0 ES'"),  # no SPDX id for the Spanish port
        ("Research and Academic Use License", "not a licence id"),  # "and" splits it; neither part reads
        ("MIT/GPL", "Invalid license key"),
        ("MIT License (https://example.org/LICENSE)", "Invalid license key"),
        ("Apache-2.0 WITH Some-exception", "exception"),
        ("CC BY-NC-ND", "'CC BY-NC-ND'"),  # unversioned ND: 4.0 and earlier differ, so no alias
    ],
)
def test_values_that_still_do_not_read(table: LicenceTable, written: str, reason: str) -> None:
    res = table.resolve(written)
    assert res.error is not None
    assert reason in res.error
    assert licence_problems(table, [written]) == {written: res.error}


def test_licence_problems_skips_blanks_duplicates_and_unknown_but_valid_ids(table: LicenceTable) -> None:
    values = [None, "", "  ", "MIT", "Foo Licence", "Foo Licence", "NOASSERTION", "LicenseRef-Ours", "llama2"]
    assert list(licence_problems(table, values)) == ["Foo Licence"]


@pytest.mark.parametrize(("written", "target"), sorted(ALIASES.items()))
def test_every_alias_reads_as_its_target(table: LicenceTable, written: str, target: str) -> None:
    res = table.resolve(written)
    assert res.error is None
    assert res.normalised == target


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(ALIASES.items())), st.sampled_from([str.upper, str.lower, str.title]), st.booleans())
def test_alias_case_and_separators_do_not_matter(
    table: LicenceTable, alias: tuple[str, str], case: object, underscores: bool
) -> None:
    written, target = alias
    variant = case(written)  # type: ignore[operator]
    if underscores and not set("()/,:").intersection(written):
        variant = variant.replace(" ", "_")
    assert table.resolve(variant).normalised == target
