"""The rule-pack language: packs, rules, measures and condition trees.

A condition is a tree of ``all`` / ``any`` / ``not`` over leaves. A leaf names one operator from a
closed vocabulary (``OPERATORS``) and a field. Binary operators are written
``{field: license, in: [CC-BY-4.0]}``; unary ones take the field as their value:
``{is_true: robots_allowed}``. Nothing here is ever evaluated as code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from aireport.models.base import Bilingual, Strict

FieldType = Literal["VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "DATE", "VARCHAR[]"]


@dataclass(frozen=True)
class OperatorSpec:
    """What an operator accepts; the engine owns how it is compiled."""

    name: str
    arity: Literal["unary", "binary"]
    field_types: frozenset[str]
    value: Literal["none", "scalar", "list", "pattern", "date", "number", "licence_terms"]
    doc: str


_ANY = frozenset({"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "DATE", "VARCHAR[]"})
_ORDERED = frozenset({"BIGINT", "DOUBLE", "TIMESTAMP", "DATE"})
_SCALAR = frozenset({"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "DATE"})
_DATES = frozenset({"TIMESTAMP", "DATE"})

LICENCE_TERMS = ("commercial_use", "ai_training", "redistribution", "attribution", "share_alike")

OPERATORS: dict[str, OperatorSpec] = {
    op.name: op
    for op in (
        OperatorSpec("eq", "binary", _SCALAR, "scalar", "Field equals the value."),
        OperatorSpec("ne", "binary", _SCALAR, "scalar", "Field differs from the value (empty stays unknown)."),
        OperatorSpec("in", "binary", _SCALAR, "list", "Field is one of the values."),
        OperatorSpec("not_in", "binary", _SCALAR, "list", "Field is none of the values."),
        OperatorSpec(
            "contains",
            "binary",
            frozenset({"VARCHAR[]"}),
            "scalar",
            "List field contains the value.",
        ),
        OperatorSpec("lt", "binary", frozenset({"BIGINT", "DOUBLE"}), "number", "Field < value."),
        OperatorSpec("le", "binary", frozenset({"BIGINT", "DOUBLE"}), "number", "Field <= value."),
        OperatorSpec("gt", "binary", frozenset({"BIGINT", "DOUBLE"}), "number", "Field > value."),
        OperatorSpec("ge", "binary", frozenset({"BIGINT", "DOUBLE"}), "number", "Field >= value."),
        OperatorSpec("before", "binary", _DATES, "date", "Date field is strictly before the date."),
        OperatorSpec("on_or_after", "binary", _DATES, "date", "Date field is on or after the date."),
        OperatorSpec("is_null", "unary", _ANY, "none", "Field is empty. Never unknown."),
        OperatorSpec("not_null", "unary", _ANY, "none", "Field is present (and not an empty list or text)."),
        OperatorSpec("is_true", "unary", frozenset({"BOOLEAN"}), "none", "Field is true; empty is unknown."),
        OperatorSpec("is_false", "unary", frozenset({"BOOLEAN"}), "none", "Field is false; empty is unknown."),
        OperatorSpec(
            "matches",
            "binary",
            frozenset({"VARCHAR"}),
            "pattern",
            "Field matches the regular expression.",
        ),
        OperatorSpec(
            "licence_permits",
            "binary",
            frozenset({"VARCHAR"}),
            "licence_terms",
            "The SPDX licence expression in the field permits every listed use "
            "(commercial_use, ai_training, redistribution); unknown licences are unknown.",
        ),
        OperatorSpec(
            "licence_requires",
            "binary",
            frozenset({"VARCHAR"}),
            "licence_terms",
            "The licence expression imposes any of the listed obligations (attribution, share_alike).",
        ),
        OperatorSpec(
            "licence_known",
            "unary",
            frozenset({"VARCHAR"}),
            "none",
            "The licence expression parses and every licence in it has known terms.",
        ),
    )
}

_COMBINATORS = frozenset({"all", "any", "not"})


class Leaf(Strict):
    """One operator applied to one field."""

    op: str
    field: str = Field(min_length=1)
    value: Any = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml_shape(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "op" in data:
            return data
        op_keys = [k for k in data if k != "field"]
        if len(op_keys) != 1:
            raise ValueError(
                f"a condition needs exactly one operator, found {sorted(op_keys) or 'none'}; "
                f"allowed: all, any, not, {', '.join(sorted(OPERATORS))}"
            )
        op = op_keys[0]
        spec = OPERATORS.get(op)
        if spec is None:
            raise ValueError(f"unknown operator {op!r}; allowed: all, any, not, {', '.join(sorted(OPERATORS))}")
        if spec.arity == "unary":
            if "field" in data:
                raise ValueError(f"{op} takes the field as its value: write {{{op}: FIELD}}")
            return {"op": op, "field": data[op]}
        if "field" not in data:
            raise ValueError(f"{op} needs a 'field' beside it: write {{field: FIELD, {op}: VALUE}}")
        return {"op": op, "field": data["field"], "value": data[op]}

    @model_validator(mode="after")
    def _value_shape(self) -> Leaf:
        problem = _VALUE_CHECKS[OPERATORS[self.op].value](self.op, self.value)
        if problem:
            raise ValueError(problem)
        return self


def _check_list(op: str, v: Any) -> str | None:
    return None if isinstance(v, list) and v else f"{op} needs a non-empty list of values, found {v!r}"


def _check_terms(op: str, v: Any) -> str | None:
    terms = v if isinstance(v, list) else [v]
    bad = [t for t in terms if t not in LICENCE_TERMS]
    return f"{op} takes licence terms from {list(LICENCE_TERMS)}, found {bad or v!r}" if bad or not terms else None


def _check_pattern(op: str, v: Any) -> str | None:
    if not isinstance(v, str):
        return f"{op} needs a regular expression string, found {v!r}"
    try:
        re.compile(v)
    except re.error as exc:
        return f"invalid regular expression {v!r}: {exc}"
    return None


def _check_date(op: str, v: Any) -> str | None:
    return None if isinstance(v, dt.date) else f"{op} needs a date written YYYY-MM-DD, found {v!r}"


def _check_number(op: str, v: Any) -> str | None:
    ok = isinstance(v, int | float | Decimal) and not isinstance(v, bool)
    return None if ok else f"{op} needs a number, found {v!r}"


def _check_scalar(op: str, v: Any) -> str | None:
    return f"{op} needs a single value, found {v!r}" if v is None or isinstance(v, list | dict) else None


_VALUE_CHECKS: dict[str, Callable[[str, Any], str | None]] = {
    "none": lambda op, v: None,
    "list": _check_list,
    "licence_terms": _check_terms,
    "pattern": _check_pattern,
    "date": _check_date,
    "number": _check_number,
    "scalar": _check_scalar,
}


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(Strict):
    not_: Condition = Field(alias="not")


def _condition_kind(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("all", "any", "not"):
            if key in data:
                return key
        return "leaf"
    if isinstance(data, AllOf):
        return "all"
    if isinstance(data, AnyOf):
        return "any"
    if isinstance(data, NotOf):
        return "not"
    return "leaf"


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[Leaf, Tag("leaf")],
    Discriminator(_condition_kind),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


def iter_leaves(cond: Condition) -> list[Leaf]:
    """Every leaf of a condition tree, depth first."""
    if isinstance(cond, Leaf):
        return [cond]
    if isinstance(cond, AllOf):
        return [leaf for c in cond.all for leaf in iter_leaves(c)]
    if isinstance(cond, AnyOf):
        return [leaf for c in cond.any for leaf in iter_leaves(c)]
    return iter_leaves(cond.not_)


class Severity(StrEnum):
    BLOCKER = "blocker"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2, "blocker": 3}[self.value]


class Scope(StrEnum):
    ITEM = "item"  # one row per item of the item manifests, joined to its source
    SOURCE = "source"  # one row per source of the inventory
    DATASET = "dataset"  # one row per model of the manifest, with provider and attestations


class Verification(StrEnum):
    """How well the provision behind a rule was checked (shared/reference tags)."""

    PRIMARY = "primary"  # [P] / V1: checked against the legal text
    SECONDARY = "secondary"  # [S] / [T] / V2: secondary sources agree
    UNVERIFIED = "unverified"  # U / UNVERIFIED: best reconstruction, never present as law


class Citation(Strict):
    instrument: str = Field(min_length=1, description="The legal instrument or standard.")
    provision: str = Field(min_length=1, description="Article, paragraph, clause or template section.")
    verification: Verification
    reference_tag: str | None = Field(None, description="The tag the reference notes give, e.g. [P], V2, U.")
    note: str | None = None


class Rule(Strict):
    """One finding a pack can produce: a condition the engine evaluates, or a built-in Python check.

    Both kinds carry the same data (id, citation, severity, texts) and end as the same RuleResult; a check
    written in Python (``implementation: python``) is the function registered under this id in
    ``aireport.disclose.<jurisdiction>.checks``, used where the rule language cannot express the test
    (comparing figures with each other, with dates or with a previous version).
    """

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9.]+)+$", description="Stable rule id, e.g. EU-CR-02.")
    title: Bilingual
    citation: Citation
    severity: Severity
    scope: Scope
    implementation: Literal["condition", "python"] = Field(
        "condition",
        description="condition: evaluated by the engine from `condition`; python: the built-in check of this id.",
    )
    section: str | None = Field(None, description="The document section or template field the finding concerns.")
    applies_if: Condition | None = Field(None, description="Rows the rule is about; others are not counted.")
    condition: Condition | None = Field(None, description="What must hold for every applicable row.")
    tolerance: Decimal = Field(
        Decimal(0),
        ge=0,
        le=1,
        description="Largest failing fraction that still passes (inclusive).",
    )
    tolerance_per: Literal["source", "overall"] = Field(
        "overall", description="Whether the tolerance is tested per source or over all rows."
    )
    message: Bilingual
    fix: Bilingual
    evidence: list[str] = Field(default_factory=list, description="Fields shown beside each evidence row.")
    absent_as_empty: frozenset[str] = Field(
        frozenset(),
        description="Item columns the rule reads as empty on every row when the item manifests do not carry them, "
        "instead of reporting the rule not evaluable: for a condition that says what stands in for an empty "
        "value (e.g. the source's licence for the item's).",
    )

    @field_validator("tolerance", mode="before")
    @classmethod
    def _exact_tolerance(cls, v: Any) -> Any:
        # 0.05 from YAML arrives as a float; str() keeps its shortest decimal form, so 5% stays exact.
        return Decimal(str(v)) if isinstance(v, float) else v

    @property
    def condition_tree(self) -> Condition:
        """The condition of a rule the engine evaluates (a ValueError for a built-in check)."""
        if self.condition is None:
            raise ValueError(f"{self.id} is a built-in check, not a condition")
        return self.condition

    @model_validator(mode="after")
    def _one_implementation(self) -> Rule:
        if self.implementation == "condition" and self.condition is None:
            raise ValueError("a rule needs a 'condition' (or 'implementation: python' for a built-in check)")
        if self.implementation == "python":
            extra = [
                name
                for name, present in (
                    ("condition", self.condition is not None),
                    ("applies_if", self.applies_if is not None),
                    ("tolerance", self.tolerance != 0),
                    ("evidence", bool(self.evidence)),
                    ("absent_as_empty", bool(self.absent_as_empty)),
                )
                if present
            ]
            if extra:
                raise ValueError(f"a built-in check (implementation: python) takes no {', '.join(extra)}")
        return self


class MeasureAggregate(StrEnum):
    COUNT = "count"
    SUM = "sum"
    MIN = "min"
    MAX = "max"
    COUNT_DISTINCT = "count_distinct"


class Ranking(Strict):
    """Rank the groups of a ``by`` measure instead of listing them all (e.g. the EU top-domain list)."""

    registrable_domain: bool = Field(
        False,
        description="Map each group (a host or URL) to its registrable domain by the Public Suffix List "
        "before ranking, e.g. news.bbc.co.uk -> bbc.co.uk.",
    )
    keep_fraction: Decimal = Field(
        gt=0, le=1, description="Keep the top ceil(keep_fraction x N) groups of N; N is always reported."
    )
    host_from_url: bool = Field(
        False,
        description="Where the by column is empty (or the item manifests have none), the host of the item's url "
        "is the group: a crawled item with a URL is never left out of N.",
    )

    @field_validator("keep_fraction", mode="before")
    @classmethod
    def _exact_fraction(cls, v: Any) -> Any:
        return Decimal(str(v)) if isinstance(v, float) else v


class Measure(Strict):
    """A figure a document needs, computed by the engine in the same scan as the item rules."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Bilingual
    aggregate: MeasureAggregate
    field: str | None = Field(None, description="Item column aggregated (not needed for count).")
    by: str | None = Field(None, description="Item column to group by, besides the source.")
    where: Condition | None = None
    ranking: Ranking | None = Field(None, description="Return the ranked top groups over all sources.")

    @model_validator(mode="after")
    def _field_needed(self) -> Measure:
        if self.aggregate is not MeasureAggregate.COUNT and self.field is None:
            raise ValueError(f"aggregate {self.aggregate.value} needs a 'field'")
        if self.ranking is not None and (
            self.by is None or self.aggregate not in (MeasureAggregate.SUM, MeasureAggregate.COUNT)
        ):
            raise ValueError("a ranking needs 'by' and the aggregate sum or count")
        return self


class PackManifest(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    jurisdiction: str
    title: Bilingual
    effective_from: dt.date
    effective_to: dt.date | None = None
    description: str | None = None
    measures: list[Measure] = Field(default_factory=list)


class RulePack(Strict):
    """A loaded pack: its manifest, its rules in id order, and the digest of its files."""

    manifest: PackManifest
    rules: tuple[Rule, ...]
    digest: str = Field(description="SHA-256 over the pack's files, in path order.")
