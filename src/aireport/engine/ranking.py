"""Ranked group lists (the EU summary's top-domain list): registrable domains, exact top fraction, stable ties."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import tldextract

from aireport.models.results import RankedGroup, RankingResult
from aireport.models.rules import Ranking

ORDER = "value descending, then group name ascending (Unicode code points)"


@cache
def _rules() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(plain suffixes, wildcard parents, exceptions) of the PSL snapshot bundled with tldextract:
    no network at run time, and a version we can name. ICANN section only."""
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)
    rules = extractor._get_tld_extractor().public_tlds  # the bundled list, read once
    plain = frozenset(r for r in rules if r[0] not in "*!")
    wildcard = frozenset(r[2:] for r in rules if r.startswith("*."))
    exceptions = frozenset(r[1:] for r in rules if r.startswith("!"))
    return plain, wildcard, exceptions


def psl_version() -> str:
    return f"Public Suffix List snapshot bundled with tldextract {tldextract.__version__} (ICANN section)"


def _suffix_length(labels: list[str]) -> int:
    """Labels in the public suffix, by the PSL algorithm: the longest matching rule wins, an
    exception rule (!www.ck) cuts one label off its wildcard, and an unknown TLD is a one-label suffix."""
    plain, wildcard, exceptions = _rules()
    for k in range(len(labels), 0, -1):
        candidate = ".".join(labels[-k:])
        if candidate in exceptions:
            return k - 1
        if candidate in plain or (k > 1 and ".".join(labels[-k + 1 :]) in wildcard):
            return k
    return 1


def registrable_domain(host: str) -> str:
    """news.bbc.co.uk -> bbc.co.uk. A suffix the list does not know is one label (the PSL's "*" rule),
    so site1.example -> site1.example; an IP address stays itself."""
    host = host.strip().strip(".").lower()
    if host[:1].isdigit() or ":" in host:  # only then can it be an IP address; the probe is costly
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
    labels = [label for label in host.split(".") if label]
    if not labels:
        return host
    return ".".join(labels[-(_suffix_length(labels) + 1) :])


def rank_groups(groups: Mapping[str, Any], ranking: Ranking) -> RankingResult:
    totals: dict[str, Any] = {}
    for group, value in groups.items():
        key = registrable_domain(group) if ranking.registrable_domain else group
        if not key:
            continue
        totals[key] = totals.get(key, 0) + value
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    distinct = len(ordered)
    # ceil on an exact decimal product: 10% of 35 domains is 3.5 -> 4, never 3.4999... -> 4 by luck.
    kept = math.ceil(ranking.keep_fraction * Decimal(distinct))
    return RankingResult(
        distinct=distinct,
        kept=kept,
        keep_fraction=str(ranking.keep_fraction),
        total=sum(totals.values()),
        order=ORDER,
        domain_mapping=psl_version() if ranking.registrable_domain else None,
        top=[RankedGroup(rank=i + 1, group=g, value=v) for i, (g, v) in enumerate(ordered[:kept])],
    )
