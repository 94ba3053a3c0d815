"""Ranked group lists (the EU summary's top-domain list), computed inside DuckDB.

A crawl of hundreds of millions of items has millions of hosts, so hosts never come back to Python:
the Public Suffix List algorithm runs as SQL over the distinct hosts, the sizes are re-aggregated by
registrable domain, and only the kept top list is fetched.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from importlib.resources import files

from aireport.engine.backend import Backend
from aireport.models.results import RankedGroup, RankingResult
from aireport.models.rules import Ranking

ORDER = "value descending, then group name ascending (Unicode code points)"
PSL_TABLE = "aireport_psl"
PARTS_TABLE = "aireport_rank_parts"
MAX_SUFFIX_LABELS = 6  # the deepest ICANN rule has 4 labels; hosts deeper than this only add labels in front


PSL_PACKAGE = "publicsuffixlist"  # ships the list as a data file, dated in its version number


@cache
def _rules() -> list[tuple[str, str]]:
    """The ICANN section of the Public Suffix List the ``publicsuffixlist`` package ships (no network at run
    time, a version we can name), each rule with its kind: plain (co.uk), wildcard parent (*.ck -> ck),
    exception (!www.ck -> www.ck). Rules in Unicode are also given in their ASCII (punycode) form, as item
    manifests write hosts either way."""
    text = (files(PSL_PACKAGE) / "public_suffix_list.dat").read_text(encoding="utf-8")
    icann = text.split("===BEGIN ICANN DOMAINS===", 1)[1].split("===END ICANN DOMAINS===", 1)[0]
    rules: dict[tuple[str, str], None] = {}
    for line in icann.splitlines():
        rule = line.strip().split(" ", 1)[0]
        if not rule or rule.startswith("//"):
            continue
        kind = "wildcard" if rule.startswith("*.") else "exception" if rule.startswith("!") else "plain"
        name = rule[2:] if kind == "wildcard" else rule[1:] if kind == "exception" else rule
        rules[(name.lower(), kind)] = None
        if not name.isascii():
            with contextlib.suppress(UnicodeError):  # a label IDNA 2003 refuses keeps its Unicode form only
                rules[(name.encode("idna").decode("ascii"), kind)] = None
    return list(rules)


def psl_version() -> str:
    package = version(PSL_PACKAGE)
    return f"Public Suffix List {package.rsplit('.', 1)[-1]} (package {PSL_PACKAGE} {package}), ICANN section"


def _ensure_psl(con: Backend) -> None:
    con.create_table(PSL_TABLE, [("rule", "VARCHAR"), ("kind", "VARCHAR")], _rules())


def registrable_domains_sql(hosts: str) -> str:
    """SQL mapping each distinct ``host`` of the relation ``hosts`` to its registrable domain.

    The PSL algorithm: the longest matching rule wins; an exception rule (!www.ck) makes its suffix one
    label shorter than the wildcard (*.ck) it overrides; no match is the implicit "*" rule, a one-label
    suffix (so site1.example -> site1.example). IP addresses and bare suffixes stay themselves.
    """
    return f"""
    WITH h AS (
      SELECT DISTINCT host, string_split(lower(rtrim(host, '.')), '.') AS l
      FROM {hosts} WHERE host IS NOT NULL AND host <> ''
    ),
    c AS (
      SELECT host, k, array_to_string(l[-k:], '.') AS cand,
             CASE WHEN k > 1 THEN array_to_string(l[-(k - 1):], '.') END AS parent
      FROM h, range(1, {MAX_SUFFIX_LABELS + 1}) t(k) WHERE k <= len(l)
    ),
    m AS (
      SELECT c.host,
             max(CASE WHEN p.kind = 'exception' THEN k - 1 END) AS exception_len,
             max(CASE WHEN p.kind = 'plain' OR w.kind = 'wildcard' THEN k END) AS rule_len
      FROM c
      LEFT JOIN {PSL_TABLE} p ON p.rule = c.cand AND p.kind IN ('plain', 'exception')
      LEFT JOIN {PSL_TABLE} w ON w.rule = c.parent AND w.kind = 'wildcard'
      GROUP BY c.host
    )
    SELECT h.host,
           CASE WHEN regexp_full_match(h.host, '[0-9.]+') OR contains(h.host, ':') THEN lower(h.host)
                ELSE array_to_string(h.l[-(coalesce(m.exception_len, m.rule_len, 1) + 1):], '.') END AS domain
    FROM h JOIN m USING (host)
    """


GroupsQuery = tuple[str, dict[str, object] | None]


def rank_buckets(con: Backend, buckets: Sequence[GroupsQuery], ranking: Ranking) -> RankingResult:
    """Rank (host, value) rows given as disjoint buckets of hosts (one query each).

    One bucket is the usual case. Past some ten million hosts a single hash aggregate does not fit
    the memory limit (DuckDB 2.0 runs out of memory instead of spilling), so the caller splits the
    hosts by a hash of the host into buckets that each fit. A registrable domain can gather hosts
    from several buckets, so each bucket is reduced to (domain, value) and the domains are summed
    at the end, again bucket by bucket. The figures do not depend on the number of buckets.
    """
    if ranking.registrable_domain:
        _ensure_psl(con)
        reduced = (
            f"SELECT d.domain AS grp, sum(r.value) AS value, sum(r.missing) AS missing FROM aireport_rank_in r "
            f"JOIN ({registrable_domains_sql('aireport_rank_in')}) d USING (host) GROUP BY d.domain"
        )
    else:
        reduced = (
            "SELECT host AS grp, sum(value) AS value, sum(missing) AS missing FROM aireport_rank_in "
            "WHERE host IS NOT NULL AND host <> '' GROUP BY host"
        )
    keyless = 0
    for index, (sql, params) in enumerate(buckets):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE aireport_rank_in AS SELECT host, value, missing, n FROM ({sql})",
            params or {},
        )
        row = con.execute("SELECT coalesce(sum(n), 0) FROM aireport_rank_in WHERE host IS NULL OR host = ''").fetchone()
        keyless += int(row[0]) if row else 0
        _create_or_append(con, PARTS_TABLE, reduced, append=index > 0)
    count = len(buckets)
    for index in range(count):
        where = f"WHERE hash(grp) % {count} = {index} " if count > 1 else ""
        summed = f"SELECT grp, sum(value) AS value, sum(missing) AS missing FROM {PARTS_TABLE} {where}GROUP BY grp"
        _create_or_append(con, "aireport_rank_by", summed, append=index > 0)
    distinct, total, missing, partial = con.execute(
        "SELECT count(*), coalesce(sum(value), 0), coalesce(sum(missing), 0), coalesce(count_if(missing > 0), 0) "
        "FROM aireport_rank_by"
    ).fetchone() or (0, 0, 0, 0)
    # ceil on an exact decimal product: 10% of 35 domains is 3.5 -> 4, exactly.
    kept = math.ceil(ranking.keep_fraction * Decimal(int(distinct)))
    top = con.execute("SELECT grp, value FROM aireport_rank_by ORDER BY value DESC, grp ASC LIMIT ?", [kept]).fetchall()
    return RankingResult(
        distinct=int(distinct),
        kept=kept,
        keep_fraction=str(ranking.keep_fraction),
        total=_number(total),
        order=ORDER,
        domain_mapping=psl_version() if ranking.registrable_domain else None,
        rows_without_group=keyless,
        rows_without_value=int(missing or 0),
        groups_without_value=int(partial or 0),
        # Up to a million rows the engine itself typed: built without re-validating each one.
        top=[RankedGroup.model_construct(rank=i + 1, group=str(g), value=_number(v)) for i, (g, v) in enumerate(top)],
    )


def _create_or_append(con: Backend, table: str, sql: str, *, append: bool) -> None:
    """The first bucket creates the table (its types are the query's), later buckets append."""
    if append:
        con.execute(f"INSERT INTO {table} {sql}")
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}")


def _number(value: object) -> int | float:
    if isinstance(value, int | float):
        return value
    as_float = float(str(value))
    return int(as_float) if as_float.is_integer() else as_float
