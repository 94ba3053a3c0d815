"""The reviewer's sample: deterministic, independent of file order and split, equal to a plain-Python oracle.

The oracle is written from the definition only: key = first 16 hex digits of SHA-256(str(seed) + NUL + item_id),
order by (key, item_id), K smallest per source, N smallest overall.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from aireport.cli import main
from aireport.errors import InputError
from aireport.load.cn.profile import load_appendix_a
from aireport.models.cn.sample import DrawnSample, SampleKind, SampleSpec
from aireport.pipeline import RunRequest, draw
from aireport.render.cn.sample_file import PARQUET_METADATA_KEY, SampleContext, sample_file_bytes

SOURCES = {"web": 700, "books": 250, "tiny": 30, "unused": 50}

MANIFEST = """\
dataset: sample-test
provider: {legal_name: Sample Test Ltd.}
models: [{name: m}]
sources:
  - {source_id: web, name: Web, eu_category: crawled, cn_acquisition: self_collected, modality: text}
  - {source_id: books, name: Books, eu_category: licensed, cn_acquisition: commercial, modality: text}
  - {source_id: tiny, name: Tiny, eu_category: public_dataset, cn_acquisition: open_source, modality: image}
  - {source_id: unused, name: Unused, eu_category: other, cn_acquisition: commercial, modality: text,
     used_in_training: false}
