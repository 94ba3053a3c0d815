"""``aireport report`` (inputs -> documents) and ``aireport render`` (a saved JSON document -> PDF, HTML)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from aireport.cli.common import (
    cache_option,
    document_date,
    engine_options,
    pack_option,
    print_cache,
    print_warnings,
    reports_errors,
    resolution_options,
    run_with_progress,
)
from aireport.cli.exit_codes import exit_code_for
from aireport.guards.terminal import printable
from aireport.models.doc_parts import Edition
from aireport.models.rules import Severity
from aireport.pipeline import (
    EngineConfig,
    RunRequest,
    build,
    document_names,
    edition_of,
    read_document,
    rejected_files,
    render,
    sign_documents,
    signing_key,
    write,
)
from aireport.render.formats import RenderRequest, names, parse_list, prepare
from aireport.render.i18n import LANGUAGE_CHOICES
from aireport.render.pdf_variants import AUTO, PDF_VARIANTS

F = TypeVar("F", bound=Callable[..., Any])


sign_option = click.option(
    "--sign",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Ed25519 private key: each JSON document also signed, as NAME.dsse.json (check: aireport verify NAME.json).",
)
"""``--sign KEY`` of every command that writes JSON documents (``report``, ``cn-assess``)."""


def render_options(formats_default: str, langs_default: str = "en") -> Callable[[F], F]:
    """--format, --lang, --out, --pdf-variant, --font and --templates, shared by every command that writes
    documents; the command receives them as one ``render_request``."""

    def decorate(func: F) -> F:
        @wraps(func)
        def with_request(*args: Any, **kwargs: Any) -> Any:
            kwargs["render_request"] = render_request(
                kwargs.pop("formats"),
                kwargs.pop("langs"),
                kwargs.pop("pdf_variant"),
                kwargs.pop("font"),
                kwargs.pop("templates"),
            )
            return func(*args, **kwargs)

        command: Any = with_request
        for option in reversed(
            [
                click.option(
                    "--format",
                    "formats",
                    default=formats_default,
                    show_default=True,
                    help=f"Formats, comma-separated: {', '.join(names())}.",
                ),
                click.option(
                    "--lang",
                    "langs",
                    default=langs_default,
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
                    type=click.Choice((AUTO, *PDF_VARIANTS)),
                    default=AUTO,
                    show_default=True,
                    help="auto: pdf/a-3a (archival and tagged) for public and downstream documents, pdf/a-3b for the "
                    "others; pdf/a-3a, pdf/a-3b: archival, the JSON document (and the Summary's domain list) attached; "
                    "pdf/ua-1: tagged for accessibility, nothing attached.",
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
            command = option(command)
        return command  # type: ignore[no-any-return]

    return decorate


def render_request(
    formats: str, langs: str, pdf_variant: str, font: Path | None, templates: Path | None
) -> RenderRequest:
    """The options, checked before any work: a missing font or template folder fails before a long scan."""
    request = RenderRequest(
        formats=parse_list(formats, names(), "--format"),
        languages=parse_list(langs, LANGUAGE_CHOICES, "--lang"),
        pdf_variant=pdf_variant,
        font=font,
        templates=templates,
    )
    prepare(request)
    return request


EDITIONS = ("clean", "annotated")


def edition_option(func: F) -> F:
    """--edition: what the documents' audience sees (clean), the provider's annotated review copy, or both."""
    return click.option(
        "--edition",
        "editions",
        default="clean",
        show_default=True,
        help="clean: what the audience may see (no rule ids, provenance badges, verification tags or digests); "
        "annotated: the same document with them, for the provider's review (files *.annotated.*); or clean,annotated.",
    )(func)


def parse_editions(value: str) -> tuple[Edition, ...]:
    return tuple(parse_list(value, EDITIONS, "--edition"))  # type: ignore[arg-type]


def print_written(paths: list[Path]) -> None:
    for path in paths:
        click.echo(printable(str(path)))


@click.command()
@reports_errors
@click.argument("manifest", type=click.Path(path_type=Path))
@pack_option
@click.option(
    "--document",
    "documents",
    default="findings",
    show_default=True,
    help=f"Documents to make, comma-separated: {', '.join(document_names())}.",
)
@render_options("pdf,json,html")
@edition_option
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
@click.option(
    "--assessment-date",
    default=None,
    help="cn-assessment: the date that selects the Chinese profile, YYYY-MM-DD (default: the document date).",
)
@click.option(
    "--statements",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="cn-assessment: signed statements (YAML) for clauses the provenance cannot show.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=None,
    help="For CI: after writing the documents, exit 1 when a rule at or above this severity fails (as check does).",
)
@click.option("--strict", is_flag=True, help="With --fail-on: missing evidence at or above it also exits 1.")
@resolution_options
@sign_option
@cache_option
@engine_options
def report(
    manifest: Path,
    packs: tuple[str, ...],
    documents: str,
    render_request: RenderRequest,
    editions: str,
    date: str | None,
    previous: Path | None,
    large_threshold: float,
    assessment_date: str | None,
    statements: Path | None,
    fail_on: str | None,
    strict: bool,
    resolutions: Path | None,
    apply_resolutions: bool,
    sign: Path | None,
    cache: Path | None,
    engine_config: EngineConfig,
    quiet: bool,
    out: Path,
) -> None:
    """Check MANIFEST against rule packs and write the documents into OUT.

    Documents are written whatever the findings say (exit 0, or with --fail-on exit 1 on failing findings, as
    check); only bad input or a document that cannot be made exits 2, and then nothing is written.
    """
    wanted = parse_list(documents, document_names(), "--document")
    chosen = parse_editions(editions)
    request = RunRequest(
        manifest=manifest,
        packs=packs,
        document_date=document_date(date),
        engine=engine_config,
        previous_summary=previous,
        large_threshold=Decimal(str(large_threshold)) / 100,
        assessment_date=parse_date(assessment_date, "--assessment-date"),
        statements=statements,
        documents=wanted,
        resolutions=resolutions,
        apply_resolutions=apply_resolutions,
        cache=cache,
    )
    key = signing_key(sign) if sign is not None else None
    evaluated = run_with_progress(request, quiet)
    print_cache(evaluated, quiet)
    print_warnings(evaluated.result)
    files = render(build(evaluated, wanted, chosen), render_request)
    if key is not None:
        files |= sign_documents(files, key)
    print_written(write(out, {**files, **rejected_files(evaluated)}))
    if not quiet:
        verdict = evaluated.result.verdict
        Console(stderr=True, highlight=False).print(
            "findings: " + ", ".join(f"{k} {v}" for k, v in verdict.by_outcome.items()), style="dim"
        )
    if fail_on is not None:
        sys.exit(exit_code_for(evaluated.result, Severity(fail_on), strict))


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint=option) from None


@click.command()
@reports_errors
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@render_options("pdf,html")
@click.option(
    "--edition",
    type=click.Choice(EDITIONS),
    default=None,
    help="clean: strip an annotated document to what its audience may see; default: as saved.",
)
def render_command(document: Path, render_request: RenderRequest, edition: str | None, out: Path) -> None:
    """Re-render a saved JSON DOCUMENT (as `report` or `cn-assess` wrote it) into OUT, with no other input.

    The JSON is validated against its schema first; a document that does not match exits 2. A clean document
    cannot be annotated again: what it left out is not in it.
    """
    doc = read_document(document)
    if edition is not None:
        doc = edition_of(doc, edition)  # type: ignore[arg-type]
    print_written(write(out, render([doc], render_request)))


render_command.name = "render"
