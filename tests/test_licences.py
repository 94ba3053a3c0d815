"""Licence table: the shipped terms, expression resolution, and the loader's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aireport.errors import InputError
from aireport.load.licences import NO_LICENCE, LicenceTable, load_licence_table
from aireport.models.licences import LicenceTerms, most_restrictive
from aireport.models.provenance import LicenceDeclaration
from aireport.models.rules import LICENCE_TERMS

TABLE_PATH = Path(__file__).resolve().parents[1] / "rules" / "licences.yaml"

ACME = LicenceDeclaration(
    commercial_use=False,
    ai_training=True,
    redistribution=False,
    attribution=True,
    title="Acme Research Licence",
)


def terms(c: bool, t: bool, r: bool, a: bool, s: bool) -> LicenceTerms:
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
        ("CC-BY-4.0", terms(True, True, True, True, False)),
        ("CC-BY-SA-3.0", terms(True, True, True, True, True)),
        ("CC-BY-NC-4.0", terms(False, True, True, True, False)),
        ("CC-BY-NC-SA-2.0", terms(False, True, True, True, True)),
        ("CC-BY-ND-4.0", terms(True, True, True, True, False)),
        ("CC-BY-NC-ND-4.0", terms(False, True, True, True, False)),
        ("ODbL-1.0", terms(True, True, True, True, True)),
        ("CDLA-Permissive-2.0", terms(True, True, True, True, False)),
        ("MIT", terms(True, True, True, True, False)),
        ("0BSD", terms(True, True, True, False, False)),
        ("AGPL-3.0-or-later", terms(True, True, True, True, True)),
        ("OFL-1.1", terms(True, True, True, True, True)),
    ],
)
def test_shipped_terms(table: LicenceTable, licence: str, expected: LicenceTerms) -> None:
    res = table.resolve(licence)
    assert res.terms == expected
    assert res.unknown_ids == ()
    assert res.error is None


def test_shipped_table_metadata(table: LicenceTable) -> None:
    assert table.version == "1.0.0"
    assert table.title("cc-by-4.0") == "Creative Commons Attribution 4.0 International"
    assert table.title("LicenseRef-Acme-Research") == "Acme Research Licence"


def test_and_takes_most_restrictive(table: LicenceTable) -> None:
    res = table.resolve("CC-BY-4.0 AND CC-BY-NC-4.0")
    assert res.terms == terms(False, True, True, True, False)
    assert res.normalised == "CC-BY-4.0 AND CC-BY-NC-4.0"


def test_or_is_read_conservatively(table: LicenceTable) -> None:
    res = table.resolve("MIT OR GPL-3.0-only")
    assert res.terms is not None
    assert res.terms.share_alike is True
    assert res.terms.attribution is True
    assert res.terms.commercial_use is True


def test_case_and_deprecated_ids_are_normalised(table: LicenceTable) -> None:
    res = table.resolve("cc-by-sa-4.0 and GPL-2.0+")
    assert res.normalised == "CC-BY-SA-4.0 AND GPL-2.0-or-later"
    assert res.terms == terms(True, True, True, True, True)


def test_with_exception_uses_base_licence(table: LicenceTable) -> None:
    res = table.resolve("Apache-2.0 WITH LLVM-exception")
    assert res.terms == terms(True, True, True, True, False)
    assert res.unknown_ids == ()
    assert res.normalised == "Apache-2.0 WITH LLVM-exception"


def test_licence_after_with_is_an_error(table: LicenceTable) -> None:
    # Otherwise GPL-3.0-only would be dropped as if it were an exception.
    res = table.resolve("MIT WITH GPL-3.0-only")
    assert res.terms is None
    assert res.error is not None
    assert "exception" in res.error


def test_declared_licence_ref(table: LicenceTable) -> None:
    res = table.resolve("LicenseRef-Acme-Research AND CC-BY-SA-4.0")
    assert res.terms == terms(False, True, False, True, True)
    # SPDX ids, LicenseRef included, match case-insensitively.
    assert table.resolve("licenseref-acme-research").terms == terms(False, True, False, True, False)


def test_undeclared_licence_ref_is_unknown(table: LicenceTable) -> None:
    res = table.resolve("MIT AND LicenseRef-Other")
    assert res.terms is None
    assert res.unknown_ids == ("LicenseRef-Other",)
    assert res.error is None
    assert res.normalised == "MIT AND LicenseRef-Other"


def test_scancode_alias_does_not_capture_licence_ref(table: LicenceTable) -> None:
    # license-expression's index maps LicenseRef-Apache onto Apache-2.0; a LicenseRef is the
    # provider's own name and must not silently become an SPDX licence.
    res = table.resolve("LicenseRef-Apache")
    assert res.terms is None
    assert res.unknown_ids == ("LicenseRef-Apache",)


@pytest.mark.parametrize("expression", ["NOASSERTION", "NONE", "MIT AND NONE", "noassertion"])
def test_noassertion_and_none_are_never_known(table: LicenceTable, expression: str) -> None:
    res = table.resolve(expression)
    assert res.terms is None
    assert [i.casefold() for i in res.unknown_ids] in (["noassertion"], ["none"])


def test_unknown_spdx_id(table: LicenceTable) -> None:
    res = table.resolve("CC-BY-ND-3.0 OR Apache 2.0")
    assert res.terms is None
    assert res.unknown_ids == ("CC-BY-ND-3.0", "Apache 2.0")


@pytest.mark.parametrize("expression", ["MIT AND (", "MIT OR", "MIT MIT", "MIT/GPL"])
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


def test_most_restrictive_by_hand() -> None:
    a = terms(True, False, True, False, True)
    b = terms(False, True, True, True, False)
    assert most_restrictive([a, b]) == terms(False, False, True, True, True)
    assert LicenceTerms.most_restrictive([a]) == a
    with pytest.raises(ValueError, match="at least one"):
        most_restrictive([])


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


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "licences.yaml"
    path.write_text('version: "1.0.0"\nnote: test\nlicences:\n' + body, encoding="utf-8")
    return path


ROW = "    commercial_use: true\n    ai_training: true\n    redistribution: true\n"
ROW_END = "    attribution: true\n    share_alike: false\n    title: T\n"


@pytest.mark.parametrize(
    ("body", "field", "line", "message"),
    [
        ("  GPL-3.0:\n" + ROW + ROW_END, "licences.GPL-3.0", 4, "GPL-3.0-only"),
        ("  mit:\n" + ROW + ROW_END, "licences.mit", 4, "canonical SPDX id MIT"),
        ("  LicenseRef-x:\n" + ROW + ROW_END, "licences.LicenseRef-x", 4, "not on the SPDX"),
        ("  NOASSERTION:\n" + ROW + ROW_END, "licences.NOASSERTION", 4, "not on the SPDX"),
        ("  MIT AND ISC:\n" + ROW + ROW_END, "licences.MIT AND ISC", 4, "single SPDX"),
        (
            "  MIT:\n" + ROW + '    attribution: "yes"\n    share_alike: false\n    title: T\n',
            "licences.MIT.attribution",
            8,
            "boolean",
        ),
        (
            "  MIT:\n" + ROW + "    share_alike: false\n    title: T\n",
            "licences.MIT.attribution",
            4,
            "missing",
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


def test_table_without_version(tmp_path: Path) -> None:
    path = tmp_path / "licences.yaml"
    path.write_text("note: x\nlicences:\n  MIT:\n" + ROW + ROW_END, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_licence_table(path, {})
    assert [p.field for p in exc.value.problems] == ["version"]


def test_missing_table_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_licence_table(tmp_path / "absent.yaml", {})


# --- properties --------------------------------------------------------------------------------

KNOWN = [
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-ND-4.0",
    "ODbL-1.0",
    "MIT",
    "0BSD",
    "GPL-3.0-only",
    "LicenseRef-Acme-Research",
]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> tuple[str, frozenset[str]]:
    """A random AND/OR expression over known ids, with the ids it names."""
    if depth == 0 or draw(st.booleans()):
        licence = draw(st.sampled_from(KNOWN))
        return licence, frozenset({licence})
    left, left_ids = draw(expressions(depth - 1))
    right, right_ids = draw(expressions(depth - 1))
    op = draw(st.sampled_from(["AND", "OR", "and", "or"]))
    return f"({left} {op} {right})", left_ids | right_ids


def _by_hand(table: LicenceTable, ids: frozenset[str]) -> dict[str, bool]:
    each = [table.terms(i) for i in ids]
    assert all(t is not None for t in each)
    dumps = [t.model_dump() for t in each if t is not None]
    return {
        "commercial_use": all(d["commercial_use"] for d in dumps),
        "ai_training": all(d["ai_training"] for d in dumps),
        "redistribution": all(d["redistribution"] for d in dumps),
        "attribution": any(d["attribution"] for d in dumps),
        "share_alike": any(d["share_alike"] for d in dumps),
    }


@settings(max_examples=200, deadline=None)
@given(expressions(), st.sampled_from(KNOWN), st.sampled_from(["AND", "OR"]))
def test_resolution_is_monotone(table: LicenceTable, expr: tuple[str, frozenset[str]], extra: str, op: str) -> None:
    expression, ids = expr
    base = table.resolve(expression)
    assert base.terms is not None
    assert base.terms.model_dump() == _by_hand(table, ids)

    wider = table.resolve(f"{expression} {op} {extra}")
    assert wider.terms is not None
    for p in LicenceTerms.PERMISSIONS:
        assert getattr(wider.terms, p) <= getattr(base.terms, p), p
    for o in LicenceTerms.OBLIGATIONS:
        assert getattr(wider.terms, o) >= getattr(base.terms, o), o


TOKENS = [*"()+ -.:/aAnNdDoOrRwWiI0123", " AND ", " OR ", " WITH ", "MIT", "LLVM-exception"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=12).map("".join) | st.text(max_size=20))
@example("()")  # boolean.py raises IndexError here
@example("( OR W. 2n")  # and AssertionError here
def test_any_text_resolves_without_raising(table: LicenceTable, text: str) -> None:
    res = table.resolve(text)
    # Terms are given only for a clean parse with every id known.
    if res.terms is not None:
        assert res.error is None
        assert res.unknown_ids == ()
    else:
        assert res.error is not None or res.unknown_ids
