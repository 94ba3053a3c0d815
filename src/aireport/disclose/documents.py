"""Every document aireport can build, by name: the one place the CLI looks them up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from aireport.disclose.eu.annex import build_eu_annex
from aireport.disclose.eu.common import DEFAULT_LARGE_THRESHOLD, EU_PACK, EuInputs
from aireport.disclose.eu.summary import build_eu_summary
from aireport.disclose.findings import build_findings
from aireport.errors import InputError, Problem
from aireport.load.manifest import LoadedManifest
from aireport.models.documents import Document
from aireport.models.eu.summary import EuSummaryDocument
from aireport.models.results import EvaluationResult


@dataclass(frozen=True)
class BuildInputs:
    """What a builder may read besides the evaluation result (the EU documents need the provenance)."""

    result: EvaluationResult
    loaded: LoadedManifest | None = None
    previous_summary: tuple[EuSummaryDocument, str] | None = None  # the previous version and its JSON's SHA-256
    large_threshold: Decimal = DEFAULT_LARGE_THRESHOLD


def _eu(inputs: BuildInputs) -> EuInputs:
    if inputs.loaded is None:
        raise ValueError("the EU documents are built from the loaded manifest as well as the evaluation result")
    if not any(p.id == EU_PACK for p in inputs.result.packs):
        raise InputError([Problem("--pack", f"the EU documents need the {EU_PACK} pack: add --pack {EU_PACK}")])
    return EuInputs(
        result=inputs.result,
        manifest=inputs.loaded.manifest,
        sources=inputs.loaded.sources,
        large_threshold=inputs.large_threshold,
    )


BUILDERS: dict[str, Callable[[BuildInputs], Document]] = {
    "findings": lambda inputs: build_findings(inputs.result),
    "eu-training-summary": lambda inputs: build_eu_summary(_eu(inputs), inputs.previous_summary),
    "eu-annex-xi-data": lambda inputs: build_eu_annex(_eu(inputs)),
}


def build_document(name: str, result: EvaluationResult, inputs: BuildInputs | None = None) -> Document:
    """The document ``name`` of an evaluation result (a KeyError for an unknown name)."""
    return BUILDERS[name](inputs if inputs is not None else BuildInputs(result=result))
