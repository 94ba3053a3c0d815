"""The training-data section of the technical documentation: AI Act Annex XI Section 1 point 2(c) per dataset,
with the subset Annex XII point 2(c) gives downstream providers (type, provenance, curation).

Annex XI 2(c) [P]: "information on the data used for training, testing and validation, where applicable,
including the type and provenance of data and curation methodologies (e.g. cleaning, filtering, etc.), the
number of data points, their scope and main characteristics; how the data was obtained and selected as well as
all other measures to detect the unsuitability of data sources and methods to detect identifiable biases, where
applicable". Every source used in training is a dataset here, and so is a source marked not used in training
that the inventory lists for validation or testing; a source used for none of them is not (its items are left
out of every figure, see the row accounting). The items of a validation- or testing-only source are not
measured (the engine counts training content only): its number of data points is the declared one.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from aireport.disclose.eu.common import SECTION_OF, EuInputs, check_rows, eu_inputs, fact, month, traceability
from aireport.disclose.eu.figures import Figures, source_figures, source_modalities
from aireport.disclose.eu.sections import versioned_name
from aireport.models.eu.summary import AnnexDataset, AnnexDocument, Fact, Figure, TemplateModality
from aireport.models.provenance import DataSplit, EuCategory, Source
from aireport.models.results import Provenance
from aireport.models.run import Run

_ACQUISITION: dict[EuCategory, tuple[str, ...]] = {
    EuCategory.PUBLIC_DATASET: ("license_document", "url", "license"),
    EuCategory.LICENSED: ("agreement", "license_document"),
    EuCategory.THIRD_PARTY_PRIVATE: ("agreement", "supplier_commitment", "license_document"),
    EuCategory.CRAWLED: ("crawler_user_agent", "crawler_name", "collection_records"),
    EuCategory.USER_MODEL_INTERACTIONS: ("service_description", "user_authorisation", "collection_records"),
    EuCategory.USER_OTHER_SERVICES: ("service_description", "user_authorisation", "collection_records"),
    EuCategory.SYNTHETIC: ("generator_model",),
    EuCategory.OTHER: ("agreement", "collection_records", "description"),
}


def _acquisition(source: Source) -> Fact:
    for name in _ACQUISITION[source.eu_category]:
        value = getattr(source, name)
        if value:
            return fact(str(value), Provenance.DECLARED, f"sources: {name}")
    return fact(None, Provenance.MISSING, f"sources: {' or '.join(_ACQUISITION[source.eu_category])}")


Unit = Literal["items", "tokens", "bytes", "hours"]


def _figure(unit: Unit, measured: int | float | Fraction | None, declared: float | int | None) -> Figure | None:
    def shown(v: float | Fraction) -> float:
        return round(float(v), 2) if unit == "hours" else float(round(Fraction(v)))

    if measured is not None:
        return Figure(unit=unit, value=shown(measured), provenance=Provenance.MEASURED)
    if declared is not None:
        return Figure(unit=unit, value=shown(declared), provenance=Provenance.DECLARED)
    return None


def _sum(figs: list[Figures], name: str) -> int | Fraction | None:
    values = [getattr(f, name) for f in figs]
    if not values or any(v is None for v in values):
        return None
    total: int | Fraction = sum(values)
    return total


def dataset(source: Source, figs: list[Figures], modalities: list[TemplateModality]) -> AnnexDataset:
    seconds = _sum(figs, "seconds")
    points = _figure("items", _sum(figs, "items"), source.declared_items) or Figure(
        unit="items", value=None, provenance=Provenance.MISSING
    )
    sizes = [
        f
        for f in (
            _figure("tokens", _sum(figs, "tokens") or None, source.declared_tokens),
            _figure("bytes", _sum(figs, "bytes") or None, source.declared_bytes),
            _figure("hours", seconds / 3600 if seconds else None, source.declared_hours),
        )
        if f is not None
    ]
    description = fact(source.description, Provenance.DECLARED, "sources: description")
    acquisition = _acquisition(source)
    selection = fact(source.selection_method, Provenance.DECLARED, "sources: selection_method")
    unsuitability = fact(source.unsuitability_detection, Provenance.DECLARED, "sources: unsuitability_detection")
    bias = fact(source.bias_detection, Provenance.DECLARED, "sources: bias_detection")
    missing_xii = [
        name
        for name, ok in (("content_types", source.content_types), ("curation_methods", source.curation_methods))
        if not ok
    ]
    missing_xi = missing_xii + [
        name
        for name, ok in (
            ("number of data points", points.value is not None),
            ("description", description.value),
            ("how obtained", acquisition.value),
            ("selection_method", selection.value),
            ("unsuitability_detection", unsuitability.value),
            ("bias_detection", bias.value),
        )
        if not ok
    ]
    return AnnexDataset(
        source_id=source.source_id,
        name=source.name,
        splits=[s.value for s in source.splits] or (["training"] if source.used_in_training else []),
        category=source.eu_category.value,
        section=SECTION_OF[source.eu_category],
        modalities=modalities,
        content_types=list(source.content_types),
        origin=source.origin.value if source.origin else None,
        rights_holders=source.rights_holders,
        url=source.url,
        licence=source.license,
        curation=list(source.curation_methods),
        data_points=points,
        sizes=sizes,
        description=description,
        languages=list(source.languages),
        collection_start=month(source.collection_start),
        collection_end=month(source.collection_end),
        acquisition=acquisition,
        selection=selection,
        unsuitability=unsuitability,
        safety_sample_size=source.safety_sample_size,
        safety_sample_flagged=source.safety_sample_flagged,
        bias=bias,
        missing_xi=missing_xi,
        missing_xii=missing_xii,
    )


def exempt(inputs: EuInputs) -> bool:
    """Art. 53(2): every model open source and none above the systemic-risk presumption of 10^25 FLOP."""
    models = inputs.manifest.models
    return all(m.open_source for m in models) and not any((m.training_flop or 0) > 1e25 for m in models)


def annex_sources(inputs: EuInputs) -> list[Source]:
    """Sources used for training, validation or testing, in source id order."""
    other = (DataSplit.VALIDATION, DataSplit.TESTING)
    chosen = [s for s in inputs.sources if s.used_in_training or any(split in other for split in s.splits)]
    return sorted(chosen, key=lambda s: s.source_id)


def annex_datasets(inputs: EuInputs) -> list[AnnexDataset]:
    """Every source used for training, validation or testing as an Annex XI dataset, in source id order."""
    chosen = annex_sources(inputs)
    figures = source_figures(inputs, chosen)
    return [
        dataset(s, list((figures.by_source.get(s.source_id) or {}).values()), source_modalities(s, figures))
        for s in chosen
    ]


def build_eu_annex(run: Run) -> AnnexDocument:
    inputs = eu_inputs(run)
    return AnnexDocument(
        dataset=inputs.manifest.dataset,
        document_date=inputs.result.document_date,
        provider=inputs.manifest.provider.legal_name,
        models=[versioned_name(m.name, m.version) for m in inputs.manifest.models],
        datasets=annex_datasets(inputs),
        checks=check_rows(run.result, lambda section: section.startswith("Annex")),
        traceability=traceability(inputs.result),
    )
