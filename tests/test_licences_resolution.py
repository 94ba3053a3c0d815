"""Resolution of licence expressions: AND, OR, WITH and nesting, decided on what is known.

Every licence of an expression applies (AND and OR alike). A permission is False if any operand
forbids it, True only if every operand is known to permit it, else None; an obligation is True if
any operand requires it, False only if every operand is known not to, else None. The expectations
below are worked out by hand from the per-licence terms in the first table.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aireport.load.licences import LicenceTable, load_licence_table
from aireport.models.licences import LicenceTerms
from aireport.models.provenance import LicenceDeclaration

TABLE_PATH = Path(__file__).resolve().parents[1] / "rules" / "licences.yaml"
T, F, U = True, False, None
Row = tuple[bool | None, bool | None, bool | None, bool | None, bool | None]

# (commercial_use, ai_training, redistribution, attribution, share_alike) of each operand used below,
# as rules/licences.yaml (and the declaration) give them.
OPERANDS: dict[str, Row] = {
    "CC0-1.0": (T, T, T, F, F),
    "0BSD": (T, T, T, F, F),
    "MIT": (T, T, T, T, F),
    "CC-BY-4.0": (T, T, T, T, F),
    "CC-BY-SA-4.0": (T, T, T, T, T),
    "GPL-3.0-only": (T, T, T, T, T),
    "CC-BY-NC-4.0": (F, T, T, T, F),
    "CC-BY-NC-SA-4.0": (F, T, T, T, T),
    "CC-BY-ND-3.0": (T, U, T, T, F),
    "CC-BY-NC-ND-3.0": (F, U, T, T, F),
    "BUSL-1.1": (U, U, T, T, T),
    "LicenseRef-Llama-2": (T, F, T, T, T),
    "LicenseRef-All-Rights-Reserved": (F, F, F, F, F),
    "LicenseRef-Acme-Research": (F, T, F, T, F),
    "LicenseRef-Undeclared": (U, U, U, U, U),
    "NOASSERTION": (U, U, U, U, U),
    "NONE": (U, U, U, U, U),
}

ACME = LicenceDeclaration(commercial_use=False, ai_training=True, redistribution=False, attribution=True)


@pytest.fixture(scope="module")
def table() -> LicenceTable:
    return load_licence_table(TABLE_PATH, {"LicenseRef-Acme-Research": ACME})


def row(terms: LicenceTerms | None) -> Row | None:
    if terms is None:
        return None
    return (terms.commercial_use, terms.ai_training, terms.redistribution, terms.attribution, terms.share_alike)


@pytest.mark.parametrize("licence", sorted(OPERANDS))
def test_operand_terms(table: LicenceTable, licence: str) -> None:
    assert row(table.resolve(licence).terms) == OPERANDS[licence]


CASES: list[tuple[str, Row]] = [
    # The two cases: the NC operand alone decides commercial use.
    ("CC-BY-NC-4.0 AND LicenseRef-Undeclared", (F, U, U, T, U)),
    ("CC-BY-NC-4.0 OR NOASSERTION", (F, U, U, T, U)),
    ("NOASSERTION OR CC-BY-NC-4.0", (F, U, U, T, U)),
    ("CC-BY-NC-4.0 AND NONE", (F, U, U, T, U)),
    # Nothing known decides a permission: unknown; a known requirement still decides attribution.
    ("MIT AND LicenseRef-Undeclared", (U, U, U, T, U)),
    ("CC0-1.0 AND NOASSERTION", (U, U, U, U, U)),
    ("0BSD OR NOASSERTION", (U, U, U, U, U)),
    ("CC-BY-SA-4.0 OR NOASSERTION", (U, U, U, T, T)),
    # Known operands only.
    ("CC-BY-4.0 AND CC-BY-NC-4.0", (F, T, T, T, F)),
    ("MIT OR GPL-3.0-only", (T, T, T, T, T)),
    ("CC0-1.0 AND 0BSD", (T, T, T, F, F)),
    ("LicenseRef-Acme-Research AND CC0-1.0", (F, T, F, T, F)),
    ("CC-BY-ND-3.0 AND MIT", (T, U, T, T, F)),
    ("CC-BY-ND-3.0 AND CC-BY-NC-4.0", (F, U, T, T, F)),
    # A forbidding operand beats an unknown one for every class, not just commercial use.
    ("CC-BY-NC-ND-3.0 OR LicenseRef-Llama-2", (F, F, T, T, T)),
    ("LicenseRef-Llama-2 AND LicenseRef-Undeclared", (U, F, U, T, T)),
    ("LicenseRef-All-Rights-Reserved OR NOASSERTION", (F, F, F, U, U)),
    ("BUSL-1.1 AND CC-BY-NC-4.0", (F, U, T, T, T)),
    ("BUSL-1.1 OR MIT", (U, U, T, T, T)),
    # WITH: the base licence's terms (exceptions never add a prohibition).
    ("Apache-2.0 WITH LLVM-exception", (T, T, T, T, F)),
    ("GPL-2.0-only WITH Classpath-exception-2.0 AND CC-BY-NC-4.0", (F, T, T, T, T)),
    ("LicenseRef-Undeclared WITH Classpath-exception-2.0 AND CC-BY-NC-4.0", (F, U, U, T, U)),
    ("(MIT OR CC-BY-NC-4.0) AND (LicenseRef-Undeclared WITH Classpath-exception-2.0)", (F, U, U, T, U)),
    # Nesting.
    ("((CC-BY-NC-4.0))", (F, T, T, T, F)),
    ("(CC-BY-4.0 OR (MIT AND CC-BY-NC-SA-4.0)) AND 0BSD", (F, T, T, T, T)),
    ("MIT AND (CC0-1.0 OR (LicenseRef-Undeclared AND CC-BY-NC-SA-4.0))", (F, U, U, T, T)),
    ("((MIT AND CC0-1.0) OR (0BSD AND (CC-BY-4.0 OR (GPL-3.0-only WITH GCC-exception-3.1))))", (T, T, T, T, T)),
    ("(LicenseRef-Undeclared OR (NOASSERTION AND NONE)) AND (CC-BY-ND-3.0 OR CC-BY-NC-4.0)", (F, U, U, T, U)),
    # Written spellings resolve before the terms are combined.
    ("CC BY-NC 4.0 AND Apache License 2.0", (F, T, T, T, F)),
    ("Creative Commons Attribution-NonCommercial 4.0 International OR unknown", (F, U, U, T, U)),
]


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[c[0] for c in CASES])
def test_resolution_matrix(table: LicenceTable, expression: str, expected: Row) -> None:
    res = table.resolve(expression)
    assert res.error is None
    assert row(res.terms) == expected


def test_unrecognised_operand_is_an_error_that_still_lets_known_operands_decide(table: LicenceTable) -> None:
    res = table.resolve("Some Custom Licence AND CC-BY-NC-4.0")
    assert row(res.terms) == (F, U, U, T, U)
    assert res.unrecognised == ("Some Custom Licence",)
    assert res.unknown_ids == ("Some Custom Licence",)
    assert res.error is not None
    assert "'Some Custom Licence'" in res.error
    assert not res.known


def test_known_means_every_operand_has_an_entry(table: LicenceTable) -> None:
    assert table.resolve("CC-BY-ND-3.0 AND MIT").known  # an unknown term inside a known licence
    assert not table.resolve("CC-BY-NC-4.0 OR NOASSERTION").known


# --- properties -------------------------------------------------------------------------------

POOL = sorted(OPERANDS)
PERMISSIONS = range(3)
OBLIGATIONS = range(3, 5)


def by_hand(ids: list[str]) -> Row:
    """The rule of the module docstring, written out case by case."""
    out: list[bool | None] = []
    for k in range(5):
        values = [OPERANDS[i][k] for i in ids]
        if k in PERMISSIONS:
            out.append(F if F in values else (T if all(v is T for v in values) else U))
        else:
            out.append(T if T in values else (F if all(v is F for v in values) else U))
    return (out[0], out[1], out[2], out[3], out[4])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> tuple[str, list[str]]:
    """A random AND/OR/WITH expression over the operand pool, with the ids it names."""
    if depth == 0 or draw(st.booleans()):
        licence = draw(st.sampled_from(POOL))
        if draw(st.integers(0, 5)) == 0 and licence not in {"NOASSERTION", "NONE"}:
            return f"{licence} WITH Classpath-exception-2.0", [licence]
        return licence, [licence]
    left, left_ids = draw(expressions(depth - 1))
    right, right_ids = draw(expressions(depth - 1))
    op = draw(st.sampled_from(["AND", "OR", "and", "or"]))
    return f"({left} {op} {right})", left_ids + right_ids


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_resolution_matches_the_rule(table: LicenceTable, expr: tuple[str, list[str]]) -> None:
    expression, ids = expr
    assert row(table.resolve(expression).terms) == by_hand(ids)


@settings(max_examples=300, deadline=None)
@given(expressions(), st.sampled_from(POOL), st.sampled_from(["AND", "OR"]), st.booleans())
def test_adding_an_operand_never_relaxes(
    table: LicenceTable, expr: tuple[str, list[str]], extra: str, op: str, before: bool
) -> None:
    """A forbidden use stays forbidden and a requirement stays required, whatever is added."""
    expression, _ = expr
    base = row(table.resolve(expression).terms)
    wider_expression = f"{extra} {op} ({expression})" if before else f"({expression}) {op} {extra}"
    wider = row(table.resolve(wider_expression).terms)
    assert base is not None
    assert wider is not None
    for k in PERMISSIONS:
        if base[k] is F:
            assert wider[k] is F
        if wider[k] is T:
            assert base[k] is T  # permitted after adding only if permitted before
    for k in OBLIGATIONS:
        if base[k] is T:
            assert wider[k] is T
        if wider[k] is F:
            assert base[k] is F


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_operators_order_and_grouping_do_not_matter(table: LicenceTable, ids: list[str], rnd: random.Random) -> None:
    ops = [rnd.choice(["AND", "OR"]) for _ in ids[1:]]
    flat = ids[0] + "".join(f" {op} {i}" for op, i in zip(ops, ids[1:], strict=True))
    shuffled = ids[:]
    rnd.shuffle(shuffled)
    nested = shuffled[0]
    for i in shuffled[1:]:
        nested = f"({nested} AND {i})" if rnd.random() < 0.5 else f"({i} OR {nested})"
    assert row(table.resolve(flat).terms) == row(table.resolve(nested).terms) == by_hand(ids)


def test_every_pair_by_hand(table: LicenceTable) -> None:
    """All pairs of the pool, both operators: the exhaustive version of the matrix above."""
    for a, b in itertools.product(POOL, repeat=2):
        for op in ("AND", "OR"):
            assert row(table.resolve(f"{a} {op} {b}").terms) == by_hand([a, b]), f"{a} {op} {b}"
