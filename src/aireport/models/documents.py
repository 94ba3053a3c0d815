"""Document models: what each disclosure document says, ready to render. Pydantic only, no I/O.

A document is built by a pure function of the disclose layer and rendered by the render layer, which only
reads it. Every figure, percentage and order a reader sees is decided here, before rendering, so the JSON
document is exactly what the HTML and PDF show and a saved JSON re-renders to the same pages.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from aireport.models.base import Bilingual
from aireport.models.doc_parts import Doc, InputRow, PackRow
from aireport.models.results import Outcome
from aireport.models.rules import Citation, Scope, Severity

DOCUMENT_SCHEMA_VERSION: Final = "1.0"


# --- the findings document ------------------------------------------------------------------


class OutcomeCounts(Doc):
    """How many rules ended in each outcome."""

    failed: int = Field(ge=0, description="Rules that failed beyond their tolerance.")
    not_evaluable: int = Field(ge=0, description="Rules that could not be evaluated: evidence is missing.")
    passed: int = Field(ge=0, description="Rules that passed.")
    not_applicable: int = Field(ge=0, description="Rules with no row they are about.")
    total: int = Field(ge=0, description="All of these rules.")


class SeverityRow(OutcomeCounts):
    """How many rules of one severity ended in each outcome."""

    severity: Severity = Field(description="The severity the rules were declared with.")


class Summary(Doc):
    """The first thing a reader sees: the overall verdict and the counts behind it."""

    verdict: Literal["fail", "missing_evidence", "pass"] = Field(
        description="fail: at least one rule failed; missing_evidence: none failed but at least one could not be "
        "evaluated; pass: every applicable rule passed."
    )
    worst_failure: Severity | None = Field(description="Highest severity among failing rules; null when none failed.")
    by_severity: list[SeverityRow] = Field(description="One row per severity, most severe first (blocker .. info).")
    totals: OutcomeCounts = Field(description="All rules: the column sums of by_severity.")


class SourceRow(Doc):
    """A rule's counts over the rows of one source."""

    source_id: str = Field(description="The source, as in the source inventory.")
    applicable: int = Field(ge=0, description="Rows of this source the rule is about.")
    passed: int = Field(ge=0, description="Applicable rows for which the condition holds.")
    failed: int = Field(ge=0, description="Applicable rows for which the condition is false.")
    unknown: int = Field(ge=0, description="Applicable rows whose evidence is missing.")
    failing_percent: float = Field(ge=0, le=100, description="failed / applicable x 100, rounded to 4 decimals.")
    outcome: Outcome = Field(description="The outcome for this source alone.")


class RuleFinding(Doc):
    """One rule as the findings document shows it."""

    pack: str = Field(description="Id of the rule pack the rule belongs to.")
    rule_id: str = Field(description="Stable rule id.")
    kind: Literal["rule", "check"] = Field(
        "rule", description="rule: a condition evaluated over rows; check: a built-in check of the pack."
    )
    title: Bilingual = Field(description="What the rule checks.")
    severity: Severity = Field(description="Declared severity.")
    scope: Scope = Field(description="What a row is: an item, a source, or a model of the dataset.")
    outcome: Outcome = Field(description="pass, fail, not_evaluable (missing evidence) or not_applicable.")
    citation: Citation = Field(description="The provision behind the rule and how well it was verified.")
    applicable: int = Field(ge=0, description="Rows the rule is about.")
    passed: int = Field(ge=0, description="Applicable rows for which the condition holds.")
    failed: int = Field(ge=0, description="Applicable rows for which the condition is false.")
    unknown: int = Field(ge=0, description="Applicable rows whose evidence is missing.")
    failing_percent: float = Field(ge=0, le=100, description="failed / applicable x 100, rounded to 4 decimals.")
    tolerance_percent: float = Field(
        ge=0, le=100, description="Largest failing percentage that still passes (inclusive)."
    )
    tolerance_per: Literal["source", "overall"] = Field(
        description="Whether the tolerance is tested per source or over all rows."
    )
    per_source: list[SourceRow] = Field(description="Counts per source, by source id; empty for dataset rules.")
    evidence: list[str] = Field(
        description="Ids of failing rows, smallest first, at most a handful: a sample, never a per-item listing."
    )
    evidence_more: int = Field(ge=0, description="Failing rows not listed in evidence.")
    missing_fields: list[str] = Field(description="Fields the rule needs that the inputs do not have.")
    detail: Bilingual | None = Field(None, description="What a built-in check found, with its figures.")
    message: Bilingual = Field(description="What a failure means.")
    fix: Bilingual = Field(description="What to do about a failure or missing evidence.")


