"""The EU documents' shared figures: each used source's size per template modality (items, bytes, tokens,
seconds), in the template's unit and bin, measured from the item manifests or declared in the inventory.

Section 1.3 (size per modality), section 2 (shares of public datasets, sketches of sources), Annex XI (data
points per dataset) and the built-in checks all read these, so they live here and not inside one section.
Arithmetic is exact (fractions): a value on a bin edge is decided the same way on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from aireport.disclose.eu.common import EuInputs, ordered, template_modality
from aireport.models.eu.summary import (
    BIN_EDGES,
    BIN_LABELS,
    EDGE_WARNING_FRACTION,
    EdgeWarning,
    TemplateModality,
)
from aireport.models.provenance import SizeBin, Source
from aireport.models.results import Provenance

_EDGE = Fraction(EDGE_WARNING_FRACTION)
BINS = (SizeBin.LESS_THAN, SizeBin.BETWEEN, SizeBin.MORE_THAN)


def select_bin(modality: TemplateModality, value: Fraction | int | float) -> SizeBin:
    """Less than the lower edge: A; more than the upper edge: C; otherwise B, edges included (UNVERIFIED)."""
    low, high = BIN_EDGES[modality]
    exact = Fraction(value)
    if exact < low:
        return SizeBin.LESS_THAN
    if exact > high:
        return SizeBin.MORE_THAN
    return SizeBin.BETWEEN


def edge_warning(modality: TemplateModality, value: Fraction | int | float) -> EdgeWarning | None:
    """Set when |value - edge| <= 5% of the edge for either edge of the middle bin."""
    exact = Fraction(value)
    for edge in BIN_EDGES[modality]:
        if abs(exact - edge) <= _EDGE * edge:
            return EdgeWarning(edge=edge, distance_percent=round(float((exact - edge) * 100 / edge), 2))
    return None


def bin_label(modality: TemplateModality, chosen: SizeBin | None) -> str | None:
    if chosen is None or modality not in BIN_LABELS:
        return None
    return BIN_LABELS[modality][BINS.index(chosen)]


@dataclass
class Figures:
    """One source's figures for one template modality."""

    items: int | None = None
    bytes: int | None = None
    tokens: int | None = None
    seconds: Fraction | None = None
    measured: bool = False
    without_size: int | None = None  # measured items with no size in the modality's template unit


def add(a: Any, b: Any) -> Any:
    """a + b, unknown when either is."""
    return None if a is None or b is None else a + b


@dataclass
class SourceFigures:
    """Figures of every used source, per template modality, and where they came from."""

    by_source: dict[str, dict[TemplateModality, Figures]] = field(default_factory=dict)
    modalities_measured: bool = False  # the item manifests have a modality column
    mismatched: list[tuple[str, str]] = field(default_factory=list)  # (source id, measured item modality)


def _measured_groups(inputs: EuInputs) -> tuple[dict[str, dict[str | None, Any]] | None, str]:
    """Per source and item modality (grouped measures), else per source only."""
    grouped = inputs.per_source("items_by_modality")
    if grouped is not None:
        return grouped, "by_modality"
    return inputs.per_source("items_count"), "count"


# The measure counting items without a size in each template modality's unit (images are counted, not sized).
_UNSIZED: dict[TemplateModality, str] = {
    TemplateModality.TEXT: "items_without_tokens_by_modality",
    TemplateModality.AUDIO: "items_without_duration_by_modality",
    TemplateModality.VIDEO: "items_without_duration_by_modality",
    TemplateModality.OTHER: "items_without_bytes_by_modality",
}


def source_figures(inputs: EuInputs, sources: Sequence[Source] | None = None) -> SourceFigures:
    """Figures per source (the used ones unless ``sources`` says otherwise) and template modality."""
    counts, kind = _measured_groups(inputs)
    if kind == "by_modality":
        sizes = {k: inputs.per_source(f"{k}_by_modality") for k in ("bytes", "tokens", "duration")}
        unsized = {name: inputs.per_source(name) for name in set(_UNSIZED.values())}
    else:
        sizes = {k: inputs.per_source(f"{k}_total") for k in ("bytes", "tokens", "duration")}
        unsized = {}
    out = SourceFigures(modalities_measured=kind == "by_modality")
    for source in inputs.used if sources is None else sources:
        groups = (counts or {}).get(source.source_id) or {}
        per: dict[TemplateModality, Figures] = {}
        for group, n in groups.items():
            if not n:
                continue
            tm = template_modality(source, group)
            if group is not None and template_modality(source, None) != tm:
                out.mismatched.append((source.source_id, group))
            fig = per.setdefault(tm, Figures(items=0, bytes=0, tokens=0, seconds=Fraction(0), measured=True))
            fig.items = add(fig.items, int(n))
            fig.bytes = add(fig.bytes, _size(sizes["bytes"], source.source_id, group))
            fig.tokens = add(fig.tokens, _size(sizes["tokens"], source.source_id, group))
            seconds = _size(sizes["duration"], source.source_id, group)
            fig.seconds = add(fig.seconds, None if seconds is None else Fraction(seconds))
            if tm in _UNSIZED and unsized.get(_UNSIZED[tm]) is not None:
                # A group without such items has no row in the measure: none of its items lacks the size.
                lacking = int(_size(unsized[_UNSIZED[tm]], source.source_id, group) or 0)
                fig.without_size = (fig.without_size or 0) + lacking
        out.by_source[source.source_id] = per
    return out


def _size(table: dict[str, dict[str | None, Any]] | None, source_id: str, group: str | None) -> Any:
    if table is None:
        return None
    return (table.get(source_id) or {}).get(group)


def unit_value(source: Source, modality: TemplateModality, fig: Figures | None) -> tuple[Fraction | None, Provenance]:
    """The source's size in the modality's template unit (bytes for other): measured, else declared."""
    measured: Any = None
    if fig is not None:
        measured = {
            TemplateModality.TEXT: fig.tokens,
            TemplateModality.IMAGE: fig.items,
            TemplateModality.AUDIO: None if fig.seconds is None else fig.seconds / 3600,
            TemplateModality.VIDEO: None if fig.seconds is None else fig.seconds / 3600,
            TemplateModality.OTHER: fig.bytes,
        }[modality]
    if measured is not None:
        return Fraction(measured), Provenance.MEASURED
    if template_modality(source) == modality:
        declared = {
            TemplateModality.TEXT: source.declared_tokens,
            TemplateModality.IMAGE: source.declared_items,
            TemplateModality.AUDIO: source.declared_hours,
            TemplateModality.VIDEO: source.declared_hours,
            TemplateModality.OTHER: source.declared_bytes,
        }[modality]
        if declared is not None:
            return Fraction(declared), Provenance.DECLARED
    return None, Provenance.MISSING


def source_modalities(source: Source, figures: SourceFigures) -> list[TemplateModality]:
    """The template modalities of a source: those of its measured items, else its declared modality."""
    measured = figures.by_source.get(source.source_id) or {}
    return ordered(measured) if measured else [template_modality(source)]
