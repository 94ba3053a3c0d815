"""The Chinese self-assessment's reference data: profiles, parameters, clause catalogue, classes, Appendix A.

All of it is shipped as YAML under ``rules/cn-assessment/`` and validated here (pydantic only, no I/O);
``aireport.load.cn.profile`` reads the files and checks them against the cn-genai pack. Every number the
assessment tests is a :class:`Parameter` carrying the verification tag of shared/reference/cn-genai.md
(V1 primary, V2 secondary, U unverified).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from aireport.models.base import Bilingual, Strict


class CnClass(StrEnum):
    """Severity classes of shared/reference/cn-genai.md §0.2."""

    MANDATORY_LAW = "mandatory-law"
    FILING_REQUIRED = "filing-required"
    RECOMMENDED = "recommended"
    PRACTICE = "practice"

    @property
    def decides_conclusion(self) -> bool:
        """Recommended clauses never change the overall conclusion (TC260-003 §9.1 d)); practice is advisory."""
        return self in (CnClass.MANDATORY_LAW, CnClass.FILING_REQUIRED)


CN_CLASS_NAMES: dict[CnClass, Bilingual] = {
    CnClass.MANDATORY_LAW: Bilingual(en="mandatory law", zh="法定强制"),
    CnClass.FILING_REQUIRED: Bilingual(en="filing required", zh="备案要求"),
    CnClass.RECOMMENDED: Bilingual(en="recommended", zh="推荐"),
    CnClass.PRACTICE: Bilingual(en="practice (advisory)", zh="实践（参考）"),
}


# --- Appendix A -------------------------------------------------------------------------------------------


class Risk(Strict):
    code: str = Field(pattern=r"^A\.[1-5]\.[a-z]$", description="Risk code, e.g. A.1.a.")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class RiskClass(Strict):
    code: str = Field(pattern=r"^A\.[1-5]$")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    risks: list[Risk] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_in_class(self) -> RiskClass:
        wrong = [r.code for r in self.risks if not r.code.startswith(self.code + ".")]
        if wrong:
            raise ValueError(f"risks {wrong} do not belong to class {self.code}")
        return self


APPENDIX_A_RISKS = 31


class AppendixA(Strict):
    """TC260-003 Appendix A: 31 security risks in 5 classes (A.1 8, A.2 9, A.3 5, A.4 7, A.5 2)."""

    tag: str
    source: str
    classes: list[RiskClass]

    @model_validator(mode="after")
    def _complete(self) -> AppendixA:
        codes = [r.code for c in self.classes for r in c.risks]
        if len(codes) != APPENDIX_A_RISKS:
            raise ValueError(f"Appendix A lists {APPENDIX_A_RISKS} risks, found {len(codes)}")
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate risk codes")
        if [c.code for c in self.classes] != [f"A.{n}" for n in range(1, 6)]:
            raise ValueError("classes must be A.1 to A.5, in order")
        return self

    @property
    def risks(self) -> list[tuple[RiskClass, Risk]]:
        return [(c, r) for c in self.classes for r in c.risks]

    @property
    def codes(self) -> list[str]:
        return [r.code for c in self.classes for r in c.risks]


# --- profiles and parameters ----------------------------------------------------------------------------

ParameterName = Literal[
    "manual_sample_min",
    "manual_qualified_rate_min",
    "technical_sample_fraction_min",
    "technical_qualified_rate_min",
    "source_unqualified_rate_max",
    "per_source_sample_min",
    "min_sources_per_language",
    "min_sources_per_modality",
    "foreign_open_source_share_max",
    "xb_assessment_subjects",
    "xb_assessment_sensitive_subjects",
    "xb_contract_subjects",
]
PARAMETER_NAMES: tuple[str, ...] = ParameterName.__args__  # type: ignore[attr-defined]
RATE_PARAMETERS = frozenset(
    {
        "manual_qualified_rate_min",
        "technical_sample_fraction_min",
        "technical_qualified_rate_min",
        "source_unqualified_rate_max",
        "foreign_open_source_share_max",
    }
)
"""Parameters that are fractions in [0, 1]; the others are whole numbers."""


def exact_decimal(value: Any) -> Any:
    """YAML floats arrive as floats; their shortest text keeps 0.96 exactly 0.96."""
    return Decimal(str(value)) if isinstance(value, float) else value


class Parameter(Strict):
    value: Decimal = Field(ge=0)
    tag: str = Field(min_length=1, description="Verification tag of the reference: V1, V2, U or combinations.")
    provision: str = Field(min_length=1)
    note: Bilingual

    @field_validator("value", mode="before")
    @classmethod
    def _exact(cls, v: Any) -> Any:
        return exact_decimal(v)

    @property
    def unverified(self) -> bool:
        return "U" in self.tag.split("/") or self.tag == "U"


class Profile(Strict):
    id: Literal["tc260-003", "gbt45654"]
    name: Bilingual
    dated: dt.date = Field(description="Date of the document (publication or issue).")
    applies_from: dt.date = Field(description="First assessment date the profile applies to.")
    applies_to: dt.date | None = Field(None, description="Last assessment date the profile applies to.")
    tag: str
    corpus_term: Bilingual = Field(description="What the standard calls the corpus (语料 / 训练数据).")
    provision_prefix: str
    note: Bilingual
    parameters: dict[ParameterName, Parameter]

    @model_validator(mode="after")
    def _all_parameters(self) -> Profile:
        missing = sorted(set(PARAMETER_NAMES) - set(self.parameters))
        if missing:
            raise ValueError(f"profile {self.id} lacks parameters {missing}")
        for name in RATE_PARAMETERS:
            if self.parameters[name].value > 1:  # type: ignore[index]
                raise ValueError(f"{name} is a fraction between 0 and 1")
        for name in set(PARAMETER_NAMES) - RATE_PARAMETERS:
            if self.parameters[name].value != self.parameters[name].value.to_integral_value():  # type: ignore[index]
                raise ValueError(f"{name} is a whole number")
        if self.applies_to is not None and self.applies_to < self.applies_from:
            raise ValueError("applies_to is before applies_from")
        return self

    def param(self, name: ParameterName) -> Decimal:
        return self.parameters[name].value

    def whole(self, name: ParameterName) -> int:
        return int(self.parameters[name].value)


class ProfileCatalogue(Strict):
    profiles: list[Profile] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> ProfileCatalogue:
        ordered = sorted(self.profiles, key=lambda p: p.applies_from)
        for before, after in itertools.pairwise(ordered):
            if before.applies_to is None or before.applies_to >= after.applies_from:
                raise ValueError(f"profiles {before.id} and {after.id} overlap")
        return self


# --- the clause catalogue ---------------------------------------------------------------------------------


class Section(StrEnum):
    """Where a clause stands in the report: the chapters of the profile's standard in its own order (5.1 source,
    5.2 content, 5.3 annotation, 9.2 the corpus assessment), then the laws and regulations, then reference items
    that are not clauses of anything (filing practice, derived checks)."""

    SOURCE = "source"
    CONTENT = "content"
    ANNOTATION = "annotation"
    ASSESSMENT = "assessment"
    LAW = "law"
    REFERENCE = "reference"


STANDARD_SECTIONS: dict[Section, str] = {
    Section.SOURCE: "5.1",
    Section.CONTENT: "5.2",
    Section.ASSESSMENT: "9.2",
    Section.ANNOTATION: "5.3",
}
"""The standard's own number of each chapter (TC260-003, table of contents V1 [S6]; for GB/T 45654-2025 the same
numbers, unverified)."""


def section_title(section: Section, profile_id: str) -> Bilingual:
    """A section's heading under the profile: the standard's number and title, or the report's own heading."""
    corpus = ("训练数据", "training data") if profile_id == "gbt45654" else ("语料", "corpus")
    titles = {
        Section.SOURCE: Bilingual(
            zh=f"5.1 {corpus[0]}来源安全要求", en=f"5.1 {corpus[1].capitalize()} source security"
        ),
        Section.CONTENT: Bilingual(
            zh=f"5.2 {corpus[0]}内容安全要求", en=f"5.2 {corpus[1].capitalize()} content security"
        ),
        Section.ANNOTATION: Bilingual(
            zh=f"5.3 {corpus[0]}标注安全要求", en=f"5.3 {corpus[1].capitalize()} annotation security"
        ),
        Section.ASSESSMENT: Bilingual(
            zh=f"9.2 {corpus[0]}安全评估", en=f"9.2 {corpus[1].capitalize()} security assessment"
        ),
        Section.LAW: Bilingual(
            zh="法律、行政法规规定的训练数据义务", en="Training-data duties under laws and regulations"
        ),
        Section.REFERENCE: Bilingual(
            zh="参考事项（不属于标准条款，不影响评估结论）",
            en="Reference items (not clauses of the standard; they never change the conclusion)",
        ),
    }
    return titles[section]


