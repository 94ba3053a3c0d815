"""``aireport cn-assess``: the corpus-security part of the Chinese self-assessment report, and a corpus summary.

Exit codes: 0 the assessment concludes 全部符合 (fully compliant); 1 部分符合 or 全部不符合; 2 bad input or
usage (nothing written).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import click
import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from rich.console import Console

from aireport.cli.common import reports_errors
from aireport.cli.exit_codes import ExitCode
from aireport.cli.sample import draw, sample_options, scan_options
from aireport.disclose.cn.assessment import CnAssessmentInputs, build_cn_assessment, build_cn_summary, overall_ok
from aireport.disclose.cn.review import review_result
from aireport.engine.evaluate import EngineConfig
from aireport.engine.run import check_dataset
from aireport.errors import Problem, RenderError
from aireport.load.cn.profile import apply_overrides, load_cn_reference, require_acquisition, select_profile
from aireport.load.cn.review import check_against_draw, read_reviewed
from aireport.load.cn.statements import load_statements
from aireport.load.files import sha256_file
from aireport.load.manifest import load_manifest
from aireport.load.rulepack import load_pack
from aireport.models.cn.assessment import CnAssessmentDocument, CnInput
from aireport.models.cn.sample import ReviewResult
from aireport.render.canonical import canonical_json
from aireport.render.fonts import resolve_fonts
from aireport.render.html import Bilingual, css_string, template_dirs
from aireport.render.i18n import HTML_LANG, LANGUAGE_CHOICES, Translator, format_number, format_percent, parse_languages
from aireport.render.output import write_all_atomic
from aireport.render.pdf import PDF_VARIANTS, EmbeddedFile, PdfVariant, render_pdf

PACK = "cn-genai"
NAME = "cn-assessment"
DOCUMENT_FILE = f"{NAME}.json"
SUMMARY_FILE = "cn-corpus-summary.json"
TEMPLATE = f"{NAME}/document.html.j2"
FORMATS = ("json", "html", "pdf")


def _environment(dirs: list[Path]) -> ImmutableSandboxedEnvironment:
    """The render layer's template environment, as its render_html builds it (sandboxed, strict, escaped)."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(num=format_number, pct=format_percent, css_string=css_string)
    return env


def render_cn(
    document: CnAssessmentDocument,
    payload: bytes,
    formats: tuple[str, ...],
    languages: tuple[str, ...],
    pdf_variant: str = "pdf/a-3b",
    font: Path | None = None,
) -> dict[str, bytes]:
    """``cn-assessment.LANG.html`` and ``.pdf`` from templates/cn-assessment/document.html.j2.

    Uses the render layer's pieces (catalogues, fonts, PDF/A-3b with the JSON attached, missing-glyph errors);
    its ``render_html`` takes only the documents of ``aireport report`` so far, hence this small adapter.
    """
    dirs = template_dirs(None)
    out: dict[str, bytes] = {}
    fonts = resolve_fonts(font) if "pdf" in formats else None
    digest = hashlib.sha256(payload).hexdigest()
    variant: PdfVariant = "pdf/ua-1" if pdf_variant == "pdf/ua-1" else "pdf/a-3b"
    data = document.model_dump(mode="json")
    for spec in languages:
        langs = parse_languages(spec)
        t = Translator.load(dirs, langs)
        try:
            html = (
                _environment(dirs)
                .get_template(TEMPLATE)
                .render(
                    doc=data,
                    langs=list(langs),
                    html_lang=HTML_LANG[langs[0]],
                    lang_tags=HTML_LANG,
                    t=t,
                    bi=Bilingual(t),
                )
            )
        except RenderError:
            raise
        except Exception as exc:  # a template is data: its failure is a located render error, not a traceback
            message = " ".join(str(exc).split()) or type(exc).__name__
            raise RenderError([Problem(TEMPLATE, f"template error: {message}")]) from None
        if "html" in formats:
            out[f"{NAME}.{spec}.html"] = html.encode("utf-8")
        if fonts is not None:
            attachment = EmbeddedFile(DOCUMENT_FILE, payload, t("meta.attachment", langs[0], name=DOCUMENT_FILE))
            out[f"{NAME}.{spec}.pdf"] = render_pdf(
                html,
                fonts=fonts,
                template_dirs=dirs,
                date=document.document_date,
                identifier=f"{digest} {spec} {variant}",
                variant=variant,
                attachments=[attachment],
            )
    return out


def _choices(value: str, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    bad = [item for item in items if item not in allowed]
    if bad or not items:
        found = ", ".join(repr(b) for b in bad) or "nothing"
        raise click.BadParameter(f"found {found}; allowed: {', '.join(allowed)} (comma-separated)", param_hint=option)
    return items


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint="--assessment-date") from None


def _input(role: str, path: Path, shown: str) -> CnInput:
    return CnInput(role=role, path=shown, sha256=sha256_file(path), bytes=path.stat().st_size)


