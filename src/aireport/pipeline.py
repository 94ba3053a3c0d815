"""One pipeline: every input loaded once, the packs evaluated once, the built-in checks run once.

    load (manifest, inventory, items, packs, licences, CN reference, statements, reviewed sample, previous
    Summary) -> engine (rules, measures, the sample, on one backend) -> built-in checks -> a :class:`Run`
    -> documents (``build``) -> bytes in every format (``render``) -> files (``write``)

Every command that reads a dataset (``check``, ``report``, ``cn-assess``, ``sample``) and the benchmarks go
through :func:`run` or :func:`draw`; the CLI parses options, calls these functions and prints. Inputs are
all loaded and checked before the first scan, so a broken pack or statements file never waits for a long
scan. Heavy modules are imported inside the functions that need them: a command pays only for what it uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from aireport.engine.config import EngineConfig, ProgressFn
from aireport.errors import AireportError, InputError, Problem
from aireport.models.run import DEFAULT_LARGE_THRESHOLD, CnContext, PreviousSummary, Run

if TYPE_CHECKING:
    from aireport.engine.backend import Backend
    from aireport.engine.clearance import ClearanceParams
    from aireport.load.convert import Conversion
    from aireport.load.items import ItemScan
    from aireport.load.licences import LicenceTable
    from aireport.load.manifest import LoadedManifest
    from aireport.models.cn.sample import DrawnSample, ReviewedRow, ReviewResult, SampleSpec
    from aireport.models.doc_parts import Edition
    from aireport.models.documents import Document
    from aireport.models.ledger import Ledger, Totals
    from aireport.models.resolutions import ResolutionsFile
    from aireport.models.results import EvaluationResult, InputFile, InputRole, RejectedRow
    from aireport.models.rules import RulePack
    from aireport.render.formats import RenderRequest

__all__ = ["EngineConfig", "ProgressFn", "Run", "RunRequest", "build", "draw", "load", "render", "run", "write"]

CN_PACK: Final = "cn-genai"
EU_PACK: Final = "eu-ai-act"
RESOLUTIONS_PACK: Final = "resolutions"


@dataclass(frozen=True)
class RunRequest:
    """What to load and how to evaluate it: the options of every command that reads a dataset."""

    manifest: Path
    packs: tuple[str, ...]
    document_date: str
    engine: EngineConfig = field(default_factory=EngineConfig)
    previous_summary: Path | None = None  # EU: the previous version's eu-training-summary.json
    large_threshold: Decimal = DEFAULT_LARGE_THRESHOLD  # EU Summary 2.1 (c)
    assessment_date: dt.date | None = None  # CN: selects the profile; default the document date
    params: tuple[str, ...] = ()  # CN: NAME=VALUE profile overrides
    statements: Path | None = None  # CN: signed statements
    cn_purpose: str = "filing"  # CN: filing (the service filing's number is then pending) or review
    reviewed: Path | None = None  # CN: the reviewed sample file (needs ``sample``)
    sample: SampleSpec | None = None  # the sample to draw (or re-draw, to check a reviewed file)
    documents: tuple[str, ...] = ()  # the documents that will be built: their input needs are checked up front
    resolutions: Path | None = None  # waivers (a resolutions file)
    apply_resolutions: bool = True  # False: --no-resolutions, a full audit (the file is still read and listed)
    failing_items: Path | None = None  # folder for every failing and not-evaluable item per rule (DuckDB only)
    strict_inputs: bool = False  # an input value that cannot be read (result.warnings) is an error, exit 2
    cache: Path | None = None  # folder of per-file partial aggregates kept between runs (DuckDB, Parquet items)


@dataclass(frozen=True)
class _CnInputs:
    context: CnContext
    reviewed: tuple[ReviewedRow, ...] | None
    files: tuple[tuple[InputRole, Path, str], ...]


@dataclass(frozen=True)
class Loaded:
    """Every input, read and checked; nothing scanned yet."""

    request: RunRequest
    manifest: LoadedManifest
    packs: tuple[RulePack, ...]
    licences: LicenceTable
    licence_file: Path
    items: ItemScan | None
    previous: PreviousSummary | None
    cn: _CnInputs | None
    files: tuple[tuple[InputRole, Path, str], ...]  # (role, path, shown name) besides manifest, items, licences
    resolutions: ResolutionsFile | None = None


def load(request: RunRequest) -> Loaded:
    """Read every input the request names; all-or-nothing, before any scan."""
    from aireport.disclose.checks import unimplemented
    from aireport.load.cn.profile import require_acquisition
    from aireport.load.items import open_item_scan
    from aireport.load.licences import load_licence_table
    from aireport.load.manifest import load_manifest
    from aireport.load.rulepack import load_packs
    from aireport.resources import data_dir

    names = request.packs
    if request.resolutions is not None and RESOLUTIONS_PACK not in names:
        names = (*names, RESOLUTIONS_PACK)  # the findings about the file itself
    packs = tuple(load_packs(names))  # packs first: a broken pack should not wait for anything
    problems = unimplemented(packs)
    if problems:
        raise InputError(problems)
    # The CN reference and profile next: a date before any profile is the first thing to hear about.
    cn = _cn_inputs(request, packs) if any(p.manifest.id == CN_PACK for p in packs) else None
    if cn is None and (request.statements or request.reviewed or request.params):
        raise InputError([Problem("--pack", f"--statements, --reviewed and --param need the {CN_PACK} pack")])
    loaded = load_manifest(request.manifest)
    if cn is not None and {"cn-assessment", "cn-corpus-summary"} & set(request.documents):
        require_acquisition(loaded)
    licence_file = data_dir("rules") / "licences.yaml"
    licences = load_licence_table(licence_file, loaded.manifest.licences, declared_in=str(request.manifest))
    items = open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display)
    files: list[tuple[InputRole, Path, str]] = []
    previous = None
    if request.previous_summary is not None:
        previous = _previous_summary(request.previous_summary)
        files.append(("previous", request.previous_summary, loaded.display(request.previous_summary)))
    if cn is not None:
        files += cn.files
    resolutions = None
    if request.resolutions is not None:
        from aireport.load.resolutions import load_resolutions

        shown = loaded.display(request.resolutions) if request.resolutions.exists() else str(request.resolutions)
        resolutions = load_resolutions(request.resolutions, shown, packs, loaded.sources)
        files.append(("resolutions", request.resolutions, shown))
    return Loaded(
        request=request,
        manifest=loaded,
        packs=packs,
        licences=licences,
        licence_file=licence_file,
        items=items,
        previous=previous,
        cn=cn,
        files=tuple(files),
        resolutions=resolutions,
    )


def _previous_summary(path: Path) -> PreviousSummary:
    from aireport.load.files import sha256_file
    from aireport.models.eu.summary import EuSummaryDocument
    from aireport.render.document_json import read_document

    try:
        doc = read_document(path)
    except AireportError as exc:  # say which option named the file
        raise InputError([replace(p, field=p.field or "--previous") for p in exc.problems]) from None
    if not isinstance(doc, EuSummaryDocument):
        raise InputError(
            [Problem(str(path), f"--previous: expected an eu-training-summary document, found {doc.document}")]
        )
    return PreviousSummary(document=doc, sha256=sha256_file(path))


def _cn_inputs(request: RunRequest, packs: tuple[RulePack, ...]) -> _CnInputs:
    from aireport.load.cn.profile import apply_overrides, load_cn_reference, select_profile
    from aireport.load.cn.review import read_reviewed
    from aireport.load.cn.statements import load_statements
    from aireport.load.files import relative_display

    def shown(path: Path) -> str:  # as the manifest's loader names files: relative to its folder
        return relative_display(path, request.manifest.parent) if path.exists() else str(path)

    pack = next(p for p in packs if p.manifest.id == CN_PACK)
    reference, reference_files = load_cn_reference(pack)
    date = request.assessment_date or dt.date.fromisoformat(request.document_date)
    default_profile = select_profile(reference.profiles, date)
    profile, _ = apply_overrides(default_profile, request.params)
    files: list[tuple[InputRole, Path, str]] = [("profile", path, name) for name, path in reference_files]
    statements = None
    if request.statements is not None:
        statements = load_statements(request.statements, str(request.statements), reference.clauses)
        files.append(("statements", request.statements, shown(request.statements)))
    reviewed = None
    if request.reviewed is not None:
        if request.sample is None:
            raise InputError([Problem("--reviewed", "needs the --seed (and --per-source, --corpus) it was drawn with")])
        name = shown(request.reviewed)
        reviewed = tuple(read_reviewed(request.reviewed, name, reference.appendix.codes))
        files.append(("reviewed", request.reviewed, name))
    context = CnContext(
        reference=reference,
        profile=profile,
        default_profile=default_profile,
        assessment_date=date,
        statements=statements,
        purpose=request.cn_purpose,
    )
    return _CnInputs(context=context, reviewed=reviewed, files=tuple(files))


def run(request: RunRequest, progress: ProgressFn | None = None) -> Run:
    """Load, evaluate, draw the sample if asked, run the built-in checks: the run every document reads.

    With ``failing_items`` the list of failing items is staged in that folder and put in place only when the
    run succeeds (with ``strict_inputs``, only when no input value was unreadable): nothing half-written.
    """
    if request.failing_items is not None and request.engine.engine != "duckdb":
        raise InputError([Problem("--failing-items", "is written by the DuckDB engine only; drop --engine spark")])
    if request.cache is not None and request.engine.engine != "duckdb":
        raise InputError([Problem("--cache", "keeps the partials of the DuckDB engine only; drop --engine spark")])
    staged = None
    created = False
    if request.failing_items is not None:
        from aireport.engine.failing_items import FILE_NAME

        staged = request.failing_items / f".{FILE_NAME}.staged"
        created = not request.failing_items.exists()
    try:
        evaluated = _run(request, progress, staged)
        if request.strict_inputs and evaluated.result.warnings:
            raise InputError(warning_problems(evaluated.result))
    except BaseException:
        if staged is not None:
            for leftover in (staged, staged.with_name(staged.name + ".part")):
                leftover.unlink(missing_ok=True)
            if created and staged.parent.is_dir() and not any(staged.parent.iterdir()):
                staged.parent.rmdir()
        raise
    if staged is not None and request.failing_items is not None:
        staged.replace(request.failing_items / FILE_NAME)
    return evaluated


def _run(request: RunRequest, progress: ProgressFn | None, failing_items: Path | None) -> Run:
    from aireport.engine.backend import open_backend
    from aireport.engine.cache import ItemCache
    from aireport.engine.evaluate import EvaluationInputs, evaluate

    loaded = load(request)
    cache = ItemCache(request.cache) if request.cache is not None and loaded.items is not None else None
    if failing_items is not None:
        try:
            failing_items.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                [Problem(str(failing_items.parent), f"cannot create the folder: {exc.strerror}")]
            ) from None
    backend = open_backend(request.engine)
    rejected: list[RejectedRow] = []
    try:
        result = evaluate(
            EvaluationInputs(
                loaded=loaded.manifest,
                packs=loaded.packs,
                items=loaded.items,
                licences=loaded.licences,
                licence_file=loaded.licence_file,
                document_date=request.document_date,
                failing_items=failing_items,
                cache=cache,
            ),
            request.engine,
            backend,
            progress,
            rejected,
        )
        drawn = _draw(loaded, backend) if request.sample is not None else None
    finally:
        backend.close()
    cn = loaded.cn.context if loaded.cn is not None else None
    if cn is not None and loaded.cn is not None and loaded.cn.reviewed is not None and drawn is not None:
        cn = replace(cn, review=_review(loaded, loaded.cn.reviewed, drawn))
    result = result.model_copy(update={"inputs": _with_files(result.inputs, loaded)})
    from aireport.load.problems import load_problems

    evaluated = Run(
        manifest=loaded.manifest.manifest,
        sources=loaded.manifest.sources,
        packs=loaded.packs,
        result=result,
        previous_summary=loaded.previous,
        large_threshold=request.large_threshold,
        cn=cn,
        sample=drawn,
        problems=load_problems(),
        rejected_rows=tuple(rejected),
        cache=cache.stats if cache is not None else None,
    )
    return with_resolutions(with_checks(evaluated), loaded)


def draw(request: RunRequest) -> tuple[DrawnSample, str]:
    """The sample alone (``aireport sample``): no rule is evaluated. Returns it with the manifest's SHA-256."""
    from aireport.engine.backend import open_backend
    from aireport.load.files import sha256_file
    from aireport.load.manifest import load_manifest

    if request.sample is None:
        raise ValueError("draw() needs a sample spec")
    loaded = load_manifest(request.manifest)
    backend = open_backend(request.engine)
    try:
        drawn = _draw_from(loaded, request.sample, backend)
    finally:
        backend.close()
    return drawn, sha256_file(loaded.path)


