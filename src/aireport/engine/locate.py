"""The slow path, taken only on bad input: find the file and row of each offending item."""

from __future__ import annotations

import duckdb

from aireport.engine.compile import Params
from aireport.engine.scan import reject_reason_sql, reject_reasons
from aireport.errors import Problem
from aireport.load.items import ItemScan
from aireport.models.provenance import ITEM_COLUMNS_BY_NAME


def locate_bad_rows(
    con: duckdb.DuckDBPyConnection,
    items: ItemScan,
    known: list[str],
    unknown: list[str],
    limit: int,
) -> list[Problem]:
    con.execute("SET preserve_insertion_order = true")  # row numbers must mean the file's own order
    problems = _csv_parse_errors(con, items, limit)
    params = Params()
    reason = reject_reason_sql(items, params)
    known_list = ", ".join(params.bind(k) for k in known) or "NULL"
    row = "file_row_number + 1" if items.format == "parquet" else "row_number() OVER (PARTITION BY filename)"
    sql = (
        f"WITH located AS (SELECT filename, {row} AS row_no, i.* FROM {items.from_clause(with_location=True)} AS i), "
        f"checked AS (SELECT filename, row_no, item_id, source_id, {reason} AS reject, "
        f"source_id NOT IN ({known_list}) AS unknown_source, * EXCLUDE (filename, row_no, item_id, source_id) "
        f"FROM located AS i) "
        f"SELECT filename, row_no, item_id, source_id, reject, unknown_source, * EXCLUDE "
        f"(filename, row_no, item_id, source_id, reject, unknown_source) FROM checked "
        f"WHERE reject <> 0 OR (unknown_source AND source_id IS NOT NULL) "
        f"ORDER BY filename, row_no LIMIT {int(limit)}"
    )
    cursor = con.execute(sql, params.values)
    columns = [d[0] for d in cursor.description or []]
    display = dict(zip((str(p) for p in items.files), items.displays, strict=True))
    allowed_known = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
    reasons = reject_reasons(items)
    for values in cursor.fetchall():
        rec = dict(zip(columns, values, strict=True))
        shown = display.get(str(rec["filename"]), str(rec["filename"]))
        where = {"row": int(rec["row_no"])}
        if rec["reject"]:
            problems.append(_reject_problem(shown, where, reasons[int(rec["reject"]) - 1], rec))
        else:
            problems.append(
                Problem(
                    shown,
                    f"source {rec['source_id']!r} is not in the source inventory; known sources: {allowed_known}",
                    field="source_id",
                    **where,
                )
            )
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


def _reject_problem(shown: str, where: dict[str, int], reason: str, rec: dict[str, object]) -> Problem:
    if reason.startswith("value not allowed: "):
        column = reason.removeprefix("value not allowed: ")
        allowed = ", ".join(ITEM_COLUMNS_BY_NAME[column].allowed or ())
        return Problem(
            shown,
            f"value {rec.get(column)!r} is not allowed; allowed: {allowed}",
            field=column,
            **where,
        )
    column = reason.split(":", maxsplit=1)[0]
    return Problem(shown, "is empty; every item needs an item_id and a source_id", field=column, **where)


def _csv_parse_errors(con: duckdb.DuckDBPyConnection, items: ItemScan, limit: int) -> list[Problem]:
    if items.format != "csv":
        return []
    try:
        rows = con.execute(
            "SELECT DISTINCT s.file_path, e.line, e.column_name, e.error_message FROM reject_errors e "
            "JOIN reject_scans s USING (scan_id, file_id) ORDER BY s.file_path, e.line LIMIT ?",
            [limit],
        ).fetchall()
    except duckdb.Error:
        return []
    display = dict(zip((str(p) for p in items.files), items.displays, strict=True))
    return [
        Problem(
            display.get(str(path), str(path)),
            f"row does not parse: {message}",
            line=int(line),
            field=column,
        )
        for path, line, column, message in rows
    ]
