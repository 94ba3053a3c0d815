"""Physical line numbers for the rows DuckDB read from text files, and JSON Lines checked line by line.

DuckDB numbers nothing a person can find in a text file: its CSV reject table counts records (a quoted cell
spanning three lines is one), and the rows it returns carry no number at all. On the slow path (bad input
only) the file is read again here, record by record with the same dialect, and each row DuckDB returned is
matched to the line it starts on: a rejected record by its record number, a returned row by its position
among the rows returned (``WITH ORDINALITY`` over one file, read on one thread). The row's id is compared
with the file's, so a mismatch is never reported as a line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.guards import jsonfile
from aireport.load.yamlfile import kind_of

_JSON_SPACE = b" \t\r\n"

_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_PARSE_ERRORS = {
    "CAST": "a value does not convert to its column's type",
    "MISSING COLUMNS": "too few cells",
    "TOO MANY COLUMNS": "too many cells",
    "UNQUOTED VALUE": "a quote is not closed, or text follows a closing quote",
    "INVALID ENCODING": "not UTF-8 text",
    "INVALID UNICODE": "not UTF-8 text",
    "LINE SIZE OVER MAXIMUM": "the line is longer than the reader accepts",
}


def parse_error_text(kind: str, message: str) -> str:
    """What a CSV row's rejection means, from DuckDB's error type and message."""
    what = _PARSE_ERRORS.get(kind, kind.lower())
    counts = _COUNTS.search(message)
    if counts:
        return f"{what}: {counts.group(2)} of the header's {counts.group(1)} columns"
    if kind == "CAST":
        return " ".join(message.split())[:160]
    return what


@dataclass(frozen=True)
class CsvLines:
    rejected: dict[int, int]  # DuckDB record number (header = 1, blank lines counted) -> physical line
    returned: dict[int, tuple[int, str]]  # position among the rows DuckDB returned -> (line, the item_id cell)


def _records(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(record number, first physical line, cells) of every record, blank lines included as []."""
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 30)  # a long cell is DuckDB's to judge, not a reason to lose count here
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            reader = csv.reader(handle, delimiter=",", quotechar='"', doublequote=True)
            start = 1
            number = 0
            try:
                for cells in reader:
                    number += 1
                    yield number, start, cells
                    start = reader.line_num + 1
            except csv.Error:
                return  # the rest is one broken record: DuckDB rejected it, and nothing after it maps
    finally:
        csv.field_size_limit(limit)


def csv_lines(path: Path, rejected: Collection[int], returned: Collection[int], id_column: int | None) -> CsvLines:
    """Lines of the records DuckDB rejected and of the rows it returned (by position, from 1)."""
    want_rejected, want_returned = set(rejected), set(returned)
    found_rejected: dict[int, int] = {}
    found_returned: dict[int, tuple[int, str]] = {}
    position = 0
    for number, line, cells in _records(path):
        if number in want_rejected:
            found_rejected[number] = line
        elif number > 1 and cells:
            position += 1
            if position in want_returned:
                cell = cells[id_column] if id_column is not None and id_column < len(cells) else ""
                found_returned[position] = (line, cell)
        if len(found_rejected) == len(want_rejected) and len(found_returned) == len(want_returned):
            break
    return CsvLines(found_rejected, found_returned)


def jsonl_lines(path: Path, returned: Collection[int]) -> dict[int, int]:
    """Physical line of the k-th line holding anything but JSON whitespace (DuckDB skips the others)."""
    wanted = set(returned)
    found: dict[int, int] = {}
    position = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip(_JSON_SPACE):
                continue
            position += 1
            if position in wanted:
                found[position] = number
                if len(found) == len(wanted):
                    break
    return found


def jsonl_problems(path: Path, shown: str, limit: int = 20) -> list[Problem]:
    """Lines that are not a JSON object aireport can read: not UTF-8, not JSON, a key given twice, NaN, too
    deep, not an object. The first ``limit``, each with its line."""
    problems: list[Problem] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip(_JSON_SPACE):
                continue
            problem = _line_problem(raw, shown)
            if problem is not None:
                problems.append(Problem(shown, problem, line=number))
                if len(problems) >= limit:
                    break
    return problems


def _line_problem(raw: bytes, shown: str) -> str | None:
    try:
        value = jsonfile.loads(raw, shown)
    except InputError as exc:
        return exc.problems[0].message
    if not isinstance(value, dict):
        found = "an array" if isinstance(value, list) else kind_of(value)
        return f"a line must hold one JSON object, found {found}"
    return None
