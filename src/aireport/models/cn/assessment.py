"""The corpus-security part of the Chinese self-assessment report, and a short corpus summary for model cards.

生成式人工智能服务安全评估报告 — 语料安全. Built by the pure function
``aireport.disclose.cn.assessment.build_cn_assessment``; renderers only read it. Every clause carries its
result (符合 / 不符合 / 不适用, TC260-003 §9.1 b)), the evidence or the reason, a remediation plan where it is
not met, its severity class and the verification tag of the reference (V1 / V2 / U). Every figure says where it
came from: measured (item manifests), declared (source inventory, manifest), attested (signed statements) or
missing. Signature lines are always empty: the tool never signs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aireport.models.base import Bilingual
from aireport.models.cn.profile import CnClass, Section
from aireport.models.cn.sample import ReviewResult, SampleSpec
from aireport.models.cn.statements import ClauseResult
from aireport.models.doc_parts import Released, annotated_only
from aireport.models.results import Provenance

CN_DOCUMENT_SCHEMA_VERSION: Literal["1.0"] = "1.0"

REPORT_TITLE = Bilingual(
    zh="生成式人工智能服务安全评估报告 — 语料安全",
    en="Generative AI Service Security Assessment Report — Corpus Security",
)


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Text = Bilingual
"""Every text of the report exists in both languages: the Chinese edition shows no English."""


class ComponentOutcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"  # evidence is missing: never a pass
    NOT_APPLICABLE = "not_applicable"


class Component(Doc):
    """One piece of what decides a clause: a rule's result, a built-in check, or a signed statement."""

    kind: Literal["rule", "check", "statement"]
    ref: str | None = annotated_only(description="Rule id, check name, or 'statement'.")
    outcome: ComponentOutcome
    basis: Provenance = Field(description="Where the evidence comes from.")
    summary: Bilingual = Field(description="What was found, with the figures.")
    missing: list[str] = Field(default_factory=list, description="Fields or evidence that are missing.")


class ClauseOutcome(Doc):
    """One row of the clause-by-clause table (逐条评估结果)."""

    clause_id: str = Field(description="The report's own key of the clause (anchors, the statements file).")
    section: Section
    section_title: Bilingual
    kind: Literal["clause", "reference"] = Field(description="reference: filing practice or a derived check.")
    instrument: Bilingual
    provision: Bilingual
    requirement: Bilingual
    cn_class: CnClass
    cn_class_name: Bilingual
    tag: str | None = annotated_only(description="Verification tag of the reference: V1, V2, U or combinations.")
    affects_conclusion: bool = Field(description="False for recommended clauses and reference items (§9.1 d)).")
    result: ClauseResult
    result_zh: str = Field(description="符合, 不符合, 不适用 or 备案办理中.")
    basis: Provenance = Field(description="missing when the result rests on missing evidence.")
    evidence: list[Bilingual] = Field(description="证明材料: what supports the result.")
    evidence_refs: list[str] = annotated_only([], description="Rule ids, checks, files and documents referred to.")
    reason: Bilingual | None = Field(description="说明: why the clause is not met or does not apply.")
    alt_measure: Bilingual | None = Field(None, description="An equivalent alternative measure, as stated.")
    remediation_plan: Bilingual | None = Field(description="整改计划: only where the result is 不符合.")
    components: list[Component] = annotated_only([], description="What decided the clause, finding by finding.")


class OverallResult(StrEnum):
    FULLY_COMPLIANT = "fully_compliant"
    PARTLY_COMPLIANT = "partly_compliant"
    NON_COMPLIANT = "non_compliant"

    @property
    def zh(self) -> str:
        return {"fully_compliant": "全部符合", "partly_compliant": "部分符合", "non_compliant": "全部不符合"}[
            self.value
        ]


class ResultCounts(Doc):
    compliant: int = Field(ge=0)
    non_compliant: int = Field(ge=0)
    not_applicable: int = Field(ge=0)
    in_progress: int = Field(0, ge=0, description="Filing in progress (an assessment made for that filing).")


