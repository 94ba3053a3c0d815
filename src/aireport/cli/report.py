"""``aireport report`` (inputs -> documents) and ``aireport render`` (a saved JSON document -> PDF, HTML)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from aireport.cli.common import engine_options, reports_errors, run_check
from aireport.disclose.documents import BUILDERS, BuildInputs, build_document
from aireport.engine.evaluate import EngineConfig
from aireport.errors import InputError, Problem
from aireport.load.files import sha256_file
from aireport.load.manifest import load_manifest
from aireport.models.documents import Document
from aireport.models.eu.summary import EU_DOMAINS_CSV, EU_SUMMARY_DOCUMENT, EuSummaryDocument
from aireport.render.bundle import FORMATS, RenderRequest, parse_list, render_document
from aireport.render.document_json import read_document
from aireport.render.eu.domains import domains_csv
from aireport.render.fonts import resolve_fonts
from aireport.render.html import template_dirs
from aireport.render.i18n import LANGUAGE_CHOICES
from aireport.render.output import write_all_atomic
from aireport.render.pdf import PDF_VARIANTS

F = TypeVar("F", bound=Callable[..., Any])


def _render_options(formats_default: str, formats_help: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for option in reversed(
            [
                click.option("--format", "formats", default=formats_default, show_default=True, help=formats_help),
                click.option(
                    "--lang",
                    "langs",
                    default="en",
                    show_default=True,
                    help=f"{', '.join(LANGUAGE_CHOICES)} (both in one document); several comma-separated.",
                ),
                click.option(
                    "--out",
                    type=click.Path(file_okay=False, path_type=Path),
                    required=True,
                    help="Folder for the documents; created if absent.",
                ),
                click.option(
                    "--pdf-variant",
                    type=click.Choice(PDF_VARIANTS),
                    default="pdf/a-3b",
                    show_default=True,
                    help="pdf/a-3b: archival, the JSON document attached; pdf/ua-1: tagged for accessibility.",
                ),
                click.option(
                    "--font",
                    type=click.Path(dir_okay=False, path_type=Path),
                    default=None,
                    help="Font file for the PDF instead of Noto Sans CJK SC (TTF, OTF or a collection).",
                ),
                click.option(
                    "--templates",
                    type=click.Path(file_okay=False, path_type=Path),
                    default=None,
                    help="Folder of templates and i18n catalogues laid over the packaged ones (sandboxed).",
                ),
            ]
        ):
            func = option(func)
        return func

    return decorate


def _request(formats: str, langs: str, pdf_variant: str, font: Path | None, templates: Path | None) -> RenderRequest:
    """The options, checked before any work: a missing font or template folder fails before a long scan."""
    request = RenderRequest(
        formats=parse_list(formats, FORMATS, "--format"),
        languages=parse_list(langs, LANGUAGE_CHOICES, "--lang"),
        pdf_variant=pdf_variant,
        font=font,
        templates=templates,
    )
    template_dirs(templates)
    if "pdf" in request.formats:
        resolve_fonts(font)
    return request


def _write(docs: list[Document], request: RenderRequest, out: Path) -> None:
    files: dict[str, bytes] = {}
    for doc in docs:  # everything is rendered in memory first: a failure writes nothing
        files.update(render_document(doc, request))
        if isinstance(doc, EuSummaryDocument):  # the complete top-domain list always goes beside the Summary
            files[EU_DOMAINS_CSV] = domains_csv(doc)
    for path in write_all_atomic(out, files):
        click.echo(str(path))


@click.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--pack", "packs", multiple=True, required=True, help="Rule pack name (eu-ai-act, cn-genai) or folder. Repeatable."
)
@click.option(
    "--document",
    "documents",
    default="findings",
    show_default=True,
    help=f"Documents to make, comma-separated: {', '.join(BUILDERS)}.",
)
@_render_options("pdf,json,html", "Formats, comma-separated: json, html, pdf.")
@click.option("--date", "date", default=None, help="Document date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today).")
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The previous version's eu-training-summary.json: the new Summary states what changed and links it.",
)
@click.option(
    "--large-dataset-threshold",
    "large_threshold",
    type=click.FloatRange(0, 100, min_open=True),
    default=3.0,
    show_default=True,
    help="EU Summary 2.1 (c): a public dataset is listed as large above this percent of its modality's public "
    "data (a secondary-source reading, not the template's wording).",
)
@engine_options
@reports_errors
def report(
    manifest: Path,
    packs: tuple[str, ...],
    documents: str,
    formats: str,
    langs: str,
    out: Path,
    pdf_variant: str,
    font: Path | None,
    templates: Path | None,
    date: str | None,
    previous: Path | None,
    large_threshold: float,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Check MANIFEST against rule packs and write the documents into OUT.

    Documents are written whatever the findings say (exit 0); only bad input or a document that cannot be
    made exits 2, and then nothing is written.
    """
    names = parse_list(documents, tuple(BUILDERS), "--document")
    request = _request(formats, langs, pdf_variant, font, templates)  # bad options fail before the scan
    prior = _previous(previous)
    result = run_check(manifest, packs, date, engine_config, quiet)
    inputs = BuildInputs(
        result=result,
        loaded=load_manifest(manifest),
        previous_summary=prior,
        large_threshold=Decimal(str(large_threshold)) / 100,
    )
    _write([build_document(name, result, inputs) for name in names], request, out)
    if not quiet:
        verdict = result.verdict
        Console(stderr=True, highlight=False).print(
            "findings: " + ", ".join(f"{k} {v}" for k, v in verdict.by_outcome.items()), style="dim"
        )


def _previous(path: Path | None) -> tuple[EuSummaryDocument, str] | None:
    """The previous Summary, validated against its schema, and the SHA-256 of its file."""
    if path is None:
        return None
    doc = read_document(path)
    if not isinstance(doc, EuSummaryDocument):
        raise InputError([Problem(str(path), f"--previous: expected an {EU_SUMMARY_DOCUMENT} document")])
    return doc, sha256_file(path)


@click.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@_render_options("pdf,html", "Formats, comma-separated: html, pdf (json writes the validated document back).")
@reports_errors
def render(
    document: Path,
    formats: str,
    langs: str,
    out: Path,
    pdf_variant: str,
    font: Path | None,
    templates: Path | None,
) -> None:
    """Re-render a saved JSON DOCUMENT (as `report` wrote it) into OUT, with no other input.

    The JSON is validated against its schema first; a document that does not match exits 2.
    """
    request = _request(formats, langs, pdf_variant, font, templates)
    _write([read_document(document)], request, out)
