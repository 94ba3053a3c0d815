"""Outcome arithmetic at the tolerance edge, and its invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aireport.engine.outcomes import combine, outcome_of
from aireport.models.results import Counts, Outcome

FIVE = Decimal("0.05")


@pytest.mark.parametrize(
    ("failed", "applicable", "expected"),
    [
        (499, 10_000, Outcome.PASS),  # 4.99%
        (500, 10_000, Outcome.PASS),  # exactly 5%: "not more than 5%"
        (501, 10_000, Outcome.FAIL),  # 5.01%
        (
            1,
            20,
            Outcome.PASS,
        ),  # 1/20 is exactly 5%, which floats would put at 0.05000000000000000277
        (0, 0, Outcome.NOT_APPLICABLE),
    ],
)
def test_five_percent_edge(failed: int, applicable: int, expected: Outcome) -> None:
    counts = Counts(applicable=applicable, passed=applicable - failed, failed=failed)
    assert outcome_of(counts, FIVE) is expected


def test_unknowns_that_could_hide_a_failure_are_not_a_pass() -> None:
    assert outcome_of(Counts(applicable=100, passed=96, failed=3, unknown=1), FIVE) is Outcome.PASS
    assert outcome_of(Counts(applicable=100, passed=94, failed=3, unknown=3), FIVE) is Outcome.NOT_EVALUABLE
    assert outcome_of(Counts(applicable=10, passed=9, unknown=1), Decimal(0)) is Outcome.NOT_EVALUABLE


def test_combine_takes_the_worst() -> None:
    assert combine([Outcome.PASS, Outcome.FAIL, Outcome.NOT_EVALUABLE]) is Outcome.FAIL
    assert combine([Outcome.PASS, Outcome.NOT_EVALUABLE]) is Outcome.NOT_EVALUABLE
    assert combine([]) is Outcome.NOT_APPLICABLE


@given(
    passed=st.integers(0, 10_000),
    failed=st.integers(0, 10_000),
    unknown=st.integers(0, 10_000),
    tolerance=st.decimals(min_value=0, max_value=1, places=4),
)
def test_more_failures_never_improve_the_outcome(passed: int, failed: int, unknown: int, tolerance: Decimal) -> None:
    rank = {Outcome.NOT_APPLICABLE: 0, Outcome.PASS: 1, Outcome.NOT_EVALUABLE: 2, Outcome.FAIL: 3}
    before = Counts(applicable=passed + failed + unknown + 1, passed=passed + 1, failed=failed, unknown=unknown)
    after = Counts(applicable=before.applicable, passed=passed, failed=failed + 1, unknown=unknown)
    assert rank[outcome_of(after, tolerance)] >= rank[outcome_of(before, tolerance)]