def _draw(loaded: Loaded, backend: Backend) -> DrawnSample:
    assert loaded.request.sample is not None
    return _draw_from(loaded.manifest, loaded.request.sample, backend)


def _draw_from(loaded: LoadedManifest, spec: SampleSpec, backend: Backend) -> DrawnSample:
    from aireport.engine.sampling import draw_sample
    from aireport.load.items import open_item_scan

    if spec.per_source == 0 and spec.corpus == 0:
        raise InputError([Problem("--per-source", "give --per-source K, --corpus N or both (a positive number)")])
    scan = open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display)
    if scan is None:
        raise InputError(
            [Problem(loaded.display(loaded.path), "lists no item manifests to sample from", field="items")]
        )
    return draw_sample(loaded.sources, scan, spec, backend)


def _review(loaded: Loaded, rows: tuple[ReviewedRow, ...], drawn: DrawnSample) -> ReviewResult:
    from aireport.disclose.cn.review import review_result
    from aireport.load.cn.review import check_against_draw
    from aireport.load.files import sha256_file

    assert loaded.cn is not None
    assert loaded.request.reviewed is not None
    path = loaded.request.reviewed
    shown = next(s for role, p, s in loaded.cn.files if role == "reviewed")
    check_against_draw(list(rows), drawn, shown)
    return review_result(list(rows), drawn, loaded.cn.context.reference.appendix, shown, sha256_file(path))


def _with_files(inputs: list[InputFile], loaded: Loaded) -> list[InputFile]:
    """The result's inputs, with the files the pipeline read besides the manifest, items and licences."""
    from aireport.load.files import sha256_file
    from aireport.models.results import InputFile

    extra = [
        InputFile(role=role, path=shown, sha256=sha256_file(path), bytes=path.stat().st_size)
        for role, path, shown in loaded.files
    ]
    return sorted([*inputs, *extra], key=lambda f: (f.role, f.path))


def with_checks(evaluated: Run) -> Run:
    """The built-in checks, merged into the result in pack and id order, and the verdict over all findings."""
    from aireport.disclose.checks import run_checks
    from aireport.models.results import Verdict

    checks = run_checks(evaluated)
    if not checks:
        return evaluated
    rules = {(r.pack, r.rule_id): r for r in evaluated.result.rules}
    merged = []
    for pack in evaluated.packs:
        for rule in pack.rules:
            key = (pack.manifest.id, rule.id)
            if f"{key[0]}/{key[1]}" in checks:
                merged.append(checks[f"{key[0]}/{key[1]}"])
            elif key in rules:
                merged.append(rules[key])
    result = evaluated.result.model_copy(update={"rules": merged, "verdict": Verdict.of(merged)})
    return replace(evaluated, result=result)


