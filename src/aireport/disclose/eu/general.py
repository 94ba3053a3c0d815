"""Template section 1.3: modalities, size per modality and its bin, types of content, latest collection, languages.

The size figures themselves (per source and modality, measured or declared, bins) are in
:mod:`aireport.disclose.eu.figures`.

Sizes are after pre-processing, as the item manifests record them: tokens for text, images counted for image,
hours for audio and video (the sound track of a video counts as video). A source without measured figures
falls back to its declared size in the inventory. Arithmetic on sizes is exact (fractions), so a value on a
bin edge is decided the same way on every machine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from aireport.disclose.eu.common import (
    EuInputs,
    answer_of,
    month_fact,
    ordered,
    template_modality,
    unique,
    weakest,
)
from aireport.disclose.eu.figures import (
    BINS,
    SourceFigures,
    add,
    edge_warning,
    select_bin,
    source_modalities,
    unit_value,
)
from aireport.disclose.eu.languages import is_eu_official, language_name
from aireport.models.eu.summary import (
    BIN_LABELS,
    BIN_UNITS,
    BinOption,
    CollectionSection,
    ContentTypes,
    DateFact,
    Language,
    Languages,
    Modalities,
    ModalitySize,
    TemplateModality,
)
from aireport.models.provenance import SizeBin, Source
from aireport.models.results import Provenance


def modalities(inputs: EuInputs, figures: SourceFigures, sources: Sequence[Source] | None = None) -> Modalities:
    chosen = list(inputs.used if sources is None else sources)
    selected = ordered(m for s in chosen for m in source_modalities(s, figures))
    measured = bool(chosen) and all(figures.by_source.get(s.source_id) for s in chosen)
    if not selected:
        return Modalities(selected=[], provenance=Provenance.MISSING if sources is None else Provenance.DECLARED)
    return Modalities(selected=selected, provenance=Provenance.MEASURED if measured else Provenance.DECLARED)


def _declared_bin(inputs: EuInputs, modality: TemplateModality) -> SizeBin | None:
    summary = inputs.manifest.summary
    return {
        TemplateModality.TEXT: summary.declared_size_text,
        TemplateModality.IMAGE: summary.declared_size_image,
        TemplateModality.AUDIO: summary.declared_size_audio,
        TemplateModality.VIDEO: summary.declared_size_video,
    }.get(modality)


def modality_size(inputs: EuInputs, figures: SourceFigures, modality: TemplateModality) -> ModalitySize:
    counted: list[str] = []
    dynamic: list[str] = []
    parts: list[Provenance] = []
    total: Fraction | None = Fraction(0)
    items: int | None = 0
    size_bytes: int | None = 0
    unsized: int | None = None
    for source in inputs.used:
        if modality not in source_modalities(source, figures):
            continue
        if source.is_dynamic:
            dynamic.append(source.source_id)
            continue
        counted.append(source.source_id)
        fig = (figures.by_source.get(source.source_id) or {}).get(modality)
        value, provenance = unit_value(source, modality, fig)
        parts.append(provenance)
        total = None if total is None or value is None else total + value
        items = add(items, fig.items if fig is not None else None)
        size_bytes = add(size_bytes, fig.bytes if fig is not None else None)
        if fig is not None and fig.without_size is not None:
            unsized = (unsized or 0) + fig.without_size
    provenance = weakest(parts)
    if provenance is Provenance.MISSING:
        total = None
    unit = BIN_UNITS.get(modality)
    chosen = select_bin(modality, total) if total is not None and unit is not None else None
    measures = "tokens_by_modality" if modality is TemplateModality.TEXT else "items_by_modality"
    if modality in (TemplateModality.AUDIO, TemplateModality.VIDEO):
        measures = "duration_by_modality"
    elif modality is TemplateModality.OTHER:
        measures = "bytes_by_modality"
    return ModalitySize(
        modality=modality,
        unit=unit,
        value=None if total is None else _display_value(total, unit),
        provenance=provenance,
        basis=f"items: measure {measures}; else sources: declared size" if counted else "no source counted",
        options=[
            BinOption(bin=b, label=label, selected=b is chosen)
            for b, label in zip(BINS, BIN_LABELS.get(modality, ()), strict=False)
        ],
        selected=chosen,
        edge_warning=edge_warning(modality, total) if total is not None and unit is not None else None,
        declared=_declared_bin(inputs, modality),
        items=items if counted and items else None,
        bytes=size_bytes if counted and size_bytes else None,
        detail=_other_detail(inputs, modality),
        sources=len(counted),
        excluded_dynamic=len(dynamic),
        items_without_size=unsized,
    )


def _display_value(total: Fraction, unit: str | None) -> float | int:
    """Hours to two decimals; tokens, images and bytes are whole numbers."""
    if unit == "hours":
        return round(float(total), 2)
    return round(total)


def _other_detail(inputs: EuInputs, modality: TemplateModality) -> str | None:
    if modality is not TemplateModality.OTHER:
        return None
    details = unique(s.modality_detail for s in inputs.used if template_modality(s) is TemplateModality.OTHER)
    return "; ".join(details) or None


def content_types(inputs: EuInputs, figures: SourceFigures, selected: Sequence[TemplateModality]) -> list[ContentTypes]:
    out = []
    for modality in selected:
        types = unique(t for s in inputs.used if modality in source_modalities(s, figures) for t in s.content_types)
        out.append(
            ContentTypes(
                modality=modality,
                types=types,
                provenance=Provenance.DECLARED if types else Provenance.MISSING,
            )
        )
    return out


def collection(inputs: EuInputs) -> CollectionSection:
    measured = inputs.per_source("latest_collection") or {}
    latest: list[tuple[str, Provenance]] = []
    for source in inputs.used:
        value = (measured.get(source.source_id) or {}).get(None)
        if value is not None:
            latest.append((str(value)[:10], Provenance.MEASURED))
        elif source.collection_end is not None:
            latest.append((source.collection_end.isoformat(), Provenance.DECLARED))
    declared = [s.collection_end.isoformat() for s in inputs.used if s.collection_end is not None]
    if latest:
        when = max(v for v, _ in latest)
        provenance = weakest([p for _, p in latest])
        best = month_fact(when, provenance, "items: measure latest_collection; else sources: collection_end")
    else:
        best = DateFact(iso=None, display=None, provenance=Provenance.MISSING, basis="items: latest_collection")
    answer = inputs.manifest.attestations.continuous_training
    return CollectionSection(
        latest=best,
        declared_latest=month_fact(max(declared) if declared else None, Provenance.DECLARED, "sources: collection_end"),
        continuous_training=answer_of(answer, "attestations.continuous_training"),
    )


def languages(inputs: EuInputs) -> Languages:
    measured = inputs.per_source("items_by_language")
    used = {s.source_id for s in inputs.used}
    if measured is not None:
        counts: dict[str, int] = defaultdict(int)
        without = 0
        for source_id, groups in measured.items():
            if source_id not in used:
                continue
            for tag, n in groups.items():
                if tag is None:
                    without += int(n or 0)
                else:
                    counts[tag] += int(n or 0)
        total = sum(counts.values())
        rows = [
            Language(
                tag=tag,
                name=language_name(tag),
                eu_official=is_eu_official(tag),
                items=n,
                share_percent=round(n * 100 / total, 2) if total else None,
            )
            for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if n
        ]
        provenance = Provenance.MEASURED if rows else Provenance.MISSING
        return _languages(rows, provenance, without)
    tags = sorted(set(unique(t for s in inputs.used for t in s.languages)))
    rows = [
        Language(tag=t, name=language_name(t), eu_official=is_eu_official(t), items=None, share_percent=None)
        for t in tags
    ]
    return _languages(rows, Provenance.DECLARED if rows else Provenance.MISSING, None)


def _languages(rows: list[Language], provenance: Provenance, without: int | None) -> Languages:
    official = sorted({r.tag.split("-")[0].lower() for r in rows if r.eu_official})
    return Languages(
        languages=rows,
        provenance=provenance,
        eu_official=official,
        eu_official_count=len(official),
        items_without_language=without,
    )
