"""The bad-input catalogue: every kind of input aireport reads, broken the ways real files are broken.

Each case builds a private copy of the ten-item dataset (``tests/fixtures/tiny``), breaks one thing, runs the
command a user would run, and asserts what design §5 promises for bad input: exit code 2, a message that names
the file (or the option) and the place (line, row, field or key), no traceback, and nothing written anywhere
in the case's folder (the set of files and their contents are the same after the run as before).

The cases are data: ``@case(kind, *fragments)`` registers a function that breaks the inputs and returns the
command line; the fragments are what the message must contain. Resource attacks (alias bombs, template loops,
symlinks) have their own tests in ``tests/test_attacks.py``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import tempfile
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from ruamel.yaml import YAML

from aireport.cli import main
from tests.conftest import FIXTURES, TINY_PACK

SECONDS_PER_CASE = 60  # a case that takes longer has hung (a bound is missing): it fails, it does not block


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Workspace], list[str]]
    where: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)


CASES: list[Case] = []


def case(kind: str, *where: str, env: dict[str, str] | None = None) -> Callable[[Callable[..., list[str]]], None]:
    """Register a case: ``where`` are the fragments the error message must contain (file, place, field)."""

    def register(build: Callable[[Workspace], list[str]]) -> None:
        CASES.append(Case(f"{kind}/{build.__name__}", build, where, env or {}))

    return register


# --- the workspace a case breaks ----------------------------------------------------------------------------

INVENTORY_COLUMNS = [
    "source_id",
    "name",
    "eu_category",
    "cn_acquisition",
    "modality",
    "license",
    "agreement",
    "declared_items",
    "declared_hours",
    "collection_start",
    "publicly_known",
]
INVENTORY_ROWS = [
    ["web", "Tiny crawl", "crawled", "self_collected", "text", "", "", "4", "", "2025-01-01", "true"],
    ["books", "Licensed books", "licensed", "commercial", "text", "LicenseRef-Tiny-Books", "c-1", "3", "", "", "false"],
    ["cc", "CC corpus", "public_dataset", "open_source", "image", "CC-BY-NC-4.0", "", "3", "", "", "true"],
]
ITEM_HEADER = (FIXTURES / "tiny" / "items.csv").read_text().splitlines()[0].split(",")


class Workspace:
    """A private copy of the tiny dataset and pack, and the command lines that read them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(FIXTURES / "tiny", root / "tiny")
        self.manifest = root / "tiny" / "manifest.yaml"
        self.items = root / "tiny" / "items.csv"
        self.out = root / "out"
        self.pack_dir = root / "pack"
        self.tpl = root / "tpl"

    # manifest and files
    def sub(self, old: str, new: str, path: Path | None = None) -> None:
        target = path or self.manifest
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {target.name}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    def write(self, name: str, data: str | bytes) -> Path:
        path = self.root / "tiny" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def item_line(self, number: int, text: str) -> None:
        """Replace line ``number`` (1-based, the header is line 1) of items.csv."""
        lines = self.items.read_text().splitlines()
        lines[number - 1] = text
        self.items.write_text("\n".join(lines) + "\n")

    # source inventories
    def inventory_rows(self) -> list[list[str]]:
        return [list(r) for r in INVENTORY_ROWS]

    def inventory_csv(self, rows: list[list[str]] | None = None, header: list[str] | None = None) -> Path:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header or INVENTORY_COLUMNS)
        writer.writerows(self.inventory_rows() if rows is None else rows)
        return self.use_inventory("sources.csv", out.getvalue())

    def use_inventory(self, name: str, data: str | bytes) -> Path:
        path = self.write(name, data)
        text = self.manifest.read_text()
        start, end = text.index("sources:\n"), text.index("items: [items.csv]")
        self.manifest.write_text(text[:start] + f"sources: {name}\n" + text[end:])
        return path

    def inventory_xlsx(self, rows: list[list[object]] | None = None, header: list[str] | None = None) -> Path:
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.append(header or INVENTORY_COLUMNS)
        for row in self.inventory_rows() if rows is None else rows:
            sheet.append([None if v == "" else v for v in row])
        raw = io.BytesIO()
        wb.save(raw)
        return self.use_inventory("sources.xlsx", raw.getvalue())

    def inventory_parquet(self, table: pa.Table | None = None) -> Path:
        if table is None:
            table = pa.table({name: [r[i] or None for r in INVENTORY_ROWS] for i, name in enumerate(INVENTORY_COLUMNS)})
        sink = io.BytesIO()
        pq.write_table(table, sink)
        return self.use_inventory("sources.parquet", sink.getvalue())

    # item manifests in other formats
    def item_records(self) -> list[dict[str, object]]:
        """items.csv as JSON objects with JSON types: sizes as numbers, flags as true and false."""
        records: list[dict[str, object]] = []
        with self.items.open() as fh:
            for row in csv.DictReader(fh):
                record: dict[str, object] = {k: v for k, v in row.items() if v != ""}
                if "size_bytes" in record:
                    record["size_bytes"] = int(str(record["size_bytes"]))
                for flag in ("robots_allowed", "tdm_reserved"):
                    if flag in record:
                        record[flag] = record[flag] == "true"
                records.append(record)
        return records

    def items_parquet(self, name: str = "items.parquet", sql: str = "SELECT * FROM t") -> Path:
        """items.csv as Parquet through a DuckDB query over it (``t``), listed in the manifest instead."""
        target = self.root / "tiny" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{self.items}', header = true)")
        con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")
        self.sub("items: [items.csv]", f"items: [{name}]")
        return target

    def items_jsonl(self, lines: list[str] | None = None) -> Path:
        records = [json.dumps(r) for r in self.item_records()] if lines is None else lines
        path = self.write("items.jsonl", "\n".join(records) + "\n")
        self.sub("items: [items.csv]", "items: [items.jsonl]")
        return path

    # packs, templates, statements
    def pack(self) -> Path:
        if not self.pack_dir.exists():
            shutil.copytree(TINY_PACK, self.pack_dir)
        return self.pack_dir

    def rule(self, name: str, text: str) -> Path:
        path = self.pack() / name
        path.write_text(text, encoding="utf-8")
        return path

    def templates(self, findings: str = "<html>{{ doc.dataset }}</html>\n") -> Path:
        (self.tpl / "findings").mkdir(parents=True, exist_ok=True)
        (self.tpl / "findings" / "document.html.j2").write_text(findings, encoding="utf-8")
        return self.tpl

    def catalogue(self, text: str | bytes, lang: str = "en") -> Path:
        if not (self.tpl / "findings" / "document.html.j2").exists():
            self.templates()
        path = self.tpl / "i18n" / f"{lang}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    # command lines
    def check(self, *extra: str, pack: str | None = None) -> list[str]:
        return [
            "check",
            str(self.manifest),
            "--pack",
            pack or (str(self.pack_dir) if self.pack_dir.exists() else TINY_PACK),
            "--out",
            str(self.out / "result.json"),
            "--date",
            "2026-01-01",
            "--quiet",
            *extra,
        ]

    def report(self, *extra: str) -> list[str]:
        return [
            "report",
            str(self.manifest),
            "--pack",
            TINY_PACK,
            "--document",
            "findings",
            "--format",
            "html,json",
            "--out",
            str(self.out),
            "--date",
            "2026-01-01",
            "--quiet",
            *extra,
        ]

    def report_with_templates(self) -> list[str]:
        return self.report("--templates", str(self.tpl))

    def cn_assess(self, *extra: str) -> list[str]:
        return [
            "cn-assess",
            str(self.manifest),
            "--assessment-date",
            "2025-10-01",
            "--format",
            "json",
            "--out",
            str(self.out),
            "--quiet",
            *extra,
        ]

    def statements(self, text: str) -> list[str]:
        path = self.write("statements.yaml", text)
        return self.cn_assess("--statements", str(path))

    def sample(self, *extra: str, out: str = "sample.csv") -> list[str]:
        return [
            "sample",
            str(self.manifest),
            "--seed",
            "1",
            "--per-source",
            "2",
            "--corpus",
            "3",
            "--out",
            str(self.out / out),
            "--quiet",
            *extra,
        ]

    def reviewed(self, edit: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]) -> list[str]:
        """The reviewed sample (seed 1, 2 per source, 3 overall), filled in and then broken by ``edit``."""
        header, rows = list(REVIEWED[0]), [list(r) for r in REVIEWED[1]]
        header, rows = edit(header, rows)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = self.write("reviewed.csv", out.getvalue())
        return self.reviewed_args(path)

    def reviewed_args(self, path: Path) -> list[str]:
        return self.cn_assess("--reviewed", str(path), "--seed", "1", "--per-source", "2", "--corpus", "3")

    def render(self, document: dict[str, object] | str | bytes) -> list[str]:
        if isinstance(document, dict):
            data: str | bytes = json.dumps(document, ensure_ascii=False, indent=1)
        else:
            data = document
        path = self.write("findings.json", data)
        return ["render", str(path), "--format", "html", "--out", str(self.out)]


