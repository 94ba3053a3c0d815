"""Incremental evaluation (``--cache DIR``): each item file scanned once per plan, its partial aggregates kept.

Every figure of the item scan is decomposable over files, so a run scans only the files whose (content
digest, plan digest) has no entry in the cache and merges the kept partials of the others with the fresh
ones; a file no longer listed is simply not merged. Per file and plan an entry keeps:

- the rows of the main pass, one per source: row accounting, rejections by reason, each rule's applicable /
  passed / failed counts (merged by sum), its evidence (the k smallest failing ids: the k smallest of the
  union), each ungrouped measure (count and sum by sum, min by min, max by max);
- the rows of the grouped pass, one per grouping set and group (per source and overall), merged the same way;
- per ranking, (host, value, rows without value, rows) of every host in the file (Parquet): summed per host
  over all files before the hosts become registrable domains, are counted and cut at their top fraction, so
  the distinct count, the cut and the ties are decided after the merge, never per file;
- the file's licence values with their row count and first row (the licence table, its warnings);
- with ``--failing-items``, the file's failing and not-evaluable items (Parquet), sorted with all the others.

The merged partials of every listed file are kept too, as one more entry (``ItemCache.read_merged``), with
the multiset of entry keys they hold. A run over the same files and more (files added, the usual growth of
a library) merges that entry with the new files' entries only, and the duplicate-id check groups only the
new files' id hashes and looks them up among the others' (which the kept merge already found free of
duplicates); a run after a file changed or was removed merges every entry again (a minimum, a maximum or
the k smallest ids cannot be taken back out of a merge). Either way the run keeps the new merged entry. A
merged entry keeps a ranking's sums per group (registrable domain), not per host: the run that adds files
maps only their hosts (a host maps to one domain whatever file it is in, so per-domain sums add up as the
per-host sums would), and the plan digest names the Public Suffix List the domains were mapped with.

The merge is exact for integers, text and timestamps. A sum of floating-point values (``duration_seconds``)
is added in another order than in one scan, so its last digits may differ, as they may between two scans
with different thread counts. A ``count_distinct`` measure is not decomposable and is refused with ``--cache``.

The plan digest covers what the partials depend on: the tool and DuckDB versions, the compiled SQL and its
parameters (rules, measures, evidence limit, item columns and types), the joined source table as built (the
inventory and its licence terms, the source-only conditions), the licence definitions (for the item licence
table), and the manifest's time zone. A changed pack, inventory, licence table or version changes it, and
every file is scanned again under the new plan; a changed file changes only its own digest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from aireport import __version__
from aireport.engine.backend import STREAM_BATCH_ROWS, STREAM_VIEW, Backend, DuckDBBackend
from aireport.engine.cache import Entry, ItemCache
from aireport.engine.config import ProgressFn
from aireport.engine.duplicates import HASH_CANDIDATES, id_hashes_sql, shared_hashes_sql
from aireport.engine.failing_items import SCHEMA as FAILING_SCHEMA
from aireport.engine.failing_items import FailingItemsSink, sorted_copy
from aireport.engine.licence_warnings import Located, located_per_file
from aireport.engine.locate import place_order
from aireport.engine.ranking import psl_version
from aireport.engine.scan import (
    MainQuery,
    ScanOutput,
    SourcePrecompute,
    build_grouped_measure_query,
    build_item_query,
    build_ranking_query,
    distinct_rankings,
    prepare_item_scan,
    read_grouped_rows,
    read_main_rows,
    run_rankings,
)
from aireport.errors import InputError, Problem
from aireport.load.items import ItemScan, literal_glob
from aireport.models.rules import Measure, MeasureAggregate, Rule

PLACEHOLDER = Path("/aireport/item-file.parquet")  # the file a plan is compiled for when it is digested
IDS = "ids.parquet"  # an entry's item id hashes (engine/duplicates.py), grouped over files for duplicates
LOG = logging.getLogger("aireport.cache")


@dataclass(frozen=True)
class CachedScan:
    out: ScanOutput
    licences: list[str | None] | None  # the distinct item licence values (None without the licence join)
    locate: Callable[[list[str]], Located]  # licence value -> first file, row, rows
    failing_rows: int
    items: ItemScan
    entries: Sequence[Entry]  # one per file of ``items``, in its order
    shared: list[int] | None  # the id hashes given more than once, when the merge found them (None: not yet)

    def shared_ids(self, con: Backend) -> tuple[ItemScan, list[int]] | None:
        """The item id hashes given more than once over all files, grouped from the kept per-file lists, and
        the files that hold them (the only ones the duplicate check then reads); None when there are none."""
        files = [e.path(IDS) for e in self.entries]
        # Files of the same bytes share an entry: listed once per file, DuckDB reads its hashes once per file.
        listing = _listing(files)
        shared = self.shared if self.shared is not None else _grouped_hashes(con, files)
        if not shared:
            return None
        # Every shared hash, beyond the listed candidates too: past them the exact pass groups every id it reads.
        holding = {
            str(name)
            for (name,) in con.execute(
                f"SELECT DISTINCT filename FROM read_parquet({listing}, filename = true) WHERE h IN "
                f"(SELECT h FROM read_parquet({listing}) GROUP BY h HAVING count(*) > 1)"
            ).fetchall()
        }
        keep = [i for i, path in enumerate(files) if str(path) in holding]
        narrowed = replace(
            self.items,
            files=tuple(self.items.files[i] for i in keep),
            displays=tuple(self.items.displays[i] for i in keep),
            row_count=None,
        )
        return narrowed, shared

    def rejected_rows(self, con: Backend, known: list[str], limit: int) -> list[Problem]:
        """The rejected rows of every file, located as a full run locates them (file, row, reason), from the
        entries; a file whose rows were not located when it was scanned (more than the run's
        ``--max-rejected-rows`` then) is located now."""
        problems: list[Problem] = []
        for path, shown, entry in zip(self.items.files, self.items.displays, self.entries, strict=True):
            if not entry.body["rejected"]:
                continue
            kept = entry.body["rejected_rows"]
            if kept is None:
                problems += con.locate_bad_rows(_one(self.items, path, shown), known, [], int(entry.body["rejected"]))
            else:
                problems += [Problem(shown, reason, line=line, row=row, field=name) for line, row, name, reason in kept]
        return sorted(problems, key=place_order)[:limit]


@dataclass(frozen=True)
class _Plan:
    """The compiled scan every file goes through, and its digest."""

    rules: Sequence[Rule]
    measures: Sequence[Measure]
    evidence_limit: int
    join: bool
    pre: SourcePrecompute  # its names are shared by every file's queries
    placeholder: ItemScan  # the scan the plan is compiled for (one placeholder file)
    main_names: list[str]
    digest: str


def refuse(items: ItemScan, measures: Sequence[Measure], backend: Backend) -> None:
    """What the cache cannot keep: an error before any scan (exit 2)."""
    problems = []
    if not isinstance(backend, DuckDBBackend):
        problems.append(Problem("--cache", "keeps the partials of the DuckDB engine only; drop --engine spark"))
    if items.format != "parquet":
        problems.append(
            Problem(
                "--cache",
                f"keeps partials of Parquet item manifests; convert the {items.format} files first "
                "(`aireport convert`)",
            )
        )
    for measure in measures:
        if measure.aggregate is MeasureAggregate.COUNT_DISTINCT:
            problems.append(
                Problem(
                    "--cache",
                    f"measure {measure.id} counts distinct values, which per-file partials cannot add up; "
                    "run it without --cache",
                )
            )
    if problems:
        raise InputError(problems)


def cached_item_scan(
    con: Backend,
    items: ItemScan,
    rules: Sequence[Rule],
    measures: Sequence[Measure],
    evidence_limit: int,
    join: bool,
    cache: ItemCache,
    context: dict[str, Any],
    create_licence_table: Callable[[list[str | None]], None],
    failing: Path | None = None,
    progress: ProgressFn | None = None,
    max_rejected_rows: int = 0,
) -> CachedScan:
    """The item scan of a full run, from kept partials and fresh scans of the new or changed files.

    ``context`` names what the plan depends on beyond the SQL (licence definitions, time zone), as JSON;
    ``create_licence_table`` builds the item licence table from the distinct values of all files (before a
    file is scanned: every pass joins it); ``failing`` is the final failing-items file, when asked for. A fresh
    file's rejected rows are located and kept when they are at most ``max_rejected_rows`` (more fail the run).
    """
    assert isinstance(con, DuckDBBackend)
    placeholder = _one(items, PLACEHOLDER, "item file")
    main, pre = prepare_item_scan(con, placeholder, rules, measures, evidence_limit, join)
    digest = _plan_digest(con, placeholder, main, pre, measures, join, context)
    plan = _Plan(rules, measures, evidence_limit, join, pre, placeholder, main.names, digest)
    needs = ("failing",) if failing is not None else ()
    entries: list[Entry | None] = []
    digests: list[str] = []
    with ThreadPoolExecutor(max_workers=1) as hasher:  # hash the next file while this one is looked up
        for path, shown, content in zip(
            items.files, items.displays, hasher.map(cache.digest, items.files, items.displays), strict=True
        ):
            digest = _entry_key(content, path) if items.hive else content
            digests.append(digest)
            entry = cache.read(digest, plan.digest, shown, needs)
            entries.append(entry)
            (cache.stats.reused if entry is not None else cache.stats.scanned).append(shown)
    cache.save_index()
    previous = cache.read_merged(plan.digest)
    covered = _covered(previous, digests) if previous is not None else set()
    _verify(cache, entries, items.displays, covered, failing is not None)
    missing = [i for i, e in enumerate(entries) if e is None]
    # The licence table joins every row: it must hold the new files' values before their main pass.
    fresh_licences: dict[int, list[list[Any]] | None] = {}
    if join:
        fresh_licences = {i: _licence_rows(con, _one(items, items.files[i], items.displays[i])) for i in missing}
    per_file = [
        (value, str(items.files[i]), n, first)
        for i, entry in enumerate(entries)
        for value, n, first in (entry.body["licences"] if entry is not None else fresh_licences.get(i, [])) or []
    ]
    licences = sorted({value for value, *_ in per_file}, key=lambda v: (v is None, v or "")) if join else None
    if licences is not None:
        create_licence_table(licences)
    for done, index in enumerate(missing):
        if progress is not None:
            progress(100.0 * done / len(missing), None)
        one = _one(items, items.files[index], items.displays[index])
        entries[index] = _scan_file(
            con, cache, one, digests[index], plan, fresh_licences.get(index), failing, max_rejected_rows
        )
    if progress is not None:
        progress(100.0, None)
    kept = [e for e in entries if e is not None]
    out, shared = _merge_and_keep(con, cache, plan, kept, digests, previous, covered)
    cache.save_index()  # with the digests of the entries this run wrote and verified
    failing_rows = 0
    if failing is not None:
        _sorted_failing(con, [e.path("failing.parquet") for e in kept], failing)
        failing_rows = sum(int(e.body["failing"]) for e in kept)
    return CachedScan(
        out=out,
        licences=licences,
        locate=lambda values: located_per_file(items, [r for r in per_file if r[0] in set(values)]),
        failing_rows=failing_rows,
        items=items,
        entries=kept,
        shared=shared,
    )


def _covered(merged: Entry, keys: list[str]) -> set[int]:
    """The listed files (indices of ``keys``) whose partials ``merged`` holds: every key it holds must still be
    listed (as often), or it covers none."""
    wanted = Counter(str(k) for k in merged.body["keys"])
    if wanted - Counter(keys):
        return set()
    covered = set()
    for index, key in enumerate(keys):
        if wanted[key] > 0:
            wanted[key] -= 1
            covered.add(index)
    return covered


_PARTIALS = ("main.parquet", "grouped.parquet")


def _verify(
    cache: ItemCache, entries: list[Entry | None], shown: Sequence[str], covered: set[int], failing: bool
) -> None:
    """Hash the files of the reused entries this run reads (the id hashes always, the partials unless the merged
    entry holds them, the failing items when asked for); an entry that does not verify becomes missing."""
    checks: list[tuple[Entry, str, Sequence[str]]] = []
    seen: set[tuple[Path, bool]] = set()
    for index, entry in enumerate(entries):
        if entry is None or (entry.folder, index in covered) in seen:
            continue
        seen.add((entry.folder, index in covered))
        names = [IDS] + (["failing.parquet"] if failing else [])
        if index not in covered:
            names += [n for n in entry.body["files"] if n in _PARTIALS or n.startswith("ranking-")]
        checks.append((entry, shown[index], names))
    bad = cache.verify(checks)
    for index, entry in enumerate(entries):
        if entry is not None and entry.folder in bad:
            entries[index] = None
            cache.stats.reused.remove(shown[index])
            cache.stats.scanned.append(shown[index])


def _merge_and_keep(
    con: DuckDBBackend,
    cache: ItemCache,
    plan: _Plan,
    entries: list[Entry],
    keys: list[str],
    previous: Entry | None,
    covered: set[int],
) -> tuple[ScanOutput, list[int] | None]:
    """The partials of every listed file merged, and the item id hashes given more than once (None: not looked
    for). The previous merged entry, when it covers some of the files, is merged with the others' entries only;
    the merge is kept as the new merged entry. When DuckDB cannot build that entry, every entry is merged as
    without it (and nothing is kept)."""
    trusted = previous is not None and bool(covered) and previous.body.get("ids_unique") is True
    if previous is not None and len(covered) == len(keys) and len(previous.body["keys"]) == len(keys):
        return _merge(con, previous, [], plan), [] if trusted else None  # the same files as the last run
    base = previous if previous is not None and covered else None
    rest = [e for i, e in enumerate(entries) if i not in covered]
    staging = cache.staging()
    try:
        out = _merge(con, base, rest, plan, staging)
        if trusted:
            old = [e.path(IDS) for i, e in enumerate(entries) if i in covered]
            shared = _new_hashes(con, old, [e.path(IDS) for e in rest])
        else:
            shared = _grouped_hashes(con, [e.path(IDS) for e in entries])
        body = {"keys": sorted(keys), "ids_unique": not shared, "files_merged": len(rest) + (base is not None)}
        cache.commit_merged(staging, plan.digest, body)
        return out, shared
    except duckdb.Error as exc:  # out of memory, a sum past BIGINT: the entries are merged as without it
        LOG.warning("the merged cache entry was not built (%s): every entry merged", str(exc).splitlines()[0])
        cache.discard(staging)
        return _merge(con, None, entries, plan), None


def _grouped_hashes(con: Backend, files: list[Path]) -> list[int]:
    """The id hashes given more than once over ``files`` (each listed as often as a file of its bytes is)."""
    rows = con.execute(shared_hashes_sql(f"SELECT h FROM read_parquet({_listing(files)})")).fetchall()
    return [int(h) for (h,) in rows]


def _new_hashes(con: Backend, old: list[Path], new: list[Path]) -> list[int]:
    """The id hashes given more than once over ``old`` and ``new`` together, when ``old``'s are known to be
    distinct: those given twice among the new, and the new ones found among the old (a semi-join that probes
    the old hashes against a table of the new ones only)."""
    if not new:
        return []
    fresh = f"read_parquet({_listing(new)})"
    among_old = f" UNION SELECT h FROM read_parquet({_listing(old)}) WHERE h IN (SELECT h FROM {fresh})" if old else ""
    sql = f"SELECT h FROM (SELECT h FROM {fresh} GROUP BY h HAVING count(*) > 1{among_old}) LIMIT {HASH_CANDIDATES}"
    return [int(h) for (h,) in con.execute(sql).fetchall()]


def _sorted_failing(con: DuckDBBackend, parts: list[Path], target: Path) -> None:
    """The files' failing items sorted into ``target``, through one part file as in a run without the cache:
    DuckDB types the columns NOT NULL when it reads one file and not when it reads several."""
    part = target.with_name(target.name + ".part")  # the pipeline removes it if the run fails
    with pq.ParquetWriter(part, FAILING_SCHEMA, compression="zstd") as writer:
        for path in parts:
            for batch in pq.ParquetFile(path).iter_batches():
                writer.write_batch(batch)
    sorted_copy(con.con, part, target)
    part.unlink()


def _entry_key(content: str, path: Path) -> str:
    """In a hive-partitioned dataset the folders' ``key=value`` pairs are columns of the file's rows: the same
    bytes in another partition are other rows."""
    partition = "/".join(part for part in path.parent.parts if "=" in part)
    return hashlib.sha256(f"{content}\x00{partition}".encode()).hexdigest()


def _one(items: ItemScan, path: Path, shown: str) -> ItemScan:
    """The scan of one file of ``items`` (same columns, format and partitioning)."""
    return replace(items, files=(path,), displays=(shown,), row_count=None)


def _plan_digest(
    con: DuckDBBackend,
    placeholder: ItemScan,
    main: MainQuery,
    pre: SourcePrecompute,
    measures: Sequence[Measure],
    join: bool,
    context: dict[str, Any],
) -> str:
    grouped = build_grouped_measure_query(placeholder, measures, join, pre)
    rankings = [build_ranking_query(placeholder, m, join, pre) for m in distinct_rankings(measures)]
    sources = con.execute(f"SELECT * FROM {SourcePrecompute.TABLE} ORDER BY source_id").fetchall()
    plan = {
        "tool": __version__,
        "duckdb": duckdb.__version__,
        "domains": psl_version(),  # a merged entry keeps hosts mapped to registrable domains
        "main": [main.rows_sql, main.aggregate_sql, main.params, main.names],
        "grouped": None if grouped is None else [grouped[0], grouped[1]],
        "rankings": [list(r) for r in rankings],
        "licence_query": _licence_sql(placeholder) if join else None,
        "sources": repr(sources),
        "context": context,
    }
    return hashlib.sha256(json.dumps(plan, sort_keys=True, default=repr).encode()).hexdigest()[:32]


def _licence_sql(one: ItemScan) -> str:
    return f"SELECT license, count(*), min(file_row_number) + 1 FROM {one.from_clause(with_location=True)} GROUP BY 1"


def _licence_rows(con: Backend, one: ItemScan) -> list[list[Any]]:
    return [[value, int(n), int(first)] for value, n, first in con.execute(_licence_sql(one)).fetchall()]


def _scan_file(
    con: DuckDBBackend,
    cache: ItemCache,
    one: ItemScan,
    digest: str,
    plan: _Plan,
    licences: list[list[Any]] | None,
    failing: Path | None,
    max_rejected_rows: int,
) -> Entry:
    """Every pass of the plan over one file, kept as an entry."""
    staging = cache.staging()
    try:
        # The same ``pre``: the source-only conditions are found under the names the plan gave them.
        main = MainQuery(*build_item_query(one, plan.rules, plan.measures, plan.evidence_limit, plan.join, plan.pre))
        body: dict[str, Any] = {"licences": licences, "failing": None}
        if failing is not None:
            sink = FailingItemsSink(staging / "failing.parquet", [r.id for r in plan.rules])
            try:
                _write_parquet(con, main.rows_sql, main.params, staging / "main.parquet", main.aggregate_sql, sink)
            finally:
                sink.close()
            body["failing"] = sink.rows
        else:
            _write_parquet(con, main.sql(), main.params, staging / "main.parquet")
        body |= _rejected(con, one, staging / "main.parquet", plan, max_rejected_rows)
        # Hashes do not compress: stored plain, every later run reads them without decompressing (0.1 s in 0.6 s
        # at 100M kept hashes).
        _write_parquet(con, id_hashes_sql(one.from_clause()), {}, staging / IDS, compression="uncompressed")
        # Every later pass filters rows itself (all_rows_ok False): a file's partials never depend on the others.
        grouped = build_grouped_measure_query(one, plan.measures, plan.join, plan.pre)
        if grouped is not None:
            _write_parquet(con, grouped[0], grouped[1], staging / "grouped.parquet")
        for index, measure in enumerate(distinct_rankings(plan.measures)):
            sql, params = build_ranking_query(one, measure, plan.join, plan.pre)
            _write_parquet(con, sql, params, staging / f"ranking-{index}.parquet", narrow=True)
        return cache.commit(staging, digest, plan.digest, body)
    except BaseException:
        cache.discard(staging)
        raise


def _rejected(con: DuckDBBackend, one: ItemScan, main: Path, plan: _Plan, limit: int) -> dict[str, Any]:
    """The file's rejected rows, counted from its main pass and located as a full run locates them (without
    the file's name: an entry serves the same bytes wherever they are listed). Not located (None) when there
    are more than ``limit`` (the run fails on them) or rows name a source the inventory lacks (the run fails
    on those, and the inventory is part of the plan)."""
    table = pq.ParquetFile(main).read()  # not pq.read_table: it imports pyarrow.dataset (~0.9 s)
    count = sum(
        int(v or 0)
        for i, name in enumerate(plan.main_names)
        if name.startswith("rej:")
        for v in table.column(i).to_pylist()
    )
    if not count:
        return {"rejected": 0, "rejected_rows": []}
    known = sorted(str(s) for (s,) in con.execute(f"SELECT source_id FROM {SourcePrecompute.TABLE}").fetchall())
    sources = {str(s) for s in table.column(0).to_pylist() if s is not None and s != ""}
    if count > limit or not sources <= set(known):
        return {"rejected": count, "rejected_rows": None}
    located = con.locate_bad_rows(one, known, [], count)
    return {"rejected": count, "rejected_rows": [[p.line, p.row, p.field, p.message] for p in located]}


def _write_parquet(
    con: DuckDBBackend,
    sql: str,
    params: dict[str, Any],
    target: Path,
    aggregate_sql: str | None = None,
    sink: FailingItemsSink | None = None,
    compression: str = "zstd",
    narrow: bool = False,
) -> None:
    """A query's rows into ``target``, every HUGEINT column (a sum) as DECIMAL(38, 0): DuckDB's Parquet writer
    would store a HUGEINT as DOUBLE. With ``narrow``, as BIGINT when every value of the file fits one (the query
    is run again with DECIMALs when one does not): a ranking's million per-group sums are read, joined and
    written in half the time as BIGINTs. With ``aggregate_sql``, ``sql``'s rows pass through ``sink`` and are
    aggregated by it, in one read of the file (as ``Backend.aggregate_stream``), and written through Arrow
    (which stores a HUGEINT as DECIMAL(38, 0) too)."""
    if aggregate_sql is None:
        # DuckDB's own writer: a million per-group rows in about half the time of Arrow's conversion and writer.
        relation = con.con.sql(sql, params=params)

        def written_as(wide: str) -> None:
            columns = [
                f"CAST({_quoted(name)} AS {wide}) AS {_quoted(name)}" if str(kind) == "HUGEINT" else _quoted(name)
                for name, kind in zip(relation.columns, relation.types, strict=True)
            ]
            relation.project(", ".join(columns)).write_parquet(str(target), compression=compression)

        if narrow:
            try:
                return written_as("BIGINT")
            except duckdb.ConversionException:  # a sum past 64 bits: the file keeps them all exact
                pass
        written_as("DECIMAL(38, 0)")
        return
    assert sink is not None
    rows = con.con.sql(sql, params=params).to_arrow_reader(STREAM_BATCH_ROWS)
    cursor = con.con.cursor()
    try:
        cursor.register(STREAM_VIEW, sink.tap(rows))
        _write_reader(
            cursor.sql(aggregate_sql.replace("{rows}", STREAM_VIEW)).to_arrow_reader(STREAM_BATCH_ROWS), target
        )
    finally:
        cursor.close()


def _write_reader(reader: Any, target: Path) -> None:
    with pq.ParquetWriter(target, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


# --- merging ------------------------------------------------------------------------------------------------


def _merge(
    con: DuckDBBackend, base: Entry | None, rest: Sequence[Entry], plan: _Plan, staging: Path | None = None
) -> ScanOutput:
    """The kept partials of ``base`` (a merged entry) and ``rest`` (files' entries) added up, read as a full
    scan's rows are read; with ``staging``, also written there as the files of the next merged entry (in the
    entries' own column types: a merged entry is read as any entry is).

    A file's entry keeps a ranking's per-host sums; a merged entry its per-group sums (hosts already mapped
    to registrable domains), so that a run maps and sums only the hosts of the files it adds."""
    entries = ([base] if base is not None else []) + list(rest)
    out = ScanOutput()

    def merged_rows(name: str, key_width: int, merges: list[str]) -> list[tuple[Any, ...]]:
        files = [e.path(name) for e in entries]
        if staging is not None:
            _write_parquet(con, _merge_sql(con, files, key_width, merges, True), {}, staging / name)
            files = [staging / name]
        return _merged(con, files, key_width, merges)

    read_main_rows(merged_rows("main.parquet", 1, _main_merges(plan)), plan.main_names, plan.rules, plan.measures, out)
    grouped = build_grouped_measure_query(plan.placeholder, plan.measures, plan.join, plan.pre)
    if grouped is not None:
        merges = [_merge_aggregate(m.aggregate) for m in grouped[2]]
        read_grouped_rows(merged_rows("grouped.parquet", 2 + 2 * len(grouped[3]), merges), grouped, plan.measures, out)
    rankings = distinct_rankings(plan.measures)

    def name_of(measure: Measure) -> str:
        return f"ranking-{next(i for i, m in enumerate(rankings) if m is measure)}.parquet"

    def queries(measure: Measure, spread: int) -> list[tuple[str, dict[str, Any]]]:
        """The per-host sums of ``rest`` as disjoint parts (groups of entries; a host may be in several)."""
        files = [e.path(name_of(measure)) for e in rest]
        step = max(1, math.ceil(len(files) / spread))
        return [(_ranking_merge_sql(con, files[i : i + step], measure), {}) for i in range(0, len(files), step)]

    def kept(measure: Measure) -> tuple[tuple[str, None] | None, Callable[[str], None] | None]:
        groups = None if base is None else (_kept_groups_sql(con, base.path(name_of(measure))), None)

        def keep(table: str) -> None:
            assert staging is not None
            # Written again by every run: snappy writes it in two thirds of zstd's time.
            sql = f"SELECT grp, value, missing, n FROM {table}"
            _write_parquet(con, sql, {}, staging / name_of(measure), compression="snappy", narrow=True)

        return groups, keep if staging is not None else None

    run_rankings(con, plan.measures, queries, out, kept)
    return out


def _main_merges(plan: _Plan) -> list[str]:
    """How each column of the main pass after the source merges: evidence keeps the k smallest ids of the union."""
    by_id = {m.id: m for m in plan.measures}
    evidence = f"list_slice(list_sort(flatten(list({{c}}) FILTER (WHERE {{c}} IS NOT NULL))), 1, {plan.evidence_limit})"
    return [
        evidence
        if name.endswith(":evidence")
        else _merge_aggregate(by_id[name.removeprefix("m:")].aggregate if name.startswith("m:") else None)
        for name in plan.main_names[1:]
    ]


def _merge_aggregate(aggregate: MeasureAggregate | None) -> str:
    """How a column merges over files: counts and sums add up, minima and maxima stay minima and maxima."""
    if aggregate is MeasureAggregate.MIN:
        return "min({c})"
    if aggregate is MeasureAggregate.MAX:
        return "max({c})"
    return "sum({c})"


def _merged(con: DuckDBBackend, files: list[Path], key_width: int, merges: list[str]) -> list[tuple[Any, ...]]:
    """The rows of ``files`` grouped by their first ``key_width`` columns, every other column merged by its
    expression (``{c}`` names the column). A HUGEINT sum comes back as one (it is kept as DECIMAL(38, 0))."""
    return [tuple(row) for row in con.execute(_merge_sql(con, files, key_width, merges, False)).fetchall()]


def _merge_sql(con: DuckDBBackend, files: list[Path], key_width: int, merges: list[str], keep_types: bool) -> str:
    """The merge of :func:`_merged`; with ``keep_types`` every merged column cast back to its type in the files
    (a sum past that type is an error, not a wrong figure)."""
    listing = _listing(files)
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({listing})").fetchall()
    names = [_quoted(str(row[0])) for row in described]
    types = [str(row[1]) for row in described]
    assert len(names) == key_width + len(merges)
    keys = ", ".join(names[:key_width])
    values = []
    for name, kind, merge in zip(names[key_width:], types[key_width:], merges, strict=True):
        value = merge.replace("{c}", name)
        if keep_types:
            value = f"CAST({value} AS {kind})"
        elif kind == "DECIMAL(38,0)":
            value = f"CAST({value} AS HUGEINT)"
        values.append(f"{value} AS {name}")
    return f"SELECT {keys}, {', '.join(values)} FROM read_parquet({listing}) GROUP BY ALL"


def _listing(files: list[Path]) -> str:
    """Files as a DuckDB list, each name literal (the cache folder may have ``*`` or ``[`` in its path)."""
    return "[" + ", ".join("'" + literal_glob(str(p)).replace("'", "''") + "'" for p in files) + "]"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _kept_groups_sql(con: DuckDBBackend, file: Path) -> str:
    """A merged entry's per-group sums (grp, value, missing, n), a HUGEINT sum read back as one (it is kept as
    DECIMAL(38, 0) unless every sum fits a BIGINT, see _write_parquet)."""
    listing = _listing([file])
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({listing})").fetchall()
    columns = [
        f"CAST({_quoted(str(n))} AS HUGEINT) AS {_quoted(str(n))}" if str(t) == "DECIMAL(38,0)" else _quoted(str(n))
        for n, t, *_ in described
    ]
    return f"SELECT {', '.join(columns)} FROM read_parquet({listing})"


def _ranking_merge_sql(con: DuckDBBackend, files: list[Path], measure: Measure) -> str:
    listing = _listing(files)
    value = _merge_aggregate(measure.aggregate).replace("{c}", "value")
    types = dict(
        con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({listing}))").fetchall()
    )
    if str(types.get("value")) == "DECIMAL(38,0)":
        value = f"CAST({value} AS HUGEINT)"  # a HUGEINT sum, stored as DECIMAL (see _write_parquet)
    sums = f"{value} AS value, sum(missing) AS missing, sum(n) AS n"
    return f"SELECT host, {sums} FROM read_parquet({listing}) GROUP BY host"