def with_resolutions(evaluated: Run, loaded: Loaded) -> Run:
    """Waivers applied after every other finding, and the findings about the resolutions file."""
    from aireport.disclose.resolutions import resolved
    from aireport.models.results import Verdict

    if loaded.resolutions is None or loaded.request.resolutions is None:
        return evaluated
    pack = evaluated.pack(RESOLUTIONS_PACK)
    assert pack is not None
    shown = next(s for role, _, s in loaded.files if role == "resolutions")
    rules, state = resolved(evaluated.result, pack, loaded.resolutions, shown, loaded.request.apply_resolutions)
    result = evaluated.result.model_copy(update={"rules": rules, "verdict": Verdict.of(rules)})
    return replace(evaluated, result=result, resolutions=state)


def warning_problems(result: EvaluationResult) -> list[Problem]:
    """The result's input warnings as located problems: what ``--strict`` stops on (exit 2)."""
    return [
        Problem(
            w.file,
            f"{w.reason}; found {w.value!r}"
            + (f" in {w.rows:,} rows" if w.rows > 1 else "")
            + f"; allowed: {w.allowed}",
            line=w.line,
            row=w.row,
            field=w.column,
        )
        for w in result.warnings
    ]


def result_of(request: RunRequest, progress: ProgressFn | None = None) -> EvaluationResult:
    return run(request, progress).result


# --- documents ------------------------------------------------------------------------------------------------


def build(evaluated: Run, names: tuple[str, ...], editions: tuple[Edition, ...] = ("clean",)) -> list[Document]:
    """The documents ``names`` of a run, in that order, each in every edition asked for (the internal findings
    have one edition only)."""
    from aireport.disclose.registry import build_document

    out: list[Document] = []
    for name in names:
        for which in editions:
            doc = build_document(name, evaluated, which)
            if doc not in out:
                out.append(doc)
    return out


def edition_of(doc: Document, which: Edition) -> Document:
    """A saved document in another edition: an annotated one can be cleaned, a clean one stays clean."""
    from aireport.disclose.editions import edition

    return doc if doc.audience == "internal" else edition(doc, which)


def render(documents: list[Document], request: RenderRequest) -> dict[str, bytes]:
    """File name -> bytes for every document in every format and language asked for, all in memory."""
    from aireport.render.formats import render_all

    return render_all(documents, request)


def rejected_files(evaluated: Run, name: str | None = None) -> dict[str, bytes]:
    """The side file listing every rejected row (``rejected-rows.csv``, or ``name``), when a row was rejected."""
    from aireport.models.results import REJECTED_ROWS_CSV
    from aireport.render.rejected import rejected_rows_csv

    if not evaluated.rejected_rows:
        return {}
    return {name or REJECTED_ROWS_CSV: rejected_rows_csv(evaluated.rejected_rows)}


def write(out: Path, files: dict[str, bytes]) -> list[Path]:
    """All files into ``out``, all or nothing."""
    from aireport.render.output import write_all_atomic

    return write_all_atomic(out, files)


def read_document(path: Path) -> Document:
    """A saved JSON document, validated against its schema (``aireport render``, ``--previous``)."""
    from aireport.render.document_json import read_document as read

    return read(path)


def result_json(result: EvaluationResult) -> bytes:
    from aireport.render.canonical import canonical_json

    return canonical_json(result)


def write_file(path: Path, data: bytes) -> None:
    from aireport.render.output import write_atomic

    write_atomic(path, data)


# --- what the packs hold, and the other commands' work ---------------------------------------------------------


def packs(names: tuple[str, ...] = ()) -> list[RulePack]:
    """The packs named (default: every built-in pack), loaded and checked."""
    from aireport.load.rulepack import builtin_packs, load_packs

    return load_packs(names or tuple(builtin_packs()))


def convert(
    inputs: list[str], out_dir: Path, max_rejected_rows: int, run_sql: Callable[[Any, str], None] | None = None
) -> list[Conversion]:
    """CSV or JSONL item manifests to typed Parquet (``aireport convert``)."""
    from aireport.load.convert import convert_items

    return convert_items(inputs, out_dir, max_rejected_rows, run_sql)


def sample_file(request: RunRequest, fmt: str) -> tuple[bytes, DrawnSample]:
    """The reviewer's sample file (XLSX, CSV or Parquet) of a fresh draw."""
    from aireport import __version__
    from aireport.load.cn.profile import load_appendix_a
    from aireport.render.cn.sample_file import XLSX_MAX_ROWS, SampleContext, sample_file_bytes

    appendix = load_appendix_a()
    drawn, manifest_sha256 = draw(request)
    if fmt == "xlsx" and len(drawn.rows) > XLSX_MAX_ROWS:
        raise InputError(
            [Problem("--out", f"{len(drawn.rows):,} rows do not fit in one XLSX sheet; write .csv or .parquet")]
        )
    context = SampleContext(manifest=request.manifest.name, manifest_sha256=manifest_sha256, tool_version=__version__)
    return sample_file_bytes(fmt, drawn, context, appendix), drawn


def import_dataset(fmt: str, path: Path) -> dict[str, bytes]:
    """``aireport import``: a dataset described in another format, as an editable manifest and inventory."""
    from aireport.load.importers import by_name
    from aireport.render.manifest_file import editable_files

    importer = by_name(fmt)
    imported = importer.read(path, str(path))
    return editable_files(imported.manifest, dict(imported.notes), path.name, f"{path.name}, {importer.summary}")


@dataclass(frozen=True)
class Validation:
    """What ``aireport validate`` found: the document's kind and dataset, every problem, the keys that signed it."""

    document: str | None
    dataset: str | None
    problems: tuple[Problem, ...]
    signed_by: tuple[str, ...] = ()


def validate_document(path: Path, keys: tuple[Path, ...] = ()) -> Validation:
    """A received document checked against its schema and itself, and its signature verified when it is signed
    (a DSSE envelope). Unreadable input is an InputError (exit 2); what is wrong with a readable document is a
    problem of the result (exit 1)."""
    from aireport.attest.errors import VerificationError
    from aireport.attest.intoto import verify_document
    from aireport.attest.keys import load_public_key
    from aireport.disclose.self_consistency import consistency_problems
    from aireport.load.import_support import read_json
    from aireport.models.documents import DOCUMENT_MODELS
    from aireport.render.document_json import schema_problems

    shown = str(path)
    data = read_json(path, shown, "aireport document")
    signed_by: tuple[str, ...] = ()
    signed = isinstance(data, dict) and {"payloadType", "payload", "signatures"} <= data.keys()
    if signed:
        if not keys:
            raise InputError([Problem(shown, "the document is signed (a DSSE envelope); give --key PUBLIC.pem")])
        trusted = [load_public_key(key) for key in keys]
        types = [f"application/vnd.aireport.{name}+json" for name in DOCUMENT_MODELS]
        try:
            data, signed_by = verify_document(path.read_bytes(), trusted, types, shown)
        except VerificationError as exc:
            return Validation(None, None, exc.problems)
    elif keys:
        return Validation(None, None, (Problem(shown, "--key given, but the document is not signed"),))
    problems = schema_problems(data, shown)
    if isinstance(data, dict):
        problems += consistency_problems(data, shown)
        dataset = data.get("dataset")
        if isinstance(dataset, dict):  # a bilingual name (the Chinese documents): the English one names it
            dataset = dataset.get("en")
        return Validation(data.get("document"), dataset, tuple(problems), signed_by)
    return Validation(None, None, tuple(problems), signed_by)


@dataclass(frozen=True)
class DocumentDiff:
    document: str
    changes: tuple[Any, ...]  # aireport.disclose.diff.Change
    markdown: str
    json: bytes


