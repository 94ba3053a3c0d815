"""Template 2.3 (h): how many crawled domains are listed and in which order (10%, SMEs 5% or at most 1,000), ties,
registrable domains, the inline limit and the complete CSV."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import pytest

from aireport.disclose.eu.sections import domains_to_list
from aireport.models.eu.summary import EuSummaryDocument
from aireport.models.results import Outcome, Provenance
from aireport.render.eu.domains import domains_csv
from tests.test_eu_support import ITEM_COLUMNS, check, good_items, item, summary_of, variant


def crawl_items(sizes: dict[str, int]) -> list[dict[str, Any]]:
    """The good items, with the crawl's two items replaced by one item per host of ``sizes``."""
    rows = [r for r in good_items() if r["source_id"] != "crawl"]
    for k, (host, size) in enumerate(sizes.items()):
        rows.append(
            item(
                f"crawl-{k}",
                "crawl",
                modality="text",
                domain=host,
                size_bytes=size,
                size_tokens=1,
                robots_allowed=True,
                tdm_reserved=False,
                language="en",
            )
        )
    return rows


def sme(value: bool | None) -> dict[str, Any]:
    return variant(lambda m: m["provider"].update(is_sme=value))


@pytest.mark.parametrize(
    ("n", "is_sme", "listed"),
    [
        (1, False, 1),
        (10, False, 1),
        (11, False, 2),  # ceil(1.1)
        (35, False, 4),  # ceil(3.5)
        (100, False, 10),
        (1, True, 1),
        (20, True, 1),
        (21, True, 2),  # ceil(1.05)
        (20_000, True, 1000),
        (20_001, True, 1000),  # ceil(1000.05) = 1001, capped at 1000
        (40_000, True, 1000),
        (40_000, False, 4000),
        (0, False, 0),
    ],
)
def test_how_many_domains(n: int, is_sme: bool, listed: int) -> None:
    assert domains_to_list(n, is_sme) == listed


def test_top_ten_percent_by_bytes(tmp_path: Path) -> None:
    sizes = {f"d{i:02d}.org": 1000 + i for i in range(35)}  # d34 the largest
    doc = summary_of(tmp_path, items=crawl_items(sizes))
    domains = doc.sources.crawled.domains
    assert (domains.distinct, domains.listed, domains.rule, domains.provenance) == (
        35,
        4,
        "top_10_percent",
        Provenance.MEASURED,
    )
    assert [(d.rank, d.domain, d.bytes) for d in domains.domains] == [
        (1, "d34.org", 1034),
        (2, "d33.org", 1033),
        (3, "d32.org", 1032),
        (4, "d31.org", 1031),
    ]
    assert (domains.total_bytes, domains.listed_bytes) == (sum(sizes.values()), 1034 + 1033 + 1032 + 1031)
    assert domains.inline is True
    assert check(doc, "EU-TS-18").outcome is Outcome.PASS


def test_hosts_become_registrable_domains_and_ties_go_by_name(tmp_path: Path) -> None:
    sizes = {
        "news.bbc.co.uk": 300,
        "www.bbc.co.uk": 200,  # bbc.co.uk: 500
        "b.example.com": 500,  # ties with bbc.co.uk and a.example.net at 500
        "a.example.net": 500,
        **{f"small{i}.org": 1 for i in range(16)},
    }
    domains = summary_of(tmp_path, items=crawl_items(sizes)).sources.crawled.domains
    # N = 3 + 16 = 19 registrable domains -> ceil(1.9) = 2 listed: the 500s by name
    assert (domains.distinct, domains.listed) == (19, 2)
    assert [d.domain for d in domains.domains] == ["bbc.co.uk", "example.com"]


def test_sme_rule(tmp_path: Path) -> None:
    sizes = {f"d{i:02d}.org": 100 + i for i in range(41)}
    domains = summary_of(tmp_path, sme(True), crawl_items(sizes)).sources.crawled.domains
    assert (domains.rule, domains.sme, domains.listed) == ("sme_top_5_percent_max_1000", True, 3)  # ceil(2.05)
    assert [d.domain for d in domains.domains] == ["d40.org", "d39.org", "d38.org"]


def test_unknown_sme_status_applies_the_general_rule(tmp_path: Path) -> None:
    sizes = {f"d{i:02d}.org": 100 + i for i in range(41)}
    doc = summary_of(tmp_path, sme(None), crawl_items(sizes))
    assert doc.sources.crawled.domains.listed == 5  # ceil(4.1)
    assert check(doc, "EU-TS-18-SME").outcome is Outcome.FAIL


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[EuSummaryDocument, EuSummaryDocument, int]:
    """20,041 domains: d{i} holds 20,041 - i bytes, except that d00100..d00109 hold 20,000 like d00041 (ties)."""
    n = 20_041
    sizes = {f"d{i:05d}.example": n - i for i in range(n)}
    for i in range(100, 110):
        sizes[f"d{i:05d}.example"] = 20_000
    rows = crawl_items(sizes)
    big = summary_of(tmp_path_factory.mktemp("big"), sme(False), rows)
    small = summary_of(tmp_path_factory.mktemp("sme"), sme(True), rows)
    return big, small, n


def _expected(n: int) -> list[tuple[str, int]]:
    sizes = {f"d{i:05d}.example": n - i for i in range(n)}
    for i in range(100, 110):
        sizes[f"d{i:05d}.example"] = 20_000
    return sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))


