"""The fields a rule may name, per scope, with their types and allowed values.

Derived from the provenance models so that a new input field is usable by rules without a second
list to keep in step. The engine builds its tables with exactly these column names.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel

from aireport.models.provenance import (
    ITEM_COLUMNS,
    Attestations,
    CnAcquisition,
    EuCategory,
    ModelInfo,
    Provider,
    Service,
    Source,
    SummaryMeta,
)
from aireport.models.rules import FieldType, Scope


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: FieldType
    allowed: tuple[str, ...] | None = None
    description: str = ""


# First match wins: bool is an int and datetime a date, so each comes before its base class.
_SCALAR_TYPES: tuple[tuple[type, FieldType], ...] = (
    (bool, "BOOLEAN"),
    (int, "BIGINT"),
    (float, "DOUBLE"),
    (dt.datetime, "TIMESTAMP"),
    (dt.date, "DATE"),
)


def _sql_type(annotation: object) -> tuple[FieldType, tuple[str, ...] | None]:
    """Map a pydantic field annotation to the SQL type the engine gives that column."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # a constrained type (Count): the type it constrains
        return _sql_type(args[0])
    if origin in (typing.Union, types.UnionType):
        non_null = [a for a in args if a is not type(None)]
        if len(non_null) == 1:
            return _sql_type(non_null[0])
        return "VARCHAR", None  # str | list[...] and similar: exposed as text
    if origin is list:
        return "VARCHAR[]", None
    if origin is typing.Literal:
        return "VARCHAR", tuple(str(a) for a in args)
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "VARCHAR", tuple(str(m.value) for m in annotation)
        for python_type, sql_type in _SCALAR_TYPES:
            if issubclass(annotation, python_type):
                return sql_type, None
    return "VARCHAR", None


def model_fields(model: type[BaseModel], prefix: str = "") -> list[FieldInfo]:
    out = []
    for name, f in model.model_fields.items():
        sql_type, allowed = _sql_type(f.annotation)
        out.append(FieldInfo(prefix + name, sql_type, allowed, f.description or ""))
    return out


SOURCE_DERIVED: tuple[FieldInfo, ...] = (
    FieldInfo(
        "safety_sample_rate",
        "DOUBLE",
        description="safety_sample_flagged / safety_sample_size; empty when either is missing or the sample is empty.",
    ),
)

DATASET_DERIVED: tuple[FieldInfo, ...] = (
    FieldInfo("sources.count", "BIGINT", description="Number of sources used in training."),
    *(
        FieldInfo(
            f"sources.{c.value}",
            "BIGINT",
            description=f"Number of sources used in training in EU category {c.value}.",
        )
        for c in EuCategory
    ),
    *(
        FieldInfo(
            f"sources.cn_{c.value}",
            "BIGINT",
            description=f"Number of sources used in training acquired as {c.value}.",
        )
        for c in CnAcquisition
    ),
)


CLEARANCE_DERIVED: tuple[FieldInfo, ...] = (
    FieldInfo(
        "delivery.licence_in_term",
        "BOOLEAN",
        description="license_term_end is 'perpetual' or on or after the clearance date (--date); empty when no term "
        "end is recorded. Computed by `aireport clear` and `certify` only (missing evidence elsewhere).",
    ),
    FieldInfo(
        "delivery.territory_covered",
        "BOOLEAN",
        description="license_territory is 'worldwide' or lists every territory of --territory; empty when none is "
        "recorded. Computed by `aireport clear` and `certify` only (missing evidence elsewhere).",
    ),
)
"""Item fields that depend on the delivery (its date and territory), not on one column alone."""


def _source_fields() -> list[FieldInfo]:
    return [*model_fields(Source), *SOURCE_DERIVED]


def _dataset_fields() -> list[FieldInfo]:
    return [
        *model_fields(Provider, "provider."),
        *model_fields(ModelInfo, "model."),
        *model_fields(SummaryMeta, "summary."),
        *model_fields(Attestations, "attestations."),
        *model_fields(Service, "service."),
        *DATASET_DERIVED,
    ]


def _item_fields() -> list[FieldInfo]:
    items = [FieldInfo(c.name, c.type, c.allowed, c.description) for c in ITEM_COLUMNS]
    joined = [
        FieldInfo("source." + f.name, f.type, f.allowed, f.description)
        for f in _source_fields()
        if f.name != "source_id"
    ]
    return items + joined + list(CLEARANCE_DERIVED)


FIELDS: dict[Scope, dict[str, FieldInfo]] = {
    Scope.ITEM: {f.name: f for f in _item_fields()},
    Scope.SOURCE: {f.name: f for f in _source_fields()},
    Scope.DATASET: {f.name: f for f in _dataset_fields()},
}