items: [items/]
"""


def sample_of(manifest: Path, spec: SampleSpec) -> DrawnSample:
    """The sample the pipeline draws, as ``aireport sample`` does."""
    return draw(RunRequest(manifest=manifest, packs=(), document_date="2026-01-01", sample=spec))[0]


def item_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for source, n in SOURCES.items():
        for i in range(n):
            # Every 97th web item is excluded from training at item level: it must never be drawn.
            used = not (source == "web" and i % 97 == 3)
            rows.append({"item_id": f"{source}-{i:04d}", "source_id": source, "used_in_training": used})
    return rows


def write_dataset(folder: Path, rows: list[dict[str, object]], files: int = 1, manifest: str = MANIFEST) -> Path:
    (folder / "items").mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yaml").write_text(manifest)
    schema = pa.schema([("item_id", pa.string()), ("source_id", pa.string()), ("used_in_training", pa.bool_())])
    chunk = -(-len(rows) // files)
    for part in range(files):
        table = pa.Table.from_pylist(rows[part * chunk : (part + 1) * chunk], schema=schema)
        pq.write_table(table, folder / "items" / f"part-{part}.parquet")
    return folder / "manifest.yaml"


def oracle(rows: list[dict[str, object]], seed: int, k: int, n: int) -> list[tuple[str, str, str, str]]:
    def key(item: str) -> str:
        return hashlib.sha256(f"{seed}\x00{item}".encode()).hexdigest()[:16]

    frame = [r for r in rows if r["source_id"] != "unused" and r["used_in_training"]]
    out = []
    for source in sorted({str(r["source_id"]) for r in frame}):
        ordered = sorted((key(str(r["item_id"])), str(r["item_id"])) for r in frame if r["source_id"] == source)
        out += [("per_source", source, item, h) for h, item in ordered[:k]]
    overall = sorted((key(str(r["item_id"])), str(r["item_id"]), str(r["source_id"])) for r in frame)
    out += [("corpus", source, item, h) for h, item, source in overall[:n]]
    return out


def drawn(manifest: Path, seed: int, k: int, n: int) -> list[tuple[str, str, str, str]]:
    sample = sample_of(manifest, SampleSpec(seed=seed, per_source=k, corpus=n))
    return [(r.sample.value, r.source_id, r.item_id, r.hash_key) for r in sample.rows]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("sample"), item_rows())


def test_sample_equals_the_plain_python_oracle(dataset: Path) -> None:
    got = drawn(dataset, seed=42, k=40, n=60)
    assert got == oracle(item_rows(), 42, 40, 60)
    per_source = [g for g in got if g[0] == "per_source"]
    # tiny has only 30 items: the whole source; unused never appears; web's excluded items never appear.
    assert sum(1 for g in per_source if g[1] == "tiny") == 30
    assert {g[1] for g in got} == {"web", "books", "tiny"}
    assert not any(g[2].startswith("web-") and int(g[2][4:]) % 97 == 3 for g in got)


def test_corpus_larger_than_per_source_is_still_exact(dataset: Path) -> None:
    # N > K: the corpus sample needs more than K candidates per source.
    assert drawn(dataset, seed=5, k=3, n=400) == oracle(item_rows(), 5, 3, 400)


def test_same_seed_same_items_shuffled_and_split(dataset: Path, tmp_path: Path) -> None:
    rows = item_rows()
    random.Random(1).shuffle(rows)
    shuffled = write_dataset(tmp_path / "shuffled", rows, files=3)
    first = drawn(dataset, seed=2026, k=25, n=50)
    assert drawn(dataset, seed=2026, k=25, n=50) == first
    assert drawn(shuffled, seed=2026, k=25, n=50) == first


def test_different_seed_different_items(dataset: Path) -> None:
    a = {g[2] for g in drawn(dataset, seed=1, k=25, n=0)}
    b = {g[2] for g in drawn(dataset, seed=2, k=25, n=0)}
    assert a != b
    assert len(a & b) < len(a) // 2  # 75 of 980 items: an overlap near 6% is expected, not half


def test_duplicate_item_ids_in_the_sample_are_an_error(tmp_path: Path) -> None:
    rows = [*item_rows(), {"item_id": "books-0000", "source_id": "books", "used_in_training": True}]
    manifest = write_dataset(tmp_path, rows)
    with pytest.raises(InputError, match="item_id appears 2 times"):
        drawn(manifest, seed=0, k=1000, n=0)


def test_unknown_source_is_an_error(tmp_path: Path) -> None:
    rows = [*item_rows(), {"item_id": "x-1", "source_id": "nowhere", "used_in_training": True}]
    with pytest.raises(InputError, match="source_id=nowhere"):
        drawn(write_dataset(tmp_path, rows), seed=0, k=1, n=1)


def _write(fmt: str, manifest: Path) -> bytes:
    sample = sample_of(manifest, SampleSpec(seed=9, per_source=5, corpus=7))
    context = SampleContext(manifest="manifest.yaml", manifest_sha256="0" * 64, tool_version="test")
    return sample_file_bytes(fmt, sample, context, load_appendix_a())


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_files_are_byte_identical_on_every_run(dataset: Path, fmt: str) -> None:
    assert _write(fmt, dataset) == _write(fmt, dataset)


def test_xlsx_has_drop_downs_for_verdict_and_all_31_risk_codes(dataset: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(_write("xlsx", dataset))
    wb = load_workbook(path)
    assert wb.sheetnames == ["sample", "risk_codes", "method"]
    sheet = wb["sample"]
    assert [c.value for c in sheet[1]] == [
        "item_id", "source_id", "sample", "rank", "hash_key", "verdict", "risk_code", "note",
    ]  # fmt: skip
    assert sheet.max_row == 1 + 3 * 5 + 7
    rules = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert rules == {"F2:F23": '"qualified,unqualified"', "G2:G23": "=risk_codes!$A$2:$A$32"}
    codes = [row[0] for row in wb["risk_codes"].iter_rows(min_row=2, values_only=True)]
    assert len(codes) == 31
    assert codes[0] == "A.1.a"
    assert codes[-1] == "A.5.b"
    assert wb["risk_codes"]["E2"].value == "煽动颠覆国家政权、推翻社会主义制度"
    method = {row[0]: row[1] for row in wb["method"].iter_rows(min_row=2, values_only=True)}
    assert method["seed"] == "9"
    assert method["duckdb"].startswith("substr(sha256(")
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_csv_and_parquet_carry_the_method(dataset: Path) -> None:
    text = _write("csv", dataset).decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith("# key: first 16 hex digits of SHA-256") for line in comments)
    body = list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    assert len(body) == 22
    assert body[0]["verdict"] == ""
    assert body[0]["sample"] == SampleKind.PER_SOURCE.value
    table = pq.read_table(io.BytesIO(_write("parquet", dataset)))
    meta = json.loads(table.schema.metadata[PARQUET_METADATA_KEY])
    assert meta["seed"] == 9
    assert meta["per_source"] == 5
    assert meta["corpus"] == 7
    assert len(meta["risk_codes"]) == 31


def test_cli_sample(dataset: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "s.csv"
    args = ["sample", str(dataset), "--per-source", "4", "--corpus", "6", "--seed", "3", "--out", str(out)]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "item_id,source_id,sample" in out.read_text(encoding="utf-8-sig")
    bad = runner.invoke(main, [*args[:-1], str(tmp_path / "s.txt")])
    assert bad.exit_code == 2
    assert "write .xlsx, .csv or .parquet" in bad.output
    none = runner.invoke(main, ["sample", str(dataset), "--seed", "3", "--out", str(out)])
    assert none.exit_code == 2
    assert "--per-source K, --corpus N" in none.output


def test_unparseable_csv_rows_are_an_error_not_a_smaller_frame(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text(MANIFEST.replace("items: [items/]", "items: [items.csv]"))
    lines = ["item_id,source_id,used_in_training", "web-1,web,true", "web-2,web,maybe", "web-3,web,true"]
    (tmp_path / "items.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="1 CSV rows cannot be parsed"):
        drawn(tmp_path / "manifest.yaml", seed=0, k=5, n=5)
