"""Shared pydantic configuration and small value types used by every model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Base for every input model: unknown keys are an error, instances never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Bilingual(Strict):
    """A text shown to people, in English and Simplified Chinese."""

    en: str = Field(min_length=1, description="English text.")
    zh: str = Field(min_length=1, description="Simplified Chinese text.")

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en
