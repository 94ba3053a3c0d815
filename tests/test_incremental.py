"""``--cache DIR``: a run from kept per-file partials gives the result of a run without the cache, byte for byte.

Every expectation here is a run *without* the cache over the same files, computed in the same test: the
cache must change nothing but which files are read. Which files were read is what the run reports
(``Run.cache``). The items are written by hand (ids, sources, sizes, hosts, licences, robots flags, rows
out of training, a licence that does not parse) so that every rule, measure, ranking and warning of both
packs has something to add up over files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from aireport.cli import main
from aireport.engine import cache as cache_module
from aireport.engine import evaluate as evaluate_module
from aireport.engine import locate as locate_module
from aireport.engine import partials
from aireport.engine import ranking as ranking_module
from aireport.engine import scan as scan_module
from aireport.engine.config import EngineConfig
from aireport.models.run import Run
from aireport.pipeline import RunRequest, result_json, run
from tests.conftest import TINY_PACK

PACKS = ("eu-ai-act", "cn-genai")
DATE = "2025-10-01"
SCHEMA = pa.schema(
    [
        ("item_id", pa.string()),
        ("source_id", pa.string()),
        ("url", pa.string()),
        ("domain", pa.string()),
        ("modality", pa.string()),
        ("language", pa.string()),
        ("size_bytes", pa.int64()),
        ("size_tokens", pa.int64()),
        ("duration_seconds", pa.float64()),
        ("license", pa.string()),
        ("collected_at", pa.timestamp("us")),
        ("robots_allowed", pa.bool_()),
        ("used_in_training", pa.bool_()),
    ]
)
SOURCES = [
    {"source_id": "web", "name": "Crawl", "eu_category": "crawled", "cn_acquisition": "self_collected",
     "modality": "text", "crawler_name": "Bot"},
    {"source_id": "books", "name": "Books", "eu_category": "licensed", "cn_acquisition": "commercial",
     "modality": "text", "license": "CC-BY-4.0", "agreement": "c-1"},
    {"source_id": "cc", "name": "CC", "eu_category": "public_dataset", "cn_acquisition": "open_source",
     "modality": "image", "license": "CC-BY-NC-4.0"},
]  # fmt: skip
HOSTS = ["a.example.com", "b.example.com", "news.example.co.uk", "x.org", "www.x.org", ""]
LICENCES = ["CC-BY-4.0", "MIT", None, "not a licence (c)", "CC-BY-NC-4.0"]


def item(i: int) -> dict[str, Any]:
    """Item ``i``: every value a plain function of ``i``, so any split of the ids gives the same items."""
    source = ("web", "books", "cc")[i % 3]
    host = HOSTS[i // 3 % len(HOSTS)]
    return {
        "item_id": f"it-{i:05d}",
        "source_id": source,
        "url": f"https://{host}/p/{i}" if host and i % 4 else None,
        "domain": host if i % 5 else None,
        "modality": ("text", "image", "audio")[i % 7 % 3],
        "language": ("en", "de", None)[i % 11 % 3],
        "size_bytes": None if i % 13 == 0 else 100 + i * 7,
        "size_tokens": None if i % 3 else i * 3,
        "duration_seconds": None if i % 5 else (i % 40) * 0.5,  # halves: float sums exact in any order
        "license": LICENCES[i % len(LICENCES)],
        "collected_at": dt_of(i),
        "robots_allowed": None if i % 17 == 0 else i % 6 != 1,
        "used_in_training": False if i % 19 == 0 else None,
    }


def dt_of(i: int) -> dt.datetime:
    return dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 400, minutes=i)


def write_items(path: Path, ids: Sequence[int], prefix: str = "") -> None:
    """The items ``ids`` as Parquet; with a ``prefix`` (ids renamed), uncompressed and without dictionaries, so
    that ids of the same length give a file of the same size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [item(i) | ({"item_id": prefix + item(i)["item_id"]} if prefix else {}) for i in ids]
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    if prefix:
        pq.write_table(table, path, compression="none", use_dictionary=False)
    else:
        pq.write_table(table, path)


