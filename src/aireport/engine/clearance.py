"""Item clearance: every rule of the clearance pack on every item, one row out per item, in one scan.

An item is *cleared for commercial AI training* (``yes``) when every applicable rule holds, ``no`` when any fails
and ``unknown`` when none fails but one lacks evidence (SQL's NULL: an empty value, an absent column). The rules
that decide are the item's reason codes: for a ``no`` item the rules that fail, for an ``unknown`` one the rules
without evidence. The rules are an ordinary pack (``rules/clearance``), compiled with the engine's compiler, so a
library may certify against its own stricter pack.

The output table (the *listing*) is written by DuckDB's ``COPY`` straight from the scan: nothing is held in
memory, whatever the number of items. A row that breaks the column contract, names an unknown source, writes a
term end or territory that cannot be read, or carries a negative usage weight stops the scan (DuckDB's
``error()``): nothing is kept of the output, and the offending rows are located by a second, slow query.
Every row read is in the listing (rows read = rows evaluated; no row is ever set aside in a delivery).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from aireport.engine.backend import Backend
from aireport.engine.compile import FieldResolver, Params, compile_condition, quote_ident
from aireport.engine.scan import ITEM_ALIAS, LICENCE_ALIAS, SOURCE_ALIAS, reject_reason_sql, reject_reasons
from aireport.engine.tables import (
    ITEM_LICENCES_TABLE,
    SOURCES_TABLE,
    LicenceResolver,
    create_item_licence_table,
    create_sources_table,
)
from aireport.errors import InputError, Problem
from aireport.load.items import ItemScan
from aireport.models.fields import FIELDS
from aireport.models.provenance import ITEM_COLUMNS_BY_NAME, Source
from aireport.models.rules import RulePack, Scope

VERDICT_TERMS = ("commercial_use", "ai_training", "redistribution", "attribution")
"""The licence's class verdicts carried into the listing (share_alike stays in the packs' findings)."""

LISTING_COLUMNS = (
    "item_id",
    "content_hash",
    "source_id",
    "creator",
    "rights_holder",
    "licence",
    *VERDICT_TERMS,
    "cleared",
    "reasons",
    "size_bytes",
    "usage_weight",
)
"""The columns of the clearance listing, in order (docs/clearance.md)."""

TERRITORY = re.compile(r"[A-Z]{2}")
_TERRITORY_SQL = "worldwide|[A-Z]{2}(;[A-Z]{2})*"
_DATE_SQL = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class ClearanceParams:
    """What a clearance depends on besides the data: the date licences must be in term on, and the territory."""

    date: dt.date
    territories: tuple[str, ...] = ("worldwide",)  # or ISO 3166-1 alpha-2 codes, every one of which must be covered


def parse_territories(value: str) -> tuple[str, ...]:
    """``worldwide`` or comma-separated ISO 3166-1 alpha-2 codes (upper case), as --territory takes them."""
    parts = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    if parts == ("worldwide",):
        return parts
    bad = [p for p in parts if not TERRITORY.fullmatch(p)]
    if bad or not parts:
        raise InputError(
            [
                Problem(
                    "--territory",
                    f"found {', '.join(repr(b) for b in bad) or 'nothing'}; allowed: worldwide, or ISO 3166-1 "
                    "alpha-2 codes in capitals separated by commas (e.g. CN,HK)",
                )
            ]
        )
    return tuple(sorted(parts))


# --- the per-item SELECT -----------------------------------------------------------------------------------------


def _column(scan: ItemScan, name: str) -> str:
    """An item column, or a typed NULL when the manifests do not carry it (an absent column is missing evidence)."""
    if name in scan.columns:
        return f"{ITEM_ALIAS}.{quote_ident(name)}"
    return f"CAST(NULL AS {ITEM_COLUMNS_BY_NAME[name].type})"


def _text(scan: ItemScan, name: str) -> str:
    """A text column with '' read as empty (a CSV's blank cell)."""
    return f"NULLIF({_column(scan, name)}, '')"


def _derived(scan: ItemScan, params: ClearanceParams, bind: Params) -> dict[str, str]:
    term = _text(scan, "license_term_end")
    territory = _text(scan, "license_territory")
    if params.territories == ("worldwide",):
        covered = f"{territory} = 'worldwide'"
    else:
        codes = bind.bind(list(params.territories))
        covered = f"({territory} = 'worldwide' OR list_has_all(string_split({territory}, ';'), {codes}))"
    return {
        "delivery.licence_in_term": (
            f"(CASE WHEN {term} IS NULL THEN NULL WHEN {term} = 'perpetual' THEN TRUE "
            f"ELSE CAST(try_strptime({term}, '%Y-%m-%d') AS DATE) >= CAST({bind.bind(params.date.isoformat())} AS DATE)"
            " END)"
        ),
        "delivery.territory_covered": f"(CASE WHEN {territory} IS NULL THEN NULL ELSE {covered} END)",
    }


def _resolver(scan: ItemScan, derived: dict[str, str]) -> FieldResolver:
    columns: dict[str, tuple[str, str]] = {}
    for name, info in FIELDS[Scope.ITEM].items():
        if name in derived:
            columns[name] = (derived[name], info.type)
        elif name.startswith("source."):
            columns[name] = (f"{SOURCE_ALIAS}.{quote_ident(name.removeprefix('source.'))}", info.type)
        else:
            columns[name] = (_column(scan, name), info.type)
    has_licence = "license" in scan.columns

    def licence_term(name: str, term: str) -> str:
        if name == "license":
            return f"{LICENCE_ALIAS}.{quote_ident(term)}" if has_licence else "CAST(NULL AS BOOLEAN)"
        return f"{SOURCE_ALIAS}.{quote_ident(name.removeprefix('source.') + '.' + term)}"

    return FieldResolver(columns, licence_term)


EXTRA_REASONS = (
    "source_id: not in the source inventory",
    "license_term_end: not YYYY-MM-DD or perpetual",
    "license_territory: not worldwide or ISO 3166-1 alpha-2 codes separated by ';'",
    "usage_weight: negative",
)


def bad_row_sql(scan: ItemScan, bind: Params) -> tuple[str, list[str]]:
    """The first broken rule of a row as a number (0: a good row), and the reasons by number - 1."""
    base = reject_reason_sql(scan, bind)  # CASE ... ELSE 0 END over item_id, source_id and enumerations
    reasons = [*reject_reasons(scan), *EXTRA_REASONS]
    k = len(reject_reasons(scan))
    term, territory = _text(scan, "license_term_end"), _text(scan, "license_territory")
    extra = [
        f"WHEN {SOURCE_ALIAS}.source_id IS NULL THEN {k + 1}",
        f"WHEN {term} IS NOT NULL AND {term} <> 'perpetual' AND NOT (regexp_full_match({term}, '{_DATE_SQL}') "
        f"AND try_strptime({term}, '%Y-%m-%d') IS NOT NULL) THEN {k + 2}",
        f"WHEN {territory} IS NOT NULL AND NOT regexp_full_match({territory}, '{_TERRITORY_SQL}') THEN {k + 3}",
        f"WHEN {_column(scan, 'usage_weight')} < 0 THEN {k + 4}",
    ]
    sql = f"(CASE WHEN {base} <> 0 THEN {base} {' '.join(extra)} ELSE 0 END)"
    return sql, reasons


def _from(scan: ItemScan) -> str:
    joins = f" LEFT JOIN {SOURCES_TABLE} AS {SOURCE_ALIAS} ON {SOURCE_ALIAS}.source_id = {ITEM_ALIAS}.source_id"
    if "license" in scan.columns:
        joins += (
            f" LEFT JOIN {ITEM_LICENCES_TABLE} AS {LICENCE_ALIAS} ON {LICENCE_ALIAS}.license = {ITEM_ALIAS}.license"
        )
    return f"{scan.from_clause()} AS {ITEM_ALIAS}{joins}"


def listing_sql(scan: ItemScan, pack: RulePack, params: ClearanceParams) -> tuple[str, dict[str, Any]]:
    """SELECT of the listing: one row per item, in no particular order; a bad row raises inside DuckDB."""
    bind = Params()
    derived = _derived(scan, params, bind)
    resolver = _resolver(scan, derived)
    bad, _ = bad_row_sql(scan, bind)
    item_licence = _text(scan, "license")
    licence = f"coalesce({item_licence}, {SOURCE_ALIAS}.license)"
    terms = [
        f"(CASE WHEN {item_licence} IS NOT NULL THEN {resolver.licence_term('license', t)} "
        f"ELSE {resolver.licence_term('source.license', t)} END) AS {t}"
        for t in VERDICT_TERMS
    ]
    tests = []
    fails, unknowns = [], []
    for index, rule in enumerate(r for r in pack.rules if r.scope is Scope.ITEM and r.implementation == "condition"):
        applies = "TRUE" if rule.applies_if is None else compile_condition(rule.applies_if, resolver, bind)
        holds = compile_condition(rule.condition_tree, resolver, bind)
        tests.append(f"(({applies}) IS TRUE) AS a{index}, ({holds}) AS h{index}")
        code = bind.bind(rule.id)
        fails.append(f"CASE WHEN a{index} AND h{index} IS FALSE THEN {code} END")
        unknowns.append(f"CASE WHEN a{index} AND h{index} IS NULL THEN {code} END")
    if not tests:
        raise InputError([Problem(pack.manifest.id, "the clearance pack has no item rule", field="--pack")])
    no = f"[x FOR x IN [{', '.join(fails)}] IF x IS NOT NULL]"
    unknown = f"[x FOR x IN [{', '.join(unknowns)}] IF x IS NOT NULL]"
    rows = (
        f"SELECT {ITEM_ALIAS}.item_id AS item_id, {_column(scan, 'content_hash')} AS content_hash, "
        f"{ITEM_ALIAS}.source_id AS source_id, {_text(scan, 'creator')} AS creator, "
        f"{_text(scan, 'rights_holder')} AS rights_holder, {licence} AS licence, {', '.join(terms)}, "
        f"{_column(scan, 'size_bytes')} AS size_bytes, {_column(scan, 'usage_weight')} AS usage_weight, "
        f"{bad} AS bad, {', '.join(tests)} FROM {_from(scan)}"
    )
    verdicts = (
        f"SELECT *, {no} AS no_reasons, {unknown} AS unknown_reasons FROM rows "
        "WHERE bad = 0 OR error('aireport: an item row breaks the column contract')"
    )
    select = (
        f"WITH rows AS ({rows}), verdicts AS ({verdicts}) "
        "SELECT item_id, content_hash, source_id, creator, rights_holder, licence, "
        f"{', '.join(VERDICT_TERMS)}, "
        "CASE WHEN len(no_reasons) > 0 THEN 'no' WHEN len(unknown_reasons) > 0 THEN 'unknown' ELSE 'yes' END "
        "AS cleared, "
        "CASE WHEN len(no_reasons) > 0 THEN no_reasons ELSE unknown_reasons END AS reasons, "
        "size_bytes, usage_weight FROM verdicts"
    )
    return select, bind.values


# --- running it --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """The written listing and what it took to write it."""

    path: Path
    rows: int  # rows read = rows in the listing


def prepare_tables(con: Backend, scan: ItemScan, sources: Sequence[Source], licences: LicenceResolver) -> None:
    """The sources table and, when items carry licences, the terms of every distinct licence (one narrow pass)."""
    create_sources_table(con, sources, licences)
    if "license" in scan.columns:
        expressions = [row[0] for row in con.execute(f"SELECT DISTINCT license FROM {scan.from_clause()}").fetchall()]
        create_item_licence_table(con, expressions, licences)


def write_listing(
    con: Backend,
    scan: ItemScan,
    sources: Sequence[Source],
    licences: LicenceResolver,
    pack: RulePack,
    params: ClearanceParams,
    out: Path,
) -> Listing:
    """The clearance listing of every item as zstd Parquet at ``out`` (the caller moves it into place)."""
    try:
        prepare_tables(con, scan, sources, licences)
        sql, values = listing_sql(scan, pack, params)
        target = "'" + str(out).replace("'", "''") + "'"
        con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)", values)
        row = con.execute(f"SELECT count(*) FROM read_parquet({target})").fetchone()
    except duckdb.Error as exc:
        out.unlink(missing_ok=True)
        if "aireport: an item row breaks" in str(exc):
            raise InputError(locate_bad_rows(con, scan, limit=20)) from None
        raise InputError([Problem("item manifests", f"the scan failed: {str(exc).strip().splitlines()[0]}")]) from None
    rows = int(row[0]) if row else 0
    if scan.row_count is not None and rows != scan.row_count:  # pragma: no cover - DuckDB dropped or added rows
        raise InputError([Problem("item manifests", f"read {scan.row_count:,} rows but listed {rows:,}")])
    return Listing(out, rows)


