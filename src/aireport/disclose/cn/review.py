"""Qualified rates of a reviewed sample: exact point estimates, and a Wilson interval marked extra-regulatory."""

from __future__ import annotations

import math
from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from aireport.models.base import Bilingual
from aireport.models.cn.profile import AppendixA
from aireport.models.cn.sample import (
    DrawnSample,
    RateEstimate,
    ReviewedRow,
    ReviewResult,
    ReviewVerdict,
    RiskCount,
    SampleKind,
    SourceReview,
)

Z_95 = 1.959963984540054  # the 0.975 quantile of the standard normal distribution


def percent_of(part: int | Fraction, whole: int | Fraction, places: int = 2) -> float | None:
    """part / whole x 100, rounded half-even from the exact fraction; None without a whole."""
    if not whole:
        return None
    exact = Fraction(part) * 100 / Fraction(whole)
    quantum = Decimal(1).scaleb(-places)
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    return float(value)


def wilson(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion, as fractions in [0, 1]."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes one bound is exactly 0 or 1; floating point would land a hair inside.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def estimate(qualified: int, n: int) -> RateEstimate:
    interval = wilson(qualified, n)
    return RateEstimate(
        n=n,
        qualified=qualified,
        unqualified=n - qualified,
        rate=f"{qualified}/{n}",
        rate_percent=percent_of(qualified, n),
        wilson_low_percent=round(interval[0] * 100, 4) if interval else None,
        wilson_high_percent=round(interval[1] * 100, 4) if interval else None,
    )


def review_result(
    rows: list[ReviewedRow], drawn: DrawnSample, appendix: AppendixA, file: str, sha256: str
) -> ReviewResult:
    """Rates per source (per-source sample) and for the whole corpus (corpus sample)."""
    frames = {s.source_id: s for s in drawn.sources}
    per_source: list[SourceReview] = []
    if drawn.spec.per_source:
        by_source: dict[str, list[ReviewedRow]] = {}
        for row in rows:
            if row.sample is SampleKind.PER_SOURCE:
                by_source.setdefault(row.source_id, []).append(row)
        for source_id in sorted(by_source):
            reviewed = by_source[source_id]
            qualified = sum(1 for r in reviewed if r.verdict is ReviewVerdict.QUALIFIED)
            frame = frames[source_id].in_frame if source_id in frames else 0
            per_source.append(
                SourceReview(
                    source_id=source_id,
                    estimate=estimate(qualified, len(reviewed)),
                    frame_items=frame,
                    complete=len(reviewed) >= frame,
                )
            )
    corpus_rows = [r for r in rows if r.sample is SampleKind.CORPUS]
    corpus = None
    if drawn.spec.corpus:
        corpus = estimate(sum(1 for r in corpus_rows if r.verdict is ReviewVerdict.QUALIFIED), len(corpus_rows))
    # An item in both samples is one item: count its risks once.
    risk_items: dict[str, set[str]] = {}
    for row in rows:
        for code in row.risk_codes:
            risk_items.setdefault(code, set()).add(row.item_id)
    counts = Counter({code: len(items) for code, items in risk_items.items()})
    names = {risk.code: Bilingual(zh=risk.zh, en=risk.en) for _, risk in appendix.risks}
    return ReviewResult(
        spec=drawn.spec,
        file=file,
        sha256=sha256,
        per_source=per_source,
        corpus=corpus,
        corpus_frame_items=drawn.rows_in_frame,
        risks=[RiskCount(code=code, name=names[code], items=counts[code]) for code in appendix.codes if counts[code]],
    )
