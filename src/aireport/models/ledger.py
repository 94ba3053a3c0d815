"""The creators' ledger: per creator (or rights holder) what a delivery holds of their work, and their share.

Plain frozen dataclasses, not pydantic: a library's ledger has a line per creator, a million at 700M items, and the
lines are built from aggregates already checked by the scan. Shares are exact fractions (``Fraction``); money is
an integer number of the currency's minor units. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

Basis = Literal["count", "bytes", "weight"]
BASES: tuple[Basis, ...] = ("count", "bytes", "weight")
LedgerKey = Literal["creator", "rights_holder"]


@dataclass(frozen=True)
class Totals:
    """What the scan counted for one creator (or rights holder), or for the whole delivery."""

    items: int
    bytes: int | None  # None when an item has no size_bytes
    cleared_items: int
    cleared_bytes: int | None
    cleared_weight: int | None  # None when there is no usage_weight, or a cleared item has none
    not_cleared_items: int
    unknown_items: int
    not_cleared_by_reason: dict[str, int] = field(default_factory=dict)  # rule id -> items (overlapping)
    unknown_by_reason: dict[str, int] = field(default_factory=dict)

    def basis(self, basis: Basis) -> int | None:
        """The figure shares are taken of: cleared items, cleared bytes or cleared usage weight."""
        return {"count": self.cleared_items, "bytes": self.cleared_bytes, "weight": self.cleared_weight}[basis]


@dataclass(frozen=True)
class Money:
    """An amount as an integer count of the currency's minor units (ISO 4217 exponent)."""

    minor: int
    currency: str
    exponent: int

    def text(self) -> str:
        """``1234.56`` for 123456 minor units of a currency with exponent 2; no grouping, no symbol."""
        sign = "-" if self.minor < 0 else ""
        whole, part = divmod(abs(self.minor), 10**self.exponent)
        return f"{sign}{whole}.{part:0{self.exponent}d}" if self.exponent else f"{sign}{whole}"


@dataclass(frozen=True)
class LedgerLine:
    key: str | None  # the creator (or rights holder); None: items with none recorded
    totals: Totals
    share_count: Fraction | None  # None when the delivery has nothing cleared of that basis
    share_bytes: Fraction | None
    share_weight: Fraction | None
    allocation: Money | None = None


@dataclass(frozen=True)
class Ledger:
    key: LedgerKey
    lines: tuple[LedgerLine, ...]  # by key, None last
    totals: Totals
    basis: Basis | None = None  # what the amount was allocated by
    amount: Money | None = None


def fraction_text(value: Fraction | None) -> str | None:
    """``3/8``; ``0`` and ``1`` as themselves; None stays None (not a share of anything)."""
    if value is None:
        return None
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
