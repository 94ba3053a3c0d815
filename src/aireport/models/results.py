"""The immutable result of an evaluation: what every renderer reads, and nothing more."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aireport.errors import Problem
from aireport.models.base import Bilingual
from aireport.models.ranked import RankedRows
from aireport.models.rules import Citation, Scope, Severity

RESULT_SCHEMA_VERSION = "1.0"


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_EVALUABLE = "not_evaluable"  # evidence is missing: never a silent pass
    NOT_APPLICABLE = "not_applicable"  # no row the rule is about


class Provenance(StrEnum):
    """Where a figure comes from (design brief §2, disclose layer)."""

    MEASURED = "measured"
    DECLARED = "declared"
    ATTESTED = "attested"
    MISSING = "missing"


InputRole = Literal[
    "manifest", "sources", "items", "pack", "licences", "profile", "statements", "reviewed", "previous", "resolutions"
]
INPUT_ROLES: tuple[InputRole, ...] = InputRole.__args__  # type: ignore[attr-defined]
"""The roles in the order documents list their inputs."""


class InputFile(Frozen):
    role: InputRole
    path: str = Field(description="Path relative to the manifest's folder, with forward slashes.")
    sha256: str
    bytes: int


class PackRef(Frozen):
    id: str
    version: str
    sha256: str
    rules: int


class Counts(Frozen):
    """Rows a rule was about, split by what the condition said of them."""

    applicable: int = 0
    passed: int = 0
    failed: int = 0
    unknown: int = Field(0, description="Rows whose evidence is missing (the condition is neither true nor false).")

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            applicable=self.applicable + other.applicable,
            passed=self.passed + other.passed,
            failed=self.failed + other.failed,
            unknown=self.unknown + other.unknown,
        )


class SourceCounts(Frozen):
    source_id: str
    counts: Counts
    failing_fraction: float = Field(description="failed / applicable, rounded to 6 decimals.")
    outcome: Outcome


class RuleResult(Frozen):
    """One finding: a rule the engine evaluated or a built-in check, in one shape."""

    pack: str
    rule_id: str
    kind: Literal["rule", "check"] = Field(
        "rule", description="rule: a condition evaluated over rows; check: a built-in check of the pack."
    )
    title: Bilingual
    citation: Citation
    severity: Severity
    scope: Scope
    section: str | None = Field(None, description="The document section or template field concerned.")
    outcome: Outcome
    basis: Provenance = Field(
        description="What the finding rests on: measured (item manifests), declared (inventory), attested "
        "(a human statement) or missing."
    )
    detail: Bilingual | None = Field(None, description="What a built-in check found, with its figures.")
    counts: Counts
    failing_fraction: float
    tolerance: str
    tolerance_per: Literal["source", "overall"]
    per_source: list[SourceCounts] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list, description="Ids of failing rows, smallest first.")
    missing_fields: list[str] = Field(default_factory=list, description="Fields absent from the inputs.")
    message: Bilingual
    fix: Bilingual
    resolution: AppliedResolution | None = Field(
        None,
        description="The recorded waiver that covers this failing finding (resolutions file); the finding still "
        "fails and is shown, but no longer gates the exit code nor makes a document a draft.",
    )

    @property
    def waived(self) -> bool:
        return self.outcome is Outcome.FAIL and self.resolution is not None


class AppliedResolution(Frozen):
    """A waiver from the resolutions file, as applied to one finding."""

    index: int = Field(ge=1, description="Position of the resolution in its file, from 1.")
    reason: str = Field(description="Why the finding is accepted.")
    approved_by: str = Field(description="Who approved the waiver.")
    date: str = Field(description="ISO date the waiver was approved.")
    expires: str = Field(description="ISO date after which it no longer applies.")
    scope: Bilingual = Field(description="What it covers, in words: the whole finding, or sources and items.")


class MeasureValue(Frozen):
    source_id: str | None = Field(description="None for the total over all sources.")
    group: str | None = Field(None, description="Value of the 'by' column, if any.")
    value: float | int | str | None


class RankingResult(Frozen):
    distinct: int = Field(description="N: how many groups (e.g. registrable domains) there are in all.")
    kept: int = Field(description="ceil(keep_fraction x N): how many are listed.")
    keep_fraction: str
    total: float | int = Field(description="Sum of the measure over all groups, listed or not.")
    order: str = Field(description="How ties are broken, so that the list is reproducible.")
    domain_mapping: str | None = Field(None, description="How hosts became registrable domains, with the PSL version.")
    rows_without_group: int = Field(
        0, description="Rows the measure counts that have no group (no domain and no URL host): in no group, not in N."
    )
    rows_without_value: int = Field(
        0,
        description="Rows in a group whose value is empty (e.g. no size_bytes): their group counts in N, their "
        "value is not in the total.",
    )
    groups_without_value: int = Field(
        0, description="Groups with at least one row whose value is empty: their value is a lower bound."
    )
    top: RankedRows  # columns: one object per row would cost ~400 bytes (1.4M rows at 700M items)


class MeasureResult(Frozen):
    pack: str
    measure_id: str
    title: Bilingual
    aggregate: str
    field: str | None
    by: str | None
    provenance: Provenance
    missing_fields: list[str] = Field(default_factory=list)
    values: list[MeasureValue] = Field(default_factory=list)
    ranking: RankingResult | None = None


REJECTED_LISTED = 100
"""Rejected rows listed in a result or findings document; all of them go to :data:`REJECTED_ROWS_CSV`."""

REJECTED_ROWS_CSV = "rejected-rows.csv"
"""The side file listing every rejected row (``aireport report``; ``check --out X.json`` writes
``X.rejected-rows.csv``)."""


class RejectedRow(Frozen):
    """One item row set aside (``--max-rejected-rows``): where it is and why."""

    file: str
    line: int | None = Field(None, description="Text files: the line the row starts on, as an editor counts.")
    row: int | None = Field(None, description="Parquet: the row of the file (1 = first); text: when no line is known.")
    field: str | None = Field(None, description="The column at fault, when one is.")
    reason: str

    @classmethod
    def of(cls, problem: Problem) -> RejectedRow:
        return cls(file=problem.file, line=problem.line, row=problem.row, field=problem.field, reason=problem.message)


class RowAccounting(Frozen):
    """Rows read = rows evaluated + rows rejected, always."""

    read: int
    evaluated: int
    rejected: int
    rejected_by_reason: dict[str, int] = Field(default_factory=dict)
    not_in_training: int = Field(
        0,
        description="Of the evaluated rows, those whose item or source is marked not used in training: accepted, "
        "counted here, and left out of every rule, measure and document figure about the training content.",
    )
    not_in_training_by_source: dict[str, int] = Field(
        default_factory=dict, description="not_in_training per source id (sources with at least one such row)."
    )
    rejected_rows: list[RejectedRow] = Field(
        default_factory=list,
        description=f"The first {REJECTED_LISTED} rejected rows in file and line order; all in {REJECTED_ROWS_CSV}.",
    )


class FailingItemsFile(Frozen):
    """The file of every failing and not-evaluable item per item rule (``check --failing-items DIR``)."""

    file: str = Field(description="Its name in the folder given: failing-items.parquet.")
    columns: list[str] = Field(description="rule_id, outcome (fail or not_evaluable), source_id, item_id.")
    order: str = Field(description="How the rows are sorted.")
    rows: int = Field(ge=0, description="Rows written: over the item rules, failed + unknown items of each.")


class InputWarning(Frozen):
    """A value the run could not read, located: counted and shown, and an error (exit 2) with --strict.

    One entry per distinct value and kind, located at its first occurrence; ``rows`` says how many rows carry it.
    """

    kind: Literal["licence", "period", "timestamp"] = Field(
        description="licence: a licence expression that does not parse; period: a declared collection period whose "
        "start is after its end (read as not declared); timestamp: a timestamp column without a timestamp type "
        "(left out, as if absent)."
    )
    file: str = Field(description="The input file, as the result names inputs (or 'item manifests').")
    line: int | None = Field(None, description="1-based line of the first occurrence in a text file.")
    row: int | None = Field(None, description="1-based data row of the first occurrence (header excluded).")
    column: str = Field(description="The column or field holding the value.")
    value: str = Field(description="The value as written.")
    reason: str = Field(description="Why it cannot be read.")
    allowed: str = Field(description="What would be read.")
    rows: int = Field(ge=1, description="Rows (items or sources) carrying this value.")


class Verdict(Frozen):
    by_outcome: dict[str, int]
    failures_by_severity: dict[str, int] = Field(description="Failing findings per severity, waived ones excluded.")
    worst_failure: Severity | None
    waived: int = Field(0, ge=0, description="Failing findings a recorded waiver covers (counted in by_outcome).")
    rules_with_unknown_rows: int = Field(
        0,
        description="Rules evaluated (pass or fail) although some of their rows lacked evidence: the outcome rests on "
        "the rows with evidence, and the others are missing evidence inside the rule.",
    )
    unknown_rows: int = Field(0, description="Rows without evidence inside those rules, summed over the rules.")

    @classmethod
    def of(cls, results: list[RuleResult]) -> Verdict:
        failing = [r.severity for r in results if r.outcome is Outcome.FAIL and not r.waived]
        partial = [r for r in results if r.outcome in (Outcome.PASS, Outcome.FAIL) and r.counts.unknown > 0]
        return cls(
            by_outcome={o.value: sum(1 for r in results if r.outcome is o) for o in Outcome},
            failures_by_severity={s.value: failing.count(s) for s in Severity},
            worst_failure=max(failing, key=lambda s: s.rank) if failing else None,
            waived=sum(1 for r in results if r.waived),
            rules_with_unknown_rows=len(partial),
            unknown_rows=sum(r.counts.unknown for r in partial),
        )


class EvaluationResult(Frozen):
    schema_version: str = RESULT_SCHEMA_VERSION
    tool: str = "aireport"
    tool_version: str
    document_date: str = Field(description="ISO date fixed by --date or SOURCE_DATE_EPOCH.")
    dataset: str
    time_zone: str = Field(
        "UTC", description="The zone instants were reported in (the manifest's time_zone): months and dates use it."
    )
    inputs: list[InputFile]
    packs: list[PackRef]
    rows: RowAccounting
    warnings: list[InputWarning] = Field(
        default_factory=list, description="Values that could not be read, located and counted (errors with --strict)."
    )
    failing_items: FailingItemsFile | None = Field(
        None, description="Every failing and not-evaluable item per item rule, when asked for (--failing-items)."
    )
    verdict: Verdict
    rules: list[RuleResult]
    measures: list[MeasureResult]
