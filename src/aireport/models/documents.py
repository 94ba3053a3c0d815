"""Document models: what each disclosure document says, ready to render. Pydantic only, no I/O.

A document is built by a pure function of the disclose layer and rendered by the render layer, which only
reads it. Every figure, percentage and order a reader sees is decided here, before rendering, so the JSON
document is exactly what the HTML and PDF show and a saved JSON re-renders to the same pages.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from aireport.models.base import Bilingual
from aireport.models.doc_parts import Doc, InputRow, PackRow, Released
from aireport.models.resolutions import ResolutionStatus
from aireport.models.results import AppliedResolution, Outcome
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
        "evaluated, or lacked evidence for some of its rows; pass: every applicable rule passed on every row."
    )
    worst_failure: Severity | None = Field(description="Highest severity among failing rules; null when none failed.")
    by_severity: list[SeverityRow] = Field(description="One row per severity, most severe first (blocker .. info).")
    totals: OutcomeCounts = Field(description="All rules: the column sums of by_severity.")
    rules_with_unknown_rows: int = Field(
        0,
        ge=0,
        description="Rules that passed or failed although some of their rows lacked evidence (listed under missing "
        "evidence): a pass says nothing of those rows.",
    )
    unknown_rows: int = Field(0, ge=0, description="Rows without evidence inside those rules, summed over the rules.")


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
    resolution: AppliedResolution | None = Field(
        None, description="The waiver that covers this failing finding; it still fails and is shown."
    )


class ProblemFinding(Doc):
    """One finding of a problem, with the provision it breaks."""

    pack: str = Field(description="The finding's pack.")
    rule_id: str = Field(description="The finding's id.")
    severity: Severity = Field(description="Its declared severity.")
    waived: bool = Field(description="A recorded waiver covers this finding.")
    provision: str = Field(description="Instrument and provision the finding cites.")
    failed: int = Field(ge=0, description="Failing rows (items, sources or models, by the finding's scope).")
    scope: Scope = Field(description="What its rows are.")


class ProblemRow(Doc):
    """One problem of the register: counted once, however many packs and provisions it breaks."""

    problem: str = Field(description="Problem id from rules/problems.yaml, or the finding id of a lone finding.")
    title: Bilingual = Field(description="What the problem is.")
    severity: Severity = Field(description="The most severe of its failing findings.")
    waived: bool = Field(description="Every failing finding of the problem is waived.")
    findings: list[ProblemFinding] = Field(description="Its failing findings, most severe first, by pack and id.")
    items: int | None = Field(
        description="Items concerned: the largest failing item count among its findings (they count the same items "
        "under different provisions, so they are not added); null when no finding counts items."
    )


class MissingEvidenceRow(Doc):
    """An item rule that was evaluated but could not decide some items: evidence missing per item."""

    pack: str = Field(description="The rule's pack.")
    rule_id: str = Field(description="The item rule.")
    title: Bilingual = Field(description="What it checks.")
    outcome: Outcome = Field(description="Its outcome over all items.")
    unknown: int = Field(ge=1, description="Items without the evidence the rule needs.")
    applicable: int = Field(ge=0, description="Items the rule is about.")


class Register(Doc):
    """The headline: problems first, then findings, then item-level missing evidence."""

    problems: int = Field(ge=0, description="Problems with at least one failing finding that is not waived.")
    problems_waived: int = Field(ge=0, description="Problems whose every failing finding is waived.")
    findings: int = Field(ge=0, description="Failing findings that are not waived.")
    findings_waived: int = Field(ge=0, description="Failing findings covered by a waiver.")
    items_without_evidence: int = Field(
        ge=0, description="At least this many items lack evidence: the largest count in any one item rule."
    )
    rules_with_items_without_evidence: int = Field(ge=0, description="Item rules with such items.")
    rows: list[ProblemRow] = Field(description="Problems, most severe first, unwaived before waived, then by id.")
    missing_evidence: list[MissingEvidenceRow] = Field(description="Item rules with items lacking evidence.")


class ResolutionRow(Doc):
    """One waiver of the resolutions file and what became of it."""

    index: int = Field(ge=1, description="Position of the waiver in the file, from 1.")
    finding: str = Field(description="The finding it names.")
    scope: Bilingual = Field(description="What it covers, in words.")
    reason: str = Field(description="Why the finding is accepted.")
    approved_by: str = Field(description="Who approved it.")
    date: str = Field(description="ISO date of the approval.")
    expires: str = Field(description="ISO date of the last day it applies.")
    status: ResolutionStatus = Field(description="applied, expired, unused, not_yet_valid or switched_off.")
    applied_to: str | None = Field(description="pack/id of the finding it covers, when applied.")
    why: Bilingual = Field(description="Why it has this status.")


class ResolutionsSection(Doc):
    """The waivers of the resolutions file and what became of each."""

    file: str = Field(description="The resolutions file, as the command line named it.")
    enabled: bool = Field(description="False with --no-resolutions: a full audit.")
    applied: int = Field(ge=0, description="Waivers applied to a failing finding.")
    expired: int = Field(ge=0, description="Waivers past their expiry date.")
    unused: int = Field(ge=0, description="Waivers that cover no failing finding (or are not yet approved).")
    rows: list[ResolutionRow] = Field(description="Every waiver, in file order.")


class ItemFraction(Doc):
    """One bar of the chart of failing fractions: an item rule over the items of one source."""

    rule_id: str = Field(description="The item rule.")
    source_id: str = Field(description="The source.")
    failed: int = Field(ge=0, description="Failing items of this source.")
    applicable: int = Field(ge=1, description="Items of this source the rule is about.")
    failing_percent: float = Field(ge=0, le=100, description="failed / applicable x 100, rounded to 4 decimals.")
    tolerance_percent: float = Field(ge=0, le=100, description="The rule's tolerance, in percent.")
    outcome: Outcome = Field(description="The outcome for this source alone.")


class PartialEvidence(Doc):
    """A rule that was evaluated (pass or fail) while some of its rows lacked evidence."""

    pack: str = Field(description="Id of the rule pack the rule belongs to.")
    rule_id: str = Field(description="Stable rule id.")
    title: Bilingual = Field(description="What the rule checks.")
    severity: Severity = Field(description="Declared severity.")
    outcome: Outcome = Field(description="pass or fail, decided on the rows with evidence.")
    applicable: int = Field(ge=0, description="Rows the rule is about.")
    unknown: int = Field(ge=1, description="Applicable rows whose evidence is missing.")
    unknown_percent: float = Field(ge=0, le=100, description="unknown / applicable x 100, rounded to 4 decimals.")


class WarningRow(Doc):
    """A value that could not be read (an error with --strict), at its first occurrence."""

    file: str = Field(description="The input file.")
    line: int | None = Field(None, description="1-based line of the first occurrence in a text file.")
    row: int | None = Field(None, description="1-based data row of the first occurrence (header excluded).")
    column: str = Field(description="The column or field holding the value.")
    value: str = Field(description="The value as written.")
    reason: str = Field(description="Why it cannot be read.")
    rows: int = Field(ge=1, description="Rows carrying this value.")


class RejectedRows(Doc):
    """Item rows set aside for one reason."""

    reason: str = Field(description="Why the rows were rejected.")
    rows: int = Field(ge=0, description="How many rows.")


class RejectedRowPlace(Doc):
    """One rejected item row: where it is and why."""

    file: str = Field(description="The item manifest, as the dataset manifest names it.")
    line: int | None = Field(None, ge=1, description="Text files: the line the row starts on.")
    row: int | None = Field(None, ge=1, description="Parquet: the row of the file; text: when no line is known.")
    field: str | None = Field(None, description="The column at fault, when one is.")
    reason: str = Field(description="Why the row was set aside.")


class RowAccount(Doc):
    """Rows read = rows evaluated + rows rejected, always."""

    read: int = Field(ge=0, description="Item rows read.")
    evaluated: int = Field(ge=0, description="Item rows the rules were evaluated on.")
    rejected: int = Field(ge=0, description="Item rows set aside because they break the column contract.")
    rejected_by_reason: list[RejectedRows] = Field(description="Rejected rows per reason, by reason.")
    not_in_training: int = Field(
        0,
        ge=0,
        description="Of the evaluated rows, those of items or sources marked not used in training: left out of every "
        "rule and figure.",
    )
    rejected_rows: list[RejectedRowPlace] = Field(
        default_factory=list,
        description="The first 100 rejected rows, in file and line order; every one is in rejected-rows.csv.",
    )


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
    time_zone: str = Field("UTC", description="The zone instants were reported in (months and dates use it).")
    warnings: list[WarningRow] = Field(
        default_factory=list, description="Values that could not be read, each at its first occurrence, with a count."
    )


class FindingsDocument(Released):
    """The findings of ``aireport check`` as a document: summary, every rule, missing evidence, traceability."""

    schema_version: Literal["1.0"] = Field(DOCUMENT_SCHEMA_VERSION, description="Version of this document schema.")
    document: Literal["findings"] = Field("findings", description="Which document this is.")
    audience: Literal["internal"] = Field("internal", description="The provider's own review: never published.")
    dataset: str = Field(min_length=1, description="The dataset the findings are about.")
    document_date: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date of the document (from --date or SOURCE_DATE_EPOCH)."
    )
    summary: Summary = Field(description="Verdict and counts of rules by severity and outcome.")
    issue_register: Register = Field(description="The issue register: problems, then findings, then missing evidence.")
    resolutions: ResolutionsSection | None = Field(
        None, description="The waivers of the resolutions file (--resolutions) and what became of each."
    )
    rules_failing: list[RuleFinding] = Field(description="Failing rules, most severe first, then by rule id.")
    rules_missing_evidence: list[RuleFinding] = Field(
        description="Rules that could not be evaluated because evidence is missing, most severe first."
    )
    rules_with_unknown_rows: list[PartialEvidence] = Field(
        default_factory=list,
        description="Rules evaluated although some rows lacked evidence, most severe first, then by rule id.",
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
from aireport.models.eu.summary import AnnexDocument, AnnexXiiDocument, EuSummaryDocument  # noqa: E402

Document = (
    FindingsDocument
    | EuSummaryDocument
    | AnnexDocument
    | AnnexXiiDocument
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
    "eu-annex-xii-data": AnnexXiiDocument,
    "cn-assessment": CnAssessmentDocument,
    "cn-corpus-summary": CnCorpusSummary,
    "delivery-statement": DeliveryStatementDocument,
    "creator-statement": CreatorStatementDocument,
}
"""Document name -> model, for the JSON Schema and for reading a saved document back."""
