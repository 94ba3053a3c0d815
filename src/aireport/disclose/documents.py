"""Every document aireport can build, by name: the one place the CLI looks them up."""

from __future__ import annotations

from collections.abc import Callable

from aireport.disclose.findings import build_findings
from aireport.models.documents import Document
from aireport.models.results import EvaluationResult

BUILDERS: dict[str, Callable[[EvaluationResult], Document]] = {"findings": build_findings}


def build_document(name: str, result: EvaluationResult) -> Document:
    """The document ``name`` of an evaluation result (a KeyError for an unknown name)."""
    return BUILDERS[name](result)
