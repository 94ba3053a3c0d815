"""The slow path, taken only on bad input: the file and line (or Parquet row) of each offending item row.

Parquet rows are numbered by the file (``file_row_number``). A text file is read again on one thread, with
each row's position among the rows returned (``WITH ORDINALITY``); :mod:`aireport.load.lines` turns that
position, and the record number of a row the CSV reader rejected, into the physical line a person opens the
file at: a quoted cell spanning lines, blank lines and earlier rejected rows all counted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from aireport.engine.compile import Params
from aireport.engine.scan import reject_reason_sql, reject_reasons
from aireport.errors import Problem
from aireport.load.items import ItemScan
from aireport.load.lines import csv_lines, jsonl_lines, parse_error_text
from aireport.models.provenance import ITEM_COLUMNS_BY_NAME


@dataclass(frozen=True)
class _Row:
    """A row the query found, before its number becomes a line."""

    path: Path
    number: int  # Parquet: row in the file; text: position among the rows the reader returned
    values: dict[str, Any]


def locate_bad_rows(
    con: duckdb.DuckDBPyConnection,
    items: ItemScan,
    known: list[str],
    unknown: list[str],
    limit: int,
) -> list[Problem]:
    """Rows that break the column contract or name an unknown source, and CSV rows the reader rejected,
    in file and line order: the first ``limit``."""
    problems = _csv_parse_errors(con, items, limit)
    params = Params()
    reason = reject_reason_sql(items, params)
    known_list = ", ".join(params.bind(k) for k in known) or "NULL"
    test = f"({reason}) <> 0 OR (i.source_id NOT IN ({known_list}) AND i.source_id IS NOT NULL AND i.source_id <> '')"
    select = f"({reason}) AS reject, i.source_id NOT IN ({known_list}) AS unknown_source"
    allowed_known = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
    reasons = reject_reasons(items)
    for row, place in located_rows(con, items, test, select, params.values, limit):
        rec = row.values
        if rec["reject"]:
            problems.append(_reject_problem(place, reasons[int(rec["reject"]) - 1], rec))
        else:
            problems.append(
                replace(
                    place,
                    message=f"source {rec['source_id']!r} is not in the source inventory; known sources: "
                    f"{allowed_known}",
                    field="source_id",
                )
            )
    problems = sorted(problems, key=place_order)[:limit]
    if unknown:
        counts = con.execute(
            f"SELECT source_id, count(*) FROM {items.from_clause()} WHERE source_id IN "
            f"({', '.join('?' for _ in unknown)}) GROUP BY 1 ORDER BY 1",
            unknown,
        ).fetchall()
        problems += [
            Problem(
                "item manifests",
                f"{n} items name source {sid!r}, which the source inventory does not list",
                field="source_id",
            )
            for sid, n in counts
        ]
    return problems


def place_order(problem: Problem) -> tuple[str, int]:
    """Located rows are listed by file, then line (text) or row (Parquet)."""
    return problem.file, problem.line if problem.line is not None else (problem.row or 0)


@contextmanager
def _one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Rows in file order: one thread, insertion order kept; the settings are restored after."""
    row = con.execute("SELECT current_setting('threads'), current_setting('preserve_insertion_order')").fetchone()
    threads, order = (row[0], row[1]) if row else (1, True)
    con.execute("SET threads = 1")
    con.execute("SET preserve_insertion_order = true")
    try:
        yield
    finally:
        con.execute("SET threads = ?", [int(threads)])
        con.execute("SET preserve_insertion_order = ?", [bool(order)])


def located_rows(
    con: duckdb.DuckDBPyConnection,
    items: ItemScan,
    test: str,
    select: str,
    params: dict[str, Any] | Sequence[Any],
    limit: int,
) -> list[tuple[_Row, Problem]]:
    """Rows for which the SQL ``test`` holds (columns of ``i``), with ``select`` and item_id, source_id,
    and each row's place (file and line, or Parquet row) as an empty Problem: the first ``limit`` per file."""
    found: list[_Row] = []
    columns = f"i.item_id AS item_id, i.source_id AS source_id, {select}, i.*"
    with _one_thread(con):
        if items.format == "parquet":
            relation = items.from_clause(with_location=True)
            sql = (
                f"SELECT filename, file_row_number + 1 AS row_no, {columns} FROM {relation}"
                f" AS i WHERE {test} ORDER BY filename, row_no LIMIT {int(limit)}"
            )
            found += _rows(con, sql, params)
        else:
            for path in items.files:
                single = replace(items, files=(path,), displays=(str(path),))
                sql = (
                    f"SELECT filename, ordinality AS row_no, {columns} FROM {single.from_clause(with_location=True)}"
                    f" AS i WHERE {test} ORDER BY row_no LIMIT {int(limit)}"
                )
                found += _rows(con, sql, params)
    display = dict(zip((str(p) for p in items.files), items.displays, strict=True))
    return _places(con, items, found, display)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | Sequence[Any]) -> list[_Row]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description or []]
    out = []
    for values in cursor.fetchall():
        rec = dict(zip(names, values, strict=True))  # i.* repeats item_id and source_id: same values
        out.append(_Row(Path(str(rec["filename"])), int(rec["row_no"]), rec))
    return out


