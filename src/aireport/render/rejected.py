"""Every rejected item row as CSV (``rejected-rows.csv``): file, line, row, field, reason, in file order.

The result and the findings document list the first hundred; this file lists all of them (at most
``--max-rejected-rows``, since more stop the run). Cells are written inert (a file name or a value quoted in
a reason may start with ``=``), UTF-8 with LF line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from aireport.guards.cells import inert
from aireport.models.results import RejectedRow

HEADER = ("file", "line", "row", "field", "reason")


def rejected_rows_csv(rows: Sequence[RejectedRow]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([inert(r.file), r.line or "", r.row or "", inert(r.field or ""), inert(r.reason)])
    return out.getvalue().encode("utf-8")