def diff_documents(old: Path, new: Path) -> DocumentDiff:
    """``aireport diff``: the semantic changes between two saved documents of one kind, as Markdown and JSON."""
    from aireport.disclose.diff import KindMismatch, markdown
    from aireport.disclose.diff import diff_documents as diff
    from aireport.load.files import sha256_file
    from aireport.load.import_support import read_json, require_object
    from aireport.render.canonical import canonical_json
    from aireport.render.document_json import schema_problems

    values = []
    for path in (old, new):
        data = require_object(read_json(path, str(path), "aireport document"), str(path), "aireport document")
        problems = schema_problems(data, str(path))
        if problems:
            raise InputError(problems)
        values.append(data)
    try:
        changes = diff(values[0], values[1])
    except KindMismatch:
        kinds = f"{values[0]['document']} and {values[1]['document']}"
        raise InputError(
            [Problem(str(new), f"documents of different kinds: {kinds}; allowed: two documents of one kind")]
        ) from None
    kind = str(values[0]["document"])
    payload = {
        "document": kind,
        "old": {"path": str(old), "sha256": sha256_file(old), "document_date": values[0].get("document_date")},
        "new": {"path": str(new), "sha256": sha256_file(new), "document_date": values[1].get("document_date")},
        "changes": [c.as_json() for c in changes],
    }
    return DocumentDiff(kind, tuple(changes), markdown(changes, str(old), str(new), kind), canonical_json(payload))


def model_card(summary: Path, readme: Path, languages: tuple[str, ...]) -> bytes:
    """``aireport card``: ``readme`` (read if it exists) with the EU Summary's model-card section merged in."""
    from aireport.models.eu.summary import EuSummaryDocument
    from aireport.render.card import merge

    doc = read_document(summary)
    if not isinstance(doc, EuSummaryDocument):
        raise InputError([Problem(str(summary), f"found a {doc.document} document; allowed: eu-training-summary")])
    try:
        text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(readme), f"cannot read: {exc}")]) from None
    return merge(text, doc, languages, str(readme)).encode("utf-8")


def importer_names() -> tuple[str, ...]:
    from aireport.load.importers import importers

    return tuple(i.name for i in importers() if i.name != "aireport")


def document_names() -> tuple[str, ...]:
    from aireport.disclose.registry import documents

    return tuple(documents())


def check_dataset(
    manifest: Path,
    packs: Sequence[str],
    engine: EngineConfig | None = None,
    document_date: str | None = None,
    progress: ProgressFn | None = None,
) -> EvaluationResult:
    """The Python API of ``aireport check``: every finding of ``packs`` over the dataset of ``manifest``."""
    date = document_date or dt.datetime.now(tz=dt.UTC).date().isoformat()
    request = RunRequest(manifest=manifest, packs=tuple(packs), document_date=date, engine=engine or EngineConfig())
    return run(request, progress).result


# --- clearance, the creators' ledger and the delivery certificate (docs/clearance.md, docs/merkle.md) ------------

CLEARANCE_PACK: Final = "clearance"
LISTING_FILE: Final = "clearance.parquet"


@dataclass(frozen=True)
class ClearRequest:
    """``aireport clear`` and the clearance part of ``certify``: what to clear, on which date, and any amount."""

    manifest: Path
    date: str
    territories: str = "worldwide"
    pack: str = CLEARANCE_PACK
    amount: str | None = None
    currency: str | None = None
    basis: str = "count"
    engine: EngineConfig = field(default_factory=EngineConfig)


@dataclass(frozen=True)
class Cleared:
    """A written (staged) listing with the delivery's totals and both ledgers."""

    listing: Path
    rows: int
    totals: Totals
    creators: Ledger
    rights_holders: Ledger
    pack: RulePack
    inputs: tuple[InputFile, ...]
    params: ClearanceParams
    dataset: str
    supplier: str


def _clearance_inputs(request: ClearRequest, require: tuple[str, ...] = ()) -> tuple[Any, ...]:
    """Everything read and checked before the scan: manifest, items, licences, pack, amount."""
    from aireport.disclose.delivery.ledger import parse_amount
    from aireport.engine.clearance import ClearanceParams, parse_territories
    from aireport.load.items import open_item_scan
    from aireport.load.licences import load_licence_table
    from aireport.load.manifest import load_manifest
    from aireport.load.rulepack import load_packs
    from aireport.models.ledger import BASES
    from aireport.resources import data_dir

    (pack,) = load_packs([request.pack])
    other = [r.id for r in pack.rules if r.scope.value != "item" or r.implementation != "condition"]
    if other:  # a rule clearance cannot evaluate per item must not be dropped silently
        raise InputError(
            [Problem(request.pack, f"rule {i} is not an item condition; a clearance pack holds item rules only",
                     field="--pack") for i in other]
        )  # fmt: skip
    params = ClearanceParams(dt.date.fromisoformat(request.date), parse_territories(request.territories))
    if request.basis not in BASES:
        raise InputError([Problem("--basis", f"found {request.basis!r}; allowed: {', '.join(BASES)}")])
    money = None
    if request.amount is not None or request.currency is not None:
        if request.amount is None or request.currency is None:
            raise InputError([Problem("--amount", "give --amount and --currency together")])
        money = parse_amount(request.amount, request.currency)
    loaded = load_manifest(request.manifest)
    licence_file = data_dir("rules") / "licences.yaml"
    licences = load_licence_table(licence_file, loaded.manifest.licences, declared_in=str(request.manifest))
    scan = open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display)
    if scan is None:
        raise InputError([Problem(loaded.display(loaded.path), "lists no item manifests to clear", field="items")])
    for column in require:
        if column not in scan.columns:
            raise InputError([Problem("item manifests", "the column is needed here and is missing", field=column)])
    if money is not None and request.basis == "weight" and "usage_weight" not in scan.columns:
        raise InputError([Problem("--basis", "weight: the item manifests have no usage_weight column")])
    return pack, params, money, loaded, licences, licence_file, scan


def clear(request: ClearRequest, staging: Path, require: tuple[str, ...] = ()) -> Cleared:
    """Clear every item into a listing staged at ``staging``, then total it and build both ledgers."""
    from concurrent.futures import ThreadPoolExecutor

    from aireport.disclose.delivery.ledger import build_ledger
    from aireport.engine.backend import DuckDBBackend, connect
    from aireport.engine.clearance import write_listing
    from aireport.engine.ledger import ledger_figures
    from aireport.models.ledger import Basis

    pack, params, money, loaded, licences, licence_file, scan = _clearance_inputs(request, require)
    files: list[tuple[InputRole, Path]] = [("manifest", loaded.path), *(("sources", p) for p in loaded.source_files)]
    files += [("items", p) for p in scan.files] + [("licences", licence_file)]
    with ThreadPoolExecutor(max_workers=1) as hasher:  # hash the inputs while DuckDB reads them
        digests = hasher.submit(_digests, files, loaded)
        backend = DuckDBBackend(connect(request.engine))
        try:
            listing = write_listing(backend, scan, loaded.sources, licences, pack, params, staging)
            has_weight = "usage_weight" in scan.columns
            totals, per_creator, per_holder = ledger_figures(backend, staging, has_weight)
            basis: Basis = request.basis  # type: ignore[assignment]  # checked in _clearance_inputs
            ledgers = [
                build_ledger("creator", per_creator, totals, basis, money),
                build_ledger("rights_holder", per_holder, totals, basis, money),
            ]
        except BaseException:
            staging.unlink(missing_ok=True)
            raise
        finally:
            backend.close()
        inputs = digests.result()
    return Cleared(
        listing=staging,
        rows=listing.rows,
        totals=totals,
        creators=ledgers[0],
        rights_holders=ledgers[1],
        pack=pack,
        inputs=inputs,
        params=params,
        dataset=loaded.manifest.dataset,
        supplier=loaded.manifest.provider.legal_name,
    )


