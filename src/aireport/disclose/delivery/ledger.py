"""Shares and allocations of the creators' ledger: exact arithmetic on the scan's integer totals.

A line's share of a delivery, by count, bytes or usage weight, is its cleared figure over the delivery's cleared
figure, as an exact fraction: only cleared items earn a share (an item not cleared for commercial AI training is
not licensed for it). An amount is allocated in the currency's minor units by the largest-remainder method (Hare):
each line gets floor(M x w / W) of the M minor units, and the units left over go one each to the lines with the
largest remainders, ties broken by key (creator id, then the line of items with no creator). The allocations add
up to M exactly; no floating point is involved anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import iso4217

from aireport.errors import InputError, Problem
from aireport.models.ledger import Basis, Ledger, LedgerKey, LedgerLine, Money, Totals


def parse_amount(amount: str, currency: str) -> Money:
    """``--amount 1000000 --currency CNY`` -> 100000000 minor units of CNY (ISO 4217 exponent 2)."""
    try:
        code = iso4217.Currency(currency.strip().upper())
    except ValueError:
        raise InputError(
            [Problem("--currency", f"found {currency!r}; allowed: an ISO 4217 code such as CNY, EUR, USD, JPY")]
        ) from None
    exponent = code.exponent
    if exponent is None:
        raise InputError(
            [Problem("--currency", f"{code.code} ({code.currency_name}) has no minor unit; choose a currency")]
        )
    try:
        value = Decimal(amount.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0:
        raise InputError([Problem("--amount", f"found {amount!r}; allowed: a positive decimal number, e.g. 1000000")])
    minor = value.scaleb(exponent)
    if minor != minor.to_integral_value():
        raise InputError(
            [
                Problem(
                    "--amount",
                    f"found {amount!r}; {code.code} has {exponent} decimal place(s), so the amount cannot have more",
                )
            ]
        )
    return Money(int(minor), code.code, exponent)


def share(part: int | None, whole: int | None) -> Fraction | None:
    if part is None or not whole:
        return None
    return Fraction(part, whole)


def _key_order(key: str | None) -> tuple[int, bytes]:
    """Keys as the ledger orders them: by UTF-8 bytes, the line without a key last."""
    return (1, b"") if key is None else (0, key.encode("utf-8"))


def allocate(minor: int, weights: Mapping[str | None, int]) -> dict[str | None, int]:
    """Largest remainder: integer allocations proportional to ``weights`` summing exactly to ``minor``."""
    if minor < 0:
        raise ValueError("the amount must be positive")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    whole = sum(weights.values())
    if whole == 0:
        raise ValueError("nothing to allocate to: every weight is zero")
    quotas = {k: divmod(minor * w, whole) for k, w in weights.items()}
    out = {k: q for k, (q, _) in quotas.items()}
    left = minor - sum(out.values())
    order = sorted(quotas, key=lambda k: (-quotas[k][1], _key_order(k)))
    for k in order[:left]:
        out[k] += 1
    return out


def build_ledger(
    key: LedgerKey,
    lines: Mapping[str | None, Totals],
    totals: Totals,
    basis: Basis | None = None,
    amount: Money | None = None,
    source: str = "--basis",
) -> Ledger:
    """Every line with its shares and, given an amount, its allocation on ``basis``."""
    allocations: dict[str | None, int] = {}
    if amount is not None:
        if basis is None:
            raise ValueError("an amount needs a basis")
        whole = totals.basis(basis)
        if whole is None:
            what = {"bytes": "size_bytes", "weight": "usage_weight"}.get(basis, basis)
            raise InputError(
                [Problem(source, f"{basis}: a cleared item has no {what}; allocate by another basis or fill {what}")]
            )
        if whole == 0:
            raise InputError([Problem(source, f"{basis}: the delivery has nothing cleared to allocate the amount to")])
        allocations = allocate(amount.minor, {k: t.basis(basis) or 0 for k, t in lines.items()})
    out = [
        LedgerLine(
            key=k,
            totals=t,
            share_count=share(t.cleared_items, totals.cleared_items),
            share_bytes=share(t.cleared_bytes, totals.cleared_bytes),
            share_weight=share(t.cleared_weight, totals.cleared_weight),
            allocation=Money(allocations[k], amount.currency, amount.exponent) if amount is not None else None,
        )
        for k, t in sorted(lines.items(), key=lambda kv: _key_order(kv[0]))
    ]
    return Ledger(key=key, lines=tuple(out), totals=totals, basis=basis, amount=amount)
