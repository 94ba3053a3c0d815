"""The EU Public Summary of Training Content: a pure function of the evaluation result and the provenance.

``build_eu_summary`` fills every field of the Commission's template (sections 1 to 3) from the dataset manifest
(attested), the source inventory (declared) and the eu-ai-act pack's measures over the item manifests
(measured), and makes the checks the rule language cannot express (:mod:`aireport.disclose.eu.checks`). Given
the previous version's JSON, it also states what changed. Nothing here reads a file or the clock.
"""

from __future__ import annotations

from aireport.disclose.editions import release
from aireport.disclose.eu.common import (
    EU_PACK,
    SECTION_OF,
    EuInputs,
    attested,
    check_rows,
    date_fact,
    eu_inputs,
    traceability,
)
from aireport.disclose.eu.figures import SourceFigures, source_figures
from aireport.disclose.eu.general import (
    collection,
    content_types,
    languages,
    modalities,
    modality_size,
)
from aireport.disclose.eu.sections import (
    comment,
    model_section,
    named_in_summary,
    processing_section,
    provider_section,
    sources_section,
)
from aireport.disclose.eu.versions import version_changes
from aireport.models.eu.summary import (
    DOMAINS_INLINE_LIMIT,
    EuSummaryDocument,
    GeneralSection,
    Header,
    InventoryEntry,
    PackRuleRow,
    VersionLink,
)
from aireport.models.results import Outcome
from aireport.models.run import PreviousSummary, Run

TEMPLATE_EDITION = (
    "Template for the Public Summary of Training Content for general-purpose AI models, Article 53(1)(d) of "
    "Regulation (EU) 2024/1689: C(2025) 5235 final of 24 July 2025, re-adopted as C(2025) 8311 final of "
    "5 December 2025"
)


def _header(inputs: EuInputs, previous: EuSummaryDocument | None) -> Header:
    s = inputs.manifest.summary
    known = {previous.header.url.value: previous.header.version.value} if previous and previous.header.url.value else {}
    return Header(
        version=attested(s.version, "summary.version"),
        last_update=date_fact(s.last_update, "manifest: summary.last_update"),
        previous_versions=[VersionLink(version=known.get(url), url=url) for url in s.previous_versions],
        url=attested(s.url, "summary.url"),
        update_notice=attested(s.update_notice, "summary.update_notice"),
        changes=None,
    )


def _general(inputs: EuInputs) -> tuple[GeneralSection, SourceFigures]:
    figures = source_figures(inputs)
    chosen = modalities(inputs, figures)
    return (
        GeneralSection(
            modalities=chosen,
            sizes=[modality_size(inputs, figures, m) for m in chosen.selected],
            content_types=content_types(inputs, figures, chosen.selected),
            collection=collection(inputs),
            languages=languages(inputs),
            other_characteristics=attested(
                inputs.manifest.summary.other_characteristics, "summary.other_characteristics"
            ),
            comments=comment(inputs, "general"),
        ),
        figures,
    )


def _pack_rules(inputs: EuInputs) -> list[PackRuleRow]:
    rows = [
        PackRuleRow(rule_id=r.rule_id, severity=r.severity, outcome=r.outcome, title=r.title)
        for r in inputs.result.rules
        if r.pack == EU_PACK and r.kind == "rule" and r.outcome in (Outcome.FAIL, Outcome.NOT_EVALUABLE)
    ]
    return sorted(rows, key=lambda r: (r.outcome is not Outcome.FAIL, -r.severity.rank, r.rule_id))


def draft_summary(
    inputs: EuInputs,
    previous: PreviousSummary | None = None,
    inline_limit: int = DOMAINS_INLINE_LIMIT,
    domain_rows: bool = True,
) -> EuSummaryDocument:
    """The Summary of ``inputs`` without its checks (they read this draft); ``previous`` is the previous version.
    Without ``domain_rows`` the domain list has its figures and no rows: a draft only the checks read, when no
    previous version is compared with it."""
    general, figures = _general(inputs)
    sources = sources_section(inputs, figures, inline_limit, domain_rows or previous is not None)
    doc = EuSummaryDocument(
        dataset=inputs.manifest.dataset,
        document_date=inputs.result.document_date,
        template=TEMPLATE_EDITION,
        header=_header(inputs, previous.document if previous else None),
        provider=provider_section(inputs),
        model=model_section(inputs),
        general=general,
        sources=sources,
        processing=processing_section(inputs),
        checks=[],
        pack_rules=_pack_rules(inputs),
        inventory=sorted(
            (
                InventoryEntry(
                    category=SECTION_OF[s.eu_category],
                    name=s.name if named_in_summary(s, sources.public) else None,
                )
                for s in inputs.used
            ),
            key=lambda e: (list(SECTION_OF.values()).index(e.category), e.name is None, e.name or ""),
        ),
        traceability=traceability(inputs.result),
    )
    if previous is not None:
        changes = version_changes(previous.document, previous.sha256, doc)
        doc = doc.model_copy(update={"header": doc.header.model_copy(update={"changes": changes})})
    return doc


def build_eu_summary(run: Run, inline_limit: int = DOMAINS_INLINE_LIMIT) -> EuSummaryDocument:
    """The Summary of a run, with the eu-ai-act pack's built-in checks of its sections."""
    doc = draft_summary(eu_inputs(run), run.previous_summary, inline_limit)
    checks = check_rows(run.result, lambda section: not section.startswith("Annex"))
    return EuSummaryDocument.model_validate(
        {**doc.model_dump(), "checks": [c.model_dump() for c in checks], **release(run.result, (EU_PACK,))}
    )
