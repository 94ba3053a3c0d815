"""Run the selected packs over a loaded dataset and return an immutable EvaluationResult."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from aireport import __version__
from aireport.engine.backend import Backend
from aireport.engine.cache import ItemCache
from aireport.engine.config import EngineConfig, ProgressFn
from aireport.engine.duplicates import duplicate_problems
from aireport.engine.failing_items import FailingItemsSink, described, finish
from aireport.engine.licence_warnings import item_licence_warnings, source_licence_warnings
from aireport.engine.outcomes import combine, failing_fraction, outcome_of
from aireport.engine.partials import CachedScan, cached_item_scan, refuse
from aireport.engine.scan import (
    RuleCounts,
    ScanOutput,
    measure_fields,
    missing_item_fields,
    needs_grouping_sets,
    rule_fields,
    run_item_scan,
    uses_item_licences,
)
from aireport.engine.tables import (
    LicenceResolver,
    create_dataset_table,
    create_item_licence_table,
    create_sources_table,
    licence_problems,
)
from aireport.engine.tablescan import run_table_rules
from aireport.errors import InputError, Problem
from aireport.load.files import sha256_file
from aireport.load.items import ItemScan
from aireport.load.lines import jsonl_problems
from aireport.load.locations import source_locations
from aireport.load.manifest import LoadedManifest
from aireport.models.results import (
    REJECTED_LISTED,
    Counts,
    EvaluationResult,
    FailingItemsFile,
    InputFile,
    InputRole,
    InputWarning,
    MeasureResult,
    MeasureValue,
    Outcome,
    PackRef,
    Provenance,
    RejectedRow,
    RowAccounting,
    RuleResult,
    SourceCounts,
    Verdict,
)
from aireport.models.rules import Measure, Rule, RulePack, Scope, iter_leaves
from aireport.resources import data_dir


@dataclass(frozen=True)
class EvaluationInputs:
    loaded: LoadedManifest
    packs: Sequence[RulePack]
    items: ItemScan | None
    licences: LicenceResolver
    licence_file: Path | None
    document_date: str
    failing_items: Path | None = None  # where to write every failing and not-evaluable item (sorted Parquet)
    cache: ItemCache | None = None  # --cache: per-file partials kept between runs (engine/partials.py)


def evaluate(
    inputs: EvaluationInputs,
    config: EngineConfig,
    con: Backend,
    progress: ProgressFn | None = None,
    rejected_rows: list[RejectedRow] | None = None,
) -> EvaluationResult:
    """Every condition rule and measure of the packs over the inputs, on an open backend (the caller closes it).

    The result lists the first :data:`REJECTED_LISTED` rejected rows; ``rejected_rows``, when given, receives
    all of them (at most ``--max-rejected-rows``), for the side file."""
    loaded = inputs.loaded
    items = inputs.items
    known_sources = {s.source_id for s in loaded.sources}
    # Built-in checks (implementation: python) run after the engine, from the result: see disclose/checks.py.
    all_rules = [(pack, rule) for pack in inputs.packs for rule in pack.rules if rule.implementation == "condition"]
    all_measures = [(pack, m) for pack in inputs.packs for m in pack.manifest.measures]

    warnings = [*inputs.loaded.warnings, *_source_warnings(inputs)]
    if inputs.items is not None:
        warnings += inputs.items.warnings
    failing: FailingItemsFile | None = None
    with ThreadPoolExecutor(max_workers=1) as hasher:
        # Hash the item files while DuckDB reads them: both are I/O bound, and hashlib frees the GIL.
        # With the cache, the item files' digests come from it (its stat index), not from a second hashing.
        digests: Future[list[InputFile]] = hasher.submit(_input_files, inputs, inputs.cache is None)
        try:
            con.use_time_zone(loaded.manifest.time_zone)
            create_sources_table(con, loaded.sources, inputs.licences)
            create_dataset_table(con, loaded.manifest, loaded.sources)
            table_counts: dict[str, RuleCounts] = {}
            for scope in (Scope.SOURCE, Scope.DATASET):
                table_counts |= run_table_rules(con, scope, [r for _, r in all_rules if r.scope is scope])

            item_rules = [
                r
                for _, r in all_rules
                if r.scope is Scope.ITEM and not missing_item_fields(rule_fields(r), items, r.absent_as_empty)
            ]
            columns = items.columns if items is not None else None
            item_measures = [m for _, m in all_measures if not missing_item_fields(measure_fields(m, columns), items)]
            scan = ScanOutput()
            located: list[RejectedRow] = []
            if items is not None:
                join = "license" in items.columns and uses_item_licences(item_rules, item_measures)
                scan, scan_warnings, failing, cached = (_cached_scan if inputs.cache is not None else _full_scan)(
                    inputs, con, items, item_rules, item_measures, join, config, progress
                )
                warnings += scan_warnings
                located = _check_rows(con, items, scan, known_sources, config, cached)
        except con.errors as exc:
            raise InputError(_scan_failure(items, exc)) from None
        input_files = digests.result()
        if inputs.cache is not None and items is not None:
            input_files = sorted([*input_files, *_item_inputs(inputs, items)], key=lambda f: (f.role, f.path))

    rule_results = [
        _rule_result(
            pack,
            rule,
            items,
            table_counts.get(rule.id) or scan.rules.get(rule.id),
            config.evidence_limit,
        )
        for pack, rule in all_rules
    ]
    measure_results = [_measure_result(pack, m, items, scan) for pack, m in all_measures]
    rows = _row_accounting(scan).model_copy(update={"rejected_rows": located[:REJECTED_LISTED]})
    if rejected_rows is not None:
        rejected_rows.extend(located)
    return EvaluationResult(
        tool_version=__version__,
        document_date=inputs.document_date,
        dataset=loaded.manifest.dataset,
        time_zone=loaded.manifest.time_zone,
        inputs=input_files,
        packs=[
            PackRef(id=p.manifest.id, version=p.manifest.version, sha256=p.digest, rules=len(p.rules))
            for p in inputs.packs
        ],
        rows=rows,
        warnings=warnings,
        failing_items=failing,
        verdict=Verdict.of(rule_results),
        rules=rule_results,
        measures=measure_results,
    )


def _source_warnings(inputs: EvaluationInputs) -> list[InputWarning]:
    """Inventory licences that do not parse, located in the inventory (read again only when one is found)."""
    sources = inputs.loaded.sources
    if not licence_problems(inputs.licences, (s.license for s in sources)):
        return []
    return source_licence_warnings(inputs.licences, sources, source_locations(inputs.loaded, "license"))


def _with_progress(
    con: Backend,
    progress: ProgressFn | None,
    work: Callable[[], ScanOutput],
    passes: int,
    total_rows: int | None,
) -> ScanOutput:
    """Report one bar over all passes: DuckDB's progress restarts at 0 with each query."""
    if progress is None:
        return work()
    done = threading.Event()
    state: dict[str, float] = {"pass": 0, "last": 0.0, "shown": 0.0}

    def poll() -> None:
        while not done.wait(0.25):
            try:
                value = con.query_progress()
            except con.errors:
                continue
            if value < 0:
                continue
            if value + 5 < state["last"] and state["pass"] < passes - 1:
                state["pass"] += 1
            state["last"] = value
            overall = min(99.0, (state["pass"] * 100 + value) / passes)
            if overall > state["shown"]:
                state["shown"] = overall
                progress(overall, total_rows)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        return work()
    finally:
        done.set()
        watcher.join()
        progress(100.0, total_rows)