def write_manifest(root: Path, sources: Sequence[dict[str, Any]] = SOURCES, items: Any = "items/") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    document = {
        "dataset": "incremental",
        "provider": {"legal_name": "Test Provider"},
        "models": [{"name": "m"}],
        "sources": [dict(s) for s in sources],
        "items": [items],
    }
    path = root / "manifest.yaml"
    with path.open("w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump(document, handle)
    return path


def dataset(root: Path, split: Sequence[Sequence[int]]) -> Path:
    for index, ids in enumerate(split):
        write_items(root / "items" / f"part-{index:03d}.parquet", ids)
    return write_manifest(root)


def evaluate(manifest: Path, cache: Path | None, packs: Sequence[str] = PACKS, **options: Any) -> Run:
    request = RunRequest(manifest=manifest, packs=tuple(packs), document_date=DATE, cache=cache, **options)
    return run(request)


def same_as_full(manifest: Path, cache: Path, packs: Sequence[str] = PACKS) -> Run:
    """The cached run, asserted byte-identical to a run without the cache over the same files."""
    cached = evaluate(manifest, cache, packs)
    assert result_json(cached.result) == result_json(evaluate(manifest, None, packs).result)
    return cached


def scanned(evaluated: Run) -> list[str]:
    assert evaluated.cache is not None
    return sorted(evaluated.cache.scanned)


def age(path: Path, seconds: float = 3600) -> None:
    """An mtime old enough for the stat index to trust (see the racy-timestamp rule)."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_added_changed_and_removed_files(tmp_path: Path) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 120), range(120, 250), range(250, 300)])
    cache = tmp_path / "cache"
    first = same_as_full(manifest, cache)
    assert scanned(first) == ["items/part-000.parquet", "items/part-001.parquet", "items/part-002.parquet"]
    # The fixture has something in every figure the merge adds up: rejections aside, all of these are non-zero.
    result = first.result
    assert result.rows.read == 300
    assert result.rows.not_in_training > 0
    assert result.warnings
    ranking = next(m.ranking for m in result.measures if m.ranking is not None)
    assert ranking is not None
    assert ranking.distinct >= 3
    assert ranking.rows_without_group > 0
    assert any(r.evidence for r in result.rules)

    assert scanned(same_as_full(manifest, cache)) == []  # nothing changed: nothing read

    write_items(tmp_path / "d" / "items" / "part-003.parquet", range(300, 340))  # added
    assert scanned(same_as_full(manifest, cache)) == ["items/part-003.parquet"]
    assert merged_body(cache)["files_merged"] == 2  # the last run's merge and the added file's entry

    write_items(tmp_path / "d" / "items" / "part-001.parquet", [*range(120, 250), *range(400, 410)])  # changed, grown
    assert scanned(same_as_full(manifest, cache)) == ["items/part-001.parquet"]
    assert merged_body(cache)["files_merged"] == 4  # a changed file: every entry merged again

    (tmp_path / "d" / "items" / "part-000.parquet").unlink()  # removed
    after = same_as_full(manifest, cache)
    assert scanned(after) == []
    assert after.result.rows.read == 140 + 50 + 40
    assert merged_body(cache)["files_merged"] == 3


def merged_body(cache: Path) -> dict[str, Any]:
    """The body of the cache's one merged entry."""
    (folder,) = (cache / "merged").iterdir()
    body: dict[str, Any] = json.loads(json.loads((folder / "entry.json").read_text())["body"])
    return body


def test_the_merged_entry_keeps_sums_per_registrable_domain(tmp_path: Path) -> None:
    """The merged entry's ranking rows are registrable domains, not hosts (an added file's hosts are the only ones
    mapped); a new host of a known domain adds to that domain's row."""
    manifest = dataset(tmp_path / "d", [range(0, 120), range(120, 200)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    (folder,) = (cache / "merged").iterdir()
    groups = {row["grp"]: row for row in pq.read_table(folder / "ranking-0.parquet").to_pylist()}
    assert set(groups) == {"example.com", "example.co.uk", "x.org", None}  # of HOSTS; '' and no host: None
    crawled = {"source_id": "web", "used_in_training": None, "domain": "c.example.com", "url": None}
    added = [item(i) | crawled | {"item_id": f"new-{i}"} for i in range(5)]  # five more crawled rows
    pq.write_table(pa.Table.from_pylist(added, schema=SCHEMA), tmp_path / "d" / "items" / "part-002.parquet")
    after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/part-002.parquet"]
    (folder,) = (cache / "merged").iterdir()
    grown = {row["grp"]: row for row in pq.read_table(folder / "ranking-0.parquet").to_pylist()}
    assert set(grown) == set(groups)
    assert grown["example.com"]["n"] == groups["example.com"]["n"] + 5


def test_ranking_sums_past_64_bits_from_the_cache(tmp_path: Path) -> None:
    """A ranking's sums are kept as BIGINT while they fit and exactly past it: the first files' per-domain sums fit
    (kept as BIGINT), an added file's push two domains past 2**63 (its host sums and the merged entry's domain
    sums are then kept as DECIMAL), and a file added after that adds to the exact sums."""
    manifest = dataset(tmp_path / "d", [range(0, 120), range(120, 200)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    (folder,) = (cache / "merged").iterdir()
    assert pq.read_schema(folder / "ranking-0.parquet").field("value").type == pa.int64()
    huge = 2**62 + 12_345
    crawled = {"source_id": "web", "used_in_training": None, "url": None, "size_bytes": huge}
    added = [item(i) | crawled | {"item_id": f"big-{i}", "domain": ("a.example.com", "x.org")[i % 2]} for i in range(6)]
    pq.write_table(pa.Table.from_pylist(added, schema=SCHEMA), tmp_path / "d" / "items" / "part-002.parquet")
    after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/part-002.parquet"]
    (folder,) = (cache / "merged").iterdir()
    assert pq.read_schema(folder / "ranking-0.parquet").field("value").type == pa.decimal128(38, 0)
    ranking = next(m.ranking for m in after.result.measures if m.ranking is not None)
    assert ranking is not None
    assert ranking.top[0].value > 3 * 2**62  # three huge items on each of the two domains: exact past 2**63
    write_items(tmp_path / "d" / "items" / "part-003.parquet", range(200, 230))
    assert scanned(same_as_full(manifest, cache)) == ["items/part-003.parquet"]


@pytest.mark.parametrize("spread", [1, 4])
def test_added_files_in_host_buckets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spread: int) -> None:
    """The kept per-group sums and the added files' hosts add up the same whichever way they meet: a join when the
    added hosts are summed in one statement, a regroup in buckets when they are split in parts (here 4 parts and
    buckets of at most 5 stored host rows, as when a ranking runs out of memory at first)."""
    monkeypatch.setattr(ranking_module, "HOST_ROWS_PER_BUCKET", 5)
    monkeypatch.setattr(scan_module, "RANKING_SPREADS", (spread,))
    joined: list[str] = []
    add_groups = ranking_module._add_groups

    def spied(*args: Any) -> None:
        joined.append("join")
        add_groups(*args)

    monkeypatch.setattr(ranking_module, "_add_groups", spied)
    manifest = dataset(tmp_path / "d", [range(0, 100), range(100, 160)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    for index, ids in enumerate((range(160, 200), range(200, 230), range(230, 260)), start=2):
        write_items(tmp_path / "d" / "items" / f"part-{index:03d}.parquet", ids)
    after = same_as_full(manifest, cache)
    assert len(scanned(after)) == 3
    assert merged_body(cache)["files_merged"] == 4
    assert joined == (["join"] if spread == 1 else [])


def test_a_merged_entry_that_cannot_be_built_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """When DuckDB fails while the new merged entry is written, every entry is merged as without it: the same
    result, and the old merged entry stays out of use (it no longer covers the files)."""
    manifest = dataset(tmp_path / "d", [range(0, 120), range(120, 200)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    write_items(tmp_path / "d" / "items" / "part-002.parquet", range(200, 240))
    original = partials._write_parquet

    def fails_on_rankings(con: Any, sql: str, params: Any, target: Path, *rest: Any, **options: Any) -> None:
        if sql.startswith("SELECT grp"):  # the merged entry's per-group sums, not a file's per-host ones
            raise duckdb.OutOfMemoryException("could not allocate block")
        original(con, sql, params, target, *rest, **options)

    monkeypatch.setattr(partials, "_write_parquet", fails_on_rankings)
    with caplog.at_level("WARNING", logger="aireport.cache"):
        after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/part-002.parquet"]
    assert "the merged cache entry was not built" in caplog.text
    assert merged_body(cache)["files_merged"] == 2  # the old one, of the first two files
    assert not list(cache.glob(".staging-*"))
    monkeypatch.setattr(partials, "_write_parquet", original)
    assert scanned(same_as_full(manifest, cache)) == []
    assert merged_body(cache)["files_merged"] == 2  # the old merge and the third file's entry


def test_the_documents_are_the_same(tmp_path: Path) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 90), range(90, 200)])
    out = {}
    for name, extra in (
        ("full", []),
        ("cold", ["--cache", str(tmp_path / "c")]),
        ("warm", ["--cache", str(tmp_path / "c")]),
    ):
        target = tmp_path / name
        outcome = CliRunner().invoke(
            main,
            ["report", str(manifest), "--pack", "eu-ai-act", "--pack", "cn-genai", "--document",
             "findings,eu-training-summary,eu-annex-xi-data", "--format", "json", "--date", DATE, "--out",
             str(target), "-q", *extra],
        )  # fmt: skip
        assert outcome.exit_code == 0, outcome.output
        out[name] = {p.name: p.read_bytes() for p in sorted(target.iterdir())}
    assert out["full"]
    assert out["cold"] == out["full"]
    assert out["warm"] == out["full"]


def test_failing_items_from_the_cache(tmp_path: Path) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 100), range(100, 230)])
    full = evaluate(manifest, None, failing_items=tmp_path / "f0")
    cold = evaluate(manifest, tmp_path / "c", failing_items=tmp_path / "f1")
    warm = evaluate(manifest, tmp_path / "c", failing_items=tmp_path / "f2")
    assert scanned(warm) == []
    expected = (tmp_path / "f0" / "failing-items.parquet").read_bytes()
    assert pq.read_table(tmp_path / "f0" / "failing-items.parquet").num_rows > 0
    for folder in ("f1", "f2"):
        assert (tmp_path / folder / "failing-items.parquet").read_bytes() == expected
    assert result_json(cold.result) == result_json(warm.result) == result_json(full.result)
    # An entry written without the list is not enough for a run that asks for it.
    evaluate(manifest, tmp_path / "c2")
    again = evaluate(manifest, tmp_path / "c2", failing_items=tmp_path / "f3")
    assert len(scanned(again)) == 2
    assert (tmp_path / "f3" / "failing-items.parquet").read_bytes() == expected


def tiny_pack(target: Path) -> Path:
    shutil.copytree(TINY_PACK, target)
    return target


def test_a_tolerance_changes_nothing_read_and_a_new_rule_everything(tmp_path: Path) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 80), range(80, 160)])
    pack = tiny_pack(tmp_path / "pack")
    cache = tmp_path / "cache"
    assert len(scanned(same_as_full(manifest, cache, [str(pack)]))) == 2
    robots = pack / "T-ROBOTS.yaml"
    robots.write_text(robots.read_text(encoding="utf-8") + "tolerance: 0.5\n", encoding="utf-8")
    # The tolerance applies to the merged counts: no partial depends on it.
    assert scanned(same_as_full(manifest, cache, [str(pack)])) == []
    (pack / "T-SIZE.yaml").write_text(
        "id: T-SIZE\ntitle: {en: Sized, zh: 有大小}\ncitation: {instrument: Test, provision: '9', "
        "verification: primary}\nseverity: warning\nscope: item\ncondition: {not_null: size_bytes}\n"
        "message: {en: no size, zh: 无大小}\nfix: {en: measure, zh: 测量}\n",
        encoding="utf-8",
    )
    # A new rule reads every row: every file is read again, under the new plan.
    assert len(scanned(same_as_full(manifest, cache, [str(pack)]))) == 2
    # The old plan's entries are still there: going back reads nothing.
    (pack / "T-SIZE.yaml").unlink()
    assert scanned(same_as_full(manifest, cache, [str(pack)])) == []


