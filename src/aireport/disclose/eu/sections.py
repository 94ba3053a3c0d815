"""Template sections 1.1, 1.2, 2 and 3 from the manifest, the inventory and the measures.

Section 2 names a source only where the template asks for names: large public datasets, publicly known private
datasets, crawlers, the generators of synthetic data. Licensed datasets and private datasets that are not
publicly known are described, not named (Explanatory Notice para. 19: the rightsholders are parties to the
licences).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from fractions import Fraction

from aireport.disclose.eu.common import (
    SECTION_OF,
    EuInputs,
    answer_of,
    attested,
    date_fact,
    month,
    month_fact,
    unique,
    weakest,
)
from aireport.disclose.eu.figures import SourceFigures, source_modalities, unit_value
from aireport.disclose.eu.general import modalities
from aireport.models.base import constructor
from aireport.models.eu.summary import (
    BIN_UNITS,
    EU_DOMAINS_CSV,
    CrawledSection,
    Crawler,
    DateFact,
    Dependency,
    DomainEntry,
    DomainList,
    Fact,
    Gate,
    Generator,
    LicensedSection,
    ModalityShare,
    ModelEntry,
    ModelSection,
    NamedDataset,
    OtherSection,
    PrivateSection,
    ProcessingSection,
    ProviderSection,
    PublicDataset,
    PublicSection,
    ServiceEntry,
    SourceSketch,
    SourcesSection,
    SyntheticSection,
    TdmSection,
    TemplateModality,
    ThirdPartyOptOut,
    UserDataSection,
)
from aireport.models.provenance import EuCategory, SectionComments, Source, Tri
from aireport.models.results import Provenance
from aireport.models.rules import Citation, Verification

TEMPLATE = "Explanatory Notice and Template for the Public Summary of Training Content, C(2025) 5235 final"

LARGE_CITATION = Citation(
    instrument=TEMPLATE,
    provision="Template section 2.1 (c) (list of large publicly available datasets)",
    verification=Verification.SECONDARY,
    reference_tag="[S]",
    note="'Large' as more than 3% of all publicly available data used for the modality comes from secondary "
    "sources only; the official wording of the threshold is UNVERIFIED. The threshold is configurable.",
)

DOMAIN_CITATION = Citation(
    instrument=TEMPLATE,
    provision="Template section 2.3 (h), footnote 16",
    verification=Verification.SECONDARY,
    reference_tag="[S]",
    note="Top 10% of all crawled domain names by size of the content scraped; for SMEs the top 5% or the top "
    "1,000 domains. Reading it as 'whichever is lower' rests on secondary sources [S]. Registrable domains by the "
    "Public Suffix List and size measured in bytes are this tool's choices (UNVERIFIED).",
)

GATES: dict[str, tuple[EuCategory, str]] = {
    "public": (EuCategory.PUBLIC_DATASET, "used_public_datasets"),
    "licensed": (EuCategory.LICENSED, "used_licensed_data"),
    "private": (EuCategory.THIRD_PARTY_PRIVATE, "used_third_party_private_data"),
    "crawled": (EuCategory.CRAWLED, "used_crawlers"),
    "user_model": (EuCategory.USER_MODEL_INTERACTIONS, "used_user_model_data"),
    "user_services": (EuCategory.USER_OTHER_SERVICES, "used_user_service_data"),
    "synthetic": (EuCategory.SYNTHETIC, "used_synthetic_data"),
    "other": (EuCategory.OTHER, "used_other_sources"),
}


def of(inputs: EuInputs, *categories: EuCategory) -> list[Source]:
    return [s for s in inputs.used if s.eu_category in categories]


def gate(inputs: EuInputs, key: str) -> Gate:
    category, attribute = GATES[key]
    value: Tri = getattr(inputs.manifest.attestations, attribute)
    n = len(of(inputs, category))
    return Gate(
        answer=answer_of(value, f"attestations.{attribute}"),
        inventory_sources=n,
        consistent=None if value is Tri.TO_BE_PROVIDED else (value is Tri.YES) == (n > 0),
        open=value is Tri.YES or n > 0,
    )


def comment(inputs: EuInputs, name: str) -> Fact:
    comments = inputs.manifest.summary.comments or SectionComments()
    return attested(getattr(comments, name), f"summary.comments.{name}")


def sketch(source: Source, figures: SourceFigures, named: bool) -> SourceSketch:
    filled = bool(source.content_types or source.languages or source.description or source.collection_end)
    return SourceSketch(
        name=source.name if named else None,
        url=source.url if named else None,
        modality=source_modalities(source, figures)[0],
        content_types=list(source.content_types),
        languages=list(source.languages),
        collection_start=month(source.collection_start),
        collection_end=month(source.collection_end),
        description=source.description,
        provenance=Provenance.DECLARED if filled else Provenance.MISSING,
    )


# --- 1.1 and 1.2 ----------------------------------------------------------------------------------------------


def provider_section(inputs: EuInputs) -> ProviderSection:
    p = inputs.manifest.provider
    required = None if p.established_in_eu is None else not p.established_in_eu
    if required is False:
        not_needed = "manifest: provider.established_in_eu (established in the Union: N/A)"
        rep = Fact(value=None, provenance=Provenance.ATTESTED, basis=not_needed)
        rep_contact = rep
    else:
        rep = attested(p.authorised_representative, "provider.authorised_representative")
        rep_contact = attested(p.authorised_representative_contact, "provider.authorised_representative_contact")
    return ProviderSection(
        name=attested(p.legal_name, "provider.legal_name"),
        contact=attested(p.contact, "provider.contact"),
        address=attested(p.address, "provider.address"),
        established_in_eu=p.established_in_eu,
        representative_required=required,
        representative=rep,
        representative_contact=rep_contact,
    )


def versioned_name(name: str, version: str | None) -> str:
    if not version or version in name:
        return name
    return f"{name} {version}"


def model_section(inputs: EuInputs) -> ModelSection:
    models = []
    dependencies = []
    for i, m in enumerate(inputs.manifest.models):
        where = f"models[{i}]"
        full = versioned_name(m.name, m.version)
        models.append(
            ModelEntry(
                name=m.name,
                version=attested(m.version, f"{where}.version"),
                versioned_name=full,
                url=attested(m.url, f"{where}.url"),
                placement_date=date_fact(m.eu_placement_date, f"manifest: {where}.eu_placement_date"),
            )
        )
        for j, base in enumerate(m.base_models):
            url = m.base_model_summaries[j] if j < len(m.base_model_summaries) else None
            dependencies.append(Dependency(model=full, base_model=base, summary_url=url))
    return ModelSection(models=models, dependencies=dependencies)


# --- 2.1 publicly available datasets ------------------------------------------------------------------------------


def _unit(modality: TemplateModality) -> str:
    return BIN_UNITS.get(modality, "bytes")


def _display(value: Fraction, modality: TemplateModality) -> float:
    return round(float(value), 2) if _unit(modality) == "hours" else float(round(value))


def public_section(inputs: EuInputs, figures: SourceFigures) -> PublicSection:
    sources = of(inputs, EuCategory.PUBLIC_DATASET)
    sizes: dict[str, dict[TemplateModality, tuple[Fraction | None, Provenance]]] = {}
    totals: dict[TemplateModality, Fraction | None] = {}
    for s in sources:
        per = sizes.setdefault(s.source_id, {})
        for m in source_modalities(s, figures):
            value, provenance = unit_value(s, m, (figures.by_source.get(s.source_id) or {}).get(m))
            per[m] = (value, provenance)
            current = totals.get(m, Fraction(0))
            totals[m] = None if current is None or value is None else current + value
    threshold = Fraction(inputs.large_threshold)
    large: list[PublicDataset] = []
    others: list[SourceSketch] = []
    for s in sources:
        shares = []
        is_large = False
        for m, (value, provenance) in sizes[s.source_id].items():
            total = totals[m]
            share = None if value is None or not total else value / total
            is_large = is_large or share is None or share > threshold
            shares.append(
                ModalityShare(
                    modality=m,
                    unit=_unit(m),
                    value=None if value is None else _display(value, m),
                    share_percent=None if share is None else round(float(share * 100), 2),
                    provenance=provenance,
                )
            )
        if is_large:
            large.append(
                PublicDataset(
                    name=s.name,
                    url=s.url,
                    version=s.version,
                    subset_selection=s.subset_selection,
                    shares=shares,
                    large=True,
                )
            )
        else:
            others.append(sketch(s, figures, named=True))
    return PublicSection(
        used=gate(inputs, "public"),
        modalities=modalities(inputs, figures, sources),
        threshold_percent=float(inputs.large_threshold * 100),
        threshold_citation=LARGE_CITATION,
        large=large,
        others=others,
        shares_complete=all(t is not None for t in totals.values()),
        comments=comment(inputs, "public_datasets"),
    )


# --- 2.2 private datasets from third parties --------------------------------------------------------------------


def licensed_section(inputs: EuInputs, figures: SourceFigures) -> LicensedSection:
    return LicensedSection(
        used=gate(inputs, "licensed"),
        modalities=modalities(inputs, figures, of(inputs, EuCategory.LICENSED)),
        comments=comment(inputs, "licensed"),
    )


def private_section(inputs: EuInputs, figures: SourceFigures) -> PrivateSection:
    sources = of(inputs, EuCategory.THIRD_PARTY_PRIVATE)
    return PrivateSection(
        used=gate(inputs, "private"),
        modalities=modalities(inputs, figures, sources),
        publicly_known=[NamedDataset(name=s.name, url=s.url) for s in sources if s.publicly_known],
        not_publicly_known=[sketch(s, figures, named=False) for s in sources if not s.publicly_known],
        comments=comment(inputs, "third_party_private"),
    )


# --- 2.3 crawled data ---------------------------------------------------------------------------------------------


def _any_true(values: Sequence[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return False if values and all(v is False for v in values) else None


def _period(inputs: EuInputs, sources: Sequence[Source]) -> tuple[DateFact, DateFact]:
    """Collection period of a crawler: measured from its items where possible, else declared."""
    pairs: list[tuple[str, Callable[[Source], object], str]] = [
        ("earliest_collection", lambda s: s.collection_start, "min"),
        ("latest_collection", lambda s: s.collection_end, "max"),
    ]
    out = []
    for measure, declared, pick in pairs:
        table = inputs.per_source(measure) or {}
        values: list[tuple[str, Provenance]] = []
        for s in sources:
            value = (table.get(s.source_id) or {}).get(None)
            fallback = declared(s)
            if value is not None:
                values.append((str(value)[:10], Provenance.MEASURED))
            elif fallback is not None:
                values.append((str(fallback)[:10], Provenance.DECLARED))
        basis = f"items: measure {measure}; else sources: collection_{'start' if pick == 'min' else 'end'}"
        if values and len(values) == len(sources):
            chosen = min(v for v, _ in values) if pick == "min" else max(v for v, _ in values)
            out.append(month_fact(chosen, weakest([p for _, p in values]), basis))
        else:
            out.append(DateFact(iso=None, display=None, provenance=Provenance.MISSING, basis=basis))
    return out[0], out[1]


def crawlers(inputs: EuInputs) -> list[Crawler]:
    groups: dict[str, list[Source]] = {}
    for s in of(inputs, EuCategory.CRAWLED):
        groups.setdefault(s.crawler_name or f"\x00{s.source_id}", []).append(s)
    out = []
    for key, sources in groups.items():
        start, end = _period(inputs, sources)
        filled = any(
            v
            for s in sources
            for v in (s.crawler_name, s.crawler_user_agent, s.crawler_purpose, s.crawler_behaviour, *s.optout_protocols)
        )
        out.append(
            Crawler(
                name=None if key.startswith("\x00") else key,
                user_agents=unique(s.crawler_user_agent for s in sources),
                purposes=unique(s.crawler_purpose for s in sources),
                behaviour=unique(s.crawler_behaviour for s in sources),
                honours=unique(p for s in sources for p in s.optout_protocols),
                circumvents_paywalls=_any_true([s.crawler_circumvents_paywalls for s in sources]),
                circumvents_captchas=_any_true([s.crawler_circumvents_captchas for s in sources]),
                uses_logins=_any_true([s.crawler_uses_logins for s in sources]),
                period_start=start,
                period_end=end,
                sources=len(sources),
                provenance=Provenance.DECLARED if filled else Provenance.MISSING,
            )
        )
    return out


def domains_to_list(distinct: int, sme: bool | None) -> int:
    """ceil(10% of N); for SMEs min(ceil(5% of N), 1000) ('whichever is lower' is [S])."""
    if sme:
        return min(math.ceil(Fraction(distinct * 5, 100)), 1000)
    return math.ceil(Fraction(distinct * 10, 100))


def domains_file(inputs: EuInputs) -> str:
    """The domain list's file name, versioned and dated like the Summary it belongs to:
    eu-training-summary-domains-v1.1-2026-09-30.csv (the version and last update; the document date if unset)."""
    meta = inputs.manifest.summary
    version = re.sub(r"[^A-Za-z0-9._-]+", "-", meta.version or "unversioned").strip("-") or "unversioned"
    date = meta.last_update.isoformat() if meta.last_update else inputs.result.document_date
    return f"{EU_DOMAINS_CSV.removesuffix('.csv')}-v{version}-{date}.csv"


_domain_entry = constructor(DomainEntry, ("rank", "domain", "bytes"))  # the engine's rows: not validated again


def domain_list(inputs: EuInputs, inline_limit: int, rows: bool = True) -> DomainList:
    """The 2.3 (h) list; without ``rows`` its figures only (the built-in checks read no more, and at 700M items
    the rows are 1.4M objects)."""
    sme = inputs.manifest.provider.is_sme
    rule = "sme_top_5_percent_max_1000" if sme else "top_10_percent"
    measure = inputs.measure("crawled_domain_ranking")
    ranking = measure.ranking if measure is not None else None
    if ranking is None:
        return DomainList(
            provenance=Provenance.MISSING,
            sme=sme,
            rule=rule,
            distinct=0,
            listed=0,
            total_bytes=0,
            listed_bytes=0,
            measure="bytes",
            order="",
            domain_mapping=None,
            inline=False,
            printed=0,
            attachment=domains_file(inputs),
            domains=[],
            citation=DOMAIN_CITATION,
        )
    wanted = ranking.top[: domains_to_list(ranking.distinct, sme)]
    # The engine's typed rows, one per listed domain (up to 1,000 for an SME, 10% of millions otherwise).
    top = [_domain_entry({"rank": r, "domain": g, "bytes": int(v)}) for r, g, v in wanted.numbered()] if rows else []
    return DomainList(
        provenance=Provenance.MEASURED,
        sme=sme,
        rule=rule,
        distinct=ranking.distinct,
        listed=len(wanted),
        total_bytes=int(ranking.total),
        items_without_domain=ranking.rows_without_group,
        items_without_size=ranking.rows_without_value,
        domains_without_size=ranking.groups_without_value,
        listed_bytes=sum(int(value) for value in wanted.values),
        measure="bytes",
        order=ranking.order,
        domain_mapping=ranking.domain_mapping,
        inline=len(wanted) <= inline_limit,
        printed=min(len(wanted), inline_limit),
        attachment=domains_file(inputs),
        domains=top,
        citation=DOMAIN_CITATION,
    )


def crawled_section(
    inputs: EuInputs, figures: SourceFigures, inline_limit: int, domain_rows: bool = True
) -> CrawledSection:
    sources = of(inputs, EuCategory.CRAWLED)
    return CrawledSection(
        used=gate(inputs, "crawled"),
        crawlers=crawlers(inputs),
        content=[sketch(s, figures, named=True) for s in sources],
        modalities=modalities(inputs, figures, sources),
        domains=domain_list(inputs, inline_limit, domain_rows),
        comments=comment(inputs, "crawled"),
    )


# --- 2.4 to 2.6 ---------------------------------------------------------------------------------------------------


def user_data_section(inputs: EuInputs, figures: SourceFigures) -> UserDataSection:
    sources = of(inputs, EuCategory.USER_MODEL_INTERACTIONS, EuCategory.USER_OTHER_SERVICES)
    services: list[ServiceEntry] = []
    seen: set[tuple[str, str | None]] = set()
    for s in sources:
        category = "model_interactions" if s.eu_category is EuCategory.USER_MODEL_INTERACTIONS else "other_services"
        key = (category, s.service_description)
        if key in seen:
            continue
        seen.add(key)
        services.append(
            ServiceEntry(
                category=category,
                description=s.service_description,
                provenance=Provenance.DECLARED if s.service_description else Provenance.MISSING,
            )
        )
    return UserDataSection(
        model_interactions=gate(inputs, "user_model"),
        other_services=gate(inputs, "user_services"),
        services=services,
        modalities=modalities(inputs, figures, sources),
        comments=comment(inputs, "user_data"),
    )


def synthetic_section(inputs: EuInputs, figures: SourceFigures) -> SyntheticSection:
    sources = of(inputs, EuCategory.SYNTHETIC)
    market: list[Generator] = []
    other: list[Generator] = []
    for s in sources:
        g = Generator(
            name=s.generator_model,
            summary_url=s.generator_summary_url,
            description=s.generator_description,
            on_eu_market=s.generator_on_eu_market,
        )
        target = market if s.generator_on_eu_market else other
        if g not in target:
            target.append(g)
    return SyntheticSection(
        used=gate(inputs, "synthetic"),
        modalities=modalities(inputs, figures, sources),
        market_models=market,
        other_models=other,
        comments=comment(inputs, "synthetic"),
    )


def other_section(inputs: EuInputs, figures: SourceFigures) -> OtherSection:
    sources = of(inputs, EuCategory.OTHER)
    return OtherSection(
        used=gate(inputs, "other"),
        modalities=modalities(inputs, figures, sources),
        narrative=[sketch(s, figures, named=True) for s in sources],
        comments=comment(inputs, "other_sources"),
    )


def sources_section(
    inputs: EuInputs, figures: SourceFigures, inline_limit: int, domain_rows: bool = True
) -> SourcesSection:
    return SourcesSection(
        public=public_section(inputs, figures),
        licensed=licensed_section(inputs, figures),
        private=private_section(inputs, figures),
        crawled=crawled_section(inputs, figures, inline_limit, domain_rows),
        user_data=user_data_section(inputs, figures),
        synthetic=synthetic_section(inputs, figures),
        other=other_section(inputs, figures),
    )


def named_in_summary(source: Source, public: PublicSection) -> bool:
    """Whether the Summary names this source (so a version diff may name it too)."""
    if source.eu_category is EuCategory.PUBLIC_DATASET:
        return any(d.name == source.name for d in public.large) or any(o.name == source.name for o in public.others)
    if source.eu_category is EuCategory.THIRD_PARTY_PRIVATE:
        return bool(source.publicly_known)
    return source.eu_category in (EuCategory.CRAWLED, EuCategory.OTHER)


# --- section 3 ---------------------------------------------------------------------------------------------------


def counterparty_withheld(source: Source) -> bool:
    """Licensed and private third-party data are described without naming the counterparty or its contract,
    unless the inventory marks the counterparty public (limited disclosure, Explanatory Notice point 19)."""
    named = source.eu_category is EuCategory.PUBLIC_DATASET or (
        source.eu_category is EuCategory.THIRD_PARTY_PRIVATE and bool(source.publicly_known)
    )
    return not named and source.counterparty_public is not True


def third_party_optout(s: Source) -> ThirdPartyOptOut:
    withheld = counterparty_withheld(s) and bool(s.optout_evidence)
    return ThirdPartyOptOut(
        category=SECTION_OF[s.eu_category],
        name=None if counterparty_withheld(s) else s.name,
        evidence=None if withheld else s.optout_evidence,
        withheld=withheld,
        evidence_withheld=s.optout_evidence if withheld else None,
        provenance=Provenance.DECLARED if s.optout_evidence else Provenance.MISSING,
    )


def processing_section(inputs: EuInputs) -> ProcessingSection:
    a = inputs.manifest.attestations
    third = of(inputs, EuCategory.PUBLIC_DATASET, EuCategory.LICENSED, EuCategory.THIRD_PARTY_PRIVATE)
    return ProcessingSection(
        tdm=TdmSection(
            signatory=answer_of(a.cop_signatory, "attestations.cop_signatory"),
            measures=attested(a.tdm_optout_measures, "attestations.tdm_optout_measures"),
            protocols=unique(p for s in of(inputs, EuCategory.CRAWLED) for p in s.optout_protocols),
            third_party=[third_party_optout(s) for s in third],
            copyright_policy=attested(a.copyright_policy, "attestations.copyright_policy"),
            comments=comment(inputs, "tdm"),
        ),
        illegal_content=attested(a.illegal_content_measures, "attestations.illegal_content_measures"),
        other=attested(inputs.manifest.summary.other_processing, "summary.other_processing"),
    )
