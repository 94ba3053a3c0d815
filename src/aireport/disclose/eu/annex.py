"""The training-data section of the technical documentation: AI Act Annex XI Section 1 point 2(c) per dataset,
with the subset Annex XII point 2(c) gives downstream providers (type, provenance, curation).

Annex XI 2(c) [P]: "information on the data used for training, testing and validation, where applicable,
including the type and provenance of data and curation methodologies (e.g. cleaning, filtering, etc.), the
number of data points, their scope and main characteristics; how the data was obtained and selected as well as
all other measures to detect the unsuitability of data sources and methods to detect identifiable biases, where
applicable". Every source of the inventory is a dataset here, including those used only for validation or
testing.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from aireport.disclose.eu.checks import AI_ACT, cite, make_check
from aireport.disclose.eu.common import SECTION_OF, EuInputs, fact, month, traceability
from aireport.disclose.eu.general import Figures, source_figures, source_modalities
from aireport.disclose.eu.sections import versioned_name
from aireport.models.eu.summary import AnnexDataset, AnnexDocument, Check, Fact, Figure, TemplateModality
from aireport.models.provenance import EuCategory, Source
from aireport.models.results import Outcome, Provenance
from aireport.models.rules import Severity, Verification

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


def _exempt(inputs: EuInputs) -> bool:
    """Art. 53(2): every model open source and none above the systemic-risk presumption of 10^25 FLOP."""
    models = inputs.manifest.models
    return all(m.open_source for m in models) and not any((m.training_flop or 0) > 1e25 for m in models)


def annex_checks(inputs: EuInputs, datasets: list[AnnexDataset]) -> list[Check]:
    checks = []
    specs = (
        (
            "EU-TD-01",
            "Annex XI, Section 1, point 2(c); Art. 53(1)(a)",
            (
                "Every dataset has the training-data information of Annex XI 2(c)",
                "每个数据集均具备附件十一第2(c)点要求的训练数据信息",
            ),
            "missing_xi",
        ),
        (
            "EU-TD-02",
            "Annex XII, point 2(c); Art. 53(1)(b)",
            (
                "Every dataset has type, provenance and curation for downstream providers",
                "每个数据集均具备向下游提供者提供的类型、来源和整理方法信息",
            ),
            "missing_xii",
        ),
    )
    for check_id, provision, title, attribute in specs:
        note = "Art. 53(2) exempts free and open-source models without systemic risk from points (a) and (b)."
        citation = cite(AI_ACT, provision, Verification.PRIMARY, "[P]", note)
        gaps = [(d.source_id, getattr(d, attribute)) for d in datasets if getattr(d, attribute)]
        if _exempt(inputs):
            message = (
                "Every model is open source without systemic risk: Art. 53(2) exempts this documentation.",
                "所有模型均为无系统性风险的开源模型：依第53条第2款豁免该文档。",
            )
            outcome = Outcome.NOT_APPLICABLE
        elif gaps:
            listed = "; ".join(f"{sid}: {', '.join(missing)}" for sid, missing in gaps)
            message = (f"Missing: {listed}.", f"缺少：{listed}。")
            outcome = Outcome.FAIL
        else:
            message = (f"All {len(datasets)} datasets are documented.", f"全部 {len(datasets)} 个数据集均已记录。")
            outcome = Outcome.PASS
        checks.append(make_check(check_id, "Annex", Severity.BLOCKER, outcome, title, message, citation))
    return checks


def build_eu_annex(inputs: EuInputs) -> AnnexDocument:
    figures = source_figures(inputs, inputs.sources)
    datasets = [
        dataset(s, list((figures.by_source.get(s.source_id) or {}).values()), source_modalities(s, figures))
        for s in sorted(inputs.sources, key=lambda s: s.source_id)
    ]
    return AnnexDocument(
        dataset=inputs.manifest.dataset,
        document_date=inputs.result.document_date,
        provider=inputs.manifest.provider.legal_name,
        models=[versioned_name(m.name, m.version) for m in inputs.manifest.models],
        datasets=datasets,
        checks=annex_checks(inputs, datasets),
        traceability=traceability(inputs.result),
    )