def _check_rows(
    con: Backend,
    items: ItemScan,
    scan: ScanOutput,
    known: set[str],
    config: EngineConfig,
    cached: CachedScan | None = None,
) -> list[RejectedRow]:
    """Unknown sources, rejected rows beyond ``--max-rejected-rows`` and duplicate item ids are input errors;
    the rejections accepted are returned, located (file, line or row, reason).

    With ``cached`` (``--cache``), duplicate ids are grouped from the kept per-file id hashes and only the
    files holding a shared hash are read, and the accepted rejections come from the entries; the errors of
    unknown sources and too many rejections (bad input, the slow path) read every file, as without it."""
    unknown = sorted(sid for sid in scan.rows_read if sid not in known and sid != "")
    rejected = sum(sum(r.values()) for r in scan.rows_rejected.values())
    parse_rejects = con.parse_rejects(items)
    scan.rows_rejected.setdefault("", {})
    for reason, n in parse_rejects.items():
        scan.rows_rejected[""][reason] = scan.rows_rejected[""].get(reason, 0) + n
        scan.rows_read[""] = scan.rows_read.get("", 0) + n
    rejected += sum(parse_rejects.values())
    if unknown or rejected > config.max_rejected_rows:
        raise InputError(con.locate_bad_rows(items, sorted(known), unknown, limit=20))
    if cached is None:
        duplicates = duplicate_problems(con, items)
    else:
        shared = cached.shared_ids(con)
        duplicates = duplicate_problems(con, *shared) if shared is not None else []
    if duplicates:
        raise InputError(duplicates)
    if not rejected:
        return []
    if cached is not None:
        return [RejectedRow.of(p) for p in cached.rejected_rows(con, sorted(known), rejected)]
    return [RejectedRow.of(p) for p in con.locate_bad_rows(items, sorted(known), [], limit=rejected)]


