"""Condition trees to SQL boolean expressions with bound parameters.

Values never enter the SQL text: each becomes a named parameter. Field names do, but only after
the pack loader has checked them against the closed field catalogue, and always double-quoted.
SQL's three-valued logic is the point: a leaf over an empty field is NULL ("unknown"), AND/OR/NOT
propagate it the Kleene way, and the engine counts NULL as missing evidence, never as a pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aireport.models.rules import OPERATORS, AllOf, AnyOf, Condition, Leaf, NotOf


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Params:
    """Collects bound values; hands out ``$pN`` placeholders."""

    values: dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any) -> str:
        key = f"p{len(self.values)}"
        self.values[key] = value
        return f"${key}"


class FieldResolver:
    """Maps a rule's field name to a SQL expression for the table a scope is evaluated over."""

    def __init__(
        self,
        columns: Mapping[str, tuple[str, str]],
        licence_terms: Callable[[str, str], str] | None = None,
    ) -> None:
        self._columns = columns  # field name -> (SQL expression, SQL type)
        self._licence_terms = licence_terms

    def column(self, name: str) -> str:
        return self._columns[name][0]

    def type(self, name: str) -> str:
        return self._columns[name][1]

    def licence_term(self, name: str, term: str) -> str:
        if self._licence_terms is None:  # pragma: no cover - guarded by the field catalogue
            raise KeyError(name)
        return self._licence_terms(name, term)

    def has(self, name: str) -> bool:
        return name in self._columns


Substitute = Callable[[Condition], str | None]


def compile_condition(
    cond: Condition, resolver: FieldResolver, params: Params, substitute: Substitute | None = None
) -> str:
    """SQL for a condition; ``substitute`` may answer for a whole subtree (a precomputed column)."""
    if substitute is not None and (replaced := substitute(cond)) is not None:
        return replaced
    if isinstance(cond, AllOf):
        return "(" + " AND ".join(compile_condition(c, resolver, params, substitute) for c in cond.all) + ")"
    if isinstance(cond, AnyOf):
        return "(" + " OR ".join(compile_condition(c, resolver, params, substitute) for c in cond.any) + ")"
    if isinstance(cond, NotOf):
        return "(NOT " + compile_condition(cond.not_, resolver, params, substitute) + ")"
    return _compile_leaf(cond, resolver, params)


def _scalar(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _compile_leaf(leaf: Leaf, resolver: FieldResolver, params: Params) -> str:
    compiler = _LEAF_COMPILERS[leaf.op]
    return compiler(leaf, resolver, params)


def _cmp(sql_op: str) -> Callable[[Leaf, FieldResolver, Params], str]:
    def compile_cmp(leaf: Leaf, r: FieldResolver, p: Params) -> str:
        return f"({r.column(leaf.field)} {sql_op} {p.bind(_scalar(leaf.value))})"

    return compile_cmp


def _date_cmp(sql_op: str) -> Callable[[Leaf, FieldResolver, Params], str]:
    def compile_date(leaf: Leaf, r: FieldResolver, p: Params) -> str:
        return f"(CAST({r.column(leaf.field)} AS DATE) {sql_op} CAST({p.bind(leaf.value.isoformat())} AS DATE))"

    return compile_date


def _in(negate: bool) -> Callable[[Leaf, FieldResolver, Params], str]:
    def compile_in(leaf: Leaf, r: FieldResolver, p: Params) -> str:
        placeholders = ", ".join(p.bind(_scalar(v)) for v in leaf.value)
        return f"({r.column(leaf.field)} {'NOT IN' if negate else 'IN'} ({placeholders}))"

    return compile_in


def _is_null(leaf: Leaf, r: FieldResolver, p: Params) -> str:
    col = r.column(leaf.field)
    if r.type(leaf.field) == "VARCHAR[]":
        return f"({col} IS NULL OR len({col}) = 0)"
    if r.type(leaf.field) == "VARCHAR":
        # Loaders strip text cells, and an item manifest's blank is '' at worst: no per-row trim needed.
        return f"({col} IS NULL OR {col} = '')"
    return f"({col} IS NULL)"


def _not_null(leaf: Leaf, r: FieldResolver, p: Params) -> str:
    return "(NOT " + _is_null(leaf, r, p) + ")"


def _licence_permits(leaf: Leaf, r: FieldResolver, p: Params) -> str:
    terms = leaf.value if isinstance(leaf.value, list) else [leaf.value]
    return "(" + " AND ".join(r.licence_term(leaf.field, t) for t in terms) + ")"


def _licence_requires(leaf: Leaf, r: FieldResolver, p: Params) -> str:
    terms = leaf.value if isinstance(leaf.value, list) else [leaf.value]
    return "(" + " OR ".join(r.licence_term(leaf.field, t) for t in terms) + ")"


_LEAF_COMPILERS: dict[str, Callable[[Leaf, FieldResolver, Params], str]] = {
    "eq": _cmp("="),
    "ne": _cmp("<>"),
    "in": _in(negate=False),
    "not_in": _in(negate=True),
    "contains": lambda leaf, r, p: f"list_contains({r.column(leaf.field)}, {p.bind(leaf.value)})",
    "lt": _cmp("<"),
    "le": _cmp("<="),
    "gt": _cmp(">"),
    "ge": _cmp(">="),
    "before": _date_cmp("<"),
    "on_or_after": _date_cmp(">="),
    "is_null": _is_null,
    "not_null": _not_null,
    "is_true": lambda leaf, r, p: f"({r.column(leaf.field)} = TRUE)",
    "is_false": lambda leaf, r, p: f"({r.column(leaf.field)} = FALSE)",
    "matches": lambda leaf, r, p: f"regexp_matches({r.column(leaf.field)}, {p.bind(leaf.value)})",
    "licence_permits": _licence_permits,
    "licence_requires": _licence_requires,
    "licence_known": lambda leaf, r, p: f"coalesce({r.licence_term(leaf.field, 'known')}, FALSE)",
}

# One registry, two halves: the models own what an operator accepts, the engine how it compiles.
if set(_LEAF_COMPILERS) != set(OPERATORS):  # pragma: no cover - caught by the test suite on any drift
    raise RuntimeError(f"operator registries differ: {sorted(set(_LEAF_COMPILERS) ^ set(OPERATORS))}")