class ItemFraction(Doc):
    """One bar of the chart of failing fractions: an item rule over the items of one source."""

    rule_id: str = Field(description="The item rule.")
    source_id: str = Field(description="The source.")
    failed: int = Field(ge=0, description="Failing items of this source.")
    applicable: int = Field(ge=1, description="Items of this source the rule is about.")
    failing_percent: float = Field(ge=0, le=100, description="failed / applicable x 100, rounded to 4 decimals.")
    tolerance_percent: float = Field(ge=0, le=100, description="The rule's tolerance, in percent.")
    outcome: Outcome = Field(description="The outcome for this source alone.")


class RejectedRows(Doc):
    """Item rows set aside for one reason."""

    reason: str = Field(description="Why the rows were rejected.")
    rows: int = Field(ge=0, description="How many rows.")


class RowAccount(Doc):
    """Rows read = rows evaluated + rows rejected, always."""

    read: int = Field(ge=0, description="Item rows read.")
    evaluated: int = Field(ge=0, description="Item rows the rules were evaluated on.")
    rejected: int = Field(ge=0, description="Item rows set aside because they break the column contract.")
    rejected_by_reason: list[RejectedRows] = Field(description="Rejected rows per reason, by reason.")


class Traceability(Doc):
    """What the findings were computed from, and with which tool."""

    tool: str = Field(description="The program that evaluated the rules.")
    tool_version: str = Field(description="Its version.")
    result_schema_version: str = Field(
        description="Schema version of the evaluation result the document is built from."
    )
    inputs: list[InputRow] = Field(description="Every input file, by role then path.")
    packs: list[PackRow] = Field(description="Every rule pack, in the order they were selected.")
    rows: RowAccount = Field(description="The accounting of item rows.")


class FindingsDocument(Doc):
    """The findings of ``aireport check`` as a document: summary, every rule, missing evidence, traceability."""

    schema_version: Literal["1.0"] = Field(DOCUMENT_SCHEMA_VERSION, description="Version of this document schema.")
    document: Literal["findings"] = Field("findings", description="Which document this is.")
    dataset: str = Field(min_length=1, description="The dataset the findings are about.")
    document_date: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date of the document (from --date or SOURCE_DATE_EPOCH)."
    )
    summary: Summary = Field(description="Verdict and counts of rules by severity and outcome.")
    rules_failing: list[RuleFinding] = Field(description="Failing rules, most severe first, then by rule id.")
    rules_missing_evidence: list[RuleFinding] = Field(
        description="Rules that could not be evaluated because evidence is missing, most severe first."
    )
    rules_passing: list[RuleFinding] = Field(description="Passing rules, most severe first, then by rule id.")
    rules_not_applicable: list[RuleFinding] = Field(description="Rules with no row they are about, by severity and id.")
    item_fractions: list[ItemFraction] = Field(
        description="Failing percentage per source of every item rule with applicable items, in the order of the "
        "rule sections, then by source id."
    )
    traceability: Traceability = Field(description="Inputs with digests, packs, tool version and row accounting.")


# The jurisdictions' documents live in their own packages, which do not import this module.
from aireport.models.cn.assessment import CnAssessmentDocument, CnCorpusSummary  # noqa: E402
from aireport.models.delivery import CreatorStatementDocument, DeliveryStatementDocument  # noqa: E402
from aireport.models.eu.summary import AnnexDocument, EuSummaryDocument  # noqa: E402

Document = (
    FindingsDocument
    | EuSummaryDocument
    | AnnexDocument
    | CnAssessmentDocument
    | CnCorpusSummary
    | DeliveryStatementDocument
    | CreatorStatementDocument
)
"""Every document model."""

DOCUMENT_MODELS: dict[str, type[Document]] = {
    "findings": FindingsDocument,
    "eu-training-summary": EuSummaryDocument,
    "eu-annex-xi-data": AnnexDocument,
    "cn-assessment": CnAssessmentDocument,
    "cn-corpus-summary": CnCorpusSummary,
    "delivery-statement": DeliveryStatementDocument,
    "creator-statement": CreatorStatementDocument,
}
"""Document name -> model, for the JSON Schema and for reading a saved document back."""