def test_the_thousand_cap_for_smes(many: tuple[EuSummaryDocument, EuSummaryDocument, int]) -> None:
    _, small, n = many
    domains = small.sources.crawled.domains
    assert math.ceil(n * 5 / 100) == 1003  # the 5% rule alone would list 1,003
    assert (domains.distinct, domains.listed, domains.inline, domains.printed) == (n, 1000, True, 1000)
    assert [(d.domain, d.bytes) for d in domains.domains] == _expected(n)[:1000]


def test_ten_percent_of_many_with_ties(many: tuple[EuSummaryDocument, EuSummaryDocument, int]) -> None:
    big, _, n = many
    domains = big.sources.crawled.domains
    assert domains.listed == 2005  # ceil(2004.1)
    assert (domains.inline, domains.printed) == (False, 1000)  # the first 1,000 printed, all in the file
    expected = _expected(n)[:2005]
    assert [(d.domain, d.bytes) for d in domains.domains] == expected
    # 41 domains hold more than 20,000 bytes; the eleven at 20,000 follow, by name
    tied = [(d.rank, d.domain) for d in domains.domains if d.bytes == 20_000]
    names = [f"d{i:05d}.example" for i in (41, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109)]
    assert tied == list(zip(range(42, 53), names, strict=True))
    assert domains.domains[52].domain == "d00042.example"


def test_complete_csv(many: tuple[EuSummaryDocument, EuSummaryDocument, int]) -> None:
    big, _, n = many
    rows = list(csv.reader(io.StringIO(domains_csv(big).decode("utf-8"))))
    assert rows[0] == ["rank", "domain", "bytes"]
    assert len(rows) == 1 + 2005
    assert rows[1] == ["1", "d00000.example", str(n)]
    assert [r[1] for r in rows[1:]] == [d for d, _ in _expected(n)[:2005]]


@pytest.mark.parametrize(("n", "inline", "printed"), [(500, True, 50), (510, False, 50)])
def test_printed_up_to_the_limit(tmp_path: Path, n: int, inline: bool, printed: int) -> None:
    sizes = {f"d{i:03d}.example": i + 1 for i in range(n)}
    domains = summary_of(tmp_path, items=crawl_items(sizes), inline_limit=50).sources.crawled.domains
    assert (domains.listed, domains.inline, domains.printed) == (math.ceil(n / 10), inline, printed)


def test_crawled_items_without_domains_are_missing_evidence(tmp_path: Path) -> None:
    rows = [{**r, "domain": None, "url": None} for r in good_items()]
    doc = summary_of(tmp_path, items=rows)
    assert (doc.sources.crawled.domains.distinct, doc.sources.crawled.domains.listed) == (0, 0)
    assert check(doc, "EU-TS-18").outcome is Outcome.NOT_EVALUABLE


def test_no_domain_column_is_missing_evidence(tmp_path: Path) -> None:
    columns = tuple(c for c in ITEM_COLUMNS if c not in ("domain", "url"))
    doc = summary_of(tmp_path, items=good_items(), columns=columns)
    domains = doc.sources.crawled.domains
    assert (domains.provenance, domains.listed) == (Provenance.MISSING, 0)
    assert check(doc, "EU-TS-18").outcome is Outcome.NOT_EVALUABLE


def test_an_empty_domain_is_read_from_the_url(tmp_path: Path) -> None:
    """The crawled items' domain column is empty, their URLs are not: each URL's host is its domain."""
    rows = crawl_items({"a.example": 30, "b.example": 20, "c.example": 10})
    urls = {"a.example": "https://news.a.example/x", "b.example": "http://b.example:8080/y", "c.example": None}
    for row in rows:
        if row["source_id"] == "crawl":
            row["url"] = urls[row["domain"]]
            row["domain"] = None if row["url"] else row["domain"]
    d = summary_of(tmp_path, items=rows).sources.crawled.domains
    # a.example and b.example from their URLs, c.example from its domain column: N = 3, the top 10% is 1.
    assert (d.distinct, d.listed, d.total_bytes, d.items_without_domain) == (3, 1, 60, 0)
    assert [(e.domain, e.bytes) for e in d.domains] == [("a.example", 30)]


def test_items_without_size_or_host_are_counted_not_dropped(tmp_path: Path) -> None:
    rows = crawl_items({"a.example": 30, "b.example": 20, "c.example": 10, "d.example": 5})
    for row in rows:
        if row.get("domain") == "c.example":
            row["size_bytes"] = None  # c's only item has no size: c is crawled, counted in N with 0 bytes
        if row.get("domain") == "d.example":
            row["domain"], row["url"] = None, None  # no host at all: counted, in no domain
    doc = summary_of(tmp_path, items=rows)
    d = doc.sources.crawled.domains
    assert (d.distinct, d.total_bytes) == (3, 50)  # a, b, c; d's item has no domain
    assert (d.items_without_domain, d.items_without_size, d.domains_without_size) == (1, 1, 1)
    assert "1 crawled items have neither a domain nor a URL" in check(doc, "EU-TS-18").message.en


def test_no_domain_column_reads_the_urls(tmp_path: Path) -> None:
    columns = tuple(c for c in ITEM_COLUMNS if c != "domain")
    doc = summary_of(tmp_path, items=good_items(), columns=columns)
    d = doc.sources.crawled.domains
    # The two crawled items' URLs, https://www.site1.example.com/page and https://www.site2.example.com/page, are
    # hosts of one registrable domain (com is the public suffix): example.com with both items' bytes.
    assert (d.provenance, d.distinct, d.total_bytes) == (Provenance.MEASURED, 1, 1000 + 2000)
    assert [(e.domain, e.bytes) for e in d.domains] == [("example.com", 3000)]
