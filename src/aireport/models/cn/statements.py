"""Signed statements for the clauses the provenance cannot show (``aireport cn-assess --statements FILE``).

Annotator training, role separation, the user agreement's IP clause, the export of personal information:
none of it is in a source inventory or an item manifest. A responsible person states it here, with the
evidence; the report marks every figure and clause result taken from this file as *attested*. The tool
never infers a statement and never lets one overrule what it measured.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from aireport.models.base import Bilingual, Count, Strict
from aireport.models.cn.profile import exact_decimal


class ClauseResult(StrEnum):
    """TC260-003 §9.1 b): every clause is 符合, 不符合 or 不适用. One more state, 备案办理中, is for the filing
    clause of an assessment made for that very filing: its number is pending, not missing (never stated)."""

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"
    IN_PROGRESS = "in_progress"

    @property
    def zh(self) -> str:
        return {
            "compliant": "符合",
            "non_compliant": "不符合",
            "not_applicable": "不适用",
            "in_progress": "备案办理中",
        }[self.value]


STATED_RESULTS = (ClauseResult.COMPLIANT, ClauseResult.NON_COMPLIANT, ClauseResult.NOT_APPLICABLE)

RESULT_ALIASES: dict[str, ClauseResult] = {
    **{r.value: r for r in STATED_RESULTS},
    **{r.zh: r for r in STATED_RESULTS},
}

Text = str | Bilingual
"""A text of the statements file: one string (shown as written in every edition) or both languages {zh, en}."""


def bilingual(text: Text) -> Bilingual:
    return text if isinstance(text, Bilingual) else Bilingual(en=text, zh=text)


class ClauseStatement(Strict):
    """One clause as a responsible person states it (§9.1 b): evidence for 符合, a reason otherwise)."""

    result: ClauseResult
    evidence: list[Text] = Field(default_factory=list, description="References to the supporting documents.")
    reason: Text | None = Field(None, description="Why the clause is not met or does not apply.")
    alt_measure: Text | None = Field(None, description="An equivalent alternative measure, and why it is effective.")
    plan: Text | None = Field(None, description="The plan to comply, for a clause not met.")

    @field_validator("result", mode="before")
    @classmethod
    def _aliases(cls, v: Any) -> Any:
        if isinstance(v, str) and v not in RESULT_ALIASES:
            allowed = ", ".join(RESULT_ALIASES)
            raise ValueError(f"found {v!r}; allowed: {allowed}")
        return RESULT_ALIASES.get(v, v) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _justified(self) -> ClauseStatement:
        if self.result is ClauseResult.COMPLIANT and not self.evidence:
            raise ValueError("符合 (compliant) needs evidence: list the supporting documents")
        if self.result is not ClauseResult.COMPLIANT and not self.reason:
            raise ValueError(f"{self.result.zh} ({self.result.value}) needs a reason")
        return self


class AnnotatorProfile(Strict):
    total: Count | None = None
    internal: Count | None = None
    outsourced: Count | None = None
    trainings: Count | None = Field(None, description="Training sessions per annotator.")
    training_hours: Decimal | None = Field(None, ge=0, description="Training hours per annotator.")

    @field_validator("training_hours", mode="before")
    @classmethod
    def _exact(cls, v: Any) -> Any:
        return exact_decimal(v)

    @model_validator(mode="after")
    def _sum(self) -> AnnotatorProfile:
        if None not in (self.total, self.internal, self.outsourced) and self.total != (
            (self.internal or 0) + (self.outsourced or 0)
        ):
            raise ValueError(f"total ({self.total}) is not internal ({self.internal}) + outsourced ({self.outsourced})")
        return self


class AnnotationFacts(Strict):
    """Filing-form annotation figures (shared/reference/cn-genai.md §7.3)."""

    count: Count | None = Field(None, description="Annotation units (items, images) annotated: 语料标注数量.")
    rules: Text | None = Field(
        None, description="The annotation rules (标注规则), in both languages; default: the manifest's attestation."
    )
    annotators: AnnotatorProfile | None = None
    manual_verification_ratio: Decimal | None = Field(
        None, ge=0, le=1, description="Share of annotations verified by hand: 标注内容准确性人工核验比例."
    )

    @field_validator("manual_verification_ratio", mode="before")
    @classmethod
    def _exact(cls, v: Any) -> Any:
        return exact_decimal(v)


ExportMechanism = Literal["security_assessment", "standard_contract", "certification", "none"]


class ExportFacts(Strict):
    """Export of the corpus's personal information out of the PRC in the calendar year (2024 Provisions)."""

    exported: bool
    pi_subjects: Count | None = Field(None, description="People whose non-sensitive PI is exported this year.")
    sensitive_pi_subjects: Count | None = Field(None, description="People whose sensitive PI is exported.")
    is_ciio: bool = Field(False, description="The exporter is a critical information infrastructure operator.")
    mechanism: ExportMechanism | None = None
    mechanism_ref: str | None = Field(None, description="Reference to the assessment, contract or certificate.")


class PlanStatement(Strict):
    """The remediation of a clause not met, as the provider commits to it: what, who, by when."""

    measures: Text | None = Field(None, description="What will be done; default: the catalogue's remediation.")
    owner: Text | None = Field(None, description="Who is responsible (a role or a person).")
    due: dt.date | None = Field(None, description="The date it will be done by, YYYY-MM-DD.")


class CnStatements(Strict):
    schema_version: Literal[1] = 1
    clauses: dict[str, ClauseStatement] = Field(default_factory=dict, description="Clause id -> statement.")
    remediation: dict[str, PlanStatement] = Field(
        default_factory=dict, description="Clause id -> the dated remediation plan for a clause not met."
    )
    annotation: AnnotationFacts | None = None
    export: ExportFacts | None = None
