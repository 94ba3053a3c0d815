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
def _extractor() -> tldextract.TLDExtract:
    # The suffix list bundled with the package: no network at run time, and a version we can name.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


def psl_version() -> str:
    return f"Public Suffix List snapshot bundled with tldextract {tldextract.__version__} (ICANN section)"


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
    parts = _extractor()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    labels = [label for label in host.split(".") if label]
    return ".".join(labels[-2:]) if labels else host


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