@click.command("cn-assess")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--assessment-date", required=True, help="Date of the assessment, YYYY-MM-DD: it selects the profile.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the documents."
)
@click.option(
    "--reviewed",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The reviewed sample file (aireport sample, filled in); needs the --seed, --per-source and --corpus "
    "it was drawn with.",
)
@sample_options(required=False)
@click.option(
    "--statements",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Signed statements (YAML) for clauses the provenance cannot show: annotation, export, IP policy...",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    help="Override a profile parameter, NAME=VALUE (e.g. per_source_sample_min=1000). Repeatable; the document "
    "shows every override.",
)
@click.option(
    "--format",
    "formats",
    default="json,pdf",
    show_default=True,
    help="json (always written), html, pdf; comma-separated.",
)
@click.option(
    "--lang",
    "langs",
    default="zh",
    show_default=True,
    help=f"Language of the HTML and PDF: {', '.join(LANGUAGE_CHOICES)} (both in one document); comma-separated.",
)
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), default="pdf/a-3b", show_default=True)
@click.option(
    "--font",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Font file instead of Noto Sans CJK SC.",
)
@scan_options
@click.option("--max-rejected-rows", type=click.IntRange(0), default=0, show_default=True, hidden=True)
@reports_errors
def cn_assess(
    manifest: Path,
    assessment_date: str,
    out: Path,
    reviewed: Path | None,
    seed: int | None,
    per_source: int,
    corpus: int,
    statements: Path | None,
    params: tuple[str, ...],
    formats: str,
    langs: str,
    pdf_variant: str,
    font: Path | None,
    memory_limit: str,
    threads: int | None,
    temp_dir: Path | None,
    max_rejected_rows: int,
) -> None:
    """Assess MANIFEST's corpus against the Chinese profile in force on --assessment-date.

    TC260-003 (2024-02-29) applies to assessments before 2025-11-01, GB/T 45654-2025 from that date; earlier
    dates are an error. Writes OUT/cn-assessment.json (生成式人工智能服务安全评估报告 — 语料安全: every clause
    符合 / 不符合 / 不适用 with evidence, remediation, the overall conclusion, filing figures, empty signature
    lines), its PDF and HTML (cn-assessment.LANG.pdf, Chinese by default) and OUT/cn-corpus-summary.json (a
    bilingual corpus summary for model cards).
    """
    date = _date(assessment_date)
    wanted = _choices(formats, FORMATS, "--format")
    languages = _choices(langs, LANGUAGE_CHOICES, "--lang")
    pack = load_pack(PACK)
    reference = load_cn_reference(pack)
    default_profile = select_profile(reference.profiles, date)
    profile, _ = apply_overrides(default_profile, params)
    if reviewed is not None and seed is None:
        raise click.UsageError("--reviewed needs the --seed (and --per-source, --corpus) the sample was drawn with")
    loaded = load_manifest(manifest)
    require_acquisition(loaded)
    stated = None
    extra = [_input("profile", path, shown) for shown, path in reference.files]
    if statements is not None:
        stated = load_statements(statements, str(statements), reference.clauses)
        extra.append(_input("statements", statements, loaded.display(statements)))
    config = EngineConfig(
        memory_limit=memory_limit, threads=threads, temp_dir=temp_dir, max_rejected_rows=max_rejected_rows
    )
    review: ReviewResult | None = None
    if reviewed is not None and seed is not None:
        shown = loaded.display(reviewed) if reviewed.exists() else str(reviewed)
        rows = read_reviewed(reviewed, shown, reference.appendix.codes)
        drawn = draw(loaded, seed, per_source, corpus, config)
        check_against_draw(rows, drawn, shown)
        review = review_result(rows, drawn, reference.appendix, shown, sha256_file(reviewed))
        extra.append(_input("reviewed", reviewed, shown))
    result = check_dataset(manifest, [PACK], config, date.isoformat())
    document = build_cn_assessment(
        CnAssessmentInputs(
            result=result,
            manifest=loaded.manifest,
            sources=loaded.sources,
            pack=pack,
            clauses=reference.clauses,
            profile=profile,
            default_profile=default_profile,
            assessment_date=date,
            review=review,
            statements=stated,
            extra_inputs=tuple(extra),
        )
    )
    payload = canonical_json(document)
    files = {DOCUMENT_FILE: payload, SUMMARY_FILE: canonical_json(build_cn_summary(document))}
    files |= render_cn(document, payload, wanted, languages, pdf_variant, font)
    written = write_all_atomic(out, files)
    _report(document, written)
    sys.exit(ExitCode.CLEAN if overall_ok(document) else ExitCode.FINDINGS)


def _report(document: CnAssessmentDocument, written: list[Path]) -> None:
    err = Console(stderr=True, highlight=False)
    c = document.conclusion
    err.print(
        f"{document.profile.name.en}: {c.result_zh} ({c.result.value}); {c.deciding.non_compliant} deciding clauses "
        f"not met, {len(c.missing_evidence_clauses)} of them for missing evidence"
    )
    for path in written:
        err.print(f"wrote {path}", style="dim")
