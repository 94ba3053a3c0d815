"""Licence values that do not parse, located and counted: never a silent missing evidence.

The engine already reads the distinct licence strings of the inventory and of the item manifests (to
build the licence tables). Each that does not parse after the alias table becomes one warning: the
value, why, its first file and row, and how many rows carry it, so a million rows with one bad string
give one line. Locating costs one grouped query over the licence column, and only when a value is bad.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from aireport.engine.backend import Backend
from aireport.engine.tables import LicenceResolver, licence_problems
from aireport.load.items import ItemScan
from aireport.models.provenance import Source
from aireport.models.results import InputWarning

ALLOWED = (
    "an SPDX licence expression (ids joined by AND, OR, WITH, in parentheses), LicenseRef-* ids, or a spelling "
    "of rules/licences.yaml's alias table; declare a custom licence under licences in the manifest"
)

Where = tuple[str, dict[str, int]]


def source_licence_warnings(
    resolver: LicenceResolver, sources: Sequence[Source], locate: Mapping[str, Where] | None
) -> list[InputWarning]:
    """One warning per distinct inventory licence that does not parse, at its first source."""
    problems = licence_problems(resolver, (s.license for s in sources))
    out = []
    for value, reason in problems.items():
        carrying = [s.source_id for s in sources if s.license == value]
        shown, where = (locate or {}).get(carrying[0], ("sources", {}))
        out.append(
            InputWarning(
                kind="licence",
                file=shown,
                line=where.get("line"),
                row=where.get("row"),
                column="license",
                value=value,
                reason=f"{reason} (source {carrying[0]})",
                allowed=ALLOWED,
                rows=len(carrying),
            )
        )
    return out


Located = dict[str, tuple[str, int | None, int]]


def item_licence_warnings(
    con: Backend,
    scan: ItemScan,
    resolver: LicenceResolver,
    values: Iterable[str | None],
    locate: Callable[[list[str]], Located] | None = None,
) -> list[InputWarning]:
    """One warning per distinct item licence that does not parse, at its first file and row (found by
    ``locate``, by default a query over the files)."""
    problems = licence_problems(resolver, values)
    if not problems:
        return []
    bad = sorted(problems)
    located = locate(bad) if locate is not None else _locate(con, scan, bad)
    out = []
    for value in bad:
        shown, row, rows = located.get(value, ("item manifests", None, 0))
        out.append(
            InputWarning(
                kind="licence",
                file=shown,
                row=row,
                column="license",
                value=value,
                reason=problems[value],
                allowed=ALLOWED,
                rows=max(rows, 1),
            )
        )
    return out


def _locate(con: Backend, scan: ItemScan, values: list[str]) -> Located:
    """value -> (first file, first 1-based data row in it, rows carrying it in all files)."""
    marks = ", ".join("?" for _ in values)
    if con.name != "duckdb":  # Spark reads the files its own way: counted, not located
        rows = con.execute(
            f"SELECT license, count(*) FROM {con.items_relation(scan)} WHERE license IN ({marks}) GROUP BY license",
            values,
        ).fetchall()
        return {str(v): ("item manifests", None, int(n)) for v, n in rows}
    if scan.format == "parquet":
        per_file = con.execute(
            f"SELECT license, filename, count(*), min(file_row_number) + 1 FROM "
            f"{scan.from_clause(with_location=True)} WHERE license IN ({marks}) GROUP BY license, filename",
            values,
        ).fetchall()
    else:
        # Text readers give no row number: count the rows of each file in its own order.
        con.execute("SET preserve_insertion_order = true")
        try:
            per_file = con.execute(
                f"WITH numbered AS (SELECT license, filename, row_number() OVER (PARTITION BY filename) AS row_no "
                f"FROM {scan.from_clause(with_location=True)}) "
                f"SELECT license, filename, count(*), min(row_no) FROM numbered WHERE license IN ({marks}) "
                f"GROUP BY license, filename",
                values,
            ).fetchall()
        finally:
            con.execute("SET preserve_insertion_order = false")
    return located_per_file(scan, per_file)


def located_per_file(scan: ItemScan, per_file: Sequence[Sequence[Any]]) -> Located:
    """(value, file path, rows, first row) per file -> value -> (first file, its first row, rows in all files)."""
    order = {str(path): index for index, path in enumerate(scan.files)}
    shown = dict(zip((str(p) for p in scan.files), scan.displays, strict=True))
    out: Located = {}
    for value, filename, count, first in sorted(per_file, key=lambda r: (str(r[0]), order.get(str(r[1]), 0))):
        key = str(value)
        if key in out:
            file, row, total = out[key]
            out[key] = (file, row, total + int(count))
        else:
            out[key] = (shown.get(str(filename), str(filename)), int(first), int(count))
    return out
