"""Source- and dataset-scope rules: the same compiled conditions over the small in-memory tables."""

from __future__ import annotations

from collections.abc import Sequence

from aireport.engine.backend import Backend
from aireport.engine.compile import FieldResolver, Params, compile_condition, quote_ident
from aireport.engine.scan import RuleCounts
from aireport.engine.tables import DATASET_TABLE, SOURCES_TABLE
from aireport.models.fields import FIELDS
from aireport.models.results import Counts
from aireport.models.rules import Rule, Scope

TABLES = {Scope.SOURCE: (SOURCES_TABLE, "source_id"), Scope.DATASET: (DATASET_TABLE, "model.name")}


def table_resolver(scope: Scope) -> FieldResolver:
    columns = {name: (quote_ident(name), info.type) for name, info in FIELDS[scope].items()}

    def licence_term(name: str, term: str) -> str:
        return quote_ident(f"{name}.{term}")

    return FieldResolver(columns, licence_term)


def run_table_rules(con: Backend, scope: Scope, rules: Sequence[Rule]) -> dict[str, RuleCounts]:
    """Per row: applies / holds, every rule of the scope in one query (a query costs a job on Spark).
    For source scope the rows are grouped by source, as items are."""
    table, key = TABLES[scope]
    resolver = table_resolver(scope)
    if not rules:
        return {}
    params = Params()
    tests = []
    for index, rule in enumerate(rules):
        applies = "TRUE" if rule.applies_if is None else compile_condition(rule.applies_if, resolver, params)
        holds = compile_condition(rule.condition_tree, resolver, params)
        tests.append(f"({applies}) IS TRUE AS a{index}, ({holds}) AS h{index}")
    group_by = "source_id" if scope is Scope.SOURCE else "''"
    sql = f"SELECT {quote_ident(key)}, {group_by}, {', '.join(tests)} FROM {table} ORDER BY 2, 1"
    rows = con.execute(sql, params.values).fetchall()
    out: dict[str, RuleCounts] = {}
    for index, rule in enumerate(rules):
        per_source: dict[str, Counts] = {}
        evidence: dict[str, list[str]] = {}
        for row in rows:
            row_key, group, applies_row, holds_row = row[0], row[1], row[2 + 2 * index], row[3 + 2 * index]
            counts = Counts(
                applicable=int(bool(applies_row)),
                passed=int(bool(applies_row) and holds_row is True),
                failed=int(bool(applies_row) and holds_row is False),
                unknown=int(bool(applies_row) and holds_row is None),
            )
            per_source[group] = per_source.get(group, Counts()) + counts
            if counts.failed:
                evidence.setdefault(group, []).append(str(row_key))
        out[rule.id] = RuleCounts(per_source=per_source, evidence=evidence)
    return out
