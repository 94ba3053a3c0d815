"""A reviewed sample file (XLSX, CSV or Parquet written by ``aireport sample``), read and checked.

Every problem names the file, the line (CSV), the sheet row (XLSX; the header is row 1) or the row
(Parquet) and the column:
unknown or empty verdicts, unknown risk codes, an unqualified item without a risk code, duplicate rows, and
item ids that differ from the sample re-drawn from the seed (missing and extra ids are listed).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from aireport.errors import InputError, Problem
from aireport.guards.cells import from_inert
from aireport.guards.text import decode
from aireport.models.cn.sample import VERDICT_ALIASES, DrawnSample, ReviewedRow, ReviewVerdict, SampleKind

REQUIRED_COLUMNS = ("item_id", "source_id", "sample", "verdict", "risk_code")
LISTED = 20  # missing or extra ids named one by one; the rest are counted
Located = tuple[dict[str, int], dict[str, Any]]


def _xlsx(path: Path, display: str) -> tuple[list[str], Iterator[Located]]:
    """Rows numbered as the spreadsheet shows them (the header is row 1)."""
    from openpyxl import load_workbook  # noqa: PLC0415  # only a reviewed XLSX file needs it

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = wb["sample"] if "sample" in wb.sheetnames else wb.worksheets[0]
        table = list(sheet.iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(c).strip() if c is not None else "" for c in (table[0] if table else ())]
    while header and not header[-1]:
        header.pop()
    _check_header(header, display, {"row": 1})

    def rows() -> Iterator[Located]:
        for number, values in enumerate(table[1:], start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue  # spreadsheet programs leave formatted but empty rows behind
            yield {"row": number}, dict(zip(header, values, strict=False))

    return header, rows()


def _csv(path: Path, display: str) -> tuple[list[str], Iterator[Located]]:
    """Rows at their physical lines; ``#`` comment lines (the method) skipped, inert cells read back."""
    text = decode(path.read_bytes(), display).removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip('"').startswith("#"):
        skipped += 1
    reader = csv.reader(io.StringIO("".join(lines[skipped:]), newline=""))
    header = [h.strip() for h in next(reader, [])]
    _check_header(header, display, {"line": skipped + 1})

    def rows() -> Iterator[Located]:
        start = reader.line_num + 1
        for values in reader:
            where = {"line": skipped + start}
            start = reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                message = f"{len(values)} cells in a row of {len(header)} columns"
                raise InputError([Problem(display, message, line=where["line"])])
            yield where, {k: from_inert(v) for k, v in zip(header, values, strict=True)}

    return header, rows()


def _parquet(path: Path, display: str) -> tuple[list[str], Iterator[Located]]:
    import pyarrow.parquet as pq  # noqa: PLC0415  # only a reviewed Parquet file needs it

    table = pq.read_table(path)
    header = list(table.column_names)
    _check_header(header, display, {})
    return header, (({"row": index}, record) for index, record in enumerate(table.to_pylist(), start=1))


def _check_header(header: list[str], display: str, where: dict[str, int]) -> None:
    twice = sorted({name for name in header if name and header.count(name) > 1})
    if twice:
        raise InputError(
            [
                Problem(
                    display, f"column {name!r} appears {header.count(name)} times in the header", field=name, **where
                )
                for name in twice
            ]
        )


_READERS = {".xlsx": _xlsx, ".csv": _csv, ".parquet": _parquet}