def _places(
    con: duckdb.DuckDBPyConnection, items: ItemScan, rows: list[_Row], display: dict[str, str]
) -> list[tuple[_Row, Problem]]:
    if items.format == "parquet":
        return [(r, Problem(display.get(str(r.path), str(r.path)), "", row=r.number)) for r in rows]
    out: list[tuple[_Row, Problem]] = []
    by_file: dict[Path, list[_Row]] = {}
    for row in rows:
        by_file.setdefault(row.path, []).append(row)
    for path, file_rows in by_file.items():
        shown = display.get(str(path), str(path))
        numbers = [r.number for r in file_rows]
        if items.format == "csv":
            header = list(items.header)
            mapped = csv_lines(
                path, _rejected_records(con, path), numbers, header.index("item_id") if "item_id" in header else None
            )
            for row in file_rows:
                line, cell = mapped.returned.get(row.number, (None, None))
                if line is not None and (cell or None) == (row.values.get("item_id") or None):
                    out.append((row, Problem(shown, "", line=line)))
                else:  # the file's records and DuckDB's rows disagree here: say which row, never a wrong line
                    out.append((row, Problem(shown, f"(row {row.number} of the rows read)", row=row.number)))
        else:
            lines = jsonl_lines(path, numbers)
            for row in file_rows:
                line = lines.get(row.number)
                out.append((row, Problem(shown, "", line=line, row=None if line else row.number)))
    return out


def _rejected_records(con: duckdb.DuckDBPyConnection, path: Path) -> list[int]:
    try:
        rows = con.execute(
            "SELECT DISTINCT e.line FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
            "WHERE s.file_path = ?",
            [str(path)],
        ).fetchall()
    except duckdb.Error:
        return []
    return [int(r[0]) for r in rows]


def _reject_problem(place: Problem, reason: str, rec: dict[str, Any]) -> Problem:
    column = reason.split(":", maxsplit=1)[0]
    if reason.startswith("value not allowed: "):
        column = reason.removeprefix("value not allowed: ")
        allowed = ", ".join(ITEM_COLUMNS_BY_NAME[column].allowed or ())
        message = f"value {rec.get(column)!r} is not allowed; allowed: {allowed}"
    elif reason.endswith(": empty"):
        message = "is empty; every item needs an item_id and a source_id"
    elif reason.endswith(": negative"):
        message = f"value {rec.get(column)!r} is negative; a size or duration is 0 or more"
    elif reason.endswith(": not a finite number"):
        message = f"value {rec.get(column)!r} is not a finite number"
    elif reason.endswith(": beyond 10^15"):
        message = f"value {rec.get(column)!r} is 10^15 or more; a duration is below that (its sums are exact to 10^-9)"
    elif reason.endswith(": beyond the 64-bit integers"):
        message = f"value {rec.get(column)} is beyond {2**63 - 1:,}, the largest the engine sums"
    else:  # a JSON Lines value of the wrong type (read as empty)
        message = f"the value is not {reason.split(': not ', 1)[-1]}"
    return replace(place, message=(message + " " + place.message).strip(), field=column)


def _csv_parse_errors(con: duckdb.DuckDBPyConnection, items: ItemScan, limit: int) -> list[Problem]:
    """Rows the CSV reader rejected (too few cells, a value that does not convert...), at their lines."""
    if items.format != "csv":
        return []
    # The reader rejects a row only when it converts its cells: hashing every column makes it convert all of
    # them (a count(*) converts none), so the reject table is complete whoever ran the scans before.
    con.execute(f"SELECT max(hash(t)) FROM {items.from_clause()} AS t").fetchall()
    try:
        rows = con.execute(
            "SELECT s.file_path, e.line, min(e.error_type), min(e.column_name), min(e.error_message) "
            "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
            "GROUP BY ALL ORDER BY 1, 2 LIMIT ?",
            [limit],
        ).fetchall()
    except duckdb.Error:
        return []
    display = dict(zip((str(p) for p in items.files), items.displays, strict=True))
    by_file: dict[str, list[tuple[int, str, str | None, str]]] = {}
    for path, record, kind, column, message in rows:
        by_file.setdefault(str(path), []).append((int(record), str(kind), column, str(message)))
    problems = []
    for path, records in by_file.items():
        lines = csv_lines(Path(path), [r[0] for r in records], [], None).rejected
        shown = display.get(path, path)
        for record, kind, column, message in records:
            what = parse_error_text(kind, message)
            where = {"line": lines[record]} if record in lines else {"row": record}
            field = column if kind == "CAST" else None
            problems.append(Problem(shown, f"row does not parse: {what}", field=field, **where))
    return problems