def locate_bad_rows(con: Backend, scan: ItemScan, limit: int) -> list[Problem]:
    """File, row, field, found and allowed of the first bad rows (the slow path: bad input only)."""
    bind = Params()
    bad, reasons = bad_row_sql(scan, bind)
    row_no = "file_row_number + 1" if scan.format == "parquet" else "row_number() OVER (PARTITION BY filename)"
    located = scan.from_clause(with_location=True)
    joins = f" LEFT JOIN {SOURCES_TABLE} AS {SOURCE_ALIAS} ON {SOURCE_ALIAS}.source_id = {ITEM_ALIAS}.source_id"
    sql = (
        f"WITH located AS (SELECT filename AS _file, {row_no} AS _row, * FROM {located}), "
        f"checked AS (SELECT {ITEM_ALIAS}.*, {bad} AS _bad FROM located AS {ITEM_ALIAS}{joins}) "
        f"SELECT * FROM checked WHERE _bad <> 0 ORDER BY _file, _row LIMIT {int(limit)}"
    )
    cursor = con.execute(sql, bind.values)
    rows = cursor.fetchall()
    names = [d[0] for d in cursor.description or []] if hasattr(cursor, "description") else []
    display = dict(zip((str(p) for p in scan.files), scan.displays, strict=True))
    problems = []
    for values in rows:
        rec = dict(zip(names, values, strict=True))
        shown = display.get(str(rec["_file"]), str(rec["_file"]))
        problems.append(_problem(shown, int(rec["_row"]), reasons[int(rec["_bad"]) - 1], rec))
    return problems or [Problem("item manifests", "a row breaks the column contract (not located)")]


def _problem(shown: str, row: int, reason: str, rec: dict[str, Any]) -> Problem:
    if reason.startswith("value not allowed: "):
        column = reason.removeprefix("value not allowed: ")
        allowed = ", ".join(ITEM_COLUMNS_BY_NAME[column].allowed or ())
        return Problem(shown, f"value {rec.get(column)!r} is not allowed; allowed: {allowed}", row=row, field=column)
    column, _, what = reason.partition(": ")
    found = rec.get(column)
    messages = {
        "empty": "is empty; every item needs an item_id and a source_id",
        "not in the source inventory": f"source {found!r} is not in the source inventory",
        "negative": f"value {found!r} is negative; allowed: a whole number >= 0",
    }
    message = messages.get(what, f"value {found!r} cannot be read; allowed: {what.removeprefix('not ')}")
    return Problem(shown, message, row=row, field=column)