def _exact(value: Any) -> str:
    return "" if value is None else str(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_reviewed(path: Path, display: str, risk_codes: Collection[str]) -> list[ReviewedRow]:
    """Every row of the reviewed file, or an InputError listing every problem found."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError([Problem(display, "unsupported reviewed file; allowed: .xlsx, .csv, .parquet")])
    if not path.is_file():
        raise InputError([Problem(display, "file not found")])
    canonical = {c.lower(): c for c in risk_codes}
    problems: list[Problem] = []
    rows: list[ReviewedRow] = []
    try:
        header, located = reader(path, display)
        records = list(located)
    except InputError:
        raise
    except Exception as exc:  # openpyxl, pyarrow and csv each raise their own errors for a damaged file
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError([Problem(display, f"cannot read: {message}")]) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        where = {"row": 1} if path.suffix.lower() == ".xlsx" else {"line": 1} if path.suffix.lower() == ".csv" else {}
        raise InputError([Problem(display, "required column is missing", field=c, **where) for c in missing])
    if not records:
        raise InputError([Problem(display, "the file has no rows to review")])
    for where, record in records:
        row, found = _row(record, canonical, display, where)
        problems += found
        if row is not None:
            rows.append(row)
    if problems:
        raise InputError(problems)
    return rows


def _row(
    record: dict[str, Any], canonical: dict[str, str], display: str, where: dict[str, int]
) -> tuple[ReviewedRow | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(display, message, field=field, **where))

    # Ids are compared exactly as drawn (a space or a tab may be part of one); other cells are trimmed.
    item_id, source_id = _exact(record.get("item_id")), _exact(record.get("source_id"))
    for name, value in (("item_id", item_id), ("source_id", source_id)):
        if not value:
            bad(name, "empty")
    sample_text = _text(record.get("sample"))
    sample = next((k for k in SampleKind if k.value == sample_text), None)
    if sample is None:
        bad("sample", f"found {sample_text!r}; allowed: per_source, corpus")
    verdict_text = _text(record.get("verdict"))
    verdict = VERDICT_ALIASES.get(verdict_text.lower()) or VERDICT_ALIASES.get(verdict_text)
    if verdict is None:
        found = repr(verdict_text) if verdict_text else "nothing (not reviewed)"
        bad("verdict", f"found {found}; allowed: qualified, unqualified (合格, 不合格)")
    codes = [c.strip() for c in _text(record.get("risk_code")).replace(",", ";").split(";") if c.strip()]
    unknown = [c for c in codes if c.lower() not in canonical]
    if unknown:
        bad(
            "risk_code",
            f"unknown risk code {', '.join(repr(c) for c in unknown)}; allowed: the 31 Appendix A codes "
            "A.1.a-h, A.2.a-i, A.3.a-e, A.4.a-g, A.5.a-b",
        )
    if verdict is ReviewVerdict.UNQUALIFIED and not codes:
        bad("risk_code", "an unqualified item needs the Appendix A risk code it contains")
    if verdict is ReviewVerdict.QUALIFIED and codes:
        bad(
            "risk_code",
            "a qualified item contains none of the Appendix A risks; remove the code or mark it unqualified",
        )
    if problems or sample is None or verdict is None:
        return None, problems
    return (
        ReviewedRow(
            item_id=item_id,
            source_id=source_id,
            sample=sample,
            verdict=verdict,
            risk_codes=[canonical[c.lower()] for c in codes],
            **where,
        ),
        [],
    )


def _where(row: ReviewedRow) -> dict[str, int]:
    return {"line": row.line} if row.line is not None else {"row": row.row or 0}


def check_against_draw(rows: list[ReviewedRow], drawn: DrawnSample, display: str) -> None:
    """The reviewed rows must be exactly the drawn sample: same (sample, item_id) pairs, each once."""
    problems: list[Problem] = []
    counts = Counter((r.sample, r.item_id) for r in rows)
    reported: set[tuple[SampleKind, str]] = set()
    for row in rows:
        key = (row.sample, row.item_id)
        if counts[key] > 1 and key not in reported:
            reported.add(key)
            places = [r.line if r.line is not None else r.row for r in rows if (r.sample, r.item_id) == key]
            kind = "lines" if row.line is not None else "rows"
            problems.append(
                Problem(
                    display,
                    f"duplicate row: item {row.item_id} in sample {row.sample.value} appears {counts[key]} times "
                    f"({kind} {', '.join(str(p) for p in places)})",
                    field="item_id",
                    **_where(row),
                )
            )
    expected = {(r.sample, r.item_id): r for r in drawn.rows}
    extra = [r for r in rows if (r.sample, r.item_id) not in expected]
    missing = [r for key, r in expected.items() if key not in counts]
    for row in extra[:LISTED]:
        problems.append(
            Problem(
                display,
                f"item {row.item_id} is not in the {row.sample.value} sample drawn with seed {drawn.spec.seed}",
                field="item_id",
                **_where(row),
            )
        )
    if len(extra) > LISTED:
        problems.append(Problem(display, f"... and {len(extra) - LISTED} more rows not in the drawn sample"))
    for drawn_row in missing[:LISTED]:
        problems.append(
            Problem(
                display,
                f"item {drawn_row.item_id} (source {drawn_row.source_id}, rank {drawn_row.rank}) of the "
                f"{drawn_row.sample.value} sample is missing from the file",
                field="item_id",
            )
        )
    if len(missing) > LISTED:
        problems.append(Problem(display, f"... and {len(missing) - LISTED} more drawn items missing from the file"))
    for row in rows:
        match = expected.get((row.sample, row.item_id))
        if match is not None and match.source_id != row.source_id:
            problems.append(
                Problem(
                    display,
                    f"item {row.item_id} belongs to source {match.source_id}, found {row.source_id!r}",
                    field="source_id",
                    **_where(row),
                )
            )
    verdicts: dict[str, set[ReviewVerdict]] = defaultdict(set)
    for row in rows:
        verdicts[row.item_id].add(row.verdict)
    for item in sorted(i for i, v in verdicts.items() if len(v) > 1):
        first = next(r for r in rows if r.item_id == item)
        problems.append(
            Problem(
                display,
                f"item {item} is in both samples with different verdicts; review it once and copy the verdict",
                field="verdict",
                **_where(first),
            )
        )
    if problems:
        raise InputError(problems)
