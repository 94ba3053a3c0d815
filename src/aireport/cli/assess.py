"""``aireport cn-assess``: the corpus-security part of the Chinese self-assessment report, and a corpus summary.

Exit codes: 0 the assessment concludes 全部符合 (fully compliant); 1 部分符合 or 全部不符合; 2 bad input or
usage (nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from aireport.cli.common import engine_options, print_warnings, reports_errors, resolution_options, run_with_progress
from aireport.cli.exit_codes import ExitCode
from aireport.cli.report import edition_option, parse_date, parse_editions, print_written, render_options, sign_option
from aireport.cli.sample import sample_options, sample_spec
from aireport.models.cn.assessment import CnAssessmentDocument, OverallResult
from aireport.pipeline import (
    CN_PACK,
    EngineConfig,
    RunRequest,
    build,
    rejected_files,
    render,
    sign_documents,
    signing_key,
    write,
)
from aireport.render.formats import RenderRequest

DOCUMENTS = ("cn-assessment", "cn-corpus-summary")


@click.command("cn-assess")
@reports_errors
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--assessment-date", required=True, help="Date of the assessment, YYYY-MM-DD: it selects the profile.")
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
    "--purpose",
    type=click.Choice(["filing", "review"]),
    default="filing",
    show_default=True,
    help="filing: the assessment is made for the generative AI service filing, whose number is then pending "
    "(备案办理中), not missing; review: an internal review, where a missing filing number is not met.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    help="Override a profile parameter, NAME=VALUE (e.g. per_source_sample_min=1000). Repeatable; the document "
    "shows every override.",
)
@render_options("json,pdf", langs_default="zh")
@edition_option
@resolution_options
@sign_option
@engine_options
def cn_assess(
    manifest: Path,
    assessment_date: str,
    reviewed: Path | None,
    seed: int | None,
    per_source: int,
    corpus: int,
    statements: Path | None,
    purpose: str,
    params: tuple[str, ...],
    render_request: RenderRequest,
    editions: str,
    out: Path,
    resolutions: Path | None,
    apply_resolutions: bool,
    sign: Path | None,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Assess MANIFEST's corpus against the Chinese profile in force on --assessment-date.

    TC260-003 (2024-02-29) applies to assessments before 2025-11-01, GB/T 45654-2025 from that date; earlier
    dates are an error. Writes OUT/cn-assessment.json (生成式人工智能服务安全评估报告 — 语料安全: every clause
    符合 / 不符合 / 不适用 with evidence, remediation, the overall conclusion, filing figures, empty signature
    lines), its PDF and HTML (cn-assessment.LANG.pdf, Chinese by default) and OUT/cn-corpus-summary.json (a
    bilingual corpus summary for model cards).
    """
    if reviewed is not None and seed is None:
        raise click.UsageError("--reviewed needs the --seed (and --per-source, --corpus) the sample was drawn with")
    date = parse_date(assessment_date, "--assessment-date")
    assert date is not None
    request = RunRequest(
        manifest=manifest,
        packs=(CN_PACK,),
        document_date=date.isoformat(),
        engine=engine_config,
        assessment_date=date,
        params=params,
        statements=statements,
        cn_purpose=purpose,
        reviewed=reviewed,
        sample=sample_spec(seed, per_source, corpus) if reviewed is not None else None,
        documents=DOCUMENTS,
        resolutions=resolutions,
        apply_resolutions=apply_resolutions,
    )
    key = signing_key(sign) if sign is not None else None  # a wrong key file fails before the scan
    evaluated = run_with_progress(request, quiet)
    print_warnings(evaluated.result)
    documents = build(evaluated, DOCUMENTS, parse_editions(editions))
    formats = tuple(dict.fromkeys(("json", *render_request.formats)))  # the JSON is always written
    files = render(documents, RenderRequest(**{**render_request.__dict__, "formats": formats}))
    if key is not None:
        files |= sign_documents(files, key)
    files.update(rejected_files(evaluated))
    written = write(out, files)
    assessment = next(d for d in documents if isinstance(d, CnAssessmentDocument))
    assert isinstance(assessment, CnAssessmentDocument)
    c = assessment.conclusion
    Console(stderr=True, highlight=False).print(
        f"{assessment.profile.name.en}: {c.result_zh} ({c.result.value}); {c.deciding.non_compliant} deciding clauses "
        f"not met, {len(c.missing_evidence_clauses)} of them for missing evidence"
    )
    if not quiet:
        print_written(written)
    sys.exit(ExitCode.CLEAN if c.result is OverallResult.FULLY_COMPLIANT else ExitCode.FINDINGS)
