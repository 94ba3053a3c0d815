"""Licence terms and the result of resolving one licence expression. No I/O.

Terms are a reading of what a licence permits and requires, kept as data in ``rules/licences.yaml``
(SPDX ids) or declared by the provider (``LicenseRef-*`` ids); they are not legal advice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from pydantic import ConfigDict, Field, StrictBool

from aireport.models.base import Strict


class LicenceTerms(Strict):
    """What a licence permits (the first three) and what it requires (the last two)."""

    # Strict booleans: in a licence table a quoted "false" or a YAML 1.1 `no` must not slip through
    # pydantic's lax coercion as a permission.
    model_config = ConfigDict(strict=True)

    PERMISSIONS: ClassVar[tuple[str, ...]] = ("commercial_use", "ai_training", "redistribution")
    OBLIGATIONS: ClassVar[tuple[str, ...]] = ("attribution", "share_alike")

    commercial_use: StrictBool = Field(description="Commercial use is permitted.")
    ai_training: StrictBool = Field(description="Use of the work as training data is permitted.")
    redistribution: StrictBool = Field(description="Sharing copies of the work is permitted.")
    attribution: StrictBool = Field(description="Attribution or keeping notices is required.")
    share_alike: StrictBool = Field(description="Adaptations must be shared under the same terms.")

    @classmethod
    def most_restrictive(cls, terms: Iterable[LicenceTerms]) -> LicenceTerms:
        """Combine licences that all apply: a permission survives only if every licence grants it,
        an obligation applies if any licence imposes it."""
        items = list(terms)
        if not items:
            # The neutral element would be "everything permitted, nothing required": never a
            # safe answer for "no licences at all".
            raise ValueError("most_restrictive needs at least one set of terms")
        values = {p: all(getattr(t, p) for t in items) for p in cls.PERMISSIONS}
        values |= {o: any(getattr(t, o) for t in items) for o in cls.OBLIGATIONS}
        return cls(**values)


most_restrictive = LicenceTerms.most_restrictive


class LicenceResolution(Strict):
    """One licence expression resolved against the licence table.

    ``terms`` is None whenever the answer is unknown: nothing recorded, unparseable, or an id
    without known terms (listed in ``unknown_ids``). Rules treat None as "not evaluable".
    """

    expression: str = Field(description="The expression as recorded (empty if none was).")
    normalised: str | None = Field(None, description="Canonical SPDX spelling, if it parsed.")
    terms: LicenceTerms | None = None
    unknown_ids: tuple[str, ...] = ()
    error: str | None = Field(None, description="Why the expression could not be read.")