def _digests(files: list[tuple[InputRole, Path]], loaded: LoadedManifest) -> tuple[InputFile, ...]:
    from aireport.load.files import sha256_file
    from aireport.models.results import InputFile
    from aireport.resources import data_dir

    shipped = data_dir("rules").resolve()

    def shown(path: Path) -> str:
        if path.resolve().is_relative_to(shipped):
            return "aireport:rules/" + path.resolve().relative_to(shipped).as_posix()
        return loaded.display(path)

    out = [InputFile(role=r, path=shown(p), sha256=sha256_file(p), bytes=p.stat().st_size) for r, p in files]
    return tuple(sorted(out, key=lambda f: (f.role, f.path)))


def ledger_files(cleared: Cleared) -> dict[str, bytes]:
    """Both ledgers as CSV and Parquet, for the library."""
    from aireport.render.ledger_files import ledger_files as files_of

    out: dict[str, bytes] = {}
    for name, ledger in (("ledger-creators", cleared.creators), ("ledger-rights-holders", cleared.rights_holders)):
        out[f"{name}.csv"], out[f"{name}.parquet"] = files_of(ledger)
    return out


def write_delivery(out: Path, staged: dict[str, Path], files: dict[str, bytes]) -> list[Path]:
    """The small files all or nothing, then the staged large ones (listing, index) renamed into place."""
    import os

    from aireport.render.output import write_all_atomic

    try:
        written = write_all_atomic(out, files)
    except BaseException:
        for path in staged.values():
            path.unlink(missing_ok=True)
        raise
    for name, path in staged.items():
        os.replace(path, out / name)
        written.append(out / name)
    return sorted(written)


def staging_path(out: Path, name: str) -> Path:
    """Where a large output is written before it is renamed into ``out`` (same file system, hidden)."""
    import secrets

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([Problem(str(out), f"cannot create the output folder: {exc.strerror or exc}")]) from None
    return out / f".{name}.{secrets.token_hex(4)}.part"


CERTIFICATE_FILE: Final = "certificate.dsse.json"
INDEX_FILE: Final = "merkle-index.parquet"


@dataclass(frozen=True)
class CertifyRequest:
    """``aireport certify``: the clearance of the delivered items, and who delivers to whom."""

    clear: ClearRequest
    delivery: str
    buyer: str
    key: Path
    supplier: str | None = None  # default: the manifest's provider
    workers: int = 1  # processes hashing the Merkle tree's chunks
    render: RenderRequest | None = None  # the delivery statement's formats and languages (default JSON and PDF, en)
    creator_statements: tuple[str, ...] = ()  # creators who get their own statement


def certify(request: CertifyRequest, out: Path) -> tuple[list[Path], Cleared, Any]:
    """Clear the delivery, take the Merkle root of its listing, sign the certificate; write everything to ``out``."""

    from aireport import __version__
    from aireport.attest.dsse import envelope_bytes
    from aireport.attest.intoto import sign_certificate
    from aireport.attest.keys import load_private_key
    from aireport.attest.listing import tree_of
    from aireport.attest.merkle_batch import index_table
    from aireport.models.certificate import (
        Clearance,
        Delivery,
        DeliveryCertificate,
        InputDigest,
        ItemCounts,
        MerkleCommitment,
        PackDigest,
        Party,
        Tool,
    )

    key = load_private_key(request.key)  # a wrong key file fails before the scan
    staged = staging_path(out, LISTING_FILE)
    cleared = clear(request.clear, staged, require=("content_hash",))
    try:
        con = _duckdb(request.clear.engine)
        listing = "read_parquet('" + str(staged).replace("'", "''") + "')"
        tree = tree_of(con, listing, "item manifests", InputError, workers=request.workers)
        con.close()
        t = cleared.totals
        certificate = DeliveryCertificate(
            supplier=Party(name=request.supplier or cleared.supplier),
            buyer=Party(name=request.buyer),
            delivery=Delivery(id=request.delivery),
            date=cleared.params.date,
            items=ItemCounts(delivered=tree.size, bytes=t.bytes),
            merkle=MerkleCommitment(root=tree.root.hex(), size=tree.size),
            clearance=Clearance(
                cleared=t.cleared_items,
                not_cleared=t.not_cleared_items,
                unknown=t.unknown_items,
                not_cleared_by_reason=t.not_cleared_by_reason,
                unknown_by_reason=t.unknown_by_reason,
                territory=list(cleared.params.territories),
            ),
            packs=[
                PackDigest(
                    id=cleared.pack.manifest.id, version=cleared.pack.manifest.version, sha256=cleared.pack.digest
                )
            ],
            inputs=[InputDigest(role=f.role, path=f.path, sha256=f.sha256, bytes=f.bytes) for f in cleared.inputs],
            tool=Tool(version=__version__),
        )
        signed = sign_certificate(certificate, key)
        index = _parquet_bytes(index_table(tree.chunks))
        files = {**ledger_files(cleared), CERTIFICATE_FILE: envelope_bytes(signed.envelope), INDEX_FILE: index}
        files |= _delivery_documents(request, cleared, signed, files)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return write_delivery(out, {LISTING_FILE: staged}, files), cleared, signed


def _delivery_documents(
    request: CertifyRequest, cleared: Cleared, signed: Any, files: dict[str, bytes]
) -> dict[str, bytes]:
    """The delivery statement (the certificate for people, the envelope inside) and the creators' statements."""
    import json

    from aireport.disclose.delivery.statement import build_creator_statement, build_statement, creator_file_stem
    from aireport.render.formats import RenderRequest, render_all

    render = request.render or RenderRequest(formats=("json", "pdf"), languages=("en",))
    statement = build_statement(
        signed.certificate,
        json.loads(files[CERTIFICATE_FILE]),
        signed.payload_sha256,
        cleared.creators,
        cleared.rights_holders,
        cleared.pack,
        cleared.inputs,
        files,
        cleared.dataset,
    )
    out = render_all([statement], render)
    for creator in request.creator_statements:
        doc = build_creator_statement(
            signed.certificate, signed.payload_sha256, cleared.creators, creator, cleared.pack
        )
        if doc is None:
            raise InputError([Problem("--creator-statement", f"creator {creator!r} has no item in this delivery")])
        stem = "creator-" + creator_file_stem(creator)
        for name, data in render_all([doc], render).items():
            out[stem + name.removeprefix("creator-statement")] = data
    return out


