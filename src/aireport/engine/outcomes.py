"""From counts to outcomes: pure arithmetic, exact at the tolerance edge."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from aireport.models.results import Counts, Outcome


def outcome_of(counts: Counts, tolerance: Decimal) -> Outcome:
    """Fail beyond the tolerance; missing evidence that could hide a failure is not a pass.

    The tolerance is inclusive: 5% flagged passes a 5% rule, 5.01% fails it. Compared as exact
    fractions so that 1 in 20 is exactly 5%, whatever floating point would say.
    """
    if counts.applicable == 0:
        return Outcome.NOT_APPLICABLE
    limit = Fraction(tolerance) * counts.applicable
    if counts.failed > limit:
        return Outcome.FAIL
    if counts.failed + counts.unknown > limit:
        return Outcome.NOT_EVALUABLE
    return Outcome.PASS


def combine(outcomes: Iterable[Outcome]) -> Outcome:
    """The overall outcome of per-source outcomes: the worst one that occurred."""
    seen = set(outcomes)
    for outcome in (Outcome.FAIL, Outcome.NOT_EVALUABLE, Outcome.PASS):
        if outcome in seen:
            return outcome
    return Outcome.NOT_APPLICABLE


def failing_fraction(counts: Counts) -> float:
    return round(counts.failed / counts.applicable, 6) if counts.applicable else 0.0
