"""The bundled Lumen example: planted counts recomputed by hand, determinism, column types, models.

Expected figures are derived here with plain Python integer arithmetic over ``range(n)``, from the
formulas in ``examples/lumen/PLANTED.md``; they are compared with what DuckDB reads back from the
generated Parquet, queried through the columns' meaning (``robots_allowed = false``...), not ``i``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from ruamel.yaml import YAML

from aireport import example
from aireport.models.provenance import ITEM_COLUMNS, DatasetManifest, Source

EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "examples" / "lumen"
SIZES = (10_000, 12_345)

STOCK, CRAWL, OPEN, SYNTH, APP = (
    "meridian-stock",
    "lumenbot-crawl",
    "open-images-cc",
    "canvas-synthetic",
    "app-uploads",
)
SOURCE_IDS = (STOCK, CRAWL, OPEN, SYNTH, APP)
FLAG_RULE = {STOCK: (97, 11), CRAWL: (17, 3), OPEN: (41, 7), SYNTH: (113, 0), APP: (29, 13)}


def source_of(i: int) -> str:
    r = i % 100
    if r < 55:
        return STOCK
    if r < 80:
        return CRAWL
    if r < 90:
        return OPEN
    if r < 95:
        return SYNTH
    return APP


def expected_counts(n: int) -> Counter[str]:
    """Every planted figure for items 0 <= i < n, by the formulas of PLANTED.md."""
    c: Counter[str] = Counter()
    for i in range(n):
        src = source_of(i)
        c[f"items:{src}"] += 1
        if i % 23 == 5:
            c[f"unassessed:{src}"] += 1
        elif i % FLAG_RULE[src][0] == FLAG_RULE[src][1]:
            c[f"flagged:{src}"] += 1
        if src == CRAWL:
            if i % 211 == 19:
                c["robots_unchecked"] += 1
            else:
                disallowed = i % 331 == 7
                reserved = i % 149 == 23
                c["robots_disallowed"] += disallowed
                c["tdm_reserved"] += reserved
                c["robots_disallowed_and_tdm_reserved"] += disallowed and reserved
            c["crawl_aigc_label"] += i % 61 == 9
            c["crawl_licence_missing"] += i % 19 != 0
        elif src == OPEN:
            c["nc_licence"] += i % 53 == 31
        elif src == APP:
            personal = i % 3 != 0
            sensitive = personal and i % 7 == 2
            c["personal"] += personal
            c["sensitive"] += sensitive
            if personal and i % 37 == 8:
                c["pi_no_basis"] += 1
                c["pi_no_basis_sensitive"] += sensitive
            elif sensitive and i % 11 == 5:
                c["sensitive_consent_only"] += 1
    return c


# The same figures, asked of the Parquet files through what the columns mean.
SQL_COUNTS: dict[str, str] = {
    "robots_disallowed": "robots_allowed = false",
    "robots_unchecked": f"source_id = '{CRAWL}' AND robots_allowed IS NULL",
    "tdm_reserved": "tdm_reserved = true",
    "robots_disallowed_and_tdm_reserved": "robots_allowed = false AND tdm_reserved = true",
    "nc_licence": f"source_id = '{OPEN}' AND license = 'CC-BY-NC-4.0'",
    "sensitive_consent_only": "sensitive_personal_data AND pi_legal_basis = 'consent'",
    "pi_no_basis": "personal_data AND pi_legal_basis IS NULL",
    "pi_no_basis_sensitive": "sensitive_personal_data AND pi_legal_basis IS NULL",
    "personal": "personal_data",
    "sensitive": "sensitive_personal_data",
    "crawl_aigc_label": f"source_id = '{CRAWL}' AND aigc_label",
    "crawl_licence_missing": f"source_id = '{CRAWL}' AND license IS NULL",
}
for _sid in SOURCE_IDS:
    SQL_COUNTS[f"items:{_sid}"] = f"source_id = '{_sid}'"
    SQL_COUNTS[f"flagged:{_sid}"] = f"source_id = '{_sid}' AND safety_label = 'flagged'"
    SQL_COUNTS[f"unassessed:{_sid}"] = f"source_id = '{_sid}' AND safety_label IS NULL"


def scan(directory: Path) -> str:
    return f"read_parquet('{directory}/*.parquet')"


def count(con: duckdb.DuckDBPyConnection, directory: Path, where: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {scan(directory)} WHERE {where}").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out: dict[int, Path] = {}
    for n in SIZES:
        directory = tmp_path_factory.mktemp(f"items{n}")
        example.generate_items(directory, n, files=3)
        out[n] = directory
    return out


def test_hand_computed_figures_for_10000() -> None:
    # Spot-check the counting helper itself against figures worked out on paper (see PLANTED.md).
    c = expected_counts(10_000)
    assert c[f"items:{CRAWL}"] == 2_500
    assert c[f"items:{APP}"] == 500
    # i = 19 + 211k (k = 0..47) has i % 100 = (19 + 11k) % 100, in [55, 80) for k = 4, 5, 13, 14,
    # 22, 23, 31, 32, 40, 41.
    assert c["robots_unchecked"] == 10
    # i = 31 + 53k (k = 0..188): (53k) % 100 in [49, 59) once per 100 k (53 is prime to 100),
    # and for k = 100..188 at k - 100 = 17t % 100, t = 49..58: 33, 50, 67, 84, 1, 18, 35, 52, 69,
    # 86, all of them below 89.
    assert c["nc_licence"] == 20


@pytest.mark.parametrize("n", SIZES)
def test_planted_counts(generated: dict[int, Path], n: int) -> None:
    expected = expected_counts(n)
    con = duckdb.connect()
    assert count(con, generated[n], "true") == n
    for key, where in SQL_COUNTS.items():
        assert count(con, generated[n], where) == expected[key], key
    # Crawled items above the 5% rule, every other source below it.
    for sid in SOURCE_IDS:
        rate = expected[f"flagged:{sid}"] / expected[f"items:{sid}"]
        assert (rate > 0.05) == (sid == CRAWL), (sid, rate)
    # No other value shows up anywhere it was not planted.
    assert count(con, generated[n], f"source_id <> '{CRAWL}' AND robots_allowed IS NOT NULL") == 0
    assert count(con, generated[n], f"source_id <> '{APP}' AND personal_data IS NOT NULL") == 0
    assert count(con, generated[n], "modality <> 'image' OR NOT used_in_training") == 0


@pytest.mark.parametrize("n", SIZES)
def test_values_recomputed_per_item(generated: dict[int, Path], n: int) -> None:
    spans = {s.source_id: (s.collection_start, s.collection_end) for s in example.SOURCES}
    rows = (
        duckdb.connect()
        .execute(
            f"SELECT item_id, size_bytes, domain, collected_at, content_hash, license "
            f"FROM {scan(generated[n])} ORDER BY item_id"
        )
        .fetchall()
    )
    sizes = {STOCK: (400_000, 2_600_000), CRAWL: (40_000, 960_000), OPEN: (150_000, 1_350_000)}
    sizes |= {SYNTH: (900_000, 600_000), APP: (250_000, 3_750_000)}
    for i, (item_id, size, domain, collected, digest, license_) in enumerate(rows):
        src = source_of(i)
        assert item_id == f"img-{i:09d}"
        low, spread = sizes[src]
        assert size == low + (i * 2246822519) % 2**32 % spread
        start, end = spans[src]
        span = ((end - start).days + 1) * 86_400
        offset = (i * 3266489917) % 2**32 % span
        # An instant (stored adjusted to UTC): compared as one, whatever zone DuckDB hands it back in.
        assert collected == dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC) + dt.timedelta(seconds=offset)
        assert digest == hashlib.sha256(item_id.encode()).hexdigest()
        if src == CRAWL:
            u = (i * 2654435761) % 2**32 % 1_000_000
            assert domain == f"site{(u * u // 1_000_000) * u // 1_000_000 * 3500 // 1_000_000}.example"
        else:
            assert domain is None
        if src == STOCK:
            assert license_ == "LicenseRef-Meridian-AI-Training"


def test_generation_is_byte_identical(tmp_path: Path) -> None:
    first = example.generate_items(tmp_path / "a", 12_345, files=2)
    second = example.generate_items(tmp_path / "b", 12_345, files=2)
    assert [p.name for p in first] == ["part-00000.parquet", "part-00001.parquet"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_regeneration_replaces_old_parts(tmp_path: Path) -> None:
    example.generate_items(tmp_path, 1_000, files=4)
    example.generate_items(tmp_path, 500, files=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]
    assert count(duckdb.connect(), tmp_path, "true") == 500


def test_column_types_match_contract(generated: dict[int, Path]) -> None:
    described = duckdb.connect().execute(f"DESCRIBE SELECT * FROM {scan(generated[10_000])}").fetchall()
    # collected_at is an instant, as pandas and Spark write timestamps: TIMESTAMP WITH TIME ZONE in DuckDB.
    expected = [(c.name, "TIMESTAMP WITH TIME ZONE" if c.name == "collected_at" else c.type) for c in ITEM_COLUMNS]
    assert [(row[0], row[1]) for row in described] == expected


def test_values_within_allowed_sets(generated: dict[int, Path]) -> None:
    con = duckdb.connect()
    for column in ITEM_COLUMNS:
        if column.allowed is None:
            continue
        found = con.execute(
            f"SELECT DISTINCT {column.name} FROM {scan(generated[12_345])} WHERE {column.name} IS NOT NULL"
        ).fetchall()
        assert {row[0] for row in found} <= set(column.allowed), column.name


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_items"):
        example.generate_items(tmp_path, 0)
    with pytest.raises(ValueError, match="files"):
        example.generate_items(tmp_path, 10, files=0)


# ---- the hand-written manifest and inventory ---------------------------------------------------


def load_manifest() -> DatasetManifest:
    data = YAML(typ="safe", pure=True).load((EXAMPLE_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    return DatasetManifest.model_validate(data)


LIST_FIELDS = ("languages", "optout_protocols", "content_types", "splits", "curation_methods", "origin_countries")
BOOL_FIELDS = ("publicly_known", "personal_data", "sensitive_personal_data", "used_in_training")


def load_sources() -> list[Source]:
    frame = pd.read_csv(EXAMPLE_DIR / "sources.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(Source.model_fields)
    sources = []
    for record in frame.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for name, raw in record.items():
            key = str(name)
            value = str(raw).strip()
            if key in LIST_FIELDS:
                row[key] = [part.strip() for part in value.split(";") if part.strip()]
            elif value == "":
                continue
            elif key in BOOL_FIELDS:
                assert value in ("true", "false"), (key, value)
                row[key] = value == "true"
            else:
                row[key] = value
        sources.append(Source.model_validate(row))
    return sources


def test_manifest_validates_with_planted_gaps() -> None:
    manifest = load_manifest()
    assert manifest.provider.legal_name == "Lumen Imaging GmbH"
    assert manifest.provider.established_in_eu is True
    assert manifest.provider.is_sme is False
    (model,) = manifest.models
    assert (model.name, model.version, model.base_models) == ("Lumen Canvas 2", "2.0", [])
    assert model.eu_placement_date == dt.date(2025, 10, 1)
    assert manifest.sources == "sources.csv"
    assert manifest.items == ["items/"]
    assert manifest.summary.last_update == dt.date(2026, 9, 30)
    # Planted dataset-level gaps.
    assert set(manifest.attestations.filtering_methods) == {"keyword", "classifier"}
    assert manifest.service.genai_filing_number is None
    assert manifest.service.algorithm_filing_number
    terms = manifest.licences[example.STOCK_LICENSE]
    assert (terms.commercial_use, terms.ai_training, terms.redistribution, terms.attribution) == (
        True,
        True,
        False,
        False,
    )


def test_sources_validate_and_agree_with_generator() -> None:
    sources = {s.source_id: s for s in load_sources()}
    assert tuple(sources) == SOURCE_IDS
    for spec in example.SOURCES:
        src = sources[spec.source_id]
        assert (src.collection_start, src.collection_end) == (
            spec.collection_start,
            spec.collection_end,
        )
        assert src.modality == "image"
    assert sources[STOCK].license == example.STOCK_LICENSE
    assert sources[OPEN].license == "CC-BY-4.0"
    assert sources[CRAWL].optout_protocols == ["robots.txt", "TDMRep"]
    # Planted source-level gaps.
    assert sources[APP].user_authorisation is None
    assert sources[APP].sensitive_personal_data is True
    assert sources[APP].pi_legal_basis == "consent"
    crawl = sources[CRAWL]
    assert (crawl.safety_sample_size, crawl.safety_sample_flagged) == (4000, 212)
    assert [sid for sid, s in sources.items() if s.origin == "domestic"] == [APP]
    languages = Counter(lang for s in sources.values() for lang in s.languages)
    assert [lang for lang, k in languages.items() if k < 2] == ["ja"]


def test_item_languages_are_declared(generated: dict[int, Path]) -> None:
    declared = {s.source_id: set(s.languages) for s in load_sources()}
    found = duckdb.connect().execute(
        f"SELECT source_id, list(DISTINCT language) FROM {scan(generated[12_345])} GROUP BY ALL"
    )
    for sid, languages in found.fetchall():
        assert set(languages) == declared[sid], sid


def test_write_example(tmp_path: Path) -> None:
    manifest_path = example.write_example(tmp_path / "lumen", 2_000, files=2)
    assert manifest_path == tmp_path / "lumen" / "manifest.yaml"
    for name in ("manifest.yaml", "sources.csv"):
        assert (tmp_path / "lumen" / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes()
    assert count(duckdb.connect(), tmp_path / "lumen" / "items", "true") == 2_000


def test_planted_md_lists_the_computed_counts() -> None:
    # PLANTED.md is read by people; every row's figures must be the ones computed here.
    # Rows look like: | `key` | rule | formula | count for 1,000,000 | count for 10,000 |
    text = (EXAMPLE_DIR / "PLANTED.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_:-]+)` \|.*\| ([\d,]+) \| ([\d,]+) \|$", text, flags=re.MULTILINE)
    assert len(rows) >= 15
    big, small = expected_counts(1_000_000), expected_counts(10_000)
    for key, at_million, at_ten_thousand in rows:
        assert int(at_million.replace(",", "")) == big[key], key
        assert int(at_ten_thousand.replace(",", "")) == small[key], key
    planted = ["robots_disallowed", "robots_unchecked", "tdm_reserved", "nc_licence"]
    planted += ["sensitive_consent_only", "pi_no_basis", f"flagged:{CRAWL}", f"unassessed:{CRAWL}"]
    assert set(planted) <= {key for key, _, _ in rows}


def test_csv_is_plain_utf8() -> None:
    with (EXAMPLE_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(SOURCE_IDS)
    assert all(len(row) == len(rows[0]) for row in rows)