def _parquet_bytes(table: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def write_keypair(private: Path, public: Path | None = None) -> Any:
    """``aireport keygen``: a new Ed25519 key pair in two files (never overwriting)."""
    from aireport.attest.keys import write_keypair as write

    return write(private, public)


# --- the buyer's side: verify a delivery, prove one item, withdraw items after delivery -------------------------


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: failures (exit 1) and what it checked (printed)."""

    failures: tuple[Problem, ...]
    checked: tuple[str, ...]
    withdrawn: tuple[tuple[str, str, int], ...] = ()  # (item id, reason, addendum sequence) still to delete


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), f"{what}: file not found")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), f"{what}: cannot read: {exc.strerror or exc}")]) from None


def read_certificate(path: Path, public_keys: Sequence[Path]) -> tuple[Any, list[Problem]]:
    """The certificate, checked against the trusted keys; without a key, parsed and reported as not checked."""
    from aireport.attest import dsse
    from aireport.attest.errors import VerificationError
    from aireport.attest.intoto import SignedCertificate, parse_certificate, payload_digest, verify_certificate
    from aireport.attest.keys import load_public_key

    data = _read_bytes(path, "certificate")
    keys = [load_public_key(p) for p in public_keys]
    if keys:
        try:
            return verify_certificate(data, keys, str(path)), []
        except VerificationError as exc:
            return None, list(exc.problems)
    envelope = dsse.parse_envelope(data, str(path))
    try:
        payload = dsse.b64decode(envelope.payload)
    except ValueError as exc:
        raise InputError([Problem(str(path), str(exc), field="payload")]) from None
    try:
        certificate = parse_certificate(payload, str(path))
    except VerificationError as exc:
        return None, list(exc.problems)
    unchecked = Problem(
        str(path),
        "signature not checked: give --public-key with the supplier's public key",
        field="signatures",
    )
    return SignedCertificate(envelope, certificate, payload_digest(payload), ()), [unchecked]


def _delivered_relation(entries: Sequence[str]) -> tuple[str, str, Path | None]:
    """A FROM clause over the delivered (item id, content hash) rows, how to name them, and the manifest if any."""
    from aireport.load.items import ItemScan, resolve_item_files
    from aireport.load.manifest import load_manifest

    manifest: Path | None = None
    if len(entries) == 1 and Path(entries[0]).suffix.lower() in (".yaml", ".yml", ".json"):
        manifest = Path(entries[0])
        loaded = load_manifest(manifest)
        files, problems = resolve_item_files(loaded.manifest.items, loaded.base_dir)
    else:
        files, problems = resolve_item_files(entries, Path.cwd())
    if problems:
        raise InputError(problems)
    if not files:
        raise InputError([Problem(", ".join(entries), "no delivered item files", field="--items")])
    formats = {p.suffix.lower() for p in files}
    fmt = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
    kinds = {fmt.get(s) for s in formats}
    if None in kinds or len(kinds) != 1:
        raise InputError(
            [Problem(str(files[0]), f"delivered files must be one of Parquet, CSV or JSONL; found {sorted(formats)}")]
        )
    kind = kinds.pop()
    scan = ItemScan(
        files=tuple(files),
        format=kind,  # type: ignore[arg-type]
        displays=tuple(str(p) for p in files),
        columns=frozenset({"item_id", "content_hash"}),
        header=_delivered_header(files) if kind == "csv" else (),
    )
    _require_columns(scan)
    shown = str(manifest) if manifest else (str(files[0]) if len(files) == 1 else f"{len(files)} delivered files")
    return f"(SELECT item_id, content_hash FROM {scan.from_clause()})", shown, manifest


def _delivered_header(files: Sequence[Path]) -> tuple[str, ...]:
    """The CSV header every delivered file shares (CSV is read by position, with one header)."""
    from aireport.load.items import csv_header

    headers = {str(p): tuple(csv_header(p, str(p))) for p in files}
    first = next(iter(headers.values()))
    differing = [name for name, header in headers.items() if header != first]
    if differing:
        raise InputError(
            [
                Problem(name, f"the header differs from {files[0]}'s; every CSV file needs the same columns", line=1)
                for name in differing
            ]
        )
    return first


def verify_delivery(
    certificate_path: Path,
    items: Sequence[str],
    public_keys: Sequence[Path] = (),
    listing: Path | None = None,
    addenda: Sequence[Path] = (),
    recheck: bool = False,
    engine: EngineConfig | None = None,
) -> Verification:
    """Re-derive the root of the delivered items and check it, the count and the signature against the certificate;
    name the items that differ (with the certified listing), report withdrawn items, optionally re-clear."""

    from aireport.attest.errors import VerificationError
    from aireport.attest.listing import tree_of

    signed, failures = read_certificate(certificate_path, public_keys)
    if signed is None:
        return Verification(tuple(failures), ())
    cert = signed.certificate
    checked = [
        f"certificate: delivery {cert.delivery.id} from {cert.supplier.name} to {cert.buyer.name}, "
        f"{cert.items.delivered:,} items, root {cert.merkle.root}"
    ]
    if signed.key_ids:
        checked.append(f"signature: valid (key id {', '.join(signed.key_ids)})")
    withdrawn, more = _addenda(addenda, public_keys, signed)
    failures += more
    relation, shown, manifest = _delivered_relation(items)
    if recheck and manifest is None:
        raise InputError([Problem("--recheck", "needs the delivered dataset's manifest as --items (YAML or JSON)")])
    config = engine or EngineConfig()
    con = _duckdb(config)
    try:
        tree = tree_of(con, relation, shown, VerificationError)
    except VerificationError as exc:
        failures += exc.problems
        tree = None
    if tree is not None:
        root_ok = tree.root.hex() == cert.merkle.root and tree.size == cert.items.delivered
        if root_ok:
            checked.append(f"delivered data: {tree.size:,} items, root matches")
        elif withdrawn and _root_with_withdrawn(con, relation, shown, withdrawn, cert):
            checked.append(
                "delivered data: the certified items less withdrawn ones (re-derived with the addenda's hashes), "
                "root matches"
            )
        else:
            failures += _named_differences(con, cert, relation, shown, certificate_path, listing, withdrawn, checked)
    con.close()
    present = _still_present(relation, withdrawn) if withdrawn and tree is not None else ()
    if recheck and manifest is not None:
        failures += _recheck(cert, manifest, config, checked)
    return Verification(tuple(failures), tuple(checked), present)


def _addenda(
    paths: Sequence[Path], public_keys: Sequence[Path], signed: Any
) -> tuple[dict[str, tuple[str, int, str | None]], list[Problem]]:
    from aireport.attest.errors import VerificationError
    from aireport.attest.intoto import verify_addendum
    from aireport.attest.keys import load_public_key

    keys = [load_public_key(p) for p in public_keys]
    withdrawn: dict[str, tuple[str, int, str | None]] = {}
    failures: list[Problem] = []
    for path in paths:
        data = _read_bytes(path, "addendum")
        if not keys:
            failures.append(Problem(str(path), "addendum not checked: give --public-key", field="signatures"))
            continue
        try:
            addendum = verify_addendum(data, keys, str(path), signed).addendum
        except VerificationError as exc:
            failures += exc.problems
            continue
        for w in addendum.withdrawn:
            withdrawn[w.item_id] = (w.reason, addendum.sequence, w.content_hash)
    return withdrawn, failures


def _named_differences(
    con: Any,
    cert: Any,
    relation: str,
    shown: str,
    certificate_path: Path,
    listing: Path | None,
    withdrawn: dict[str, tuple[str, int, str | None]],
    checked: list[str],
) -> list[Problem]:
    """Which items differ, read from the certified listing once its own root proves it is the certified one."""
    from aireport.attest.errors import VerificationError
    from aireport.attest.listing import differences, tree_of

    listing = listing or certificate_path.parent / LISTING_FILE
    base = [
        Problem(
            shown,
            "the delivered data gives another root or count than the certificate "
            f"({cert.items.delivered:,} items, root {cert.merkle.root})",
            field="merkle.root",
        )
    ]
    if not listing.is_file():
        return [
            *base,
            Problem(
                str(listing),
                "not found: give --listing (the certified clearance.parquet) to name the items that differ",
                field="--listing",
            ),
        ]
    listed = "read_parquet('" + str(listing).replace("'", "''") + "')"
    try:
        tree = tree_of(con, listed, str(listing), VerificationError)
    except VerificationError as exc:
        return [*base, *exc.problems]
    if tree.root.hex() != cert.merkle.root or tree.size != cert.items.delivered:
        return [
            *base,
            Problem(str(listing), "does not match the certificate either: it cannot name the items", field="--listing"),
        ]
    found = differences(con, listed, relation, tuple(withdrawn))
    if found.total == 0:
        checked.append(f"delivered data: the certified items less {found.withdrawn:,} withdrawn by addenda")
        return []
    out = []
    for item_id, kind, certified, delivered in found.first:
        message = {
            "changed": f"content hash differs: certified {certified}, delivered {delivered}",
            "missing": "certified but not delivered",
            "extra": "delivered but not certified",
        }[kind]
        out.append(Problem(shown, message, field=f"item {item_id}"))
    summary = f"{found.changed:,} changed, {found.missing:,} missing, {found.extra:,} extra items"
    if found.total > len(found.first):
        summary += f" (the first {len(found.first)} in id order are listed)"
    return [Problem(shown, summary, field="items"), *out]


def _still_present(
    relation: str, withdrawn: dict[str, tuple[str, int, str | None]]
) -> tuple[tuple[str, str, int], ...]:
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute(
            f"SELECT item_id FROM {relation} WHERE list_contains($ids, item_id) ORDER BY item_id",
            {"ids": sorted(withdrawn)},
        ).fetchall()
    finally:
        con.close()
    return tuple((str(r[0]), withdrawn[r[0]][0], withdrawn[r[0]][1]) for r in rows)


def _recheck(cert: Any, manifest: Path, engine: EngineConfig, checked: list[str]) -> list[Problem]:
    """Clear the delivered data again, with the certificate's date, territory and pack; compare the counts."""
    import tempfile

    certified = cert.packs[0] if cert.packs else None
    request = ClearRequest(
        manifest=manifest,
        date=cert.date.isoformat(),
        territories=",".join(cert.clearance.territory),
        pack=certified.id if certified else CLEARANCE_PACK,
        engine=engine,
    )
    with tempfile.TemporaryDirectory(prefix="aireport-recheck-") as folder:
        again = clear(request, Path(folder) / LISTING_FILE)
    failures: list[Problem] = []
    if certified is not None and (again.pack.manifest.version, again.pack.digest) != (
        certified.version,
        certified.sha256,
    ):
        failures.append(
            Problem(
                "--recheck",
                f"pack {certified.id} here is {again.pack.manifest.version} ({again.pack.digest}); the certificate "
                f"used {certified.version} ({certified.sha256})",
                field="packs",
            )
        )
    t, c = again.totals, cert.clearance
    pairs = [
        ("cleared", t.cleared_items, c.cleared),
        ("not_cleared", t.not_cleared_items, c.not_cleared),
        ("unknown", t.unknown_items, c.unknown),
    ]
    for code in sorted(set(t.not_cleared_by_reason) | set(c.not_cleared_by_reason)):
        pairs.append(
            (
                f"not_cleared_by_reason.{code}",
                t.not_cleared_by_reason.get(code, 0),
                c.not_cleared_by_reason.get(code, 0),
            )
        )
    for code in sorted(set(t.unknown_by_reason) | set(c.unknown_by_reason)):
        pairs.append((f"unknown_by_reason.{code}", t.unknown_by_reason.get(code, 0), c.unknown_by_reason.get(code, 0)))
    for name, found, stated in pairs:
        if found != stated:
            failures.append(
                Problem(
                    str(manifest),
                    f"re-cleared: {found:,}; the certificate states {stated:,}",
                    field=f"clearance.{name}",
                )
            )
    if not failures:
        checked.append(
            f"recheck: {t.cleared_items:,} cleared, {t.not_cleared_items:,} not cleared, {t.unknown_items:,} unknown, "
            "as certified"
        )
    return failures


def prove_item(certificate_path: Path, item_id: str, items: Sequence[str] = (), index: Path | None = None) -> Any:
    """An inclusion proof of one item, from the certified listing (beside the certificate by default) and, when
    there, the proof index (reads one chunk of 65,536 items, not the delivery)."""
    import duckdb
    import pyarrow.parquet as pq

    from aireport.attest.merkle import prove, prove_with_index
    from aireport.attest.merkle_batch import index_from_table

    signed, problems = read_certificate(certificate_path, ())
    if signed is None:
        raise InputError(problems)
    cert = signed.certificate
    relation = (
        _delivered_relation(items)[0]
        if items
        else "read_parquet('" + str(certificate_path.parent / LISTING_FILE).replace("'", "''") + "')"
    )
    index = index or certificate_path.parent / INDEX_FILE
    con = duckdb.connect()
    try:
        if index.is_file():
            chunks = index_from_table(pq.read_table(index))
            _, low, high = chunks.chunk_of(item_id)
            rows = con.execute(
                f"SELECT item_id, content_hash FROM {relation} WHERE item_id >= $low "
                "AND ($high IS NULL OR item_id < $high) ORDER BY item_id",
                {"low": low, "high": high},
            ).fetchall()
            proof = prove_with_index(chunks, rows, item_id)
        else:
            query = f"SELECT item_id, content_hash FROM {relation} ORDER BY item_id"
            proof = prove(lambda: con.execute(query).fetchall(), item_id)
    except KeyError:
        raise InputError(
            [Problem(str(certificate_path), f"item {item_id!r} is not in the delivery", field="item_id")]
        ) from None
    except (ValueError, duckdb.Error) as exc:
        raise InputError([Problem(str(index), str(exc).splitlines()[0])]) from None
    finally:
        con.close()
    if proof.root != cert.merkle.root or proof.tree_size != cert.merkle.size:
        raise InputError(
            [Problem(str(certificate_path), "the listing does not hash to the certified root", field="merkle.root")]
        )
    return proof.model_copy(update={"delivery_id": cert.delivery.id, "certificate_sha256": signed.payload_sha256})


def verify_proof_file(proof_path: Path, certificate_path: Path, public_keys: Sequence[Path]) -> Verification:
    """Check an inclusion proof against a certificate (and the certificate's signature)."""
    import json

    import pydantic

    from aireport.attest.merkle import verify_proof
    from aireport.models.certificate import InclusionProof

    try:
        proof = InclusionProof.model_validate(json.loads(_read_bytes(proof_path, "proof")))
    except (ValueError, pydantic.ValidationError) as exc:
        raise InputError([Problem(str(proof_path), f"not an inclusion proof: {str(exc).splitlines()[0]}")]) from None
    signed, failures = read_certificate(certificate_path, public_keys)
    if signed is None:
        return Verification(tuple(failures), ())
    cert = signed.certificate
    if proof.certificate_sha256 not in (None, signed.payload_sha256):
        failures.append(Problem(str(proof_path), "was made for another certificate", field="certificate_sha256"))
    if not verify_proof(proof, cert.merkle.root, cert.merkle.size):
        failures.append(
            Problem(
                str(proof_path), f"does not prove item {proof.item_id!r} in delivery {cert.delivery.id}", field="path"
            )
        )
        return Verification(tuple(failures), ())
    return Verification(
        tuple(failures),
        (
            f"item {proof.item_id} (content hash {proof.content_hash}) is leaf {proof.leaf_index:,} of delivery "
            f"{cert.delivery.id} ({cert.merkle.size:,} items, root {cert.merkle.root})",
        ),
    )


def takedown(
    certificate_path: Path,
    item_ids: Sequence[str],
    reason: str,
    key: Path,
    date: str,
    sequence: int = 1,
    listing: Path | None = None,
    detail: str | None = None,
) -> bytes:
    """A signed addendum withdrawing ``item_ids`` from a delivery the key's holder certified (DSSE envelope)."""
    import duckdb

    from aireport import __version__
    from aireport.attest.dsse import envelope_bytes
    from aireport.attest.intoto import sign_addendum
    from aireport.attest.keys import load_private_key
    from aireport.models.certificate import CertificateRef, DeliveryAddendum, Tool, Withdrawal

    private = load_private_key(key)
    signed, failures = read_certificate(certificate_path, ())
    if signed is None:
        raise InputError(failures)
    from aireport.attest.intoto import verify_certificate

    try:  # only the certificate's own signer may amend it
        signed = verify_certificate(
            _read_bytes(certificate_path, "certificate"), [private.public_key()], str(certificate_path)
        )
    except AireportError as exc:
        raise InputError([Problem(str(key), "did not sign this certificate: " + exc.problems[0].message)]) from None
    listing = listing or certificate_path.parent / LISTING_FILE
    if not listing.is_file():
        raise InputError(
            [Problem(str(listing), "the certified listing is needed to check the items", field="--listing")]
        )
    ids = sorted(set(item_ids))
    con = duckdb.connect()
    try:
        rows = dict(
            con.execute(
                "SELECT item_id, lower(right(content_hash, 64)) FROM read_parquet($p) "
                "WHERE list_contains($ids, item_id)",
                {"p": str(listing), "ids": ids},
            ).fetchall()
        )
    finally:
        con.close()
    absent = [i for i in ids if i not in rows]
    if absent:
        raise InputError(
            [Problem(str(certificate_path), f"item {i!r} is not in the delivery", field="item_id") for i in absent]
        )
    cert = signed.certificate
    addendum = DeliveryAddendum(
        certificate=CertificateRef(
            delivery_id=cert.delivery.id, sha256=signed.payload_sha256, merkle_root=cert.merkle.root
        ),
        sequence=sequence,
        date=dt.date.fromisoformat(date),
        supplier=cert.supplier,
        withdrawn=[Withdrawal(item_id=i, reason=reason, detail=detail, content_hash=rows[i]) for i in ids],
        tool=Tool(version=__version__),
    )
    return envelope_bytes(sign_addendum(addendum, private).envelope)


def canonical_bytes(model: Any) -> bytes:
    """A small model (an inclusion proof) as canonical JSON, nulls dropped."""
    from aireport.render.canonical import canonical_json

    return canonical_json(model.model_dump(mode="json", exclude_none=True))


def _duckdb(config: EngineConfig) -> Any:
    """A DuckDB connection for the Merkle passes, with the engine's memory, threads and spill folder."""
    from aireport.engine.backend import connect

    return connect(config)


# --- every JSON document signable: --sign on report, and verify DOC.json ----------------------------------------

SIGNATURE_SUFFIX: Final = ".dsse.json"


def document_payload_type(name: str) -> str:
    """The DSSE payload type of a signed document: it names the document's schema."""
    return f"application/vnd.aireport.{name}+json"


def signing_key(path: Path) -> Any:
    """An Ed25519 private key, read before any scan (a wrong file fails at once, naming what it holds)."""
    from aireport.attest.keys import load_private_key

    return load_private_key(path)


def sign_documents(files: dict[str, bytes], private: Any) -> dict[str, bytes]:
    """``--sign KEY``: beside each ``<document>.json``, ``<document>.dsse.json``, its RFC 8785 bytes signed (DSSE)."""
    import json

    from aireport.attest.dsse import envelope_bytes
    from aireport.attest.intoto import sign_document

    out: dict[str, bytes] = {}
    for name, data in files.items():
        if name.endswith(".json") and not name.endswith(SIGNATURE_SUFFIX):
            value = json.loads(data)
            if isinstance(value, dict) and isinstance(value.get("document"), str):
                envelope = sign_document(value, document_payload_type(value["document"]), private)
                out[name.removesuffix(".json") + SIGNATURE_SUFFIX] = envelope_bytes(envelope)
    return out


def verify_document_file(path: Path, public_keys: Sequence[Path], signature: Path | None = None) -> Verification:
    """A signed JSON document: its signature, that the file is what was signed, its schema, and that the PDFs
    beside it are exactly what it renders to."""
    import json

    from aireport.attest.errors import VerificationError
    from aireport.attest.intoto import verify_document
    from aireport.attest.keys import load_public_key
    from aireport.render.document_json import schema_problems

    try:
        value = json.loads(_read_bytes(path, "document"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), f"not JSON: {exc}")]) from None
    name = value.get("document") if isinstance(value, dict) else None
    if not isinstance(name, str):
        raise InputError([Problem(str(path), "not an aireport document (no 'document' field)", field="document")])
    signature = signature or path.with_name(path.name.removesuffix(".json") + SIGNATURE_SUFFIX)
    failures: list[Problem] = []
    checked: list[str] = []
    keys = [load_public_key(p) for p in public_keys]
    envelope = _read_bytes(signature, "signature")
    if not keys:
        failures.append(Problem(str(signature), "signature not checked: give --public-key", field="signatures"))
    else:
        try:
            signed, key_ids = verify_document(envelope, keys, document_payload_type(name), str(signature))
        except VerificationError as exc:
            failures += exc.problems
        else:
            if signed != value:
                failures.append(Problem(str(path), "differs from the document that was signed", field="document"))
            else:
                checked.append(f"signature: valid for {path.name} (key id {', '.join(key_ids)})")
    schema = schema_problems(value, str(path))
    failures += schema
    if not schema:
        checked.append(f"schema: {path.name} is a valid {name} document")
        failures += _rerender(path, name, checked)
    return Verification(tuple(failures), tuple(checked))


