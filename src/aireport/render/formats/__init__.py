"""The output formats, one module each: ``json``, ``html``, ``pdf`` (and whatever module is added here).

A format module defines ``FORMAT``, an :class:`OutputFormat` that turns one document into files (name ->
bytes) for a :class:`RenderRequest`. The registry finds formats by module name, so adding a format is adding
a file; it imports a format only when asked for it, so a command pays only for the formats it writes.
Everything is rendered in memory first: a failure writes nothing.

Side files go beside a document whatever the formats: the complete top-domain list of the EU Summary.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aireport.errors import Problem, RenderError
from aireport.models.documents import Document
from aireport.render.i18n import LANGUAGE_CHOICES
from aireport.render.pdf_variants import AUTO, PDF_VARIANTS


def parse_list(value: str, allowed: Sequence[str], option: str) -> tuple[str, ...]:
    """``"pdf,json"`` -> ("pdf", "json"), each checked against ``allowed``; duplicates dropped."""
    items = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    bad = [item for item in items if item not in allowed]
    if bad or not items:
        found = ", ".join(repr(b) for b in bad) or "nothing"
        raise RenderError([Problem(option, f"found {found}; allowed: {', '.join(allowed)} (comma-separated)")])
    return items


@cache
def names() -> tuple[str, ...]:
    """Every output format, by module name (no format is imported to list them)."""
    return tuple(sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")))


@dataclass(frozen=True)
class RenderRequest:
    formats: tuple[str, ...] = ("json", "html", "pdf")
    languages: tuple[str, ...] = ("en",)  # each "en", "zh" or "en+zh"
    pdf_variant: str = AUTO
    font: Path | None = None
    templates: Path | None = None

    def __post_init__(self) -> None:
        parse_list(",".join(self.formats), names(), "--format")
        parse_list(",".join(self.languages), LANGUAGE_CHOICES, "--lang")
        if self.pdf_variant not in (AUTO, *PDF_VARIANTS):
            allowed = ", ".join((AUTO, *PDF_VARIANTS))
            raise RenderError([Problem("--pdf-variant", f"found {self.pdf_variant!r}; allowed: {allowed}")])


@dataclass(frozen=True)
class OutputFormat:
    name: str
    render: Callable[[Document, RenderRequest], dict[str, bytes]]
    prepare: Callable[[RenderRequest], None] = lambda request: None  # checks options before any long work
    # A format that describes the dataset as a whole (an SBOM, a Croissant file) reads every document of the run
    # at once and writes one file; ``render`` is then unused.
    combine: Callable[[Sequence[Document], RenderRequest], dict[str, bytes]] | None = None


def file_stem(doc: Document) -> str:
    """The file name of a document without language and extension: eu-training-summary, or
    eu-training-summary.annotated for the annotated edition of a document made for someone else."""
    annotated = getattr(doc, "edition", None) == "annotated" and getattr(doc, "audience", "internal") != "internal"
    return f"{doc.document}.annotated" if annotated else doc.document


def get(name: str) -> OutputFormat:
    if name not in names():
        raise RenderError([Problem("--format", f"found {name!r}; allowed: {', '.join(names())}")])
    fmt: OutputFormat = importlib.import_module(f"aireport.render.formats.{name}").FORMAT
    return fmt


def prepare(request: RenderRequest) -> None:
    """Check the options of every requested format (fonts, templates) before the scan they would wait for."""
    for name in request.formats:
        get(name).prepare(request)


_SIDE_FILES: dict[str, str] = {"eu-training-summary": "aireport.render.eu.domains"}
"""Document name -> module whose ``side_files(doc)`` adds files beside it, whatever the formats."""


def side_files(doc: Document) -> dict[str, bytes]:
    """The files that go beside ``doc`` (and inside its PDF): the Summary's complete domain list."""
    if doc.document not in _SIDE_FILES:
        return {}
    files: dict[str, bytes] = importlib.import_module(_SIDE_FILES[doc.document]).side_files(doc)
    return files


def render_all(documents: Sequence[Document], request: RenderRequest) -> dict[str, bytes]:
    """File name -> bytes: every document in every requested format, plus its side files."""
    out: dict[str, bytes] = {}
    for name in request.formats:
        combine = get(name).combine
        if combine is not None:
            out.update(combine(documents, request))
    for doc in documents:
        for name in request.formats:
            if get(name).combine is None:
                out.update(get(name).render(doc, request))
        out.update(side_files(doc))
    return out
