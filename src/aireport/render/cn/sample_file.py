"""The reviewer's sample file: XLSX, CSV or Parquet, with the method written into the file.

Columns: ``item_id, source_id, sample, rank, hash_key`` (drawn) and ``verdict, risk_code, note`` (for the
reviewer, empty). XLSX adds a drop-down on ``verdict`` (qualified / unqualified) and on ``risk_code`` (the 31
Appendix A codes, listed with their Chinese and English names on the sheet ``risk_codes``) and a sheet
``method`` saying how to re-derive the sample. CSV starts with ``#`` comment lines carrying the same; Parquet
carries it as key-value metadata ``aireport.sample`` (JSON). Same sample, same bytes: timestamps are fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from aireport.errors import Problem, RenderError
from aireport.guards.cells import inert
from aireport.models.cn.profile import AppendixA
from aireport.models.cn.sample import METHOD_TEXT, DrawnSample

SAMPLE_COLUMNS = ("item_id", "source_id", "sample", "rank", "hash_key")
REVIEW_COLUMNS = ("verdict", "risk_code", "note")
FORMATS = ("xlsx", "csv", "parquet")
XLSX_MAX_ROWS = 1_048_575  # one row for the header
PARQUET_METADATA_KEY = b"aireport.sample"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class SampleContext:
    """What the file says about where the sample came from."""

    manifest: str
    manifest_sha256: str
    tool_version: str


def method_record(drawn: DrawnSample, context: SampleContext, appendix: AppendixA) -> dict[str, Any]:
    spec = drawn.spec
    return {
        "method": spec.method,
        "description_en": METHOD_TEXT.en,
        "description_zh": METHOD_TEXT.zh,
        "key": "first 16 hex digits of SHA-256(UTF-8(str(seed) + '\\x00' + item_id)); order by (key, item_id)",
        "python": "hashlib.sha256(f'{seed}\\x00{item_id}'.encode()).hexdigest()[:16]",
        "duckdb": "substr(sha256(CAST(seed AS VARCHAR) || chr(0) || item_id), 1, 16)",
        "seed": spec.seed,
        "per_source": spec.per_source,
        "corpus": spec.corpus,
        "rows_read": drawn.rows_read,
        "rows_in_frame": drawn.rows_in_frame,
        "rows_outside_frame": drawn.rows_outside_frame,
        "sources": [s.model_dump(mode="json") for s in drawn.sources],
        "manifest": context.manifest,
        "manifest_sha256": context.manifest_sha256,
        "tool": f"aireport {context.tool_version}",
        "verdict_values": ["qualified", "unqualified"],
        "risk_codes": appendix.codes,
        "review_instructions_en": (
            "Fill verdict (qualified = contains none of the 31 Appendix A risks) and, for unqualified items, "
            "risk_code (one code; several may be separated by ';' in CSV or Parquet). Do not add, remove or "
            "reorder rows' item_id, source_id or sample."
        ),
        "review_instructions_zh": (
            "填写 verdict（qualified 合格：不含附录A所列31种安全风险中的任何一种；unqualified 不合格）；"
            "不合格的语料填写 risk_code（风险代码；CSV 或 Parquet 中多个代码以分号分隔）。"
            "不得增删或修改 item_id、source_id、sample。"
        ),
    }


def _rows(drawn: DrawnSample) -> list[list[Any]]:
    return [[r.item_id, r.source_id, r.sample.value, r.rank, r.hash_key, None, None, None] for r in drawn.rows]


def csv_bytes(drawn: DrawnSample, context: SampleContext, appendix: AppendixA) -> bytes:
    record = method_record(drawn, context, appendix)
    out = io.StringIO(newline="")
    for key, value in record.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        out.write(f"# {key}: {text}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*SAMPLE_COLUMNS, *REVIEW_COLUMNS])
    for row in _rows(drawn):  # ids come from the item files: written inert (=, +, -, @ ... start no formula)
        writer.writerow(["" if v is None else inert(v) if isinstance(v, str) else v for v in row])
    # A byte-order mark so that spreadsheet programs read the Chinese text as UTF-8.
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def parquet_bytes(drawn: DrawnSample, context: SampleContext, appendix: AppendixA) -> bytes:
    rows = drawn.rows
    table = pa.table(
        {
            "item_id": pa.array([r.item_id for r in rows], pa.string()),
            "source_id": pa.array([r.source_id for r in rows], pa.string()),
            "sample": pa.array([r.sample.value for r in rows], pa.string()),
            "rank": pa.array([r.rank for r in rows], pa.int64()),
            "hash_key": pa.array([r.hash_key for r in rows], pa.string()),
            "verdict": pa.array([None] * len(rows), pa.string()),
            "risk_code": pa.array([None] * len(rows), pa.string()),
            "note": pa.array([None] * len(rows), pa.string()),
        }
    )
    record = json.dumps(method_record(drawn, context, appendix), ensure_ascii=False, sort_keys=True)
    table = table.replace_schema_metadata({PARQUET_METADATA_KEY: record.encode("utf-8")})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def xlsx_bytes(drawn: DrawnSample, context: SampleContext, appendix: AppendixA) -> bytes:
    if len(drawn.rows) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(drawn.rows)} rows do not fit in one XLSX sheet; write .csv or .parquet")
    unstorable = [r.item_id for r in drawn.rows if ILLEGAL_CHARACTERS_RE.search(r.item_id + r.source_id)]
    if unstorable:  # XLSX cannot hold C0 control characters; the reviewer's file must keep ids exactly
        raise RenderError(
            [
                Problem(
                    "--out",
                    f"item {unstorable[0]!r} (and {len(unstorable) - 1} more) holds a control character an XLSX "
                    "cell cannot store; write .csv or .parquet",
                )
            ]
        )
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "sample"
    header = [*SAMPLE_COLUMNS, *REVIEW_COLUMNS]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(drawn):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                _text_cell(cell)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGH", (20, 20, 12, 8, 20, 14, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    last = len(drawn.rows) + 1

    codes = wb.create_sheet("risk_codes")
    codes.append(["risk_code", "class", "class_zh", "class_en", "name_zh", "name_en"])
    for risk_class, risk in appendix.risks:
        codes.append([risk.code, risk_class.code, risk_class.zh, risk_class.en, risk.zh, risk.en])
    for cell in codes[1]:
        cell.font = Font(bold=True)

    verdict = DataValidation(
        type="list",
        formula1='"qualified,unqualified"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="verdict",
        error="qualified (合格) or unqualified (不合格)",
    )
    risk_list = DataValidation(
        type="list",
        formula1=f"=risk_codes!$A$2:$A${len(appendix.codes) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="risk_code",
        error="One Appendix A risk code (A.1.a ... A.5.b), see sheet risk_codes / 附录A风险代码见 risk_codes 表",
    )
    sheet.add_data_validation(verdict)
    sheet.add_data_validation(risk_list)
    if last >= 2:
        verdict.add(f"F2:F{last}")
        risk_list.add(f"G2:G{last}")

    method = wb.create_sheet("method")
    method.append(["key", "value"])
    for key, value in method_record(drawn, context, appendix).items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        method.append([key, text])
    method.column_dimensions["A"].width = 24
    method.column_dimensions["B"].width = 120

    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = f"aireport {context.tool_version}"
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip_times(raw.getvalue())


def _text_cell(cell: Any) -> None:
    """A string cell that is never a formula: openpyxl stores text starting with '=' as one, and Excel
    re-reads an edited cell unless it is marked quote-prefixed (shown as text, without the apostrophe)."""
    cell.data_type = "s"
    cell.quotePrefix = True


def _fixed_zip_times(data: bytes) -> bytes:
    """openpyxl stamps every ZIP entry and the "modified" property with the current time: fix both."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to the time of saving
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def sample_file_bytes(fmt: str, drawn: DrawnSample, context: SampleContext, appendix: AppendixA) -> bytes:
    writers = {"xlsx": xlsx_bytes, "csv": csv_bytes, "parquet": parquet_bytes}
    return writers[fmt](drawn, context, appendix)