def _scan_failure(items: ItemScan | None, exc: BaseException) -> list[Problem]:
    """A scan DuckDB could not finish: a JSON Lines file with a line that is no JSON object is named at that
    line (DuckDB stops there and counts lines its own way); anything else is reported as DuckDB said it."""
    message = str(exc).strip().splitlines()[0]
    if items is not None and items.format == "jsonl":
        located = [
            p for path, shown in zip(items.files, items.displays, strict=True) for p in jsonl_problems(path, shown)
        ]
        if located:
            return located[:20]
    if items is not None and items.format == "csv":  # name the file DuckDB's reader could not finish
        for path, shown in zip(items.files, items.displays, strict=True):
            try:
                duckdb.connect().execute(
                    f"SELECT count(*) FROM {replace(items, files=(path,), displays=(shown,)).from_clause()}"
                ).fetchall()
            except duckdb.Error as failed:
                return [Problem(shown, f"cannot be read as CSV: {str(failed).strip().splitlines()[0]}")]
    return [Problem("item manifests", f"the scan failed: {message}")]


ScanResult = tuple[ScanOutput, list[InputWarning], FailingItemsFile | None, CachedScan | None]
"""The scan's output, the item licence warnings, the failing-items file, and with --cache what it kept."""


def _full_scan(
    inputs: EvaluationInputs,
    con: Backend,
    items: ItemScan,
    rules: list[Rule],
    measures: list[Measure],
    join: bool,
    config: EngineConfig,
    progress: ProgressFn | None,
) -> ScanResult:
    """Every pass over every item file: the scan's output, the item licence warnings, the failing-items file."""
    warnings: list[InputWarning] = []
    # Spark registers its view of the files here; every pass then names them as DuckDB does (from_clause).
    relation = con.items_relation(items)
    if join:
        expressions = [row[0] for row in con.execute(f"SELECT DISTINCT license FROM {relation}").fetchall()]
        create_item_licence_table(con, expressions, inputs.licences)
        warnings += item_licence_warnings(con, items, inputs.licences, expressions)
    passes = 2 if any(needs_grouping_sets(m) for m in measures) else 1
    sink = None
    if inputs.failing_items is not None:
        part = inputs.failing_items.with_name(inputs.failing_items.name + ".part")
        sink = FailingItemsSink(part, [r.id for r in rules])
    scan = _with_progress(
        con,
        progress,
        lambda: run_item_scan(con, items, rules, measures, config.evidence_limit, join, sink),
        passes,
        items.row_count,
    )
    failing = finish(con, sink, inputs.failing_items) if sink is not None and inputs.failing_items is not None else None
    return scan, warnings, failing, None


def _cached_scan(
    inputs: EvaluationInputs,
    con: Backend,
    items: ItemScan,
    rules: list[Rule],
    measures: list[Measure],
    join: bool,
    config: EngineConfig,
    progress: ProgressFn | None,
) -> ScanResult:
    """The same, from the cache's partials and fresh scans of new or changed files (engine/partials.py)."""
    assert inputs.cache is not None
    refuse(items, measures, con)
    context: dict[str, Any] = {"time_zone": inputs.loaded.manifest.time_zone}
    if join:  # the item licence table is built from these and the files' values
        context["licence_file"] = sha256_file(inputs.licence_file) if inputs.licence_file is not None else None
        context["custom_licences"] = {
            k: v.model_dump(mode="json") for k, v in sorted(inputs.loaded.manifest.licences.items())
        }
    cached = cached_item_scan(
        con,
        items,
        rules,
        measures,
        config.evidence_limit,
        join,
        inputs.cache,
        context,
        lambda values: create_item_licence_table(con, values, inputs.licences),
        inputs.failing_items,
        progress,
        config.max_rejected_rows,
    )
    warnings: list[InputWarning] = []
    if cached.licences is not None:
        warnings = item_licence_warnings(con, items, inputs.licences, cached.licences, cached.locate)
    failing = described(cached.failing_rows) if inputs.failing_items is not None else None
    return cached.out, warnings, failing, cached


def _item_inputs(inputs: EvaluationInputs, items: ItemScan) -> list[InputFile]:
    assert inputs.cache is not None
    return [
        InputFile(role="items", path=shown, sha256=inputs.cache.digest(path, shown), bytes=path.stat().st_size)
        for path, shown in zip(items.files, items.displays, strict=True)
    ]


def _input_files(inputs: EvaluationInputs, with_items: bool = True) -> list[InputFile]:
    loaded = inputs.loaded
    files: list[tuple[InputRole, Path]] = [("manifest", loaded.path)]
    files += [("sources", p) for p in loaded.source_files]
    if inputs.items is not None and with_items:
        files += [("items", p) for p in inputs.items.files]
    if inputs.licence_file is not None:
        files.append(("licences", inputs.licence_file))
    out = [
        InputFile(
            role=role,
            path=_display(loaded, path),
            sha256=sha256_file(path),
            bytes=path.stat().st_size,
        )
        for role, path in files
    ]
    return sorted(out, key=lambda f: (f.role, f.path))


