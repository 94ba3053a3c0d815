"""Shared pydantic configuration and small value types used by every model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

INT64_MAX = 2**63 - 1

Count = Annotated[int, Field(ge=0, le=INT64_MAX)]
"""A count or size a person states: never negative, and within the 64-bit integers the engine computes in
(a larger figure cannot be summed or compared there, so it is refused where it is written)."""


class Strict(BaseModel):
    """Base for every input model: unknown keys are an error, instances never change, and a float field
    refuses infinity and NaN (no size, rate or FLOP figure is infinite or not a number)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True, allow_inf_nan=False)


class Bilingual(Strict):
    """A text shown to people, in English and Simplified Chinese."""

    en: str = Field(min_length=1, description="English text.")
    zh: str = Field(min_length=1, description="Simplified Chinese text.")

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en
