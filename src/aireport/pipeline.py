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
    from aireport.load.convert import Conversion
    from aireport.load.items import ItemScan
    from aireport.load.licences import LicenceTable
    from aireport.load.manifest import LoadedManifest
    from aireport.models.cn.sample import DrawnSample, ReviewedRow, ReviewResult, SampleSpec
    from aireport.models.doc_parts import Edition
    from aireport.models.documents import Document
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
