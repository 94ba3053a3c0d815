"""The top-domain list: registrable domains, the exact top fraction, deterministic ties."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from publicsuffixlist import PublicSuffixList

from aireport.engine import ranking, scan
from aireport.engine.backend import DuckDBBackend
from aireport.engine.config import EngineConfig
from aireport.engine.ranking import _ensure_psl, rank_buckets, registrable_domains_sql
from aireport.example import write_example
from aireport.load.items import ItemScan
from aireport.models.results import RankingResult
from aireport.models.rules import Ranking
from aireport.pipeline import check_dataset

TEN = Ranking(registrable_domain=True, keep_fraction=Decimal("0.10"))
ALL_DOMAINS = Ranking(registrable_domain=True, keep_fraction=Decimal(1))


def registrable_domain(host: str) -> str:
    con = DuckDBBackend(duckdb.connect())
    _ensure_psl(con)
    con.execute("CREATE TABLE hosts AS SELECT ? AS host", [host])
    row = con.execute(f"SELECT domain FROM ({registrable_domains_sql('hosts')})").fetchone()
    assert row is not None
    return str(row[0])


def rank_groups(groups: dict[str, int], ranking: Ranking) -> RankingResult:
    con = DuckDBBackend(duckdb.connect())
    con.create_table("g", [("host", "VARCHAR"), ("value", "BIGINT")], list(groups.items()))
    return rank_buckets(con, [("SELECT host, value, 0 AS missing, 1 AS n FROM g", None)], ranking)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("WWW.Example.COM.", "example.com"),
        ("a.b.c.example.org", "example.org"),
        ("site17.example", "site17.example"),  # unknown suffix: the PSL "*" rule, one label
        ("foo.blogspot.com", "blogspot.com"),  # ICANN section only: private suffixes are not split
        ("192.0.2.7", "192.0.2.7"),
        ("localhost", "localhost"),
        ("bbc.co.uk", "bbc.co.uk"),
        ("co.uk", "co.uk"),  # a bare public suffix has no registrable domain: kept as it is
        ("a.b.kawasaki.jp", "a.b.kawasaki.jp"),  # wildcard rule *.kawasaki.jp: b.kawasaki.jp is a suffix
        ("www.city.kawasaki.jp", "city.kawasaki.jp"),  # exception rule !city.kawasaki.jp
    ],
)
def test_registrable_domain(host: str, expected: str) -> None:
    assert registrable_domain(host) == expected


def test_matches_an_independent_psl_implementation_on_many_hosts() -> None:
    reference = PublicSuffixList(only_icann=True)  # the package's own Python matcher, not our SQL
    hosts = [
        "www.google.co.uk", "a.b.c.d.com.au", "x.github.io", "shop.example.com.br", "t.co", "mail.yahoo.co.jp",
        "a.b.c.kawasaki.jp", "www.ck", "foo.bar.ck", "x.y.nom.br", "news.sina.com.cn", "gov.uk", "a.gov.uk",
    ]  # fmt: skip
    for host in hosts:
        expected = reference.privatesuffix(host) or host  # a bare suffix stays itself
        assert registrable_domain(host) == expected, host


def test_hosts_of_one_domain_are_summed_before_ranking() -> None:
    result = rank_groups({"news.bbc.co.uk": 5, "www.bbc.co.uk": 7, "example.com": 10}, TEN)
    assert [(g.group, g.value) for g in result.top] == [("bbc.co.uk", 12)]
    assert (result.distinct, result.kept, result.total) == (2, 1, 22)


@pytest.mark.parametrize(("n", "kept"), [(1, 1), (9, 1), (10, 1), (11, 2), (35, 4), (100, 10), (101, 11)])
def test_top_ten_percent_is_a_ceiling(n: int, kept: int) -> None:
    groups = {f"d{i:03d}.com": i + 1 for i in range(n)}
    result = rank_groups(groups, TEN)
    assert result.kept == kept
    assert [g.group for g in result.top] == [f"d{i:03d}.com" for i in range(n - 1, n - 1 - kept, -1)]


def test_ties_are_broken_by_name() -> None:
    groups = {"c.com": 5, "a.com": 5, "b.com": 5, "z.com": 9}
    result = rank_groups(groups, Ranking(keep_fraction=Decimal(1)))
    assert [g.group for g in result.top] == ["z.com", "a.com", "b.com", "c.com"]
    assert [g.rank for g in result.top] == [1, 2, 3, 4]


def test_host_buckets_give_the_same_ranking() -> None:
    # Hosts of one registrable domain land in different buckets: the domain is summed across them.
    groups = {f"h{i}.bbc.co.uk": i + 1 for i in range(40)} | {f"w{i}.example.com": 2 * i for i in range(1, 30)}
    groups |= {f"site{i}.org": 30 for i in range(25)}
    con = DuckDBBackend(duckdb.connect())
    con.create_table("g", [("host", "VARCHAR"), ("value", "BIGINT")], list(groups.items()))
    everything = Ranking(registrable_domain=True, keep_fraction=Decimal(1))
    buckets = [(f"SELECT host, value, 0 AS missing, 1 AS n FROM g WHERE hash(host) % 4 = {k}", None) for k in range(4)]
    split = rank_buckets(con, buckets, everything)
    assert split == rank_buckets(con, [("SELECT host, value, 0 AS missing, 1 AS n FROM g", None)], everything)
    hosts_per_bucket = con.execute("SELECT count(DISTINCT hash(host) % 4) FROM g WHERE host LIKE '%bbc.co.uk'")
    assert hosts_per_bucket.fetchone() == (4,)  # the case this test is about
    expected = {"bbc.co.uk": sum(range(1, 41)), "example.com": sum(2 * i for i in range(1, 30))}
    expected |= {f"site{i}.org": 30 for i in range(25)}
    ordered = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(g.group, g.value) for g in split.top] == ordered
    assert (split.distinct, split.total) == (27, sum(groups.values()))


@pytest.mark.parametrize("mode", ["one part", "out of memory once", "file parts"])
def test_example_domain_ranking_matches_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """The Lumen crawl: domain and size per item recomputed from the parquet with plain Python; also when
    the one-part ranking runs out of memory and the engine retries over more parts and host buckets, and
    when the item files are read in parts (4 files, about 5,000 rows a part) and the hosts summed in
    buckets of at most 50 stored rows."""
    calls: list[int] = []
    if mode == "out of memory once":

        def fails_unsplit(
            con: object, queries: list[object], ranking: Ranking, spread: int = 1, *kept: object
        ) -> RankingResult:
            calls.append(spread)
            if spread == 1:
                raise duckdb.OutOfMemoryException("could not allocate block")
            return rank_buckets(con, queries, ranking, spread, *kept)  # type: ignore[arg-type]

        monkeypatch.setattr(scan, "rank_buckets", fails_unsplit)
    if mode == "file parts":
        monkeypatch.setattr(scan, "RANKING_PART_ROWS", 5_000)
        monkeypatch.setattr(ranking, "HOST_ROWS_PER_BUCKET", 50)
        stored: list[int] = []
        executed = DuckDBBackend.execute

        def watched(self: DuckDBBackend, sql: str, params: object = None) -> object:
            if sql.startswith(f"SELECT count(*) FROM {ranking.HOSTS_TABLE}"):
                row = executed(self, sql, params).fetchone()  # type: ignore[arg-type]
                stored.append(int(row[0]))
            return executed(self, sql, params)  # type: ignore[arg-type]

        monkeypatch.setattr(DuckDBBackend, "execute", watched)
    manifest = write_example(tmp_path / "lumen", 20_000)
    result = check_dataset(manifest, ["eu-ai-act"], EngineConfig(), "2026-11-24")
    found = next(m for m in result.measures if m.measure_id == "crawled_domain_ranking").ranking
    assert found is not None
    sums: dict[str, int] = {}
    for part in sorted((tmp_path / "lumen" / "items").glob("*.parquet")):
        table = pq.read_table(part, columns=["source_id", "domain", "size_bytes"]).to_pylist()
        for row in table:
            if row["source_id"] == "lumenbot-crawl" and row["domain"]:
                sums[row["domain"]] = sums.get(row["domain"], 0) + row["size_bytes"]
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = -(-len(ordered) // 10)
    assert found.distinct == len(ordered)
    assert found.kept == kept
    assert [(g.group, g.value) for g in found.top] == ordered[:kept]
    if mode == "out of memory once":
        assert calls == [1, scan.RANKING_SPREADS[1]]
    if mode == "file parts":
        # The paths this test is about: several parts stored, more than one host bucket.
        assert len(stored) == 1
        assert stored[0] > 2 * 50, stored


def test_file_parts_split_by_size_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = [100, 100, 300, 100, 100, 100, 200]  # 1,000 bytes
    files = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"f{i}.parquet"
        path.write_bytes(b"x" * size)
        files.append(path)
    items = ItemScan(files=tuple(files), format="parquet", displays=(), columns=frozenset(), row_count=100)
    monkeypatch.setattr(scan, "RANKING_PART_ROWS", 50)
    # Two parts of ~500 bytes: a file goes to the next part once its middle passes the part's share.
    assert scan.file_parts(items, 1) == [files[:3], files[3:]]
    # Four times more parts, at most one per file: shares of 1000/7 bytes, never an empty part, files in order.
    assert scan.file_parts(items, 4) == [
        files[:1],
        files[1:2],
        files[2:3],
        files[3:4],
        files[4:5],
        files[5:6],
        files[6:],
    ]
    monkeypatch.setattr(scan, "RANKING_PART_ROWS", 1_000)
    assert scan.file_parts(items, 1) is None  # 100 rows: one part, no file filter at all


def test_kept_list_read_in_slices_keeps_its_order_and_leaves_no_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    # Slices of 3 over 10 kept groups: the ranks run on across slices, in the hand-computed order.
    monkeypatch.setattr(ranking, "FETCH_ROWS", 3)
    groups = {f"d{i:02d}.com": (i * 7) % 5 for i in range(10)}  # values 0,2,4,1,3,0,2,4,1,3: ties by name
    con = DuckDBBackend(duckdb.connect())
    con.create_table("g", [("host", "VARCHAR"), ("value", "BIGINT")], list(groups.items()))
    result = rank_buckets(con, [("SELECT host, value, 0 AS missing, 1 AS n FROM g", None)], ALL_DOMAINS)
    expected = ["d02.com", "d07.com", "d04.com", "d09.com", "d01.com", "d06.com", "d03.com", "d08.com"]
    assert [g.group for g in result.top] == [*expected, "d00.com", "d05.com"]
    assert [g.rank for g in result.top] == list(range(1, 11))
    left = con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'aireport_rank%'").fetchall()
    assert left == []  # the per-group tables are gone: their memory is not held beside the Python list


@pytest.mark.parametrize(
    ("sql_type", "rows", "expected"),
    [
        ("BIGINT", [("a.example", 5), ("b.example", 7)], [7, 5]),
        # the sum is past 64 bits: an exact Python int, not a float
        ("HUGEINT", [("a.example", 2**62), ("a.example", 2**62), ("b.example", 3)], [2**63, 3]),
        ("HUGEINT", [("a.example", 2**40), ("b.example", 1)], [2**40, 1]),
        ("DOUBLE", [("a.example", 0.5), ("b.example", 2.25)], [2.25, 0.5]),
        # a decimal with places is an exact sum of a DOUBLE column (scan.SUM_DECIMAL): a float, as a DOUBLE's sum
        ("DECIMAL(10, 2)", [("a.example", Decimal("1.50")), ("b.example", Decimal("3.00"))], [3.0, 1.5]),
        ("DECIMAL(38, 9)", [("a.example", Decimal("0.1")), ("a.example", Decimal("0.2"))], [0.3]),
    ],
)
def test_ranked_values_keep_their_kind(sql_type: str, rows: list[tuple[str, object]], expected: list[object]) -> None:
    """The kept list comes out of DuckDB through Arrow: the Python values the engine's tuples gave (a whole
    number as an int)."""
    con = DuckDBBackend(duckdb.connect())
    con.create_table("g", [("host", "VARCHAR"), ("value", sql_type)], rows)
    parts = [("SELECT host, sum(value) AS value, 0 AS missing, 1 AS n FROM g GROUP BY host", None)]
    got = [g.value for g in rank_buckets(con, parts, ALL_DOMAINS).top]
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.integers(min_value=-3, max_value=6) | st.sampled_from([2**62, 2**63 - 1]), max_size=60),
    fraction=st.sampled_from(["0.01", "0.10", "0.25", "0.5", "0.99", "1"]),
    kind=st.sampled_from(["BIGINT", "DOUBLE"]),
)
def test_the_cut_is_the_first_rows_of_a_full_sort(values: list[int], fraction: str, kind: str) -> None:
    """Whatever the ties and the fraction, the kept list is the first ceil(fraction x groups) rows of every group
    sorted by value descending, then name (sorted here in Python): the engine sorts only the rows at or above a
    value it finds near the cut, and that must never change which rows are kept."""
    groups = {f"g{i:02d}.example": value for i, value in enumerate(values)}
    ranking_ = Ranking(keep_fraction=Decimal(fraction))
    con = DuckDBBackend(duckdb.connect())
    con.create_table("g", [("host", "VARCHAR"), ("value", kind)], list(groups.items()))
    result = rank_buckets(con, [("SELECT host, value, 0 AS missing, 1 AS n FROM g", None)], ranking_)
    kept = -(-len(groups) * int(Decimal(fraction) * 100) // 100)
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:kept]
    assert [(g.group, g.value) for g in result.top] == [(k, float(v) if kind == "DOUBLE" else v) for k, v in ordered]
