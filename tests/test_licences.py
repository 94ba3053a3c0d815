"""Licence table: the shipped terms, the loader's refusals, and the provider's declarations.

Resolution of expressions is tested in test_licences_resolution.py, coverage of the SPDX list in
test_licences_coverage.py, spellings in test_licences_aliases.py, the engine in
test_licences_engine.py and the cross-check with the Data Provenance Initiative in
test_licences_dpi.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aireport.errors import InputError
from aireport.load.licences import NO_LICENCE, LicenceTable, load_licence_table
from aireport.models.licences import LicenceTerms, most_restrictive
from aireport.models.provenance import LicenceDeclaration
from aireport.models.rules import LICENCE_TERMS

TABLE_PATH = Path(__file__).resolve().parents[1] / "rules" / "licences.yaml"
U = None  # unknown, in the hand-written expectations

ACME = LicenceDeclaration(
    commercial_use=False,
    ai_training=True,
    redistribution=False,
    attribution=True,
    title="Acme Research Licence",
)


def terms(c: bool | None, t: bool | None, r: bool | None, a: bool | None, s: bool | None) -> LicenceTerms:
    return LicenceTerms(commercial_use=c, ai_training=t, redistribution=r, attribution=a, share_alike=s)


@pytest.fixture(scope="module")
def table() -> LicenceTable:
    return load_licence_table(TABLE_PATH, {"LicenseRef-Acme-Research": ACME})


def test_terms_fields_match_rule_language() -> None:
    assert set(LicenceTerms.model_fields) == set(LICENCE_TERMS)
    assert set(LicenceTerms.PERMISSIONS) | set(LicenceTerms.OBLIGATIONS) == set(LICENCE_TERMS)


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("CC0-1.0", terms(True, True, True, False, False)),
        ("CC-PDM-1.0", terms(True, True, True, False, False)),
        ("PDDL-1.0", terms(True, True, True, False, False)),
        ("CC-BY-4.0", terms(True, True, True, True, False)),
        ("CC-BY-3.0-IGO", terms(True, True, True, True, False)),
        ("CC-BY-SA-3.0", terms(True, True, True, True, True)),
        ("CC-BY-SA-2.1-JP", terms(True, True, True, True, True)),
        ("CC-SA-1.0", terms(True, True, True, False, True)),
        ("CC-BY-NC-4.0", terms(False, True, True, True, False)),
        ("CC-BY-NC-3.0-DE", terms(False, True, True, True, False)),
        ("CC-BY-NC-SA-2.0-FR", terms(False, True, True, True, True)),
        ("CC-BY-ND-4.0", terms(True, True, True, True, False)),
        # No right to adapt before 4.0: whether training adapts is unsettled.
        ("CC-BY-ND-3.0", terms(True, U, True, True, False)),
        ("CC-BY-NC-ND-3.0-IGO", terms(False, U, True, True, False)),
        ("CC-BY-NC-ND-4.0", terms(False, True, True, True, False)),
        ("ODbL-1.0", terms(True, True, True, True, True)),
        ("ODC-By-1.0", terms(True, True, True, True, False)),
        ("CDLA-Permissive-2.0", terms(True, True, True, True, False)),
        ("CDLA-Sharing-1.0", terms(True, True, True, True, True)),
        ("C-UDA-1.0", terms(True, True, True, True, True)),
        ("O-UDA-1.0", terms(True, True, True, True, False)),
        ("OGL-UK-3.0", terms(True, True, True, True, False)),
        ("OGL-Canada-2.0", terms(True, True, True, True, False)),
        ("NCGL-UK-2.0", terms(False, True, True, True, False)),
        ("PolyForm-Noncommercial-1.0.0", terms(False, True, True, True, False)),
        ("BUSL-1.1", terms(U, U, True, True, True)),
        ("MIT", terms(True, True, True, True, False)),
        ("0BSD", terms(True, True, True, False, False)),
        ("EPL-1.0", terms(True, True, True, True, True)),
        ("Artistic-2.0", terms(True, True, True, True, False)),
        ("AFL-3.0", terms(True, True, True, True, False)),
        ("AGPL-3.0-or-later", terms(True, True, True, True, True)),
        ("OFL-1.1", terms(True, True, True, True, True)),
        ("Latex2e", terms(True, True, True, True, True)),
        ("MPEG-SSG", terms(U, U, U, U, U)),
        ("LicenseRef-Llama-2", terms(True, False, True, True, True)),
        ("LicenseRef-Llama-3.1", terms(True, True, True, True, True)),
        ("LicenseRef-Llama-3.2", terms(U, U, U, True, True)),
        ("LicenseRef-BigScience-OpenRAIL-M", terms(True, True, True, True, True)),
        ("LicenseRef-Research-Only", terms(False, U, U, U, U)),
        ("LicenseRef-All-Rights-Reserved", terms(False, False, False, False, False)),
    ],
)
def test_shipped_terms(table: LicenceTable, licence: str, expected: LicenceTerms) -> None:
    res = table.resolve(licence)
    assert res.terms == expected
    assert res.unknown_ids == ()
    assert res.error is None
    assert res.known


def test_shipped_table_metadata(table: LicenceTable) -> None:
    assert table.version == "2.0.0"
    assert table.title("cc-by-4.0") == "Creative Commons Attribution 4.0 International"
    assert table.title("LicenseRef-Acme-Research") == "Acme Research Licence"
    assert table.title("LicenseRef-Llama-2") == "Llama 2 Community License Agreement"
    reason = table.reason("CC-BY-ND-3.0")
    assert reason is not None
    assert "unsettled" in reason
    assert table.reason("LicenseRef-Acme-Research") == "declared in dataset manifest"


def test_most_restrictive_by_hand() -> None:
    a = terms(True, False, True, False, True)
    b = terms(False, True, True, True, False)
    assert most_restrictive([a, b]) == terms(False, False, True, True, True)
    assert LicenceTerms.combine([a]) == a
    with pytest.raises(ValueError, match="at least one"):
        most_restrictive([])


def test_combine_decides_on_what_is_known() -> None:
    nc = terms(False, True, True, True, False)
    unknown = LicenceTerms.unknown()
    assert LicenceTerms.combine([nc, unknown]) == terms(False, U, U, True, U)
    assert LicenceTerms.combine([unknown, nc]) == terms(False, U, U, True, U)
    pd = terms(True, True, True, False, False)
    assert LicenceTerms.combine([pd, unknown]) == LicenceTerms.unknown()
    assert LicenceTerms.combine([pd, pd]) == pd
    assert not terms(True, U, True, True, False).complete
    assert pd.complete


def test_declared_licence_ref(table: LicenceTable) -> None:
    res = table.resolve("LicenseRef-Acme-Research AND CC-BY-SA-4.0")
    assert res.terms == terms(False, True, False, True, True)
    # SPDX ids, LicenseRef included, match case-insensitively.
    assert table.resolve("licenseref-acme-research").terms == terms(False, True, False, True, False)


def test_declaration_replaces_a_documented_licence_ref() -> None:
    # LicenseRef ids are the provider's own names: a declaration wins over the shipped reading.
    own = LicenceDeclaration(commercial_use=True, ai_training=True, redistribution=True, title="Our Llama deal")
    table = load_licence_table(TABLE_PATH, {"licenseref-llama-2": own})
    assert table.resolve("LicenseRef-Llama-2").terms == terms(True, True, True, False, False)
    # ...and aliases that point at the id follow the declaration.
    assert table.resolve("llama2").terms == terms(True, True, True, False, False)
    assert table.title("LicenseRef-Llama-2") == "Our Llama deal"


def test_undeclared_licence_ref_is_unknown(table: LicenceTable) -> None:
    res = table.resolve("MIT AND LicenseRef-Other")
    assert res.terms == terms(U, U, U, True, U)
    assert res.unknown_ids == ("LicenseRef-Other",)
    assert res.unrecognised == ()
    assert res.error is None
    assert not res.known
    assert res.normalised == "MIT AND LicenseRef-Other"


def test_scancode_alias_does_not_capture_licence_ref(table: LicenceTable) -> None:
    # license-expression's index maps LicenseRef-Apache onto Apache-2.0; a LicenseRef is the
    # provider's own name and must not silently become an SPDX licence.
    res = table.resolve("LicenseRef-Apache")
    assert res.terms == LicenceTerms.unknown()
    assert res.unknown_ids == ("LicenseRef-Apache",)


@pytest.mark.parametrize("expression", ["NOASSERTION", "NONE", "MIT AND NONE", "noassertion"])
def test_noassertion_and_none_are_never_known(table: LicenceTable, expression: str) -> None:
    res = table.resolve(expression)
    assert res.terms is not None
    assert res.terms.commercial_use is None
    assert [i.casefold() for i in res.unknown_ids] in (["noassertion"], ["none"])
    assert res.error is None


@pytest.mark.parametrize("expression", ["MIT AND (", "MIT OR", "MIT MIT", "MIT/GPL", "MIT WITH Foo-exception"])
def test_garbage_is_an_error(table: LicenceTable, expression: str) -> None:
    res = table.resolve(expression)
    assert res.terms is None
    assert res.normalised is None
    assert res.error
    assert res.error != NO_LICENCE


@pytest.mark.parametrize("expression", [None, "", "   "])
def test_nothing_recorded(table: LicenceTable, expression: str | None) -> None:
    res = table.resolve(expression)
    assert res.terms is None
    assert res.error == "no licence recorded"


def test_resolutions_are_cached(table: LicenceTable) -> None:
    assert table.resolve("MIT AND ISC") is table.resolve("MIT AND ISC")


# --- loader refusals -------------------------------------------------------------------------


def test_declaration_cannot_redefine_spdx_id() -> None:
    permissive = LicenceDeclaration(commercial_use=True, ai_training=True, redistribution=True)
    with pytest.raises(InputError) as exc:
        load_licence_table(TABLE_PATH, {"CC-BY-NC-4.0": permissive, "cc-by-4.0": permissive})
    fields = [p.field for p in exc.value.problems]
    assert fields == ["licences.CC-BY-NC-4.0", "licences.cc-by-4.0"]
    assert all("SPDX licence id" in p.message for p in exc.value.problems)
    assert exc.value.problems[0].file == "dataset manifest"


def test_declaration_needs_licence_ref_prefix() -> None:
    with pytest.raises(InputError) as exc:
        load_licence_table(TABLE_PATH, {"Acme": ACME}, declared_in="manifest.yaml")
    (problem,) = exc.value.problems
    assert (problem.file, problem.field) == ("manifest.yaml", "licences.Acme")
    assert "LicenseRef-" in problem.message


def test_declaration_twice_in_different_case() -> None:
    with pytest.raises(InputError, match="declared twice"):
        load_licence_table(TABLE_PATH, {"LicenseRef-a": ACME, "licenseref-A": ACME})


HEAD = 'version: "1.0.0"\nnote: test\nprofiles:\n  p:\n'
PROFILE = (
    "    commercial_use: true\n    ai_training: unknown\n    redistribution: true\n"
    "    attribution: true\n    share_alike: false\n    reason: R\n"
)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "licences.yaml"
    path.write_text(HEAD + PROFILE + body, encoding="utf-8")
    return path


# Line numbers: the profile takes lines 4-10, so "licences:" is line 11 and the first entry line 12.
@pytest.mark.parametrize(
    ("body", "field", "line", "message"),
    [
        ("licences:\n  GPL-3.0: {title: T, profile: p}\n", "licences.GPL-3.0", 12, "GPL-3.0-only"),
        ("licences:\n  mit: {title: T, profile: p}\n", "licences.mit", 12, "canonical SPDX id MIT"),
        ("licences:\n  LicenseRef-x: {title: T, profile: p}\n", "licences.LicenseRef-x", 12, "not on the SPDX"),
        ("licences:\n  NOASSERTION: {title: T, profile: p}\n", "licences.NOASSERTION", 12, "not on the SPDX"),
        ("licences:\n  MIT AND ISC: {title: T, profile: p}\n", "licences.MIT AND ISC", 12, "single SPDX"),
        ("licences:\n  MIT: {title: T, profile: q}\n", "licences.MIT.profile", 12, "unknown profile"),
        ("licences:\n  MIT: {title: T, profile: p, share_alike: true}\n", "licences.MIT", 12, "reason"),
        (
            "licences:\n  MIT: {title: T, profile: p, attribution: 'yes', reason: r}\n",
            "licences.MIT.attribution",
            12,
            "must be true, false or unknown",
        ),
        ("licences:\n  MIT:\n    profile: p\n", "licences.MIT.title", 12, "missing"),
        (
            "licences:\n  MIT: {title: T, profile: p}\ncustom:\n  Acme: {title: T, profile: p}\n",
            "custom.Acme",
            14,
            "LicenseRef-",
        ),
        (
            "licences:\n  MIT: {title: T, profile: p}\naliases:\n  'The MIT Licence': MIT\n",
            "aliases.The MIT Licence",
            14,
            "already reads as a licence id",
        ),
        (
            "licences:\n  MIT: {title: T, profile: p}\naliases:\n  Expat: ISC\n",
            "aliases.Expat",
            14,
            "does not list: ISC",
        ),
        (
            "licences:\n  MIT: {title: T, profile: p}\naliases:\n  Expat: mit\n",
            "aliases.Expat",
            14,
            "canonical expression MIT",
        ),
        (
            "licences:\n  MIT: {title: T, profile: p}\naliases:\n  X Y: MIT\n  x_y: MIT\n",
            "aliases.x_y",
            15,
            "reads the same as the alias",
        ),
    ],
)
def test_malformed_table(tmp_path: Path, body: str, field: str, line: int, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(InputError) as exc:
        load_licence_table(path, {})
    (problem,) = exc.value.problems
    assert (problem.file, problem.field, problem.line) == (str(path), field, line)
    assert message in problem.message


def test_minimal_table_with_unknown_term(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "licences:\n  MIT: {title: T, profile: p, ai_training: true, reason: own}\n"
        "  ISC: {title: I, profile: p}\naliases:\n  Expat: MIT\n  'ISC or MIT': MIT OR ISC\n",
    )
    table = load_licence_table(path, {})
    assert table.terms("MIT") == terms(True, True, True, True, False)
    assert table.terms("ISC") == terms(True, U, True, True, False)
    assert (table.reason("MIT"), table.reason("ISC")) == ("own", "R")
    assert table.resolve("Expat").normalised == "MIT"
    assert table.resolve("ISC or MIT").normalised == "MIT OR ISC"
    assert table.resolve("(ISC or MIT) AND expat").terms == terms(True, U, True, True, False)


def test_table_without_version(tmp_path: Path) -> None:
    path = tmp_path / "licences.yaml"
    path.write_text("note: x\nprofiles:\n  p:\n" + PROFILE + "licences:\n  MIT: {title: T, profile: p}\n")
    with pytest.raises(InputError) as exc:
        load_licence_table(path, {})
    assert [p.field for p in exc.value.problems] == ["version"]


def test_missing_table_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_licence_table(tmp_path / "absent.yaml", {})


def test_changed_table_is_read_again(tmp_path: Path) -> None:
    path = _write(tmp_path, "licences:\n  MIT: {title: T, profile: p}\n")
    assert load_licence_table(path, {}).terms("MIT") == terms(True, U, True, True, False)
    path.write_text(
        HEAD
        + PROFILE.replace("ai_training: unknown", "ai_training: false")
        + "licences:\n  MIT: {title: T, profile: p}\n"
    )
    assert load_licence_table(path, {}).terms("MIT") == terms(True, False, True, True, False)
