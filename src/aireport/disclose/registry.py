"""Every document aireport can build, by name: the one place commands look documents up.

A jurisdiction package lists its documents in its ``documents`` module (``DOCUMENTS``), found here by
package, so adding a document to a jurisdiction is adding a builder and one entry there. A builder is a pure
function of a :class:`~aireport.models.run.Run`; a document whose pack was not evaluated is bad input.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from aireport.disclose import editions
from aireport.disclose.findings import build_findings
from aireport.errors import InputError, Problem
from aireport.models.doc_parts import Edition
from aireport.models.documents import Document
from aireport.models.run import Run


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    build: Callable[[Run], Document]
    summary: str  # one line for --help and docs


CORE: tuple[DocumentSpec, ...] = (
    DocumentSpec(
        "findings",
        lambda run: build_findings(run.result, run.problems, run.resolutions),
        "every finding, grouped into problems, with counts, evidence and waivers",
    ),
)


@cache
def documents() -> Mapping[str, DocumentSpec]:
    """Name -> spec: the core documents, then each jurisdiction package's ``documents.DOCUMENTS``."""
    found = {spec.name: spec for spec in CORE}
    package = importlib.import_module("aireport.disclose")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"aireport.disclose.{info.name}.documents")
        except ModuleNotFoundError as exc:
            if exc.name != f"aireport.disclose.{info.name}.documents":
                raise
            continue
        for spec in module.DOCUMENTS:
            if spec.name in found:
                raise ValueError(f"document {spec.name} is registered twice")
            found[spec.name] = spec
    return found


def build_document(name: str, run: Run, edition: Edition = "clean") -> Document:
    """The document ``name`` of a run, in ``edition`` (the findings are internal: always annotated)."""
    spec = documents().get(name)
    if spec is None:
        known = ", ".join(documents())
        raise InputError([Problem("--document", f"found {name!r}; allowed: {known}")])
    doc = spec.build(run)
    return doc if doc.audience == "internal" else editions.edition(doc, edition)
