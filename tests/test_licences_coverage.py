"""Coverage of the SPDX licence list by rules/licences.yaml, and the families datasets use.

The family expectations are written from the licences' own texts (Creative Commons elements and
versions, Open Data Commons, CDLA, OGL...), independently of how the table groups its profiles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from aireport.load.licences import LicenceTable, load_licence_table, spdx_licence_ids

ROOT = Path(__file__).resolve().parents[1]
TABLE_PATH = ROOT / "rules" / "licences.yaml"
LIST_PATH = ROOT / "tests" / "fixtures" / "licences" / "spdx-licence-ids.tsv"
T, F, U = True, False, None


@pytest.fixture(scope="module")
def table() -> LicenceTable:
    return load_licence_table(TABLE_PATH, {})


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(TABLE_PATH.read_text(encoding="utf-8"))
    return data


def test_every_spdx_licence_has_a_class(table: LicenceTable, raw: dict[str, Any]) -> None:
    ids = spdx_licence_ids()
    assert len(ids) >= 667  # SPDX License List 3.27 in license-expression 30.4
    assert [i for i in ids if table.terms(i) is None] == []
    assert sorted(raw["licences"], key=str.casefold) == ids  # and nothing else in that section


def test_the_committed_list_is_the_installed_list() -> None:
    """scripts/licence_list.py wrote the list; a newer license-expression must be reviewed, not absorbed."""
    lines = LIST_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "id\tscancode_category"
    assert [line.split("\t")[0] for line in lines[2:]] == spdx_licence_ids()


def test_every_entry_gives_its_reason(table: LicenceTable, raw: dict[str, Any]) -> None:
    for licence in [*raw["licences"], *raw["custom"]]:
        reason = table.reason(licence)
        assert reason, licence
        assert table.title(licence), licence
    for name, profile in raw["profiles"].items():
        assert len(profile["reason"]) > 40, name


def test_custom_entries_are_documented(raw: dict[str, Any]) -> None:
    for licence, entry in raw["custom"].items():
        assert licence.startswith("LicenseRef-")
        if entry["profile"] not in {"public-domain", "no-licence", "non-commercial-custom"}:
            assert entry["source"].startswith("https://"), licence


def terms(table: LicenceTable, licence: str) -> tuple[bool | None, ...]:
    found = table.terms(licence)
    assert found is not None, licence
    return (found.commercial_use, found.ai_training, found.redistribution, found.attribution, found.share_alike)


CC = re.compile(r"^CC-(BY(?:-NC)?(?:-ND|-SA)?|SA)-(\d\.\d)(?:-[A-Z]{2,3})?$")


def cc_expected(elements: str, version: str) -> tuple[bool | None, ...]:
    """Creative Commons terms from the licence elements alone (the family rule of the issue)."""
    nc = "NC" in elements
    nd = "ND" in elements
    return (
        not nc,
        U if nd and version != "4.0" else T,  # no right to adapt before 4.0
        T,
        "BY" in elements,
        "SA" in elements,
    )


def test_all_creative_commons_versions_and_ports(table: LicenceTable) -> None:
    cc = [i for i in spdx_licence_ids() if CC.match(i)]
    assert len(cc) == 52  # every version and port on SPDX 3.27, CC0, PDDC and PDM besides
    for licence in cc:
        m = CC.match(licence)
        assert m is not None
        assert terms(table, licence) == cc_expected(m.group(1), m.group(2)), licence
    for licence in ("CC0-1.0", "CC-PDDC", "CC-PDM-1.0"):
        assert terms(table, licence) == (T, T, T, F, F)


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        # Open Data Commons
        ("PDDL-1.0", (T, T, T, F, F)),
        ("ODC-By-1.0", (T, T, T, T, F)),
        ("ODbL-1.0", (T, T, T, T, T)),
        # Community Data License Agreement (there is no CDLA-Sharing-2.0)
        ("CDLA-Permissive-1.0", (T, T, T, T, F)),
        ("CDLA-Permissive-2.0", (T, T, T, T, F)),
        ("CDLA-Sharing-1.0", (T, T, T, T, T)),
        # Open Government Licences and other public-sector data licences
        ("OGL-UK-1.0", (T, T, T, T, F)),
        ("OGL-UK-2.0", (T, T, T, T, F)),
        ("OGL-UK-3.0", (T, T, T, T, F)),
        ("OGL-Canada-2.0", (T, T, T, T, F)),
        ("NCGL-UK-2.0", (F, T, T, T, F)),
        ("DL-DE-BY-2.0", (T, T, T, T, F)),
        ("DL-DE-ZERO-2.0", (T, T, T, F, F)),
        ("etalab-2.0", (T, T, T, T, F)),
        ("NLOD-2.0", (T, T, T, T, F)),
        # Data-use agreements written for machine learning
        ("C-UDA-1.0", (T, T, T, T, T)),
        ("O-UDA-1.0", (T, T, T, T, F)),
        # Software licences, read for data
        ("Apache-2.0", (T, T, T, T, F)),
        ("BSD-3-Clause", (T, T, T, T, F)),
        ("Unlicense", (T, T, T, F, F)),
        ("MPL-2.0", (T, T, T, T, T)),
        ("EPL-2.0", (T, T, T, T, T)),
        ("GPL-2.0-or-later", (T, T, T, T, T)),
        ("LGPL-3.0-only", (T, T, T, T, T)),
        ("Artistic-1.0-Perl", (T, T, T, T, F)),  # renaming is enough: no share-alike
        ("AFL-3.0", (T, T, T, T, F)),
        ("GFDL-1.3-no-invariants-or-later", (T, T, T, T, T)),
        ("WTFPL", (T, T, T, F, F)),
        # Restricted and source-available licences
        ("PolyForm-Noncommercial-1.0.0", (F, T, T, T, F)),
        ("PolyForm-Small-Business-1.0.0", (U, U, T, T, F)),
        ("Elastic-2.0", (T, T, T, T, F)),
        ("SSPL-1.0", (T, T, T, T, T)),
        ("PPL", (F, T, T, T, T)),
        ("any-OSI", (T, T, T, U, U)),
    ],
)
def test_families(table: LicenceTable, licence: str, expected: tuple[bool | None, ...]) -> None:
    assert terms(table, licence) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("OpenRAIL", (T, T, T, T, T)),
        ("OpenRAIL-M", (T, T, T, T, T)),
        ("BigScience-OpenRAIL-M", (T, T, T, T, T)),
        ("CreativeML-OpenRAIL-M", (T, T, T, T, T)),
        ("BigScience-BLOOM-RAIL-1.0", (T, T, T, T, T)),
        ("BigCode-OpenRAIL-M", (T, T, T, T, T)),
        ("OpenRAIL++", (T, T, T, T, T)),
        ("llama2", (T, F, T, T, T)),  # outputs may not improve other LLMs
        ("llama3", (T, F, T, T, T)),
        ("llama3.1", (T, T, T, T, T)),  # allowed, with the "Llama" name prefix
        ("llama3.3", (T, T, T, T, T)),
        ("llama3.2", (U, U, U, T, T)),  # multimodal grant withheld from EU-based licensees
        ("llama4", (U, U, U, T, T)),
        ("gemma", (T, T, T, T, T)),
    ],
)
def test_model_licences(table: LicenceTable, written: str, expected: tuple[bool | None, ...]) -> None:
    res = table.resolve(written)
    assert res.known
    assert res.terms is not None
    found = res.terms
    assert (found.commercial_use, found.ai_training, found.redistribution, found.attribution, found.share_alike) == (
        expected
    )


def test_the_ids_the_issue_found_without_a_class(table: LicenceTable) -> None:
    for written in ("EPL-1.0", "Artistic-2.0", "AFL-3.0", "OGL-UK-3.0", "C-UDA-1.0", "CC-BY-NC-ND-3.0"):
        assert table.resolve(written).known, written
    # Not on the SPDX list at all (3.27): a documented LicenseRef entry, reached through the alias table.
    assert table.resolve("BigScience-OpenRAIL-M").normalised == "LicenseRef-BigScience-OpenRAIL-M"


def test_where_the_table_says_unknown(table: LicenceTable) -> None:
    """The SPDX ids with an unknown permission, each for a reason its entry gives; none by accident."""
    unknown = {i for i in spdx_licence_ids() if U in terms(table, i)[:3]}
    nd_before_4 = {i for i in spdx_licence_ids() if re.match(r"^CC-BY(-NC)?-ND-[123]\.", i)}
    assert unknown - nd_before_4 == {
        "Aladdin",
        "ASWF-Digital-Assets-1.0",
        "ASWF-Digital-Assets-1.1",
        "BUSL-1.1",
        "Game-Programming-Gems",
        "MPEG-SSG",
        "MS-LPL",
        "OpenPBS-2.3",
        "OPUBL-1.0",
        "PolyForm-Small-Business-1.0.0",
        "python-ldap",
        "SUL-1.0",
        "Unicode-TOU",
    }
    assert nd_before_4 <= unknown
