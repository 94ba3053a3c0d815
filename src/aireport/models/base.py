"""Shared pydantic configuration and small value types used by every model."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

M = TypeVar("M", bound=BaseModel)

INT64_MAX = 2**63 - 1

Count = Annotated[int, Field(ge=0, le=INT64_MAX)]
"""A count or size a person states: never negative, and within the 64-bit integers the engine computes in
(a larger figure cannot be summed or compared there, so it is refused where it is written)."""


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("a file name cannot contain the NUL character (\\x00); no file system allows it")
    return value


FileName = Annotated[str, AfterValidator(_no_nul)]
"""A file or folder name an input gives (relative to it): text without NUL, which no path can hold (the
operating system would refuse it with an error that names no field)."""


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


def constructor(cls: type[M], names: tuple[str, ...]) -> Callable[[dict[str, Any]], M]:
    """A function building instances of ``cls`` from dicts of exactly ``names`` that the engine itself typed,
    without validation: what ``cls.model_construct(**values)`` builds, at about a third of its cost (150,000
    rows in 0.21 s instead of 0.6-0.8 s; the domain list of 100M items has about that many). The names are
    checked once, here; every instance shares one set of field names (pydantic copies it before it ever
    changes one, in model_copy)."""
    _check_constructible(cls, frozenset(names))
    fields_set = set(names)
    new = cls.__new__
    # The slots pydantic's BaseModel declares, set through their descriptors (what object.__setattr__ finds).
    set_fields = _SLOTS["__pydantic_fields_set__"].__set__
    set_extra = _SLOTS["__pydantic_extra__"].__set__
    set_private = _SLOTS["__pydantic_private__"].__set__
    set_dict = object.__setattr__

    def build(values: dict[str, Any]) -> M:
        model = new(cls)
        set_dict(model, "__dict__", values)
        set_fields(model, fields_set)
        set_extra(model, None)
        set_private(model, None)
        return model

    return build


_SLOTS = BaseModel.__dict__


@cache
def _check_constructible(cls: type[BaseModel], names: frozenset[str]) -> None:
    """Once per class and field names: every field given, and nothing model_construct would do beyond that."""
    if names != frozenset(cls.model_fields) or cls.__pydantic_post_init__ or cls.__private_attributes__:
        raise TypeError(f"{cls.__name__} cannot be built by constructor() from {sorted(names)}")
