"""Licence terms and the result of resolving one licence expression. No I/O.

Terms are a reading of what a licence permits and requires, kept as data in ``rules/licences.yaml``
(SPDX ids and documented ``LicenseRef-*`` entries) or declared by the provider (``LicenseRef-*``
ids); they are not legal advice.

Every term is three-valued: ``True``, ``False`` or ``None`` (unknown: the licence does not say, or
nothing is known about the licence). Combining licences decides on what is known (see
:meth:`LicenceTerms.combine`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from pydantic import ConfigDict, Field, StrictBool

from aireport.models.base import Strict


class LicenceTerms(Strict):
    """What a licence permits (the first three) and what it requires (the last two).

    ``None`` means unknown: the licence does not address the question, or the licence itself is
    unknown. It is never a guess in either direction.
    """

    # Strict booleans: in a licence table a quoted "false" or a YAML 1.1 `no` must not slip through
    # pydantic's lax coercion as a permission.
    model_config = ConfigDict(strict=True)

    PERMISSIONS: ClassVar[tuple[str, ...]] = ("commercial_use", "ai_training", "redistribution")
    OBLIGATIONS: ClassVar[tuple[str, ...]] = ("attribution", "share_alike")

    commercial_use: StrictBool | None = Field(description="Commercial use is permitted (None: unknown).")
    ai_training: StrictBool | None = Field(description="Use of the work as training data is permitted (None: unknown).")
    redistribution: StrictBool | None = Field(description="Sharing copies of the work is permitted (None: unknown).")
    attribution: StrictBool | None = Field(description="Attribution or keeping notices is required (None: unknown).")
    share_alike: StrictBool | None = Field(
        description="Adaptations must be shared under the same terms (None: unknown)."
    )

    @classmethod
    def unknown(cls) -> LicenceTerms:
        """Terms of a licence nothing is known about."""
        return cls(commercial_use=None, ai_training=None, redistribution=None, attribution=None, share_alike=None)

    @property
    def complete(self) -> bool:
        """Every term is known."""
        return all(getattr(self, t) is not None for t in (*self.PERMISSIONS, *self.OBLIGATIONS))

    @classmethod
    def combine(cls, terms: Iterable[LicenceTerms]) -> LicenceTerms:
        """Combine licences that all apply, deciding on what is known.

        A permission is forbidden (False) if any licence forbids it, whatever the others say or
        whether they are known; permitted (True) only if every licence is known to permit it;
        otherwise unknown. An obligation is required (True) if any licence requires it; not
        required (False) only if every licence is known not to require it; otherwise unknown.
        """
        items = list(terms)
        if not items:
            # The neutral element would be "everything permitted, nothing required": never a
            # safe answer for "no licences at all".
            raise ValueError("combine needs at least one set of terms")
        values: dict[str, bool | None] = {}
        for p in cls.PERMISSIONS:
            found = [getattr(t, p) for t in items]
            values[p] = False if False in found else (True if all(v is True for v in found) else None)
        for o in cls.OBLIGATIONS:
            found = [getattr(t, o) for t in items]
            values[o] = True if True in found else (False if all(v is False for v in found) else None)
        return cls(**values)


# The name the rest of the code base used before terms could be unknown.
most_restrictive = LicenceTerms.combine


class LicenceResolution(Strict):
    """One licence expression resolved against the licence table.

    ``terms`` is None only when nothing could be read (nothing recorded, or the expression does not
    parse). Otherwise each term is decided by the licences that are known (see
    :meth:`LicenceTerms.combine`); operands without known terms are listed in ``unknown_ids``.
    """

    expression: str = Field(description="The expression as recorded (empty if none was).")
    normalised: str | None = Field(None, description="Canonical SPDX spelling after aliases, if it parsed.")
    terms: LicenceTerms | None = None
    unknown_ids: tuple[str, ...] = Field(
        (), description="Operands without an entry: NOASSERTION, NONE, undeclared LicenseRef-*, unrecognised names."
    )
    unrecognised: tuple[str, ...] = Field(
        (), description="Operands that are neither SPDX ids, LicenseRef-* ids nor known spellings (in unknown_ids too)."
    )
    aliased: tuple[tuple[str, str], ...] = Field((), description="(as written, read as) for each spelling rewritten.")
    error: str | None = Field(None, description="Why the expression, or an operand of it, could not be read.")

    @property
    def known(self) -> bool:
        """The expression parsed and every licence in it has an entry in the table."""
        return self.terms is not None and not self.unknown_ids and self.error is None