def test_a_changed_inventory_or_tool_version_reads_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 60), range(60, 130)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    monkeypatch.setattr(partials, "__version__", "999.0.0")
    assert len(scanned(same_as_full(manifest, cache))) == 2
    assert scanned(same_as_full(manifest, cache)) == []
    changed = [dict(s, eu_category="licensed") if s["source_id"] == "cc" else s for s in SOURCES]
    write_manifest(tmp_path / "d", changed)
    assert len(scanned(same_as_full(manifest, cache))) == 2


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] = (data[middle] + 1) % 256  # one byte: still JSON or still Parquet, perhaps, but not the same
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("target", "without_merged"),
    [("entry.json", False), ("ids.parquet", False), ("ranking-0.parquet", True), ("main.parquet", True)],
)
def test_a_corrupt_entry_is_never_trusted(tmp_path: Path, target: str, without_merged: bool) -> None:
    """A damaged file of an entry the run reads: the entry is dropped and its file scanned again. The body and the
    id hashes are read by every run; the partials only when no merged entry holds them (removed here)."""
    manifest = dataset(tmp_path / "d", [range(0, 70), range(70, 150)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    flip_a_byte(sorted((cache / "entries").iterdir())[0] / target)
    if without_merged:
        shutil.rmtree(cache / "merged")
    after = same_as_full(manifest, cache)
    assert after.cache is not None
    assert len(after.cache.rejected) == 1
    assert len(scanned(after)) == 1
    assert scanned(same_as_full(manifest, cache)) == []  # recomputed and kept again


def test_the_cache_hashes_its_own_files_again_only_when_their_stat_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept entries' files are hashed when they are sealed; a later run that reads them (the id hashes, the
    merged entry) hashes none of them while their size and mtime are the ones recorded, and hashes a file again
    when its mtime moved (here by ``touch``: the same bytes, so it still verifies)."""
    manifest = dataset(tmp_path / "d", [range(0, 70), range(70, 150)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    kept = sorted((cache / "entries").iterdir()) + sorted((cache / "merged").iterdir())
    hashed: list[Path] = []
    original = cache_module.sha256_file

    def counted(path: Path) -> str:
        hashed.append(path)
        return original(path)

    monkeypatch.setattr(cache_module, "sha256_file", counted)
    write_items(tmp_path / "d" / "items" / "part-002.parquet", range(150, 170))
    after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/part-002.parquet"]
    assert [p for p in hashed if p.parent in kept] == []
    assert any(p.name == "ids.parquet" for p in hashed)  # the new file's entry, when it was sealed
    hashed.clear()
    touched = kept[0] / "ids.parquet"
    os.utime(touched)
    again = same_as_full(manifest, cache)
    assert again.cache is not None
    assert (scanned(again), again.cache.rejected) == ([], [])
    assert [p for p in hashed if p.parent in kept] == [touched]


def test_a_damaged_partial_the_merged_entry_holds_is_not_read(tmp_path: Path) -> None:
    """The partials of an entry the merged entry holds are not read, so not hashed: damage there changes nothing."""
    manifest = dataset(tmp_path / "d", [range(0, 70), range(70, 150)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    flip_a_byte(sorted((cache / "entries").iterdir())[0] / "ranking-0.parquet")
    after = same_as_full(manifest, cache)
    assert after.cache is not None
    assert (after.cache.rejected, scanned(after)) == ([], [])


@pytest.mark.parametrize("target", ["entry.json", "ranking-0.parquet", "main.parquet"])
def test_a_corrupt_merged_entry_is_never_trusted(tmp_path: Path, target: str) -> None:
    """A damaged merged entry is removed and every entry merged again; no file is scanned for it."""
    manifest = dataset(tmp_path / "d", [range(0, 70), range(70, 150)])
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    (merged,) = (cache / "merged").iterdir()
    flip_a_byte(merged / target)
    write_items(tmp_path / "d" / "items" / "part-002.parquet", range(150, 170))
    after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/part-002.parquet"]
    assert merged.is_dir()  # built again from the entries
    assert scanned(same_as_full(manifest, cache)) == []


def test_stat_index_and_the_racy_rule(tmp_path: Path) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 50), range(50, 100)])
    files = sorted((tmp_path / "d" / "items").iterdir())
    for path in files:
        age(path)
    cache = tmp_path / "cache"
    first = evaluate(manifest, cache)
    assert first.cache is not None
    assert len(first.cache.hashed) == 2
    second = evaluate(manifest, cache)
    assert second.cache is not None
    assert second.cache.hashed == []
    write_items(files[1], range(1050, 1100))  # an edit: a new mtime
    third = same_as_full(manifest, cache)
    assert scanned(third) == ["items/part-001.parquet"]
    # A file modified within the last RACY_SECONDS is hashed on every run, however its stat looks.
    fourth = evaluate(manifest, cache)
    assert fourth.cache is not None
    assert fourth.cache.hashed == ["items/part-001.parquet"]


def test_a_fresh_mtime_with_the_same_stat_is_hashed_again(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "d")
    path = tmp_path / "d" / "items" / "part-000.parquet"
    write_items(path, range(40), prefix="a")
    # An mtime ahead of the clock: however slow the run, the digest is taken less than RACY_SECONDS after it.
    ahead = time.time_ns() + 60_000_000_000
    os.utime(path, ns=(ahead, ahead))
    stat = path.stat()
    cache = tmp_path / "cache"
    evaluate(manifest, cache)
    write_items(path, range(40), prefix="b")  # same size, other bytes, and the mtime put back: stat unchanged
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/part-000.parquet"]


def test_a_partition_value_is_part_of_the_key(tmp_path: Path) -> None:
    """Hive folders carry the source: the same file moved to another partition holds other rows."""
    root = tmp_path / "d"
    for source, ids in (("web", range(0, 60)), ("books", range(60, 100))):
        rows = [{k: v for k, v in item(i).items() if k != "source_id"} for i in ids]
        schema = pa.schema([f for f in SCHEMA if f.name != "source_id"])
        target = root / "items" / f"source_id={source}" / "data.parquet"
        target.parent.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), target)
    manifest = write_manifest(root, items={"path": "items/", "hive": True})
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    items = root / "items"
    (items / "source_id=web").rename(items / "swap")
    (items / "source_id=books").rename(items / "source_id=web")
    (items / "swap").rename(items / "source_id=books")
    assert len(scanned(same_as_full(manifest, cache))) == 2


def test_spark_and_text_manifests_are_usage_errors(tmp_path: Path) -> None:
    manifest = dataset(tmp_path / "d", [range(0, 10)])
    outcome = CliRunner().invoke(
        main, ["check", str(manifest), "--pack", "eu-ai-act", "--cache", str(tmp_path / "c"), "--engine", "spark"]
    )
    assert outcome.exit_code == 2
    assert "--cache" in outcome.output
    assert "Traceback" not in outcome.output
    text = tmp_path / "t"
    shutil.copytree(tmp_path / "d", text)
    (text / "items" / "part-000.parquet").unlink()
    (text / "items" / "part-000.csv").write_text("item_id,source_id\nx,web\n", encoding="utf-8")
    outcome = CliRunner().invoke(
        main, ["check", str(text / "manifest.yaml"), "--pack", "eu-ai-act", "--cache", str(tmp_path / "c")]
    )
    assert outcome.exit_code == 2
    assert "Parquet" in outcome.output
    assert not (tmp_path / "c" / "entries").exists() or not any((tmp_path / "c" / "entries").iterdir())


def figures(evaluated: Run) -> dict[str, Any]:
    """The result without the list of input files (which names the split)."""
    document = json.loads(result_json(evaluated.result))
    document.pop("inputs")
    # A warning names the first file carrying the value, and its row there: that depends on the split.
    for warning in document["warnings"]:
        warning.pop("file")
        warning.pop("row", None)
    return document


@pytest.fixture(scope="module")
def one_file(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    manifest = dataset(tmp_path_factory.mktemp("one"), [range(0, 160)])
    return figures(evaluate(manifest, None))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cuts=st.lists(st.integers(1, 159), max_size=6, unique=True),
    cached_first=st.integers(0, 6),
    order=st.randoms(use_true_random=False),
)
def test_any_split_gives_the_figures_of_one_file(
    tmp_path_factory: pytest.TempPathFactory, one_file: dict[str, Any], cuts: list[int], cached_first: int, order: Any
) -> None:
    """Items 0..159 split at random points into files, in shuffled order; the first files are cached, the rest
    added: the incremental run equals a run without the cache over the same files (byte for byte) and its
    figures equal those of the single file."""
    ids = list(range(160))
    order.shuffle(ids)
    bounds = [0, *sorted(cuts), 160]
    split = [ids[a:b] for a, b in itertools.pairwise(bounds)]
    root = tmp_path_factory.mktemp("split")
    cache = root / "cache"
    first = split[: min(cached_first, len(split))]
    if first:
        evaluate(dataset(root / "d", first), cache)
    manifest = dataset(root / "d", split)
    incremental = same_as_full(manifest, cache)
    assert len(scanned(incremental)) == len(split) - len(first)
    assert figures(incremental) == one_file


def write_rows(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(list(rows), schema=SCHEMA), path)


def cli_check(manifest: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["check", str(manifest), "--pack", "eu-ai-act", "--pack", "cn-genai", "--date", DATE, "-q", *extra]
    )


def test_duplicate_ids_across_an_added_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An added file repeating ids of a cached one: exit 2 with the message of a run without the cache, and the
    duplicate check reads only the two files that share ids (the hashes of the others come from the cache)."""
    manifest = dataset(tmp_path / "d", [range(0, 100), range(100, 200), range(200, 300)])
    cache = str(tmp_path / "cache")
    assert cli_check(manifest, "--cache", cache).exit_code == 1  # findings fail; the input is good
    write_items(tmp_path / "d" / "items" / "part-003.parquet", [150, 151, 400])
    read: list[list[str]] = []
    real = evaluate_module.duplicate_problems

    def spy(con: Any, items: Any, shared: Any = None) -> Any:
        read.append([str(p.relative_to(tmp_path / "d")) for p in items.files])
        return real(con, items, shared)

    monkeypatch.setattr(evaluate_module, "duplicate_problems", spy)
    cached = cli_check(manifest, "--cache", cache)
    assert read == [["items/part-001.parquet", "items/part-003.parquet"]]
    full = cli_check(manifest)
    assert cached.exit_code == full.exit_code == 2
    assert cached.output == full.output
    # Counted by hand: it-00150 is row 51 of part-001 (ids 100..199) and row 1 of part-003.
    assert "item 'it-00150' is given 2 times (occurrence 2; the first is at items/part-001.parquet: row 51)" in (
        " ".join(cached.output.split())
    )
    assert "it-00151" in cached.output
    assert "it-00400" not in cached.output
    assert "Traceback" not in cached.output


def test_duplicate_ids_between_two_added_files(tmp_path: Path) -> None:
    """Two added files sharing an id neither cached file has: found among the new files' own hashes."""
    manifest = dataset(tmp_path / "d", [range(0, 100), range(100, 200)])
    cache = str(tmp_path / "cache")
    assert cli_check(manifest, "--cache", cache).exit_code == 1  # findings fail; the input is good
    write_items(tmp_path / "d" / "items" / "part-002.parquet", [300, 301])
    write_items(tmp_path / "d" / "items" / "part-003.parquet", [301, 302])
    cached = cli_check(manifest, "--cache", cache)
    full = cli_check(manifest)
    assert cached.exit_code == full.exit_code == 2
    assert cached.output == full.output
    assert "item 'it-00301' is given 2 times" in " ".join(cached.output.split())


def test_a_file_listed_twice_is_all_duplicates_with_the_cache(tmp_path: Path) -> None:
    """Two files of the same bytes share one cache entry; their ids are still given twice."""
    manifest = dataset(tmp_path / "d", [range(0, 40), range(40, 80)])
    cache = str(tmp_path / "cache")
    assert cli_check(manifest, "--cache", cache).exit_code == 1  # findings fail; the input is good
    shutil.copy(tmp_path / "d" / "items" / "part-001.parquet", tmp_path / "d" / "items" / "part-002.parquet")
    cached = cli_check(manifest, "--cache", cache)
    full = cli_check(manifest)
    assert cached.exit_code == full.exit_code == 2
    assert cached.output == full.output
    assert "... and 20 more ids given more than once" in " ".join(cached.output.split())  # 40 ids, 20 listed


def bad_rows(ids: Sequence[int], column: str, value: Any, every: int) -> list[dict[str, Any]]:
    """Items ``ids`` with ``column`` set to ``value`` on every ``every``-th row (the 1st, the every+1-th, ...)."""
    return [item(i) | ({column: value} if n % every == 0 else {}) for n, i in enumerate(ids)]


def test_rejected_rows_are_the_same_with_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """125 rejected rows in two added files: the result lists the first 100 and the run keeps all 125, in file
    and row order, identical to a run without the cache; a warm run locates nothing again."""
    manifest = dataset(tmp_path / "d", [range(0, 100)])
    items = tmp_path / "d" / "items"
    cache = tmp_path / "cache"
    engine = EngineConfig(max_rejected_rows=200)
    evaluate(manifest, cache, engine=engine)
    write_rows(items / "part-001.parquet", bad_rows(range(100, 230), "size_bytes", -5, 2))  # 65 negative sizes
    write_rows(items / "part-002.parquet", bad_rows(range(230, 290), "modality", "smell", 1))  # 60 not allowed
    cold = evaluate(manifest, cache, engine=engine)
    assert scanned(cold) == ["items/part-001.parquet", "items/part-002.parquet"]
    located: list[str] = []
    real = locate_module.locate_bad_rows

    def spy(con: Any, scan: Any, *args: Any, **kwargs: Any) -> Any:
        located.append(" ".join(p.name for p in scan.files))
        return real(con, scan, *args, **kwargs)

    monkeypatch.setattr(locate_module, "locate_bad_rows", spy)
    warm = evaluate(manifest, cache, engine=engine)
    assert scanned(warm) == []
    assert located == []  # from the entries
    full = evaluate(manifest, None, engine=engine)
    assert located == ["part-000.parquet part-001.parquet part-002.parquet"]  # the run without the cache
    expected = [("items/part-001.parquet", 1 + 2 * n, "size_bytes") for n in range(65)]
    expected += [("items/part-002.parquet", 1 + n, "modality") for n in range(60)]
    for evaluated in (cold, warm, full):
        assert [(r.file, r.row, r.field) for r in evaluated.rejected_rows] == expected
        assert evaluated.result.rows.rejected == 125
        assert [(r.file, r.row) for r in evaluated.result.rows.rejected_rows] == [e[:2] for e in expected[:100]]
    assert warm.rejected_rows[0].reason == "value -5 is negative; a size or duration is 0 or more"
    assert result_json(cold.result) == result_json(warm.result) == result_json(full.result)
    assert cold.rejected_rows == warm.rejected_rows == full.rejected_rows


def test_rejected_rows_not_located_when_they_failed_the_run_are_located_later(tmp_path: Path) -> None:
    """A file scanned under --max-rejected-rows 0 fails the run (exit 2, the message of a run without the
    cache); with a higher limit its entry is reused and its rows located then, as without the cache."""
    manifest = dataset(tmp_path / "d", [range(0, 50)])
    write_rows(tmp_path / "d" / "items" / "part-001.parquet", bad_rows(range(50, 80), "size_tokens", -1, 10))
    cache = str(tmp_path / "cache")
    cached = cli_check(manifest, "--cache", cache)
    full = cli_check(manifest)
    assert cached.exit_code == full.exit_code == 2
    assert cached.output == full.output
    assert "size_tokens" in cached.output
    engine = EngineConfig(max_rejected_rows=3)
    later = evaluate(manifest, tmp_path / "cache", engine=engine)
    assert scanned(later) == []
    without = evaluate(manifest, None, engine=engine)
    assert [(r.file, r.row, r.field) for r in later.rejected_rows] == [
        ("items/part-001.parquet", row, "size_tokens") for row in (1, 11, 21)
    ]
    assert later.rejected_rows == without.rejected_rows
    assert result_json(later.result) == result_json(without.result)


def test_glob_entries_and_literal_names_with_the_cache(tmp_path: Path) -> None:
    """{glob: ...} entries over subfolders, a file whose name has glob characters and a cache folder whose name
    has them too: a run from the cache equals one without, and an added file is the only one read."""
    root = tmp_path / "d"
    write_items(root / "items" / "2024" / "a.parquet", range(0, 60))
    write_items(root / "items" / "2025" / "b[1]*.parquet", range(60, 130))
    manifest = write_manifest(root, items={"glob": "items/**/*.parquet"})
    cache = tmp_path / "cache [*]"
    assert len(scanned(same_as_full(manifest, cache))) == 2
    write_items(root / "items" / "2025" / "c.parquet", range(130, 150))
    assert scanned(same_as_full(manifest, cache)) == ["items/2025/c.parquet"]
    assert same_as_full(manifest, cache).result.rows.read == 150


def test_hive_partitions_added_with_the_cache(tmp_path: Path) -> None:
    """{path: ..., hive: true}: the source comes from the folder; a new partition is the only file read."""
    root = tmp_path / "d"
    schema = pa.schema([f for f in SCHEMA if f.name != "source_id"])

    def partition(source: str, ids: Sequence[int]) -> None:
        target = root / "items" / f"source_id={source}" / "part.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = [{k: v for k, v in item(i).items() if k != "source_id"} for i in ids]
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), target)

    partition("web", range(0, 50))
    partition("books", range(50, 90))
    manifest = write_manifest(root, items={"path": "items", "hive": True})
    cache = tmp_path / "cache"
    same_as_full(manifest, cache)
    partition("cc", range(90, 120))
    after = same_as_full(manifest, cache)
    assert scanned(after) == ["items/source_id=cc/part.parquet"]
    assert after.result.rows.read == 120
