"""``aireport cn-assess``: the corpus-security part of the Chinese self-assessment report, and a corpus summary.

Exit codes: 0 the assessment concludes 全部符合 (fully compliant); 1 部分符合 or 全部不符合; 2 bad input or
usage (nothing written).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console

from aireport.cli.common import reports_errors
from aireport.cli.exit_codes import ExitCode
from aireport.cli.sample import draw, sample_options, scan_options
from aireport.disclose.cn_assessment import CnAssessmentInputs, build_cn_assessment, build_cn_summary, overall_ok
from aireport.disclose.cn_review import review_result
from aireport.engine.evaluate import EngineConfig
from aireport.engine.run import check_dataset
from aireport.load.cnprofile import apply_overrides, load_cn_reference, require_acquisition, select_profile
from aireport.load.cnreview import check_against_draw, read_reviewed
from aireport.load.cnstatements import load_statements
from aireport.load.files import sha256_file
from aireport.load.manifest import load_manifest
from aireport.load.rulepack import load_pack
from aireport.models.cn_assessment import CnAssessmentDocument, CnInput
from aireport.models.cn_sample import ReviewResult
from aireport.render.canonical import canonical_json
from aireport.render.output import write_all_atomic

PACK = "cn-genai"
DOCUMENT_FILE = "cn-assessment.json"
SUMMARY_FILE = "cn-corpus-summary.json"


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
    memory_limit: str,
    threads: int | None,
    temp_dir: Path | None,
    max_rejected_rows: int,
) -> None:
    """Assess MANIFEST's corpus against the Chinese profile in force on --assessment-date.

    TC260-003 (2024-02-29) applies to assessments before 2025-11-01, GB/T 45654-2025 from that date; earlier
    dates are an error. Writes OUT/cn-assessment.json (生成式人工智能服务安全评估报告 — 语料安全: every clause
    符合 / 不符合 / 不适用 with evidence, remediation, the overall conclusion, filing figures, empty signature
    lines) and OUT/cn-corpus-summary.json (a bilingual corpus summary for model cards).
    """
    date = _date(assessment_date)
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
    files = {DOCUMENT_FILE: canonical_json(document), SUMMARY_FILE: canonical_json(build_cn_summary(document))}
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