def _display(loaded: LoadedManifest, path: Path) -> str:
    """Shipped data is named by its place in the package, so outputs do not depend on the install path."""
    shipped = data_dir("rules").resolve()
    if path.resolve().is_relative_to(shipped):
        return "aireport:rules/" + path.resolve().relative_to(shipped).as_posix()
    return loaded.display(path)


def _rule_result(
    pack: RulePack, rule: Rule, items: ItemScan | None, counts: RuleCounts | None, limit: int
) -> RuleResult:
    missing = missing_item_fields(rule_fields(rule), items, rule.absent_as_empty) if rule.scope is Scope.ITEM else []
    if items is None and rule.scope is Scope.ITEM:
        missing = ["item manifests"]
    per_source: list[SourceCounts] = []
    total = Counts()
    evidence: list[str] = []
    if counts is not None and not missing:
        for source_id in sorted(counts.per_source):
            c = counts.per_source[source_id]
            if c.applicable == 0:
                continue
            total = total + c
            per_source.append(
                SourceCounts(
                    source_id=source_id,
                    counts=c,
                    failing_fraction=failing_fraction(c),
                    outcome=outcome_of(c, rule.tolerance),
                )
            )
        evidence = sorted(e for ids in counts.evidence.values() for e in ids)[:limit]
    if missing:
        outcome = Outcome.NOT_EVALUABLE
    elif rule.tolerance_per == "source":
        outcome = combine(s.outcome for s in per_source)
    else:
        outcome = outcome_of(total, rule.tolerance)
    return RuleResult(
        pack=pack.manifest.id,
        rule_id=rule.id,
        title=rule.title,
        citation=rule.citation,
        severity=rule.severity,
        scope=rule.scope,
        section=rule.section,
        outcome=outcome,
        basis=Provenance.MISSING if outcome is Outcome.NOT_EVALUABLE else basis_of(rule),
        counts=total,
        failing_fraction=failing_fraction(total),
        tolerance=str(rule.tolerance),
        tolerance_per=rule.tolerance_per,
        per_source=per_source if rule.scope is not Scope.DATASET else [],
        evidence=evidence,
        missing_fields=missing,
        message=rule.message,
        fix=rule.fix,
    )


def _plain(value: Any) -> float | int | str | None:
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _measure_result(pack: RulePack, measure: Measure, items: ItemScan | None, scan: ScanOutput) -> MeasureResult:
    missing = (
        ["item manifests"] if items is None else missing_item_fields(measure_fields(measure, items.columns), items)
    )
    values: list[MeasureValue] = []
    if not missing:
        raw = scan.measures.get(measure.id, {})
        values = [
            MeasureValue(source_id=sid, group=None if group is None else str(group), value=_plain(v))
            # The total (source None) first, then sources; groups in text order, empty group last.
            for (sid, group), v in sorted(
                raw.items(),
                key=lambda kv: (
                    kv[0][0] is not None,
                    kv[0][0] or "",
                    kv[0][1] is None,
                    str(kv[0][1]),
                ),
            )
        ]
    ranking = scan.rankings.get(measure.id) if not missing else None
    return MeasureResult(
        ranking=ranking,
        pack=pack.manifest.id,
        measure_id=measure.id,
        title=measure.title,
        aggregate=measure.aggregate.value,
        field=measure.field,
        by=measure.by,
        provenance=Provenance.MISSING if missing else Provenance.MEASURED,
        missing_fields=missing,
        values=values,
    )


def _row_accounting(scan: ScanOutput) -> RowAccounting:
    read = sum(scan.rows_read.values())
    by_reason: dict[str, int] = {}
    for reasons in scan.rows_rejected.values():
        for reason, n in reasons.items():
            by_reason[reason] = by_reason.get(reason, 0) + n
    rejected = sum(by_reason.values())
    unused = {sid: n for sid, n in sorted(scan.rows_not_in_training.items()) if n}
    return RowAccounting(
        read=read,
        evaluated=read - rejected,
        rejected=rejected,
        rejected_by_reason=dict(sorted(by_reason.items())),
        not_in_training=sum(unused.values()),
        not_in_training_by_source=unused,
    )


def basis_of(rule: Rule) -> Provenance:
    """What a rule's outcome rests on: item rows are measured, inventory rows declared, and a dataset rule is
    attested when it reads a human statement (``attestations.*``), declared otherwise."""
    if rule.scope is Scope.ITEM:
        return Provenance.MEASURED
    if rule.scope is Scope.SOURCE:
        return Provenance.DECLARED
    conditions = [c for c in (rule.condition, rule.applies_if) if c is not None]
    fields = {leaf.field for c in conditions for leaf in iter_leaves(c)}
    return Provenance.ATTESTED if any(f.startswith("attestations.") for f in fields) else Provenance.DECLARED