class Conclusion(Doc):
    """The conclusion of the corpus-security part (TC260-003 §9.1 d) applied to this part's clauses)."""

    result: OverallResult
    result_zh: str
    narrative: Bilingual = Field(description="The conclusion in sentences: what was assessed, what is not met.")
    deciding: ResultCounts = Field(description="Mandatory-law and filing-required clauses.")
    not_deciding: ResultCounts = Field(description="Recommended and practice clauses: they never change the result.")
    non_compliant_clauses: list[str] = Field(description="Deciding clauses not met, in report order.")
    missing_evidence_clauses: list[str] = Field(description="Of those, the ones not met because evidence is missing.")
    rule: Bilingual
    tag: str | None = annotated_only(description="Verification tags of the conclusion rule.")


class PlanRow(Doc):
    """One line of the dated remediation plan (整改计划): a clause not met, what will be done, by whom, by when."""

    clause_id: str
    provision: Bilingual
    instrument: Bilingual
    measures: Bilingual
    owner: Bilingual | None = Field(description="Who is responsible, as the statements file names them.")
    due: str | None = Field(description="ISO date the measures are to be completed by; null while not set.")
    stated: bool = Field(description="The plan comes from the signed statements file, not the catalogue's default.")


class SignatureLine(Doc):
    role: Literal["legal_representative", "assessment_lead", "corpus_security_lead"]
    title: Bilingual
    name: Literal[""] = Field("", description="Always empty: signed by hand, never by the tool.")
    signature: Literal[""] = ""
    date: Literal[""] = ""


class SignatureBlock(Doc):
    lines: list[SignatureLine] = Field(min_length=3, max_length=3)
    seal: Bilingual = Field(description="The line for the provider's seal (盖章) and the date.")
    note: Bilingual
    tag: str | None = annotated_only(description="Verification tags of the signature requirement.")


class Figure(Doc):
    key: str
    label: Bilingual
    value: int | float | str | None
    unit: Literal["bytes", "tokens", "items", "units", "hours", "%"] | None = None
    basis: Provenance
    note: Bilingual | None = None


class TypeScale(Doc):
    """各类型语料规模: one filing-form corpus type."""

    category: Literal["zh_text", "en_text", "other_text", "code", "image", "audio", "video", "other"]
    label: Bilingual
    items: int | None
    bytes: int | None
    tokens: int | None
    seconds: float | None
    basis: Provenance


class CompositionRow(Doc):
    """训练语料来源构成: one acquisition type x modality."""

    acquisition: str
    label: Bilingual
    modality: str
    sources: int = Field(ge=0)
    items: int | None
    bytes: int | None
    items_percent: float | None = Field(description="Share of the corpus's items, %, 2 decimals.")
    basis: Provenance


class ForeignOpenSourceRow(Doc):
    """境外开源网站语料规模, by modality."""

    modality: str
    items: int | None
    bytes: int | None
    basis: Provenance


class SyntheticRow(Doc):
    """Items carrying the AIGC implicit label (counted as synthetic), per source and modality."""

    source_id: str
    modality: str
    aigc_items: int = Field(ge=0)
    items: int | None
    percent: float | None
    declared_synthetic: bool


class FilingFigures(Doc):
    """Corpus figures of the filing form and the self-assessment (shared/reference/cn-genai.md §7.3)."""

    storage_bytes: Figure
    tokens: Figure
    items: Figure
    per_type: list[TypeScale]
    composition: list[CompositionRow]
    foreign_open_source: list[ForeignOpenSourceRow]
    foreign_open_source_share: Figure
    annotation_count: Figure
    annotators: list[Figure]
    annotation_rules: Figure
    manual_verification_ratio: Figure
    corpus_manual_sample_ratio: Figure
    synthetic: list[SyntheticRow]


class SourceLine(Doc):
    source_id: str
    name: Bilingual = Field(description="The source's name; in Chinese its Chinese name, else its id.")
    acquisition: str | None
    acquisition_label: Bilingual | None
    modality: str
    origin: str | None
    languages: list[str]
    language_names: list[Bilingual] = Field(description="The languages by name, in each language.")
    licence: str | None
    used_in_training: bool
    items: int | None = Field(description="Items in the item manifests (measured); null without manifests.")
    declared_items: int | None
    safety_sample_size: int | None
    safety_sample_flagged: int | None
    safety_sample_percent: float | None