def _rerender(path: Path, name: str, checked: list[str]) -> list[Problem]:
    """Each ``<document>.<lang>.pdf`` beside the JSON, rendered again from the JSON: the same bytes, or a failure."""
    from aireport.render.formats import RenderRequest, render_all
    from aireport.render.i18n import LANGUAGE_CHOICES
    from aireport.render.pdf_variants import PDF_VARIANTS

    doc = read_document(path)
    failures = []
    for spec in LANGUAGE_CHOICES:
        pdf = path.with_name(f"{name}.{spec}.pdf")
        if not pdf.is_file():
            continue
        found = pdf.read_bytes()
        variants = [
            render_all([doc], RenderRequest(formats=("pdf",), languages=(spec,), pdf_variant=v))[pdf.name]
            for v in PDF_VARIANTS
        ]
        if found in variants:
            checked.append(f"re-render: {pdf.name} is reproduced byte for byte from {path.name}")
        else:
            failures.append(
                Problem(str(pdf), f"is not what {path.name} renders to (another document, tool version or font)")
            )
    return failures


def _require_columns(scan: Any) -> None:
    """Every delivered file names item_id and content_hash (an unreadable delivery is exit 2, not a failure)."""
    import duckdb

    con = duckdb.connect()
    problems = []
    try:
        for path, shown in zip(scan.files, scan.displays, strict=True):
            quoted = "'" + str(path).replace("'", "''") + "'"
            source = {
                "parquet": f"read_parquet({quoted})",
                "csv": f"read_csv({quoted}, header = true, all_varchar = true)",
                "jsonl": f"read_json({quoted}, format = 'newline_delimited')",
            }[scan.format]
            try:
                names = {str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            except duckdb.Error as exc:
                problems.append(Problem(shown, f"cannot be read: {str(exc).strip().splitlines()[0]}"))
                continue
            problems += [
                Problem(shown, "the delivered data needs this column", field=c)
                for c in ("item_id", "content_hash")
                if c not in names
            ]
    finally:
        con.close()
    if problems:
        raise InputError(problems)


def _root_with_withdrawn(
    con: Any, relation: str, shown: str, withdrawn: dict[str, tuple[str, int, str | None]], cert: Any
) -> bool:
    """Whether the delivered items plus the withdrawn ones no longer held (with the hashes the addenda certify)
    give the signed root: a buyer who already deleted withdrawn items still verifies, without the listing."""
    from aireport.attest.errors import VerificationError
    from aireport.attest.listing import tree_of

    rows = [(i, h) for i, (_, _, h) in sorted(withdrawn.items()) if h is not None]
    if not rows:
        return False
    con.execute("CREATE OR REPLACE TEMP TABLE aireport_withdrawn (item_id VARCHAR, content_hash VARCHAR)")
    con.executemany("INSERT INTO aireport_withdrawn VALUES (?, ?)", rows)
    both = (
        f"(SELECT item_id, content_hash FROM {relation} UNION ALL SELECT w.item_id, w.content_hash "
        f"FROM aireport_withdrawn AS w ANTI JOIN {relation} AS d ON d.item_id = w.item_id)"
    )
    try:
        tree = tree_of(con, both, shown, VerificationError)
    except VerificationError:
        return False
    return bool(tree.root.hex() == cert.merkle.root and tree.size == cert.items.delivered)