def _review() -> tuple[list[str], list[list[str]]]:
    """Draw the tiny sample once (seed 1, K=2, N=3) and fill it in: every item qualified."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "tiny"
        shutil.copytree(FIXTURES / "tiny", folder)
        target = Path(tmp) / "s.csv"
        done = CliRunner().invoke(
            main,
            [
                *("sample", str(folder / "manifest.yaml"), "--seed", "1", "--per-source", "2", "--corpus", "3"),
                *("--out", str(target), "--quiet"),
            ],
        )
        assert done.exit_code == 0, done.output
        lines = [line for line in target.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    reader = list(csv.reader(lines))
    header, rows = reader[0], reader[1:]
    for row in rows:
        row[header.index("verdict")] = "qualified"
    return header, rows


REVIEWED = _review()


def document() -> dict[str, object]:
    return json.loads(json.dumps(SAVED_FINDINGS))


def _findings() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "tiny"
        shutil.copytree(FIXTURES / "tiny", folder)
        done = CliRunner().invoke(
            main,
            [
                *("report", str(folder / "manifest.yaml"), "--pack", TINY_PACK, "--document", "findings"),
                *("--format", "json", "--out", str(Path(tmp) / "o"), "--date", "2026-01-01", "--quiet"),
            ],
        )
        assert done.exit_code == 0, done.output
        saved: dict[str, object] = json.loads((Path(tmp) / "o" / "findings.json").read_text())
        return saved


SAVED_FINDINGS = _findings()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()


def nested(depth: int, leaf: str = "x") -> str:
    return "[" * depth + leaf + "]" * depth


# ============================================================================================================
# Dataset manifest (YAML and JSON)
# ============================================================================================================


@case("manifest", "manifest.yaml:3", "malformed YAML")
def unclosed_bracket(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus", "dataset: [tiny-corpus")
    return ws.check()


@case("manifest", "manifest.yaml:5")
def tab_indentation(ws: Workspace) -> list[str]:
    ws.sub("  contact:", "\tcontact:")
    return ws.check()


@case("manifest", "manifest.yaml:5", "legal_name")
def duplicate_key(ws: Workspace) -> list[str]:
    ws.sub("  contact: legal@tiny.example", "  legal_name: Other Labs")
    return ws.check()


@case("manifest", "manifest.yaml:3", "datset", "unknown field")
def unknown_top_level_field(ws: Workspace) -> list[str]:
    ws.sub("provider:", "datset: typo\nprovider:")
    return ws.check()


@case("manifest", "manifest.yaml:", "items[0].path", "NUL character")
def nul_in_an_item_file_name(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", 'items: ["items\\0.csv"]')  # YAML's \0 escape: the NUL character
    return ws.check()


@case("manifest", "manifest.yaml:", "sources.file", "NUL character")
def nul_in_the_inventory_file_name(ws: Workspace) -> list[str]:
    text = ws.manifest.read_text()
    start, end = text.index("sources:\n"), text.index("items: [items.csv]")
    ws.manifest.write_text(text[:start] + 'sources: "sources\\0.csv"\n' + text[end:])
    return ws.check()


@case("manifest", "manifest.yaml", "dataset", "required")
def missing_required_field(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus\n", "")
    return ws.check()


@case("manifest", "manifest.yaml:3", "provider")
def provider_is_a_list(ws: Workspace) -> list[str]:
    ws.sub(
        "provider:\n  legal_name: Tiny Labs B.V.\n  contact: legal@tiny.example\n  established_in_eu: true\n",
        "provider: [Tiny Labs]\n",
    )
    return ws.check()


@case("manifest", "manifest.yaml:10", "2025-02-30")
def impossible_date(ws: Workspace) -> list[str]:
    ws.sub("eu_placement_date: 2025-09-01", "eu_placement_date: 2025-02-30")
    return ws.check()


@case("manifest", "manifest.yaml:10", "2025-13-01")
def impossible_month(ws: Workspace) -> list[str]:
    ws.sub("eu_placement_date: 2025-09-01", "eu_placement_date: 2025-13-01")
    return ws.check()


@case("manifest", "manifest.yaml:23", "2025-02-29")
def impossible_leap_day_in_inline_source(ws: Workspace) -> list[str]:
    ws.sub("    safety_sample_flagged: 10\n", "    safety_sample_flagged: 10\n    collection_start: 2025-02-29\n")
    return ws.check()


@case("manifest", "manifest.yaml:12", "5,000 digits")
def five_thousand_digit_integer(ws: Workspace) -> list[str]:
    ws.sub("  - name: tiny-0", "  - name: tiny-0\n    training_flop: " + "9" * 5000)
    return ws.check()


@case("manifest", "manifest.yaml:23", "declared_items")
def integer_beyond_int64(ws: Workspace) -> list[str]:
    ws.sub(
        "    safety_sample_flagged: 10\n", "    safety_sample_flagged: 10\n    declared_items: 9223372036854775808\n"
    )
    return ws.check()


@case("manifest", "manifest.yaml:23", "declared_items")
def float_corpus_size(ws: Workspace) -> list[str]:
    ws.sub("    safety_sample_flagged: 10\n", "    safety_sample_flagged: 10\n    declared_items: 1.0e+23\n")
    return ws.check()


@case("manifest", "manifest.yaml:12", "training_flop")
def infinite_float(ws: Workspace) -> list[str]:
    ws.sub("  - name: tiny-0", "  - name: tiny-0\n    training_flop: .inf")
    return ws.check()


@case("manifest", "manifest.yaml:12", "training_flop")
def nan_float(ws: Workspace) -> list[str]:
    ws.sub("  - name: tiny-0", "  - name: tiny-0\n    training_flop: .nan")
    return ws.check()


@case("manifest", "manifest.yaml:23", "declared_hours")
def negative_duration(ws: Workspace) -> list[str]:
    ws.sub("    safety_sample_flagged: 10\n", "    safety_sample_flagged: 10\n    declared_hours: -1.5\n")
    return ws.check()


@case("manifest", "manifest.yaml:23", "declared_bytes")
def negative_size(ws: Workspace) -> list[str]:
    ws.sub("    safety_sample_flagged: 10\n", "    safety_sample_flagged: 10\n    declared_bytes: -5\n")
    return ws.check()


@case("manifest", "manifest.yaml:23", "declared_hours")
def infinite_duration(ws: Workspace) -> list[str]:
    ws.sub("    safety_sample_flagged: 10\n", "    safety_sample_flagged: 10\n    declared_hours: .inf\n")
    return ws.check()


@case("manifest", "manifest.yaml", "assessments", "qualified")
def assessment_qualified_above_sample(ws: Workspace) -> list[str]:
    ws.sub(
        "sources:\n",
        "assessments:\n  - {method: manual, date: 2025-05-01, sample_size: 10, qualified: 11}\nsources:\n",
    )
    return ws.check()


@case("manifest", "manifest.yaml:17", "sample_size")
def assessment_negative_sample(ws: Workspace) -> list[str]:
    ws.sub(
        "sources:\n",
        "assessments:\n  - method: manual\n    date: 2025-05-01\n    sample_size: -1\n    qualified: 0\nsources:\n",
    )
    return ws.check()


@case("manifest", "manifest.yaml:2", "schema_version")
def unknown_schema_version(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus", "schema_version: 2\ndataset: tiny-corpus")
    return ws.check()


@case("manifest", "manifest.yaml:1", "mapping")
def top_level_list(ws: Workspace) -> list[str]:
    ws.manifest.write_text("- dataset: tiny\n")
    return ws.check()


@case("manifest", "manifest.yaml", "empty")
def empty_file(ws: Workspace) -> list[str]:
    ws.manifest.write_text("")
    return ws.check()


@case("manifest", "manifest.yaml:4", "UTF-8")
def not_utf8(ws: Workspace) -> list[str]:
    ws.manifest.write_bytes(ws.manifest.read_bytes().replace(b"Tiny Labs", b"Tiny L\xe4bs"))
    return ws.check()


@case("manifest", "tiny", "folder")
def manifest_is_a_folder(ws: Workspace) -> list[str]:
    args = ws.check()
    args[1] = str(ws.manifest.parent)
    return args


@case("manifest", "nowhere.yaml", "not found")
def manifest_missing(ws: Workspace) -> list[str]:
    args = ws.check()
    args[1] = str(ws.root / "nowhere.yaml")
    return args


@case("manifest", "manifest.yaml:2", "python/object")
def python_tag(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus", "dataset: !!python/object/apply:os.system [echo hacked]")
    return ws.check()


@case("manifest", "manifest.yaml:2", "!custom")
def unknown_tag(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus", "dataset: !custom tiny")
    return ws.check()


def _json_manifest(ws: Workspace) -> dict[str, object]:
    data: dict[str, object] = YAML(typ="safe").load(ws.manifest.read_text())
    for model in data["models"]:  # type: ignore[attr-defined]
        if "eu_placement_date" in model:
            model["eu_placement_date"] = str(model["eu_placement_date"])
    return data


@case("manifest", "manifest.json:4")
def json_trailing_comma(ws: Workspace) -> list[str]:
    text = '{\n "dataset": "tiny",\n "provider": {"legal_name": "T"},\n}\n'
    ws.manifest = ws.write("manifest.json", text)
    return ws.check()


@case("manifest", "manifest.json", "dataset")
def json_duplicate_key(ws: Workspace) -> list[str]:
    text = json.dumps(_json_manifest(ws), indent=1)
    text = text.replace('"dataset": "tiny-corpus"', '"dataset": "tiny-corpus",\n "dataset": "other"')
    ws.manifest = ws.write("manifest.json", text)
    return ws.check()


@case("manifest", "manifest.json", "training_flop")
def json_nan(ws: Workspace) -> list[str]:
    data = _json_manifest(ws)
    data["models"][1]["training_flop"] = float("nan")  # type: ignore[index]
    ws.manifest = ws.write("manifest.json", json.dumps(data, indent=1))
    return ws.check()


@case("manifest", "manifest.json", "declared_items")
def json_huge_integer(ws: Workspace) -> list[str]:
    data = _json_manifest(ws)
    data["sources"][0]["declared_items"] = 10**30  # type: ignore[index]
    ws.manifest = ws.write("manifest.json", json.dumps(data, indent=1))
    return ws.check()


@case("manifest", "manifest.yaml", "duplicate source_id", "web")
def inline_duplicate_source(ws: Workspace) -> list[str]:
    ws.sub("source_id: books", "source_id: web")
    return ws.check()


@case("manifest", "manifest.yaml:23", "source_id")
def inline_source_id_pattern(ws: Workspace) -> list[str]:
    ws.sub("source_id: books", "source_id: 'books and more'")
    return ws.check()


@case("manifest", "manifest.yaml:25", "eu_category", "licenced")
def inline_unknown_category(ws: Workspace) -> list[str]:
    ws.sub("eu_category: licensed", "eu_category: licenced")
    return ws.check()


@case("manifest", "manifest.yaml:32", "collection_start")
def collection_start_after_end(ws: Workspace) -> list[str]:
    ws.sub("    safety_sample_flagged: 6\n", "    safety_sample_flagged: 6\n    collection_start: 2025-05-01\n")
    ws.sub("    collection_start: 2025-05-01\n", "    collection_start: 2025-05-01\n    collection_end: 2025-01-01\n")
    return ws.check("--strict")  # without it: a located warning, the period read as not declared


@case("manifest", "manifest.yaml:23", "safety_sample_flagged")
def flagged_above_sample(ws: Workspace) -> list[str]:
    ws.sub("safety_sample_flagged: 6", "safety_sample_flagged: 600")
    return ws.check()


@case("manifest", "missing.csv", "not found")
def inventory_missing(ws: Workspace) -> list[str]:
    text = ws.manifest.read_text()
    start, end = text.index("sources:\n"), text.index("items: [items.csv]")
    ws.manifest.write_text(text[:start] + "sources: missing.csv\n" + text[end:])
    return ws.check()


@case("manifest", "sources.txt", ".csv")
def inventory_unsupported_suffix(ws: Workspace) -> list[str]:
    ws.use_inventory("sources.txt", "source_id\n")
    return ws.check()


@case("manifest", "nothere.csv", "items")
def items_missing(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", "items: [nothere.csv]")
    return ws.check()


@case("manifest", "empty/", "items", "no item manifest")
def items_empty_folder(ws: Workspace) -> list[str]:
    (ws.root / "tiny" / "empty").mkdir()
    ws.sub("items: [items.csv]", "items: [empty/]")
    return ws.check()


@case("manifest", "part-*.csv", "items")
def items_literal_name_with_star_absent(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", "items: ['part-*.csv']")
    return ws.check()


@case("manifest", "manifest.yaml:40", "redistribution")
def licence_declaration_incomplete(ws: Workspace) -> list[str]:
    ws.sub("    redistribution: false\n", "")
    return ws.check()


@case("manifest", "manifest.yaml:13", "cop_signatory", "maybe")
def attestation_not_tristate(ws: Workspace) -> list[str]:
    ws.sub("cop_signatory: yes", "cop_signatory: maybe")
    return ws.check()


@case("manifest", "manifest.yaml:7", "models")
def no_models(ws: Workspace) -> list[str]:
    ws.sub(
        'models:\n  - name: tiny-1\n    version: "1.0"\n    eu_placement_date: 2025-09-01\n  - name: tiny-0\n',
        "models: []\n",
    )
    return ws.check()


@case("manifest", "manifest.yaml:11", "name")
def empty_model_name(ws: Workspace) -> list[str]:
    ws.sub("  - name: tiny-0", "  - name: ''")
    return ws.check()


@case("manifest", "manifest.yaml:3", "\\x1b")
def control_sequence_in_key(ws: Workspace) -> list[str]:
    ws.sub("provider:", '"evil\\e]0;owned\\a\\e[2J": 1\nprovider:')
    return ws.check()


@case("manifest", "manifest.yaml", "depth")
def deeply_nested_value(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus", "dataset: " + nested(5000))
    return ws.check()


@case("manifest", "manifest.yaml:2", "dataset")
def dataset_not_text(ws: Workspace) -> list[str]:
    ws.sub("dataset: tiny-corpus", "dataset: {a: 1}")
    return ws.check()


@case("manifest", "manifest.yaml:38", "items")
def items_not_a_list(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", "items: {a: 1}")
    return ws.check()


# ============================================================================================================
# Source inventory: CSV
# ============================================================================================================


@case("inventory-csv", "sources.csv:1", "colour", "unknown column")
def unknown_column(ws: Workspace) -> list[str]:
    ws.inventory_csv(header=[*INVENTORY_COLUMNS[:-1], "colour"])
    return ws.check()


@case("inventory-csv", "sources.csv:1", "name", "2 times")
def duplicate_header(ws: Workspace) -> list[str]:
    ws.inventory_csv(header=[*INVENTORY_COLUMNS[:-1], "name"])
    return ws.check()


@case("inventory-csv", "sources.csv:1", "no name")
def empty_header_name(ws: Workspace) -> list[str]:
    ws.inventory_csv(header=[*INVENTORY_COLUMNS[:-1], ""])
    return ws.check()


@case("inventory-csv", "sources.csv:3", "cells")
def ragged_row_too_few(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1] = rows[1][:4]
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:4", "cells")
def ragged_row_too_many(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[2] = [*rows[2], "extra"]
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:5", "eu_category")
def bad_value_after_embedded_newline(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1][1] = "Licensed\nbooks"
    rows[2][2] = "publik"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:2", "collection_start", "2025-02-30")
def inventory_impossible_date(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[0][9] = "2025-02-30"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:2", "collection_start")
def inventory_date_other_format(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[0][9] = "31/01/2025"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:3", "declared_items")
def inventory_five_thousand_digits(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1][7] = "9" * 5000
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:3", "declared_items")
def inventory_beyond_int64(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1][7] = str(2**63)
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:3", "declared_items")
def inventory_float_size(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1][7] = "1e23"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:4", "declared_hours")
def inventory_infinite_hours(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[2][8] = "inf"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:4", "declared_hours")
def inventory_nan_hours(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[2][8] = "NaN"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:2", "declared_items")
def inventory_negative_items(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[0][7] = "-4"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:2", "publicly_known", "sometimes")
def inventory_bad_boolean(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[0][10] = "sometimes"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:3", "modality", "book")
def inventory_bad_enum(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1][4] = "book"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:4", "source_id", "web")
def inventory_duplicate_source(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[2][0] = "web"
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv", "empty")
def inventory_empty_file(ws: Workspace) -> list[str]:
    ws.use_inventory("sources.csv", "")
    return ws.check()


@case("inventory-csv", "sources.csv", "no rows")
def inventory_header_only(ws: Workspace) -> list[str]:
    ws.inventory_csv([])
    return ws.check()


@case("inventory-csv", "sources.csv:3", "UTF-8")
def inventory_not_utf8(ws: Workspace) -> list[str]:
    path = ws.inventory_csv()
    path.write_bytes(path.read_bytes().replace(b"Licensed", b"Lic\xe9nsed"))
    return ws.check()


@case("inventory-csv", "sources.csv:4")
def inventory_unterminated_quote(ws: Workspace) -> list[str]:
    path = ws.inventory_csv()
    path.write_text(path.read_text().replace("cc,CC corpus", 'cc,"CC corpus'))
    return ws.check()


@case("inventory-csv", "sources.csv:3", "source_id")
def inventory_empty_source_id(ws: Workspace) -> list[str]:
    rows = ws.inventory_rows()
    rows[1][0] = ""
    ws.inventory_csv(rows)
    return ws.check()


@case("inventory-csv", "sources.csv:1", "source_id;name")
def inventory_semicolon_delimited(ws: Workspace) -> list[str]:
    rows = [INVENTORY_COLUMNS, *ws.inventory_rows()]
    ws.use_inventory("sources.csv", "\n".join(";".join(r) for r in rows) + "\n")
    return ws.check()


@case("inventory-csv", "sources.csv:2", "eu_category", "required")
def inventory_missing_required_column(ws: Workspace) -> list[str]:
    header = [c for c in INVENTORY_COLUMNS if c != "eu_category"]
    rows = [[v for c, v in zip(INVENTORY_COLUMNS, r, strict=True) if c != "eu_category"] for r in ws.inventory_rows()]
    ws.inventory_csv(rows, header)
    return ws.check()


@case("inventory-csv", "sources.csv:3", "collection_start", "collection_end")
def inventory_period_reversed(ws: Workspace) -> list[str]:
    header = [*INVENTORY_COLUMNS, "collection_end"]
    rows = [[*r, ""] for r in ws.inventory_rows()]
    rows[1][9], rows[1][11] = "2025-06-01", "2025-01-01"
    ws.inventory_csv(rows, header)
    return ws.check("--strict")  # without it: a located warning, the period read as not declared


# ============================================================================================================
# Source inventory: XLSX
# ============================================================================================================


@case("inventory-xlsx", "sources.xlsx", "XLSX")
def xlsx_truncated(ws: Workspace) -> list[str]:
    path = ws.inventory_xlsx()
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    return ws.check()


@case("inventory-xlsx", "sources.xlsx", "XLSX")
def xlsx_not_a_zip(ws: Workspace) -> list[str]:
    ws.use_inventory("sources.xlsx", "source_id,name\nweb,Tiny\n")
    return ws.check()


@case("inventory-xlsx", "sources.xlsx", "XLSX")
def xlsx_zip_without_workbook(ws: Workspace) -> list[str]:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    ws.use_inventory("sources.xlsx", raw.getvalue())
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 1", "name", "2 times")
def xlsx_duplicate_header(ws: Workspace) -> list[str]:
    ws.inventory_xlsx(header=[*INVENTORY_COLUMNS[:-1], "name"])
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 2", "collection_start", "2025-02-30")
def xlsx_impossible_date_text(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[0][9] = "2025-02-30"
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 3", "modality")
def xlsx_number_in_enum(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[1][4] = 42
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 3", "declared_items")
def xlsx_float_size(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[1][7] = 1e23
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 3", "declared_items")
def xlsx_fractional_size(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[1][7] = 2.5
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 2", "declared_items")
def xlsx_negative_size(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[0][7] = -4
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 1", "colour")
def xlsx_unknown_column(ws: Workspace) -> list[str]:
    ws.inventory_xlsx(header=[*INVENTORY_COLUMNS[:-1], "colour"])
    return ws.check()


@case("inventory-xlsx", "sources.xlsx", "no rows")
def xlsx_header_only(ws: Workspace) -> list[str]:
    ws.inventory_xlsx([])
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 4", "source_id", "web")
def xlsx_duplicate_source(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[2][0] = "web"
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 3", "publicly_known", "perhaps")
def xlsx_bad_boolean(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[1][10] = "perhaps"
    ws.inventory_xlsx(rows)
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 1", "no name")
def xlsx_empty_header_cell(ws: Workspace) -> list[str]:
    ws.inventory_xlsx(header=[*INVENTORY_COLUMNS[:5], "", *INVENTORY_COLUMNS[6:]])
    return ws.check()


@case("inventory-xlsx", "sources.xlsx: row 2", "declared_items")
def xlsx_beyond_int64(ws: Workspace) -> list[str]:
    rows: list[list[object]] = [list(r) for r in INVENTORY_ROWS]
    rows[0][7] = str(2**64)
    ws.inventory_xlsx(rows)
    return ws.check()


# ============================================================================================================
# Source inventory: Parquet
# ============================================================================================================


def _inventory_table(**changes: list[object] | pa.Array) -> pa.Table:
    columns: dict[str, object] = {
        name: [r[i] or None for r in INVENTORY_ROWS] for i, name in enumerate(INVENTORY_COLUMNS)
    }
    columns["declared_items"] = pa.array([4, 3, 3], pa.int64())
    columns["declared_hours"] = pa.array([None, None, None], pa.float64())
    columns["publicly_known"] = pa.array([True, False, True])
    columns.update(changes)
    return pa.table(columns)


@case("inventory-parquet", "sources.parquet", "Parquet")
def parquet_inventory_garbage(ws: Workspace) -> list[str]:
    ws.use_inventory("sources.parquet", b"PAR1 this is not parquet PAR1")
    return ws.check()


@case("inventory-parquet", "sources.parquet", "Parquet")
def parquet_inventory_truncated(ws: Workspace) -> list[str]:
    path = ws.inventory_parquet(_inventory_table())
    path.write_bytes(path.read_bytes()[:-40])
    return ws.check()


@case("inventory-parquet", "sources.parquet", "colour", "unknown column")
def parquet_inventory_unknown_column(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(colour=["red", "green", "blue"]))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 2", "declared_items")
def parquet_inventory_text_size(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(declared_items=["4", "many", "3"]))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 3", "declared_hours")
def parquet_inventory_infinite_hours(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(declared_hours=pa.array([None, None, float("inf")])))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 3", "declared_hours")
def parquet_inventory_nan_hours(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(declared_hours=pa.array([1.0, 2.0, float("nan")])))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 2", "declared_items")
def parquet_inventory_negative_size(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(declared_items=pa.array([4, -3, 3], pa.int64())))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 1", "declared_items")
def parquet_inventory_uint64_beyond_int64(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(declared_items=pa.array([2**63 + 5, 3, 3], pa.uint64())))
    return ws.check()


@case("inventory-parquet", "sources.parquet", "no rows")
def parquet_inventory_empty(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table().slice(0, 0))
    return ws.check()


@case("inventory-parquet", "sources.parquet", "name", "2 times")
def parquet_inventory_duplicate_column(ws: Workspace) -> list[str]:
    table = _inventory_table()
    ws.inventory_parquet(table.append_column("name", pa.array(["a", "b", "c"])))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 3", "source_id", "web")
def parquet_inventory_duplicate_source(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(source_id=["web", "books", "web"]))
    return ws.check()


@case("inventory-parquet", "sources.parquet: row 1", "modality")
def parquet_inventory_struct_cell(ws: Workspace) -> list[str]:
    ws.inventory_parquet(_inventory_table(modality=[{"a": 1}, {"a": 2}, {"a": 3}]))
    return ws.check()


# ============================================================================================================
# Item manifests: CSV
# ============================================================================================================


@case("items-csv", "items.csv", "source_id", "required column")
def items_missing_required_column(ws: Workspace) -> list[str]:
    lines = ws.items.read_text().splitlines()
    ws.items.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 1) for line in lines))
    return ws.check()


@case("items-csv", "items.csv:1", "modality", "2 times")
def items_duplicate_header(ws: Workspace) -> list[str]:
    ws.item_line(1, ",".join(ITEM_HEADER).replace("language", "modality"))
    return ws.check()


@case("items-csv", "items.csv:4", "column")
def items_ragged_row(ws: Workspace) -> list[str]:
    ws.item_line(4, "w3,web,text")
    return ws.check()


@case("items-csv", "items.csv:6", "column")
def items_ragged_row_after_embedded_newline(ws: Workspace) -> list[str]:
    ws.item_line(3, 'w2,web,text,200,,2025-02-05 10:00:00,false,false,"e\nn",pass')
    ws.item_line(6, "w4,web")  # the w4 row: the quoted cell above spans lines 3 and 4
    return ws.check()


@case("items-csv", "items.csv:5", "column")
def items_too_many_cells(ws: Workspace) -> list[str]:
    ws.item_line(5, "w4,web,text,400,,2025-04-05 10:00:00,true,,fr,pass,extra")
    return ws.check()


@case("items-csv", "items.csv:3")
def items_row_with_other_delimiter(ws: Workspace) -> list[str]:
    ws.item_line(3, "w2;web;text;200;;2025-02-05 10:00:00;false;false;en;pass")
    return ws.check()


@case("items-csv", "items.csv:1", "item_id")
def items_file_with_semicolons(ws: Workspace) -> list[str]:
    ws.items.write_text(ws.items.read_text().replace(",", ";"))
    return ws.check()


@case("items-csv", "items.csv:9", "modality", "picture")
def items_bad_enum(ws: Workspace) -> list[str]:
    ws.item_line(9, "c1,cc,picture,50,CC-BY-4.0,2023-01-01 00:00:00,,,,pass")
    return ws.check()


@case("items-csv", "items.csv:10", "modality", "picture")
def items_bad_enum_after_embedded_newline(ws: Workspace) -> list[str]:
    ws.item_line(6, 'b1,books,text,1000,"LicenseRef-Tiny-Books\n",2024-06-01 00:00:00,,,en,pass')
    ws.item_line(10, "c1,cc,picture,50,CC-BY-4.0,2023-01-01 00:00:00,,,,pass")  # the quoted cell spans 6 and 7
    return ws.check()


@case("items-csv", "items.csv:11", "modality", "picture")
def items_bad_enum_after_rejected_rows(ws: Workspace) -> list[str]:
    ws.item_line(3, "w2,web,text")
    ws.item_line(4, "w3,web,text,lots,,2025-03-05 10:00:00,,true,de,flagged")
    ws.item_line(11, "c3,cc,picture,70,LicenseRef-Unknown,2023-03-01 00:00:00,,,,pass")
    return ws.check("--max-rejected-rows", "2")


@case("items-csv", "items.csv:7", "item_id")
def items_empty_item_id(ws: Workspace) -> list[str]:
    ws.item_line(7, ",books,text,2000,,2024-07-01 00:00:00,,,en,")
    return ws.check()


@case("items-csv", "items.csv:8", "source_id")
def items_empty_source_id(ws: Workspace) -> list[str]:
    ws.item_line(8, "b3,,text,3000,MIT,2024-08-01 00:00:00,,,zh,pass")
    return ws.check()


@case("items-csv", "items.csv:8", "source_id", "novels")
def items_unknown_source(ws: Workspace) -> list[str]:
    ws.item_line(8, "b3,novels,text,3000,MIT,2024-08-01 00:00:00,,,zh,pass")
    return ws.check()


@case("items-csv", "items.csv:2", "size_bytes", "abc")
def items_text_in_integer(ws: Workspace) -> list[str]:
    ws.item_line(2, "w1,web,text,abc,,2025-01-05 10:00:00,true,false,en,pass")
    return ws.check()


@case("items-csv", "items.csv:2", "size_bytes")
def items_integer_beyond_int64(ws: Workspace) -> list[str]:
    ws.item_line(2, "w1,web,text,99999999999999999999,,2025-01-05 10:00:00,true,false,en,pass")
    return ws.check()


@case("items-csv", "items.csv:3", "size_bytes")
def items_negative_size(ws: Workspace) -> list[str]:
    ws.item_line(3, "w2,web,text,-200,,2025-02-05 10:00:00,false,false,en,pass")
    return ws.check()


def _with_duration(ws: Workspace, row: int, value: str) -> None:
    lines = ws.items.read_text().splitlines()
    lines = [lines[0] + ",duration_seconds"] + [
        line + ("," + value if i == row - 2 else ",1.5") for i, line in enumerate(lines[1:])
    ]
    ws.items.write_text("\n".join(lines) + "\n")


@case("items-csv", "items.csv:4", "duration_seconds")
def items_infinite_duration(ws: Workspace) -> list[str]:
    _with_duration(ws, 4, "inf")
    return ws.check()


@case("items-csv", "items.csv:5", "duration_seconds")
def items_nan_duration(ws: Workspace) -> list[str]:
    _with_duration(ws, 5, "nan")
    return ws.check()


@case("items-csv", "items.csv:6", "duration_seconds")
def items_negative_duration(ws: Workspace) -> list[str]:
    _with_duration(ws, 6, "-3.0")
    return ws.check()


@case("items-csv", "items.csv:2", "collected_at", "2025-02-30")
def items_impossible_timestamp(ws: Workspace) -> list[str]:
    ws.item_line(2, "w1,web,text,100,,2025-02-30 10:00:00,true,false,en,pass")
    return ws.check()


@case("items-csv", "items.csv:3", "robots_allowed", "maybe")
def items_bad_boolean(ws: Workspace) -> list[str]:
    ws.item_line(3, "w2,web,text,200,,2025-02-05 10:00:00,maybe,false,en,pass")
    return ws.check()


@case("items-csv", "items.csv:5", "items.csv:2", "w1")
def items_duplicate_item_id(ws: Workspace) -> list[str]:
    ws.item_line(5, "w1,web,text,400,,2025-04-05 10:00:00,true,,fr,pass")
    return ws.check()


@case("items-csv", "items.csv:4", "UTF-8")
def items_not_utf8(ws: Workspace) -> list[str]:
    ws.items.write_bytes(ws.items.read_bytes().replace(b"w3,web", b"w\xe93,web"))
    return ws.check()


@case("items-csv", "items.csv", "item_id")
def items_empty_file(ws: Workspace) -> list[str]:
    ws.items.write_text("")
    return ws.check()


@case("items-csv", "items.csv:11")
def items_unterminated_quote(ws: Workspace) -> list[str]:
    ws.item_line(11, 'c3,cc,image,70,"LicenseRef-Unknown,2023-03-01 00:00:00,,,,pass')
    return ws.check()


@case("items-csv", "items.txt", "allowed")
def items_unsupported_suffix(ws: Workspace) -> list[str]:
    shutil.copy(ws.items, ws.root / "tiny" / "items.txt")
    ws.sub("items: [items.csv]", "items: [items.txt]")
    return ws.check()


@case("items-csv", "items.csv", "mix")
def items_mixed_formats(ws: Workspace) -> list[str]:
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{ws.items}')) TO '{ws.root / 'tiny' / 'more.parquet'}' (FORMAT parquet)"
    )
    ws.sub("items: [items.csv]", "items: [items.csv, more.parquet]")
    return ws.check()


@case("items-csv", "more.csv:1", "header differs")
def items_column_missing_from_one_file(ws: Workspace) -> list[str]:
    index = ITEM_HEADER.index("robots_allowed")
    header = ",".join(c for i, c in enumerate(ITEM_HEADER) if i != index)
    ws.write("more.csv", header + "\nx1,web,text,1,,2025-01-05 10:00:00,false,en,pass\n")
    ws.sub("items: [items.csv]", "items: [items.csv, more.csv]")
    return ws.check()


# ============================================================================================================
# Item manifests: Parquet
# ============================================================================================================


@case("items-parquet", "items.parquet", "parquet")
def parquet_items_garbage(ws: Workspace) -> list[str]:
    ws.write("items.parquet", b"PAR1" + b"\x00" * 100 + b"PAR1")
    ws.sub("items: [items.csv]", "items: [items.parquet]")
    return ws.check()


@case("items-parquet", "items.parquet", "parquet")
def parquet_items_truncated(ws: Workspace) -> list[str]:
    path = ws.items_parquet()
    path.write_bytes(path.read_bytes()[:-30])
    return ws.check()


@case("items-parquet", "parts/b.parquet", "parquet")
def parquet_items_corrupt_among_many(ws: Workspace) -> list[str]:
    con = duckdb.connect()
    (ws.root / "tiny" / "parts").mkdir()
    for name, where in (("a", "item_id LIKE 'w%'"), ("c", "item_id NOT LIKE 'w%'")):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{ws.items}') WHERE {where}) "
            f"TO '{ws.root / 'tiny' / 'parts' / name}.parquet' (FORMAT parquet)"
        )
    ws.write("parts/b.parquet", b"PAR1garbagePAR1")
    ws.sub("items: [items.csv]", "items: [parts/]")
    return ws.check()


@case("items-parquet", "items.parquet", "size_bytes", "VARCHAR")
def parquet_items_wrong_type(ws: Workspace) -> list[str]:
    ws.items_parquet(sql="SELECT * REPLACE (CAST(size_bytes AS VARCHAR) AS size_bytes) FROM t")
    return ws.check()


@case("items-parquet", "items.parquet", "item_id", "required column")
def parquet_items_no_item_id(ws: Workspace) -> list[str]:
    ws.items_parquet(sql="SELECT * EXCLUDE (item_id) FROM t")
    return ws.check()


@case("items-parquet", "items.parquet: row 3", "modality", "picture")
def parquet_items_bad_enum(ws: Workspace) -> list[str]:
    ws.items_parquet(
        sql="SELECT * REPLACE (CASE WHEN item_id = 'w3' THEN 'picture' ELSE modality END AS modality) FROM t"
    )
    return ws.check()


@case("items-parquet", "items.parquet: row 2", "item_id")
def parquet_items_empty_id(ws: Workspace) -> list[str]:
    ws.items_parquet(sql="SELECT * REPLACE (CASE WHEN item_id = 'w2' THEN '' ELSE item_id END AS item_id) FROM t")
    return ws.check()


@case("items-parquet", "items.parquet: row 4", "size_bytes")
def parquet_items_negative_size(ws: Workspace) -> list[str]:
    ws.items_parquet(
        sql="SELECT * REPLACE (CASE WHEN item_id = 'w4' THEN -400 ELSE size_bytes END AS size_bytes) FROM t"
    )
    return ws.check()


@case("items-parquet", "items.parquet: row 1", "duration_seconds")
def parquet_items_nan_duration(ws: Workspace) -> list[str]:
    ws.items_parquet(
        sql="SELECT *, CASE WHEN item_id = 'w1' THEN 'nan'::DOUBLE ELSE 1.0 END AS duration_seconds FROM t"
    )
    return ws.check()


@case("items-parquet", "items.parquet: row 2", "duration_seconds")
def parquet_items_infinite_duration(ws: Workspace) -> list[str]:
    ws.items_parquet(
        sql="SELECT *, CASE WHEN item_id = 'w2' THEN 'inf'::DOUBLE ELSE 1.0 END AS duration_seconds FROM t"
    )
    return ws.check()


@case("items-parquet", "items.parquet: row 5", "size_bytes")
def parquet_items_uint64_beyond_int64(ws: Workspace) -> list[str]:
    ws.items_parquet(
        sql="SELECT * REPLACE (CASE WHEN item_id = 'b1' THEN 18446744073709551615::UBIGINT "
        "ELSE size_bytes::UBIGINT END AS size_bytes) FROM t"
    )
    return ws.check()


@case("items-parquet", "items.parquet: row 10", "items.parquet: row 8", "c1")
def parquet_items_duplicate_id(ws: Workspace) -> list[str]:
    ws.items_parquet(sql="SELECT * REPLACE (CASE WHEN item_id = 'c3' THEN 'c1' ELSE item_id END AS item_id) FROM t")
    return ws.check()


@case("items-parquet", "b.parquet: row 1", "a.parquet: row 1", "w1")
def parquet_items_duplicate_id_across_files(ws: Workspace) -> list[str]:
    con = duckdb.connect()
    folder = ws.root / "tiny"
    con.execute(
        f"COPY (SELECT * FROM read_csv('{ws.items}') WHERE item_id LIKE 'w%' ORDER BY item_id) "
        f"TO '{folder / 'a.parquet'}' (FORMAT parquet)"
    )
    con.execute(
        f"COPY (SELECT * FROM read_csv('{ws.items}') WHERE item_id = 'w1' OR item_id NOT LIKE 'w%' "
        f"ORDER BY item_id DESC) TO '{folder / 'b.parquet'}' (FORMAT parquet)"
    )
    ws.sub("items: [items.csv]", "items: [a.parquet, b.parquet]")
    return ws.check()


@case("items-parquet", "items.parquet: row 6", "source_id", "novels")
def parquet_items_unknown_source(ws: Workspace) -> list[str]:
    ws.items_parquet(
        sql="SELECT * REPLACE (CASE WHEN item_id = 'b2' THEN 'novels' ELSE source_id END AS source_id) FROM t"
    )
    return ws.check()


@case("items-parquet", "items.parquet", "modality", "2 times")
def parquet_items_duplicate_column(ws: Workspace) -> list[str]:
    table = pq.read_table(ws.items_parquet())
    table = table.append_column("modality", pa.array(["text"] * table.num_rows))
    pq.write_table(table, ws.root / "tiny" / "items.parquet")
    return ws.check()


# ============================================================================================================
# Item manifests: JSONL
# ============================================================================================================


@case("items-jsonl", "items.jsonl:5")
def jsonl_malformed_line(ws: Workspace) -> list[str]:
    lines = [json.dumps(r) for r in ws.item_records()]
    lines[4] = lines[4].replace('", "', '" "', 1)
    ws.items_jsonl(lines)
    return ws.check()


@case("items-jsonl", "items.jsonl:2", "size_bytes")
def jsonl_text_in_integer(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[1]["size_bytes"] = "abc"
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:3", "size_bytes")
def jsonl_fraction_in_integer(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[2]["size_bytes"] = 1.5
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:4", "size_bytes")
def jsonl_boolean_in_integer(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[3]["size_bytes"] = True
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:6", "object")
def jsonl_array_line(ws: Workspace) -> list[str]:
    lines = [json.dumps(r) for r in ws.item_records()]
    lines[5] = '["b2", "books"]'
    ws.items_jsonl(lines)
    return ws.check()


@case("items-jsonl", "items.jsonl:7", "item_id", "duplicate")
def jsonl_duplicate_key(ws: Workspace) -> list[str]:
    lines = [json.dumps(r) for r in ws.item_records()]
    lines[6] = lines[6].replace('"item_id": "b3"', '"item_id": "b3", "item_id": "b9"')
    ws.items_jsonl(lines)
    return ws.check()


@case("items-jsonl", "items.jsonl:10", "size_bytes")
def jsonl_bad_value_after_blank_lines(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[7]["size_bytes"] = "many"
    lines = [json.dumps(r) for r in records]
    ws.items_jsonl([*lines[:3], "", "", *lines[3:]])  # the bad record is on physical line 10
    return ws.check()


@case("items-jsonl", "items.jsonl:1", "size_bytes")
def jsonl_negative_size(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[0]["size_bytes"] = -100
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:9", "source_id", "novels")
def jsonl_unknown_source(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[8]["source_id"] = "novels"
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:10", "items.jsonl:8", "c1")
def jsonl_duplicate_item_id(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[9]["item_id"] = "c1"
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:2", "UTF-8")
def jsonl_not_utf8(ws: Workspace) -> list[str]:
    path = ws.items_jsonl()
    path.write_bytes(path.read_bytes().replace(b'"w2"', b'"w\xff2"'))
    return ws.check()


@case("items-jsonl", "items.jsonl:3")
def jsonl_nan_literal(ws: Workspace) -> list[str]:
    lines = [json.dumps(r) for r in ws.item_records()]
    lines[2] = lines[2].replace('"size_bytes": 300', '"size_bytes": NaN')
    ws.items_jsonl(lines)
    return ws.check()


@case("items-jsonl", "items.jsonl:5", "duration_seconds")
def jsonl_overflowing_float(ws: Workspace) -> list[str]:
    lines = [json.dumps({**r, "duration_seconds": 1.0}) for r in ws.item_records()]
    lines[4] = lines[4].replace('"duration_seconds": 1.0', '"duration_seconds": 1e400')
    ws.items_jsonl(lines)
    return ws.check()


@case("items-jsonl", "items.jsonl:4", "robots_allowed")
def jsonl_text_in_boolean(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[3]["robots_allowed"] = "yes"
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


@case("items-jsonl", "items.jsonl:2", "collected_at")
def jsonl_impossible_timestamp(ws: Workspace) -> list[str]:
    records = ws.item_records()
    records[1]["collected_at"] = "2025-02-30 10:00:00"
    ws.items_jsonl([json.dumps(r) for r in records])
    return ws.check()


# ============================================================================================================
# Item manifests: hive-partitioned folders
# ============================================================================================================


def _hive(ws: Workspace, key: str = "source_id", sql: str = "SELECT * FROM t") -> None:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{ws.items}', header = true)")
    con.execute(f"COPY ({sql}) TO '{ws.root / 'tiny' / 'lake'}' (FORMAT parquet, PARTITION_BY ({key}))")


@case("items-hive", "lake/", "source_id=", "item")
def hive_partition_with_empty_value(ws: Workspace) -> list[str]:
    _hive(ws, sql="SELECT * REPLACE (CASE WHEN item_id = 'w1' THEN NULL ELSE source_id END AS source_id) FROM t")
    ws.sub("items: [items.csv]", "items: [{path: lake/, hive: true}]")
    return ws.check()


@case("items-hive", "modality=picture", "modality", "picture")
def hive_partition_value_not_allowed(ws: Workspace) -> list[str]:
    _hive(
        ws,
        key="modality",
        sql="SELECT * REPLACE (CASE WHEN item_id = 'c1' THEN 'picture' ELSE modality END AS modality) FROM t",
    )
    ws.sub("items: [items.csv]", "items: [{path: lake/, hive: true}]")
    return ws.check()


@case("items-hive", "lake", "language", "both")
def hive_partition_repeats_a_file_column(ws: Workspace) -> list[str]:
    _hive(ws, key="language", sql="SELECT *, language AS lang FROM t")
    for path in (ws.root / "tiny" / "lake").rglob("*.parquet"):
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * EXCLUDE (lang), lang AS language FROM read_parquet('{path}', hive_partitioning = false)) "
            f"TO '{path}.x' (FORMAT parquet)"
        )
        Path(f"{path}.x").replace(path)
    ws.sub("items: [items.csv]", "items: [{path: lake/, hive: true}]")
    return ws.check()


@case("items-hive", "manifest.yaml:38", "glob", "path")
def items_entry_with_path_and_glob(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", "items: [{path: items.csv, glob: '*.csv'}]")
    return ws.check()


@case("items-hive", "manifest.yaml:38", "hive")
def items_entry_hive_not_boolean(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", "items: [{path: items.csv, hive: sometimes}]")
    return ws.check()


@case("items-hive", "nothing-*.csv", "matches no file")
def glob_matching_nothing(ws: Workspace) -> list[str]:
    ws.sub("items: [items.csv]", "items: [{glob: 'nothing-*.csv'}]")
    return ws.check()


# ============================================================================================================
# Rule packs
# ============================================================================================================


@case("pack", "pack.yaml:4", "malformed YAML")
def pack_manifest_malformed(ws: Workspace) -> list[str]:
    ws.sub("jurisdiction: TEST", "jurisdiction: [TEST", ws.pack() / "pack.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:7", "malformed YAML")
def rule_malformed(ws: Workspace) -> list[str]:
    ws.sub(
        "applies_if: {field: source.eu_category, eq: crawled}",
        "applies_if: {field: source.eu_category, eq: crawled",
        ws.pack() / "T-ROBOTS.yaml",
    )
    return ws.check()


@case("pack", "T-ROBOTS.yaml:7", "unknown operator", "is_yes")
def rule_unknown_operator(ws: Workspace) -> list[str]:
    ws.sub("condition: {is_true: robots_allowed}", "condition: {is_yes: robots_allowed}", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:7", "unknown field", "robot_allowed")
def rule_unknown_field(ws: Workspace) -> list[str]:
    ws.sub("condition: {is_true: robots_allowed}", "condition: {is_true: robot_allowed}", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:6", "crawling", "allowed")
def rule_value_not_allowed(ws: Workspace) -> list[str]:
    ws.sub("eq: crawled", "eq: crawling", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:1", "file name must match")
def rule_id_not_file_name(ws: Workspace) -> list[str]:
    ws.sub("id: T-ROBOTS", "id: T-ROBOT", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml", "citation", "required")
def rule_without_citation(ws: Workspace) -> list[str]:
    ws.sub('citation: {instrument: Test, provision: "1", verification: primary}\n', "", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:3", "verification", "checked")
def rule_unknown_verification(ws: Workspace) -> list[str]:
    ws.sub("verification: primary", "verification: checked", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:4", "severity", "fatal")
def rule_unknown_severity(ws: Workspace) -> list[str]:
    ws.sub("severity: blocker", "severity: fatal", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml", "depth")
def rule_condition_nested_thousands_deep(ws: Workspace) -> list[str]:
    deep = "{not: " * 3000 + "{is_true: robots_allowed}" + "}" * 3000
    ws.sub("condition: {is_true: robots_allowed}", f"condition: {deep}", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:7", "depth")
def rule_condition_nested_forty_deep(ws: Workspace) -> list[str]:
    deep = "{not: " * 40 + "{is_true: robots_allowed}" + "}" * 40
    ws.sub("condition: {is_true: robots_allowed}", f"condition: {deep}", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-REGEX.yaml:7", "(?<=")
def rule_regex_the_engine_cannot_run(ws: Workspace) -> list[str]:
    text = (ws.pack() / "T-ROBOTS.yaml").read_text()
    text = text.replace("T-ROBOTS", "T-REGEX").replace(
        "{is_true: robots_allowed}", "{field: language, matches: '(?<=e)n'}"
    )
    ws.rule("T-REGEX.yaml", text)
    return ws.check()


@case("pack", "T-REGEX.yaml:7", "[a-")
def rule_regex_invalid(ws: Workspace) -> list[str]:
    text = (ws.pack() / "T-ROBOTS.yaml").read_text()
    text = text.replace("T-ROBOTS", "T-REGEX").replace("{is_true: robots_allowed}", "{field: language, matches: '[a-'}")
    ws.rule("T-REGEX.yaml", text)
    return ws.check()


@case("pack", "pack", "no rule files")
def pack_without_rules(ws: Workspace) -> list[str]:
    for path in ws.pack().glob("T-*.yaml"):
        path.unlink()
    return ws.check()


@case("pack", "nopack", "--pack")
def pack_folder_missing(ws: Workspace) -> list[str]:
    return ws.check(pack=str(ws.root / "nopack"))


@case("pack", "T-ROBOTS.yaml:2", "UTF-8")
def rule_not_utf8(ws: Workspace) -> list[str]:
    path = ws.pack() / "T-ROBOTS.yaml"
    path.write_bytes(path.read_bytes().replace("爬取".encode(), b"\xc0\xc1"))
    return ws.check()


@case("pack", "T-ROBOTS.yaml:2", "python/name")
def rule_python_tag(ws: Workspace) -> list[str]:
    ws.sub("title: {en:", "title: !!python/name:os.system {en:", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "pack.yaml:13", "unknown field", "size")
def measure_unknown_field(ws: Workspace) -> list[str]:
    ws.sub("field: size_bytes", "field: size", ws.pack() / "pack.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:7", "robots_allowed", "true or false")
def rule_boolean_compared_to_text(ws: Workspace) -> list[str]:
    ws.sub(
        "condition: {is_true: robots_allowed}",
        "condition: {field: robots_allowed, eq: 'yes please'}",
        ws.pack() / "T-ROBOTS.yaml",
    )
    return ws.check()


@case("pack", "T-SAMPLE.yaml", "tolerance")
def rule_tolerance_above_one(ws: Workspace) -> list[str]:
    ws.sub("severity: error", "severity: error\ntolerance: 1.5", ws.pack() / "T-SAMPLE.yaml")
    return ws.check()


@case("pack", "T-SAMPLE.yaml", "tolerance")
def rule_negative_tolerance(ws: Workspace) -> list[str]:
    ws.sub("severity: error", "severity: error\ntolerance: -0.1", ws.pack() / "T-SAMPLE.yaml")
    return ws.check()


@case("pack", "T-ROBOTS.yaml:5", "severity")
def rule_duplicate_key(ws: Workspace) -> list[str]:
    ws.sub("scope: item", "severity: info", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-NEW.yaml", "T-NEW", "implementation")
def rule_python_without_function(ws: Workspace) -> list[str]:
    text = (ws.pack() / "T-SAMPLE.yaml").read_text().replace("T-SAMPLE", "T-NEW")
    text = text.replace("scope: source", "scope: dataset\nimplementation: python")
    text = text.replace(
        "applies_if: {not_null: safety_sample_rate}\ncondition: {field: safety_sample_rate, le: 0.05}\n", ""
    )
    ws.rule("T-NEW.yaml", text)
    return ws.check()


@case("pack", "T-EMPTY.yaml", "mapping")
def rule_file_empty(ws: Workspace) -> list[str]:
    ws.rule("T-EMPTY.yaml", "")
    return ws.check()


@case("pack", "T-LIST.yaml:1", "mapping")
def rule_file_is_a_list(ws: Workspace) -> list[str]:
    ws.rule("T-LIST.yaml", "- id: T-LIST\n")
    return ws.check()


@case("pack", "T-LINK.yaml", "outside")
def rule_file_symlinked_outside(ws: Workspace) -> list[str]:
    secret = ws.root / "secret.yaml"
    secret.write_text((ws.pack() / "T-ROBOTS.yaml").read_text().replace("T-ROBOTS", "T-LINK"))
    (ws.pack() / "T-LINK.yaml").symlink_to(secret)
    return ws.check()


@case("pack", "pack.yaml", "outside")
def pack_manifest_symlinked_outside(ws: Workspace) -> list[str]:
    secret = ws.root / "elsewhere.yaml"
    shutil.move(ws.pack() / "pack.yaml", secret)
    (ws.pack_dir / "pack.yaml").symlink_to(secret)
    return ws.check()


@case("pack", "T-ROBOTS.yaml:2", "en")
def rule_empty_title(ws: Workspace) -> list[str]:
    ws.sub("title: {en: Crawled items obey robots.txt,", "title: {en: '',", ws.pack() / "T-ROBOTS.yaml")
    return ws.check()


@case("pack", "T-SAMPLE.yaml:7", "le", "number")
def rule_number_operator_with_text(ws: Workspace) -> list[str]:
    ws.sub("le: 0.05", "le: five percent", ws.pack() / "T-SAMPLE.yaml")
    return ws.check()


@case("pack", "T-SAMPLE.yaml:6", "scope")
def rule_item_field_in_source_rule(ws: Workspace) -> list[str]:
    ws.sub(
        "applies_if: {not_null: safety_sample_rate}",
        "applies_if: {not_null: robots_allowed}",
        ws.pack() / "T-SAMPLE.yaml",
    )
    return ws.check()


# ============================================================================================================
# Templates and message catalogues (report --templates)
# ============================================================================================================


@case("template", "document.html.j2:3", "template")
def template_syntax_error(ws: Workspace) -> list[str]:
    ws.templates("<html>\n{% if doc.dataset %}\n</html>\n")
    return ws.report_with_templates()


@case("template", "document.html.j2:3", "no_such_field")
def template_undefined_variable(ws: Workspace) -> list[str]:
    ws.templates("<html>\n<p>\n{{ doc.no_such_field }}\n</html>\n")
    return ws.report_with_templates()


@case("template", "document.html.j2", "UTF-8")
def template_not_utf8(ws: Workspace) -> list[str]:
    ws.templates()
    (ws.tpl / "findings" / "document.html.j2").write_bytes(b"<html>caf\xe9 {{ doc.dataset }}</html>")
    return ws.report_with_templates()


@case("template", "document.html.j2", "outside")
def template_symlinked_outside(ws: Workspace) -> list[str]:
    secret = ws.root / "secret.txt"
    secret.write_text("the secret {{ doc.dataset }}")
    (ws.tpl / "findings").mkdir(parents=True)
    (ws.tpl / "findings" / "document.html.j2").symlink_to(secret)
    return ws.report_with_templates()


@case("template", "findings", "outside")
def template_folder_symlinked_outside(ws: Workspace) -> list[str]:
    elsewhere = ws.root / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "document.html.j2").write_text("<html>{{ doc.dataset }}</html>")
    ws.tpl.mkdir()
    (ws.tpl / "findings").symlink_to(elsewhere, target_is_directory=True)
    return ws.report_with_templates()


@case("template", "document.html.j2:1", "missing.html.j2")
def template_includes_missing(ws: Workspace) -> list[str]:
    ws.templates('{% include "missing.html.j2" %}\n')
    return ws.report_with_templates()


@case("template", "document.html.j2:1", "unsafe")
def template_reaches_for_internals(ws: Workspace) -> list[str]:
    ws.templates("{{ t.__class__.__init__.__globals__ }}\n")
    return ws.report_with_templates()


@case("template", "document.html.j2:2", "division")
def template_divides_by_zero(ws: Workspace) -> list[str]:
    ws.templates("<html>\n{{ 1 / 0 }}\n</html>\n")
    return ws.report_with_templates()


@case("template", "document.html.j2:1", "secret.txt")
def template_includes_outside_by_dots(ws: Workspace) -> list[str]:
    (ws.root / "secret.txt").write_text("secret")
    ws.templates('{% include "../../secret.txt" %}\n')
    return ws.report_with_templates()


@case("template", "document.html.j2:1", "base-missing.html.j2")
def template_extends_missing(ws: Workspace) -> list[str]:
    ws.templates('{% extends "base-missing.html.j2" %}\n')
    return ws.report_with_templates()


@case("template", "tpl", "is a file")
def templates_option_is_a_file(ws: Workspace) -> list[str]:
    ws.tpl.write_text("not a folder")
    return ws.report_with_templates()


@case("catalogue", "en.yaml:3", "malformed YAML", "line 2")
def catalogue_malformed(ws: Workspace) -> list[str]:
    ws.catalogue("outcome:\n  fail: [FAIL\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml", "mapping")
def catalogue_not_a_mapping(ws: Workspace) -> list[str]:
    ws.catalogue("- a\n- b\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml", "outcome.fail")
def catalogue_value_not_text(ws: Workspace) -> list[str]:
    ws.catalogue("outcome:\n  fail: 42\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml", "no.such.message")
def catalogue_missing_message(ws: Workspace) -> list[str]:
    ws.templates("<html>{{ t('no.such.message') }}</html>\n")
    ws.catalogue("outcome:\n  fail: FAIL\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml:2", "UTF-8")
def catalogue_not_utf8(ws: Workspace) -> list[str]:
    ws.catalogue(b"outcome:\n  fail: \xff\xfe\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml", "outside")
def catalogue_symlinked_outside(ws: Workspace) -> list[str]:
    secret = ws.root / "secret.yaml"
    secret.write_text("outcome:\n  fail: the secret\n")
    ws.templates()
    (ws.tpl / "i18n").mkdir()
    (ws.tpl / "i18n" / "en.yaml").symlink_to(secret)
    return ws.report_with_templates()


@case("catalogue", "i18n", "outside")
def catalogue_folder_symlinked_outside(ws: Workspace) -> list[str]:
    elsewhere = ws.root / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "en.yaml").write_text("outcome:\n  fail: the secret\n")
    ws.templates()
    (ws.tpl / "i18n").symlink_to(elsewhere, target_is_directory=True)
    return ws.report_with_templates()


@case("catalogue", "en.yaml:3", "fail")
def catalogue_duplicate_key(ws: Workspace) -> list[str]:
    ws.catalogue("outcome:\n  fail: FAIL\n  fail: FAILED\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml", "depth")
def catalogue_deeply_nested(ws: Workspace) -> list[str]:
    ws.catalogue("a: " + "{b: " * 3000 + "x" + "}" * 3000 + "\n")
    return ws.report_with_templates()


@case("catalogue", "en.yaml:1", "python/object")
def catalogue_python_tag(ws: Workspace) -> list[str]:
    ws.catalogue("outcome: !!python/object/apply:os.system [echo hacked]\n")
    return ws.report_with_templates()


# ============================================================================================================
# Statements (cn-assess --statements)
# ============================================================================================================


@case("statements", "statements.yaml:4", "malformed YAML")
def statements_malformed(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nclauses:\n  IM-8: {result: 符合, evidence: [a]\n")


@case("statements", "statements.yaml:3", "NO-SUCH")
def statements_unknown_clause(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nclauses:\n  NO-SUCH: {result: 符合, evidence: [a]}\n")


@case("statements", "statements.yaml:3", "IM-17", "provenance")
def statements_clause_decided_by_rules(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nclauses:\n  IM-17: {result: 符合, evidence: [a]}\n")


@case("statements", "statements.yaml:1", "mapping")
def statements_not_a_mapping(ws: Workspace) -> list[str]:
    return ws.statements("- IM-8\n")


@case("statements", "nostatements.yaml", "not found")
def statements_missing(ws: Workspace) -> list[str]:
    return ws.cn_assess("--statements", str(ws.root / "tiny" / "nostatements.yaml"))


@case("statements", "statements.yaml:3", "evidence")
def statements_compliant_without_evidence(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nclauses:\n  IM-8: {result: 符合}\n")


@case("statements", "statements.yaml:3", "result")
def statements_unknown_result(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nclauses:\n  IM-8: {result: done, evidence: [a]}\n")


@case("statements", "statements.yaml:2", "clause")
def statements_unknown_field(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nclause:\n  IM-8: {result: 符合, evidence: [a]}\n")


@case("statements", "statements.yaml:4", "IM-8")
def statements_duplicate_clause(ws: Workspace) -> list[str]:
    return ws.statements(
        "schema_version: 1\nclauses:\n  IM-8: {result: 符合, evidence: [a]}\n  IM-8: {result: 符合, evidence: [b]}\n"
    )


@case("statements", "statements.yaml:4", "pi_subjects")
def statements_negative_count(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nexport:\n  exported: true\n  pi_subjects: -5\n")


@case("statements", "statements.yaml:4", "5,000 digits")
def statements_huge_count(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nexport:\n  exported: true\n  pi_subjects: " + "9" * 5000 + "\n")


@case("statements", "statements.yaml:4", "manual_verification_ratio")
def statements_nan_ratio(ws: Workspace) -> list[str]:
    return ws.statements("schema_version: 1\nannotation:\n  count: 10\n  manual_verification_ratio: .nan\n")


@case("statements", "statements.yaml:3", "total")
def statements_annotator_sum(ws: Workspace) -> list[str]:
    return ws.statements(
        "schema_version: 1\nannotation:\n  annotators:\n    total: 10\n    internal: 3\n    outsourced: 3\n"
    )


# ============================================================================================================
# Reviewed sample (cn-assess --reviewed)
# ============================================================================================================


def _set(
    column: str, row: int, value: str
) -> Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        rows[row][header.index(column)] = value
        return header, rows

    return edit


@case("reviewed", "reviewed.csv:3", "verdict", "fine")
def reviewed_bad_verdict(ws: Workspace) -> list[str]:
    return ws.reviewed(_set("verdict", 1, "fine"))


@case("reviewed", "reviewed.csv:2", "risk_code", "Z.9")
def reviewed_unknown_risk_code(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        rows[0][header.index("verdict")] = "unqualified"
        rows[0][header.index("risk_code")] = "Z.9"
        return header, rows

    return ws.reviewed(edit)


@case("reviewed", "reviewed.csv:4", "risk_code")
def reviewed_unqualified_without_code(ws: Workspace) -> list[str]:
    return ws.reviewed(_set("verdict", 2, "unqualified"))


@case("reviewed", "reviewed.csv:1", "verdict", "required column")
def reviewed_missing_column(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        index = header.index("verdict")
        return [h for i, h in enumerate(header) if i != index], [
            [v for i, v in enumerate(r) if i != index] for r in rows
        ]

    return ws.reviewed(edit)


@case("reviewed", "reviewed.csv", "lines 2, 3", "duplicate")
def reviewed_duplicate_row(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        return header, [rows[0], *rows]

    return ws.reviewed(edit)


@case("reviewed", "reviewed.csv:2", "zz9", "not in the")
def reviewed_extra_item(ws: Workspace) -> list[str]:
    return ws.reviewed(_set("item_id", 0, "zz9"))


@case("reviewed", "reviewed.csv", "missing from the file", "item_id")
def reviewed_missing_item(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        return header, rows[1:]

    return ws.reviewed(edit)


@case("reviewed", "reviewed.xlsx", "cannot read")
def reviewed_xlsx_truncated(ws: Workspace) -> list[str]:
    data = xlsx_bytes([list(REVIEWED[0]), *REVIEWED[1]])
    path = ws.write("reviewed.xlsx", data[: len(data) // 2])
    return ws.reviewed_args(path)


@case("reviewed", "reviewed.xlsx: row 1", "verdict", "2 times")
def reviewed_xlsx_duplicate_header(ws: Workspace) -> list[str]:
    header = [*REVIEWED[0], "verdict"]
    path = ws.write("reviewed.xlsx", xlsx_bytes([header, *[[*r, "unqualified"] for r in REVIEWED[1]]]))
    return ws.reviewed_args(path)


@case("reviewed", "reviewed.csv:1", "verdict", "2 times")
def reviewed_csv_duplicate_header(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        return [*header, "verdict"], [[*r, ""] for r in rows]

    return ws.reviewed(edit)


@case("reviewed", "reviewed.parquet", "cannot read")
def reviewed_parquet_corrupt(ws: Workspace) -> list[str]:
    path = ws.write("reviewed.parquet", b"PAR1 nothing PAR1")
    return ws.reviewed_args(path)


@case("reviewed", "reviewed.csv:3", "UTF-8")
def reviewed_not_utf8(ws: Workspace) -> list[str]:
    args = ws.reviewed(lambda h, r: (h, r))
    path = ws.root / "tiny" / "reviewed.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2] + b"\xff"
    path.write_bytes(b"\n".join(lines))
    return args


@case("reviewed", "reviewed.csv:4", "cells")
def reviewed_ragged_row(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        rows[2] = rows[2][:3]
        return header, rows

    return ws.reviewed(edit)


@case("reviewed", "reviewed.csv:2", "source_id", "belongs to source")
def reviewed_wrong_source(ws: Workspace) -> list[str]:
    def edit(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        index = header.index("source_id")
        rows[0][index] = "web" if rows[0][index] != "web" else "cc"
        return header, rows

    return ws.reviewed(edit)


@case("reviewed", "reviewed.csv:2", "sample", "everything")
def reviewed_bad_sample_kind(ws: Workspace) -> list[str]:
    return ws.reviewed(_set("sample", 0, "everything"))


@case("reviewed", "reviewed.csv", "no rows")
def reviewed_header_only(ws: Workspace) -> list[str]:
    return ws.reviewed(lambda h, r: (h, []))


# ============================================================================================================
# Saved JSON documents (render, --previous)
# ============================================================================================================


@case("document", "findings.json:2", "not JSON")
def document_not_json(ws: Workspace) -> list[str]:
    return ws.render('{\n "document": findings\n}')


@case("document", "findings.json", "dataset", "duplicate")
def document_duplicate_key(ws: Workspace) -> list[str]:
    text = json.dumps(document(), indent=1)
    text = text.replace('"dataset": "tiny-corpus"', '"dataset": "tiny-corpus",\n  "dataset": "someone else"', 1)
    return ws.render(text)


@case("document", "findings.json", "NaN")
def document_nan(ws: Workspace) -> list[str]:
    doc = document()
    doc["item_fractions"][0]["failing_percent"] = float("nan")  # type: ignore[index]
    return ws.render(json.dumps(doc))


@case("document", "findings.json", "document", "receipt")
def document_unknown_kind(ws: Workspace) -> list[str]:
    doc = document()
    doc["document"] = "receipt"
    return ws.render(doc)


@case("document", "findings.json", "$", "dataset")
def document_missing_field(ws: Workspace) -> list[str]:
    doc = document()
    del doc["dataset"]
    return ws.render(doc)


@case("document", "findings.json", "depth")
def document_deeply_nested(ws: Workspace) -> list[str]:
    return ws.render('{"document": "findings", "x": ' + nested(100_000, "1") + "}")


@case("document", "findings.json", "digits")
def document_five_thousand_digits(ws: Workspace) -> list[str]:
    text = json.dumps(document())
    return ws.render(text.replace('"document": "findings"', '"document": "findings", "n": ' + "9" * 5000, 1))


@case("document", "findings.json", "object")
def document_top_level_array(ws: Workspace) -> list[str]:
    return ws.render("[1, 2, 3]")


@case("document", "findings.json:1", "UTF-8")
def document_not_utf8(ws: Workspace) -> list[str]:
    return ws.render(b'{"document": "findings", "dataset": "caf\xe9"}')


@case("document", "findings.json", "not JSON")
def document_empty(ws: Workspace) -> list[str]:
    return ws.render("")


@case("document", "findings.json", "$.rules_failing[0].failed")
def document_wrong_nested_type(ws: Workspace) -> list[str]:
    doc = document()
    doc["rules_failing"][0]["failed"] = "many"  # type: ignore[index]
    return ws.render(doc)


@case("document", "findings.json", "Infinity")
def document_infinity(ws: Workspace) -> list[str]:
    text = json.dumps(document())
    return ws.render(text.replace('"failing_percent": 25.0', '"failing_percent": Infinity', 1))


@case("document", "previous.json", "--previous", "eu-training-summary")
def previous_is_not_a_summary(ws: Workspace) -> list[str]:
    path = ws.write("previous.json", json.dumps(document()))
    return ws.report("--previous", str(path))


@case("document", "previous.json", "duplicate")
def previous_with_duplicate_key(ws: Workspace) -> list[str]:
    path = ws.write("previous.json", '{"document": "eu-training-summary", "document": "findings"}')
    return ws.report("--previous", str(path))


# ============================================================================================================
# Command-line options
# ============================================================================================================


@case("cli", "--memory-limit", "lots")
def memory_limit_words(ws: Workspace) -> list[str]:
    return ws.check("--memory-limit", "lots")


@case("cli", "--memory-limit", "-1GB")
def memory_limit_negative(ws: Workspace) -> list[str]:
    return ws.check("--memory-limit", "-1GB")


@case("cli", "--memory-limit", "12XB")
def memory_limit_unknown_unit_in_sample(ws: Workspace) -> list[str]:
    return ws.sample("--memory-limit", "12XB")


@case("cli", "--memory-limit", "abc")
def memory_limit_in_cn_assess(ws: Workspace) -> list[str]:
    return ws.cn_assess("--memory-limit", "abc")


@case("cli", "--threads", "0")
def threads_zero(ws: Workspace) -> list[str]:
    return ws.check("--threads", "0")


@case("cli", "--date", "2025-02-30")
def date_impossible(ws: Workspace) -> list[str]:
    args = ws.check()
    args[args.index("--date") + 1] = "2025-02-30"
    return args


@case("cli", "--date", "yesterday")
def date_words(ws: Workspace) -> list[str]:
    args = ws.check()
    args[args.index("--date") + 1] = "yesterday"
    return args


@case("cli", "--assessment-date", "2025-02-30")
def assessment_date_impossible(ws: Workspace) -> list[str]:
    args = ws.cn_assess()
    args[args.index("--assessment-date") + 1] = "2025-02-30"
    return args


@case("cli", "--assessment-date", "2020-01-01")
def assessment_date_before_any_profile(ws: Workspace) -> list[str]:
    args = ws.cn_assess()
    args[args.index("--assessment-date") + 1] = "2020-01-01"
    return args


@case("cli", "--format", "odt")
def format_unknown(ws: Workspace) -> list[str]:
    args = ws.report()
    args[args.index("--format") + 1] = "json,odt"
    return args


@case("cli", "--lang", "fr")
def lang_unknown(ws: Workspace) -> list[str]:
    return ws.report("--lang", "fr")


@case("cli", "--document", "memo")
def document_unknown(ws: Workspace) -> list[str]:
    args = ws.report()
    args[args.index("--document") + 1] = "memo"
    return args


@case("cli", "--pack", "no-such-pack")
def pack_unknown(ws: Workspace) -> list[str]:
    return ws.check(pack="no-such-pack")


@case("cli", "--pack", "twice")
def pack_twice(ws: Workspace) -> list[str]:
    return ws.check("--pack", TINY_PACK)


@case("cli", "--param", "no_such_parameter")
def param_unknown(ws: Workspace) -> list[str]:
    return ws.cn_assess("--param", "no_such_parameter=1")


@case("cli", "--param", "per_source_sample_min", "lots")
def param_not_a_number(ws: Workspace) -> list[str]:
    return ws.cn_assess("--param", "per_source_sample_min=lots")


@case("cli", "--param", "NAME=VALUE")
def param_without_equals(ws: Workspace) -> list[str]:
    return ws.cn_assess("--param", "per_source_sample_min")


@case("cli", "--param", "per_source_sample_min")
def param_five_thousand_digits(ws: Workspace) -> list[str]:
    return ws.cn_assess("--param", "per_source_sample_min=" + "9" * 5000)


@case("cli", "--param", "manual_qualified_rate_min", "nan")
def param_nan(ws: Workspace) -> list[str]:
    return ws.cn_assess("--param", "manual_qualified_rate_min=nan")


@case("cli", "--seed", "-1")
def seed_negative(ws: Workspace) -> list[str]:
    args = ws.sample()
    args[args.index("--seed") + 1] = "-1"
    return args


@case("cli", "--per-source", "-5")
def per_source_negative(ws: Workspace) -> list[str]:
    args = ws.sample()
    args[args.index("--per-source") + 1] = "-5"
    return args


@case("cli", "--max-rejected-rows", "-1")
def max_rejected_negative(ws: Workspace) -> list[str]:
    return ws.check("--max-rejected-rows", "-1")


@case("cli", "--font", "nofont.ttf")
def font_missing(ws: Workspace) -> list[str]:
    args = ws.report("--font", str(ws.root / "nofont.ttf"))
    args[args.index("--format") + 1] = "pdf"
    return args


@case("cli", "--templates", "notemplates")
def templates_missing(ws: Workspace) -> list[str]:
    return ws.report("--templates", str(ws.root / "notemplates"))


@case("cli", "--out", "sample.txt")
def sample_unknown_suffix(ws: Workspace) -> list[str]:
    return ws.sample(out="sample.txt")


@case("cli", "--engine", "postgres")
def engine_unknown(ws: Workspace) -> list[str]:
    return ws.check("--engine", "postgres")


@case("cli", "--spark-master", "only with --engine spark")
def spark_master_without_spark(ws: Workspace) -> list[str]:
    return ws.check("--spark-master", "spark://x:7077")


@case("cli", "SOURCE_DATE_EPOCH", "soon", env={"SOURCE_DATE_EPOCH": "soon"})
def source_date_epoch_words(ws: Workspace) -> list[str]:
    args = ws.check()
    index = args.index("--date")
    return args[:index] + args[index + 2 :]


@case("cli", "SOURCE_DATE_EPOCH", env={"SOURCE_DATE_EPOCH": "9" * 40})
def source_date_epoch_out_of_range(ws: Workspace) -> list[str]:
    args = ws.check()
    index = args.index("--date")
    return args[:index] + args[index + 2 :]


@case("cli", "--large-dataset-threshold", "0")
def large_threshold_zero(ws: Workspace) -> list[str]:
    return ws.report("--large-dataset-threshold", "0")


@case("cli", "--previous", "noprevious.json")
def previous_missing(ws: Workspace) -> list[str]:
    return ws.report("--previous", str(ws.root / "noprevious.json"))


@case("cli", "--statements", "cn-genai")
def statements_without_cn_pack(ws: Workspace) -> list[str]:
    path = ws.write("statements.yaml", "schema_version: 1\n")
    return ws.report("--statements", str(path))


@case("cli", "--reviewed", "--seed")
def reviewed_without_seed(ws: Workspace) -> list[str]:
    path = ws.write("reviewed.csv", "item_id\n")
    return ws.cn_assess("--reviewed", str(path))


@case("cli", "items.parquet", "Parquet already")
def convert_parquet(ws: Workspace) -> list[str]:
    path = ws.items_parquet()
    return ["convert", str(path), "--out", str(ws.out)]


@case("cli", "items.csv:4", "too few cells", "nothing was written")
def convert_ragged_row(ws: Workspace) -> list[str]:
    ws.item_line(4, "w3,web,text")
    return ["convert", str(ws.items), "--out", str(ws.out)]


@case("cli", "--items", "0")
def example_zero_items(ws: Workspace) -> list[str]:
    return ["example", str(ws.out), "--items", "0"]


@case("cli", "blocker", "cannot create")
def check_out_under_a_file(ws: Workspace) -> list[str]:
    args = ws.check()
    ws.write("blocker", "a file")
    args[args.index("--out") + 1] = str(ws.root / "tiny" / "blocker" / "result.json")
    return args


@case("cli", "--pdf-variant", "pdf/x")
def pdf_variant_unknown(ws: Workspace) -> list[str]:
    return ws.report("--pdf-variant", "pdf/x")


@case("cli", "--fail-on", "fatal")
def fail_on_unknown(ws: Workspace) -> list[str]:
    return ws.check("--fail-on", "fatal")


@case("cli", "--pack", "\\x1b")
def pack_name_with_control_sequence(ws: Workspace) -> list[str]:
    return ws.check(pack="evil\x1b]0;owned\x07\x1b[2J")


@case("cli", "--per-source", "--corpus")
def sample_without_sizes(ws: Workspace) -> list[str]:
    args = ws.sample()
    for option in ("--per-source", "--corpus"):
        index = args.index(option)
        args = args[:index] + args[index + 2 :]
    return args


# ============================================================================================================
# The test
# ============================================================================================================


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


class _Hung(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hung(f"no answer within {SECONDS_PER_CASE} s")


@pytest.fixture
def deadline() -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_CASE)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("bad", CASES, ids=lambda c: c.id)
def test_bad_input(bad: Case, tmp_path: Path, deadline: None) -> None:
    ws = Workspace(tmp_path)
    args = bad.build(ws)
    before = _files(tmp_path)
    done = CliRunner(env=bad.env).invoke(main, args)
    trace = "".join(traceback.format_exception(done.exception)) if done.exception else ""
    assert not isinstance(done.exception, _Hung), trace
    assert done.exception is None or isinstance(done.exception, SystemExit), f"uncaught exception:\n{trace}"
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    for fragment in bad.where:
        assert fragment in done.output, f"{fragment!r} not named in:\n{done.output}"
    assert _files(tmp_path) == before, "files were written or changed"
    assert not (ws.out.exists() and any(ws.out.iterdir())), "an output was written"


def test_the_catalogue_is_large_and_covers_every_kind() -> None:
    kinds = {c.id.split("/")[0] for c in CASES}
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)
    assert kinds == {
        "manifest",
        "inventory-csv",
        "inventory-xlsx",
        "inventory-parquet",
        "items-csv",
        "items-parquet",
        "items-jsonl",
        "items-hive",
        "pack",
        "template",
        "catalogue",
        "statements",
        "reviewed",
        "document",
        "cli",
    }