SECTION_ORDER: tuple[Section, ...] = (
    Section.SOURCE,
    Section.CONTENT,
    Section.ANNOTATION,
    Section.ASSESSMENT,
    Section.LAW,
    Section.REFERENCE,
)


class ClauseDef(Strict):
    """One clause of the report, and what decides it."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$")
    section: Section
    kind: Literal["clause", "reference"] = Field(
        "clause", description="reference: not a clause of any instrument (filing practice, a derived check)."
    )
    standard: bool = Field(False, description="A clause of the profile's standard (its numbering and tags apply).")
    instrument: Bilingual | None = Field(None, description="The law or regulation, for clauses outside the standard.")
    provision: Bilingual = Field(description="Article or clause number as each language writes it.")
    requirement: Bilingual
    cn_class: CnClass = Field(alias="class")
    tag: str = Field(min_length=1, description="Verification tag under TC260-003 (and for laws).")
    gbt_tag: str | None = Field(None, description="Tag under GB/T 45654-2025; default U for clauses of the standard.")
    rules: list[str] = Field(default_factory=list, description="Findings that decide it: rules and built-in checks.")
    statement: Literal["never", "optional", "required"] = "never"
    remediation: Bilingual

    @model_validator(mode="after")
    def _decidable(self) -> ClauseDef:
        if self.kind == "clause" and self.standard == (self.instrument is not None):
            raise ValueError("a clause is either of the standard (standard: true) or names its instrument")
        if (self.kind == "reference") != (self.section is Section.REFERENCE):
            raise ValueError("reference items, and only they, stand in the reference section")
        if self.standard and self.section not in STANDARD_SECTIONS:
            raise ValueError(f"a clause of the standard stands in one of its chapters, not {self.section.value}")
        if not self.rules and self.statement != "required":
            raise ValueError("nothing decides this clause: name rules (or built-in checks), or require a statement")
        return self


class ClauseCatalogue(Strict):
    clauses: list[ClauseDef] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ClauseCatalogue:
        ids = [c.id for c in self.clauses]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate clause ids {dupes}")
        return self


class ClassMap(Strict):
    """Rule id -> Chinese severity class, for every rule of the cn-genai pack."""

    classes: dict[str, CnClass]


class CnReference(Strict):
    """The four reference files of the Chinese assessment, loaded and cross-checked against the cn-genai pack."""

    profiles: ProfileCatalogue
    clauses: ClauseCatalogue
    classes: ClassMap
    appendix: AppendixA