class AssessmentLine(Doc):
    """A §9.2 assessment as the manifest declares it."""

    method: Literal["manual", "technical"]
    date: str
    sample_size: int
    qualified: int
    rate: str
    rate_percent: float | None
    corpus_size: int | None
    basis: Provenance


class SamplingSection(Doc):
    method: Bilingual
    method_id: str
    spec: SampleSpec | None = Field(description="Seed, K and N of the reviewed sample; null without one.")
    review: ReviewResult | None
    declared: list[AssessmentLine]


class Applicability(Doc):
    public_facing_cn: bool | None
    public_opinion_attribute: bool | None
    algorithm_filing_number: str | None
    genai_filing_number: str | None
    statement: Bilingual


class ProfileInfo(Doc):
    id: str
    name: Bilingual
    dated: str
    applies_from: str
    applies_to: str | None
    tag: str | None = annotated_only(description="Verification tag of the profile's dates.")
    corpus_term: Bilingual
    note: Bilingual
    selected_because: Bilingual


class ParameterUse(Doc):
    name: str | None = annotated_only(description="The parameter's name (--param NAME=VALUE).")
    value: str
    default: str
    overridden: bool
    tag: str | None = annotated_only(description="Verification tag of the number.")
    unverified: bool
    provision: str
    note: Bilingual


class CnInput(Doc):
    role: str
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)


class CnTraceability(Doc):
    tool: str
    tool_version: str
    inputs: list[CnInput]
    pack: str
    pack_version: str
    pack_sha256: str
    rows_read: int
    rows_evaluated: int
    rows_rejected: int
    rows_not_in_training: int = Field(
        0, ge=0, description="Of the evaluated rows, those of items or sources not used in training: not counted."
    )


class CnAssessmentDocument(Released):
    schema_version: Literal["1.0"] = CN_DOCUMENT_SCHEMA_VERSION
    document: Literal["cn-assessment"] = "cn-assessment"
    audience: Literal["authority"] = Field("authority", description="Filed with the cyberspace administration.")
    title: Bilingual
    dataset: Bilingual
    provider: str
    models: list[str]
    assessment_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    document_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The assessment date: the only date.")
    assessor: Literal["self"] = Field("self", description="自行评估: the provider assesses itself.")
    purpose: Literal["filing", "review"] = Field(
        description="filing: made for the generative AI service filing (its number is then pending, not missing)."
    )
    scope: Bilingual = Field(description="What this report assesses and what it does not; its conclusion is for that.")
    profile: ProfileInfo
    parameters: list[ParameterUse]
    applicability: Applicability
    signatures: SignatureBlock
    sources: list[SourceLine]
    filing: FilingFigures
    sampling: SamplingSection
    clauses: list[ClauseOutcome]
    conclusion: Conclusion
    remediation: list[PlanRow] = Field(description="The dated remediation plan, one row per clause not met.")
    traceability: CnTraceability | None = annotated_only(description="Inputs with their digests, pack, tool.")
    notes: list[Bilingual] = annotated_only([], description="Notes on the tool's method and verification tags.")


class CnCorpusSummary(Released):
    """A short bilingual corpus summary for a model card."""

    schema_version: Literal["1.0"] = CN_DOCUMENT_SCHEMA_VERSION
    document: Literal["cn-corpus-summary"] = "cn-corpus-summary"
    audience: Literal["public"] = Field("public", description="Published with the model card.")
    dataset: str
    models: list[str]
    assessment_date: str
    profile: str
    sources: int
    sources_by_acquisition: dict[str, int]
    modalities: list[str]
    languages: list[str]
    items: Figure
    storage_bytes: Figure
    tokens: Figure
    foreign_open_source_share: Figure
    synthetic_share: Figure
    manual_sample: str | None
    conclusion: OverallResult
    conclusion_zh: str
    text: Bilingual
