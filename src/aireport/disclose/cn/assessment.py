"""The corpus-security self-assessment document and the model-card corpus summary: pure builders.

(evaluation result of the cn-genai pack, manifest, sources, profile, reviewed sample, statements) -> document.
Every figure is decided here and says where it came from; the renderers only read the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from aireport.disclose.cn.clauses import CN_PACK, ClauseContext, conclude, decide_clause, zh_date
from aireport.disclose.cn.facts import (
    ACQUISITION_LABELS,
    MODALITY_LABELS,
    CorpusFacts,
    SourceFacts,
    corpus_facts,
    total,
)
from aireport.disclose.cn.review import percent_of
from aireport.disclose.editions import release
from aireport.disclose.eu.languages import language_name
from aireport.errors import InputError, Problem
from aireport.models.base import Bilingual
from aireport.models.cn.assessment import (
    REPORT_TITLE,
    Applicability,
    AssessmentLine,
    ClauseOutcome,
    CnAssessmentDocument,
    CnCorpusSummary,
    CnInput,
    CnTraceability,
    CompositionRow,
    Figure,
    FilingFigures,
    ForeignOpenSourceRow,
    OverallResult,
    ParameterUse,
    PlanRow,
    ProfileInfo,
    SamplingSection,
    SignatureBlock,
    SignatureLine,
    SourceLine,
    SyntheticRow,
    TypeScale,
)
from aireport.models.cn.profile import PARAMETER_NAMES, SECTION_ORDER, ClauseCatalogue, Profile
from aireport.models.cn.sample import METHOD_TEXT, SAMPLE_METHOD_ID, ReviewResult
from aireport.models.cn.statements import ClauseResult, CnStatements, bilingual
from aireport.models.provenance import CnAcquisition, DatasetManifest, Origin, Source
from aireport.models.results import EvaluationResult, Provenance
from aireport.models.rules import RulePack
from aireport.models.run import Run


@dataclass(frozen=True)
class CnAssessmentInputs:
    """The run as the assessment reads it: the cn-genai pack, the profile in force, the review and statements."""

    result: EvaluationResult
    manifest: DatasetManifest
    sources: tuple[Source, ...]
    pack: RulePack
    clauses: ClauseCatalogue
    profile: Profile  # with any --param overrides applied
    default_profile: Profile  # as shipped, to show what was overridden
    assessment_date: dt.date
    review: ReviewResult | None = None
    statements: CnStatements | None = None
    purpose: str = "filing"

    @classmethod
    def of(cls, run: Run) -> CnAssessmentInputs:
        pack = run.pack(CN_PACK)
        if pack is None or run.cn is None:
            raise InputError(
                [Problem("--pack", f"the Chinese assessment needs the {CN_PACK} pack: add --pack {CN_PACK}")]
            )
        cn = run.cn
        return cls(
            result=run.result,
            manifest=run.manifest,
            sources=run.sources,
            pack=pack,
            clauses=cn.reference.clauses,
            profile=cn.profile,
            default_profile=cn.default_profile,
            assessment_date=cn.assessment_date,
            review=cn.review,
            statements=cn.statements,
            purpose=cn.purpose,
        )


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _profile_info(profile: Profile, date: dt.date) -> ProfileInfo:
    until = f" and on or before {profile.applies_to.isoformat()}" if profile.applies_to else ""
    until_zh = f"、不晚于 {zh_date(profile.applies_to)}" if profile.applies_to else ""
    return ProfileInfo(
        id=profile.id,
        name=profile.name,
        dated=profile.dated.isoformat(),
        applies_from=profile.applies_from.isoformat(),
        applies_to=profile.applies_to.isoformat() if profile.applies_to else None,
        tag=profile.tag,
        corpus_term=profile.corpus_term,
        note=profile.note,
        selected_because=Bilingual(
            en=f"The assessment date {date.isoformat()} is on or after {profile.applies_from.isoformat()}{until}.",
            zh=f"评估日期 {zh_date(date)} 不早于 {zh_date(profile.applies_from)}{until_zh}，适用{profile.name.zh}。",
        ),
    )


def _parameters(profile: Profile, default: Profile) -> list[ParameterUse]:
    out = []
    for name in PARAMETER_NAMES:
        p = profile.parameters[name]  # type: ignore[index]
        d = default.parameters[name]  # type: ignore[index]
        out.append(
            ParameterUse(
                name=name,
                value=_number(p.value),
                default=_number(d.value),
                overridden=p.value != d.value,
                tag=p.tag,
                unverified=p.unverified,
                provision=p.provision,
                note=p.note,
            )
        )
    return out


def _applicability(manifest: DatasetManifest) -> Applicability:
    s = manifest.service
    if s.public_facing_cn is False:
        text = Bilingual(
            en="The service is stated not to be offered to the public in the PRC: the Interim Measures do not apply "
            "(Art. 2, V1). This report is for information.",
            zh="清单声明该服务不面向境内公众提供：《生成式人工智能服务管理暂行办法》不适用（第二条）。本报告仅供参考。",
        )
    elif s.public_facing_cn is None:
        text = Bilingual(
            en="Whether the service is offered to the public in the PRC is not stated; the report assumes it is.",
            zh="清单未说明该服务是否面向境内公众提供；本报告按面向境内公众提供进行评估。",
        )
    else:
        text = Bilingual(
            en="The service is offered to the public in the PRC: the Interim Measures apply (Art. 2, V1).",
            zh="该服务面向境内公众提供，适用《生成式人工智能服务管理暂行办法》（第二条）。",
        )
    return Applicability(
        public_facing_cn=s.public_facing_cn,
        public_opinion_attribute=s.public_opinion_attribute,
        algorithm_filing_number=s.algorithm_filing_number,
        genai_filing_number=s.genai_filing_number,
        statement=text,
    )


SIGNATURES = SignatureBlock(
    seal=Bilingual(zh="评估单位（盖章）", en="Assessing organisation (seal)"),
    lines=[
        SignatureLine(role="legal_representative", title=Bilingual(zh="法定代表人", en="Legal representative")),
        SignatureLine(
            role="assessment_lead",
            title=Bilingual(zh="安全评估工作负责人", en="Assessment lead (principal manager or cybersecurity lead)"),
        ),
        SignatureLine(role="corpus_security_lead", title=Bilingual(zh="语料安全评估负责人", en="Corpus-security lead")),
    ],
    note=Bilingual(
        en="A self-assessment report is signed by at least the three people above and sealed by the provider; the "
        "legal representative may sign jointly if also holding one of the other roles. Signed and sealed by hand.",
        zh="自评估报告应至少由上述三人签字，并加盖单位公章；法定代表人兼任其他角色的，可一并签字。由本人手写签署。",
    ),
    tag="V2 (joint signature [S12]); U (the roles in detail)",
)


def _source_lines(facts: CorpusFacts) -> list[SourceLine]:
    out = []
    for f in facts.sources:
        s = f.source
        acquisition = s.cn_acquisition.value if s.cn_acquisition else None
        out.append(
            SourceLine(
                source_id=s.source_id,
                name=Bilingual(en=s.name, zh=s.name_zh or s.source_id),
                acquisition=acquisition,
                acquisition_label=ACQUISITION_LABELS.get(acquisition) if acquisition else None,
                modality=s.modality.value,
                origin=s.origin.value if s.origin else None,
                languages=list(s.languages),
                language_names=[language_name(tag) for tag in s.languages],
                licence=s.license,
                used_in_training=s.used_in_training,
                items=f.items,
                declared_items=s.declared_items,
                safety_sample_size=s.safety_sample_size,
                safety_sample_flagged=s.safety_sample_flagged,
                safety_sample_percent=percent_of(s.safety_sample_flagged or 0, s.safety_sample_size or 0)
                if s.safety_sample_flagged is not None
                else None,
            )
        )
    return out


_TYPES: tuple[tuple[str, str, str], ...] = (
    ("zh_text", "中文文本", "Chinese text"),
    ("en_text", "英文文本", "English text"),
    ("other_text", "其他语种文本", "Text in other languages"),
    ("code", "代码", "Code"),
    ("image", "图片", "Images"),
    ("audio", "音频", "Audio"),
    ("video", "视频", "Video"),
    ("other", "其他", "Other"),
)


def _split_text(text_total: int | None, by_language: dict[str, int] | None) -> dict[str, int | None]:
    if text_total is None:
        return {"zh_text": None, "en_text": None, "other_text": None}
    if by_language is None:
        return {"zh_text": None, "en_text": None, "other_text": None}
    zh, en = by_language.get("zh", 0), by_language.get("en", 0)
    return {"zh_text": zh, "en_text": en, "other_text": text_total - zh - en}


def _measured_types(facts: CorpusFacts) -> list[TypeScale]:
    items = facts.modality_items or {}
    size = facts.modality_bytes
    tokens = facts.modality_tokens
    seconds = facts.modality_seconds
    text_items = _split_text(items.get("text", 0), facts.text_items)
    text_bytes = _split_text(size.get("text", 0) if size is not None else None, facts.text_bytes)
    text_tokens = _split_text(tokens.get("text", 0) if tokens is not None else None, facts.text_tokens)
    out = []
    for key, zh, en in _TYPES:
        if key.endswith("_text"):
            n, b, t, sec = text_items[key], text_bytes[key], text_tokens[key], None
        else:
            n = items.get(key, 0)
            b = size.get(key, 0) if size is not None else None
            t = tokens.get(key, 0) if tokens is not None and key == "code" else None
            sec = seconds.get(key, 0.0) if seconds is not None and key in ("audio", "video") else None
        out.append(
            TypeScale(
                category=key,
                label=Bilingual(zh=zh, en=en),
                items=n,
                bytes=b,
                tokens=t,
                seconds=sec,
                basis=Provenance.MEASURED,
            )
        )
    return out


def _declared_types(facts: CorpusFacts) -> list[TypeScale]:
    sums: dict[str, dict[str, float | int | None]] = {k: {} for k, _, _ in _TYPES}
    for f in facts.used:
        s = f.source
        key = s.modality.value
        if key == "text":
            languages = {lang.split("-")[0].lower() for lang in s.languages}
            key = "zh_text" if languages == {"zh"} else "en_text" if languages == {"en"} else "other_text"
        bucket = sums[key]
        for name, value in (
            ("items", s.declared_items),
            ("bytes", s.declared_bytes),
            ("tokens", s.declared_tokens),
            ("seconds", s.declared_hours * 3600 if s.declared_hours is not None else None),
        ):
            if value is not None:
                bucket[name] = (bucket.get(name) or 0) + value
    out = []
    for key, zh, en in _TYPES:
        bucket = sums[key]
        seconds = bucket.get("seconds")
        out.append(
            TypeScale(
                category=key,
                label=Bilingual(zh=zh, en=en),
                items=_opt_int(bucket.get("items")),
                bytes=_opt_int(bucket.get("bytes")),
                tokens=_opt_int(bucket.get("tokens")),
                seconds=float(seconds) if seconds is not None else None,
                basis=Provenance.DECLARED if bucket else Provenance.MISSING,
            )
        )
    return out


def _opt_int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


@dataclass
class _Group:
    sources: set[str] = field(default_factory=set)
    items: int | None = 0
    bytes: int | None = 0
    bases: set[Provenance] = field(default_factory=set)

    def add(self, source_id: str, items: int | None, size: int | None, basis: Provenance) -> None:
        self.sources.add(source_id)
        self.items = None if items is None or self.items is None else self.items + items
        self.bytes = None if size is None or self.bytes is None else self.bytes + size
        self.bases.add(basis)


def _modality_bytes(f: SourceFacts, modality: str) -> int | None:
    """Measured bytes of one modality of a source; declared bytes only for a single-modality source."""
    if f.modality_bytes:
        return f.modality_bytes.get(modality)
    if f.measured:
        return f.bytes if len(f.modality_items()) == 1 else None
    return f.source.declared_bytes if len(f.modality_items()) == 1 else None


def _composition(facts: CorpusFacts) -> list[CompositionRow]:
    groups: dict[tuple[str, str], _Group] = {}
    for f in facts.used:
        acquisition = f.source.cn_acquisition.value if f.source.cn_acquisition else "unknown"
        for modality, items in f.modality_items().items():
            basis = Provenance.MEASURED if f.measured else Provenance.DECLARED
            groups.setdefault((acquisition, modality), _Group()).add(
                f.source.source_id, items, _modality_bytes(f, modality), basis
            )
    whole = sum(g.items for g in groups.values() if g.items is not None)
    order = [a.value for a in CnAcquisition] + ["unknown"]
    return [
        CompositionRow(
            acquisition=acquisition,
            label=ACQUISITION_LABELS.get(acquisition, Bilingual(zh="未知", en="unknown")),
            modality=modality,
            sources=len(g.sources),
            items=g.items,
            bytes=g.bytes,
            items_percent=percent_of(g.items, whole) if g.items is not None else None,
            basis=Provenance.MEASURED if g.bases == {Provenance.MEASURED} else Provenance.DECLARED,
        )
        for (acquisition, modality), g in sorted(groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))
    ]


def _foreign_open_source(facts: CorpusFacts) -> tuple[list[ForeignOpenSourceRow], Figure]:
    foreign = [
        f
        for f in facts.used
        if f.source.cn_acquisition is CnAcquisition.OPEN_SOURCE and f.source.origin is Origin.FOREIGN
    ]
    groups: dict[str, _Group] = {}
    for f in foreign:
        for modality, items in f.modality_items().items():
            basis = Provenance.MEASURED if f.measured else Provenance.DECLARED
            groups.setdefault(modality, _Group()).add(f.source.source_id, items, _modality_bytes(f, modality), basis)
    rows = [
        ForeignOpenSourceRow(
            modality=modality,
            items=g.items,
            bytes=g.bytes,
            basis=Provenance.MEASURED if g.bases == {Provenance.MEASURED} else Provenance.DECLARED,
        )
        for modality, g in sorted(groups.items())
    ]
    sizes = [f.byte_count for f in facts.used]
    counts = [f.item_count for f in facts.used]
    unknown_origin = any(
        f.source.origin is None and f.source.cn_acquisition is CnAcquisition.OPEN_SOURCE for f in facts.used
    )
    figure_label = Bilingual(zh="境外开源语料占比", en="Foreign open-source share of the corpus")
    share_basis = None
    for unit, values, amounts in (
        ("bytes", sizes, [f.byte_count for f in foreign]),
        ("items", counts, [f.item_count for f in foreign]),
    ):
        whole, basis = total(values)
        part, _ = total(amounts) if amounts else (0, basis)
        if whole is not None and part is not None and not unknown_origin:
            share_basis = (unit, part, whole, basis)
            break
    if share_basis is None:
        figure = Figure(
            key="foreign_open_source_share", label=figure_label, value=None, unit="%", basis=Provenance.MISSING
        )
    else:
        unit, part, whole, basis = share_basis
        figure = Figure(
            key="foreign_open_source_share",
            label=figure_label,
            value=percent_of(part, whole),
            unit="%",
            basis=basis,
            note=Bilingual(
                en=f"{part:,} of {whole:,} {unit}", zh=f"{part:,} / {whole:,}（{'字节' if unit == 'bytes' else '条'}）"
            ),
        )
    return rows, figure


def _synthetic(facts: CorpusFacts) -> list[SyntheticRow]:
    out = []
    for f in facts.used:
        declared = f.source.cn_acquisition is CnAcquisition.SYNTHETIC or f.source.eu_category.value == "synthetic"
        for modality in sorted(f.aigc):
            items = f.modalities.get(modality)
            out.append(
                SyntheticRow(
                    source_id=f.source.source_id,
                    modality=modality,
                    aigc_items=f.aigc[modality],
                    items=items,
                    percent=percent_of(f.aigc[modality], items) if items else None,
                    declared_synthetic=declared,
                )
            )
    return out


def _attested(key: str, zh: str, en: str, value: int | float | str | None, unit: str | None = None) -> Figure:
    return Figure(
        key=key,
        label=Bilingual(zh=zh, en=en),
        value=value,
        unit=unit,
        basis=Provenance.ATTESTED if value is not None else Provenance.MISSING,
        note=None if value is not None else Bilingual(en="missing: not stated", zh="缺失：未声明"),
    )


def _manual_ratio(inputs: CnAssessmentInputs) -> Figure:
    label = Bilingual(zh="人工抽检比例（§9.2 a)）", en="Manual spot-check ratio (§9.2 a))")
    review = inputs.review
    if review is not None and review.corpus is not None and review.corpus_frame_items:
        return Figure(
            key="corpus_manual_sample_ratio",
            label=label,
            value=percent_of(review.corpus.n, review.corpus_frame_items, 4),
            unit="%",
            basis=Provenance.MEASURED,
            note=Bilingual(
                en=f"{review.corpus.n:,} reviewed of {review.corpus_frame_items:,} items",
                zh=f"人工审核 {review.corpus.n:,} 条 / 语料 {review.corpus_frame_items:,} 条",
            ),
        )
    manual = [a for a in inputs.manifest.assessments if a.method == "manual" and a.date <= inputs.assessment_date]
    if manual:
        latest = max(manual, key=lambda a: (a.date, a.sample_size))
        if latest.corpus_size:
            return Figure(
                key="corpus_manual_sample_ratio",
                label=label,
                value=percent_of(latest.sample_size, latest.corpus_size, 4),
                unit="%",
                basis=Provenance.DECLARED,
            )
    return Figure(key="corpus_manual_sample_ratio", label=label, value=None, unit="%", basis=Provenance.MISSING)


def _filing(inputs: CnAssessmentInputs, facts: CorpusFacts) -> FilingFigures:
    used = facts.used
    items, items_basis = total([f.item_count for f in used])
    size, size_basis = total([f.byte_count for f in used])
    tokens, tokens_basis = total([f.token_count for f in used])
    annotation = inputs.statements.annotation if inputs.statements else None
    annotators = annotation.annotators if annotation else None
    foreign_rows, foreign_share = _foreign_open_source(facts)
    ratio = annotation.manual_verification_ratio if annotation else None
    stated_rules = annotation.rules if annotation is not None else None
    rules = inputs.manifest.attestations.annotation_rules
    return FilingFigures(
        storage_bytes=Figure(
            key="storage_bytes",
            label=Bilingual(zh="训练语料存储规模", en="Corpus storage size"),
            value=size,
            unit="bytes",
            basis=size_basis,
            note=Bilingual(
                en="Sum of size_bytes as stored after pre-processing (the form asks for text-format bytes).",
                zh="按预处理后各条语料的存储大小合计（备案表要求按文本格式计量）。",
            ),
        ),
        tokens=Figure(
            key="tokens",
            label=Bilingual(zh="训练语料数量（词元）", en="Corpus size in tokens"),
            value=tokens,
            unit="tokens",
            basis=tokens_basis,
        ),
        items=Figure(
            key="items",
            label=Bilingual(zh="训练语料条数", en="Corpus items"),
            value=items,
            unit="items",
            basis=items_basis,
        ),
        per_type=_measured_types(facts)
        if facts.measured and facts.modality_items is not None
        else _declared_types(facts),
        composition=_composition(facts),
        foreign_open_source=foreign_rows,
        foreign_open_source_share=foreign_share,
        annotation_count=_attested(
            "annotation_count", "语料标注数量", "Annotation count", annotation.count if annotation else None, "units"
        ),
        annotators=[
            _attested("annotators_total", "标注人员数量", "Annotators", annotators.total if annotators else None),
            _attested(
                "annotators_internal",
                "内部标注人员",
                "Internal annotators",
                annotators.internal if annotators else None,
            ),
            _attested(
                "annotators_outsourced",
                "外包标注人员",
                "Outsourced annotators",
                annotators.outsourced if annotators else None,
            ),
            _attested(
                "annotator_trainings",
                "培训次数（每人）",
                "Trainings per annotator",
                annotators.trainings if annotators else None,
            ),
            _attested(
                "annotator_training_hours",
                "培训时长（小时/人）",
                "Training hours per annotator",
                _number(annotators.training_hours) if annotators and annotators.training_hours is not None else None,
                "hours",
            ),
        ],
        annotation_rules=_attested("annotation_rules", "标注规则", "Annotation rules", rules)
        if stated_rules is None
        else Figure(
            key="annotation_rules",
            label=Bilingual(zh="标注规则", en="Annotation rules"),
            value=None,
            basis=Provenance.ATTESTED,
            note=bilingual(stated_rules),
        ),
        manual_verification_ratio=_attested(
            "manual_verification_ratio",
            "标注内容准确性人工核验比例",
            "Manual verification ratio of annotations",
            percent_of(Fraction(ratio), 1) if ratio is not None else None,
            "%",
        ),
        corpus_manual_sample_ratio=_manual_ratio(inputs),
        synthetic=_synthetic(facts),
    )


REPORT_METHOD = Bilingual(
    en=METHOD_TEXT.en,
    zh="按带种子的哈希值抽样：每条语料的排序键为“十进制种子、一个空字符与语料编号”依次相接后"
    "计算的 SHA-256 值的前 16 位十六进制数，按排序键升序排列（相同时按语料编号）；每个来源取前 K 条，"
    "全部来源合并后取前 N 条。抽样范围为来源在来源清单中用于训练、且语料本身未标明不用于训练的全部语料。"
    "同一种子和同一批语料，无论文件顺序或拆分方式如何，均得到相同样本，任何人均可用通用的 SHA-256 工具复核。",
)
"""The sampling method in the report's words: the same method as the sample file states, without column names."""


def _sampling(inputs: CnAssessmentInputs) -> SamplingSection:
    declared = [
        AssessmentLine(
            method=a.method,
            date=a.date.isoformat(),
            sample_size=a.sample_size,
            qualified=a.qualified,
            rate=f"{a.qualified}/{a.sample_size}",
            rate_percent=percent_of(a.qualified, a.sample_size),
            corpus_size=a.corpus_size,
            basis=Provenance.DECLARED,
        )
        for a in sorted(inputs.manifest.assessments, key=lambda a: (a.date, a.method))
    ]
    return SamplingSection(
        method=REPORT_METHOD,
        method_id=SAMPLE_METHOD_ID,
        spec=inputs.review.spec if inputs.review else None,
        review=inputs.review,
        declared=declared,
    )


def _notes(profile: Profile) -> list[Bilingual]:
    notes = [
        Bilingual(
            en="Not legal advice. Clauses and numbers tagged U are unverified reconstructions: check them against the "
            "official text before relying on them. V1 = checked against primary text, V2 = secondary sources agree.",
            zh="本报告不构成法律意见。标注为 U 的条款和数值未经核实，使用前应与官方文本核对。"
            "V1 = 已与原文核对；V2 = 二手来源一致。",
        ),
        Bilingual(
            en="No official CAC template was found; the structure follows TC260-003 §9.1 and reported filing "
            "practice (U). Clauses the provenance cannot show are decided by signed statements (attested) or "
            "reported as missing evidence, never assumed.",
            zh="未见网信部门发布的官方模板；本报告结构依据TC260-003 §9.1及备案实践（未核实）。"
            "溯源数据无法体现的条款依据签署的声明（声明）判定，"
            "否则按证明材料缺失处理，不作推定。",
        ),
        Bilingual(
            en="Parameters tagged U (per-source sample size, sources per language and modality, foreign open-source "
            "share) can be changed with --param NAME=VALUE; the parameter table shows any change.",
            zh="标注为 U 的参数（每个来源的抽样数量、每种语言及类型的来源数、境外开源语料占比）"
            "可通过 --param NAME=VALUE 调整；参数表会标明调整情况。",
        ),
    ]
    if profile.id == "gbt45654":
        notes.append(
            Bilingual(
                en="GB/T 45654-2025 clause numbers are unverified: the table keeps TC260-003 numbering.",
                zh="GB/T 45654-2025 的条款编号未经核实，表中沿用TC260-003的编号。",
            )
        )
    return notes


def _traceability(inputs: CnAssessmentInputs) -> CnTraceability:
    result = inputs.result
    files = [CnInput(role=f.role, path=f.path, sha256=f.sha256, bytes=f.bytes) for f in result.inputs]
    pack = next(p for p in result.packs if p.id == inputs.pack.manifest.id)
    return CnTraceability(
        tool=result.tool,
        tool_version=result.tool_version,
        inputs=sorted(files, key=lambda f: (f.role, f.path)),
        pack=pack.id,
        pack_version=pack.version,
        pack_sha256=pack.sha256,
        rows_read=result.rows.read,
        rows_evaluated=result.rows.evaluated,
        rows_rejected=result.rows.rejected,
        rows_not_in_training=result.rows.not_in_training,
    )


def build_cn_assessment(run: Run) -> CnAssessmentDocument:
    """The corpus-security self-assessment of a run under the profile in force on its assessment date."""
    return assessment_of(CnAssessmentInputs.of(run))


def _scope(profile: Profile, purpose: str) -> Bilingual:
    """What this report assesses, and what it leaves to the other parts of the filing's security assessment."""
    corpus = profile.corpus_term
    zh = (
        f"本报告是生成式人工智能服务安全评估报告中的{corpus.zh}安全部分：对照{profile.name.zh}"
        f"第 5 章（{corpus.zh}安全要求）逐条评估，按第 9.2 条开展{corpus.zh}安全评估，"
        "并评估《生成式人工智能服务管理暂行办法》等法律、行政法规对训练数据的要求。"
        "模型安全（第 6 章）、安全措施（第 7 章）、关键词库与测试题库（第 8 章）"
        "以及生成内容和拒答评估（第 9.3、9.4 条）"
        "不在本报告范围内，本报告的结论仅针对上述范围。"
    )
    en = (
        f"This report is the {corpus.en}-security part of the security assessment of a generative AI service: the "
        f"clauses of chapter 5 of {profile.name.en} ({corpus.en} security) one by one, the {corpus.en} assessment of "
        "§9.2, and the duties the Interim Measures and other laws place on training data. Model security (chapter 6), "
        "safety measures (chapter 7), the keyword library and test banks (chapter 8) and the generated-content and "
        "refusal assessments (§9.3, §9.4) are outside it; its conclusion is for this part only."
    )
    if profile.id == "gbt45654":
        zh += "GB/T 45654-2025 的条款编号尚未与正式文本核对，本报告沿用 TC260-003 的编号。"
        en += (
            " GB/T 45654-2025's clause numbers have not been checked against its official text; the report keeps "
            "those of TC260-003."
        )
    if purpose == "filing":
        zh += "本评估系为办理生成式人工智能服务上线备案而开展。"
        en += " The assessment is made for the generative AI service filing."
    return Bilingual(en=en, zh=zh)


def _remediation(clauses: list[ClauseOutcome], statements: CnStatements | None) -> list[PlanRow]:
    """The dated plan: one row per deciding clause not met; the measures, owner and date as the statements file
    commits to them (a date is never invented: unset, it stays to be set)."""
    stated = statements.remediation if statements else {}
    rows = []
    for c in clauses:
        if c.result is not ClauseResult.NON_COMPLIANT or not c.affects_conclusion:
            continue
        plan = stated.get(c.clause_id)
        measures = bilingual(plan.measures) if plan and plan.measures else c.remediation_plan
        rows.append(
            PlanRow(
                clause_id=c.clause_id,
                provision=c.provision,
                instrument=c.instrument,
                measures=measures or Bilingual(en="To be set.", zh="待确定。"),
                owner=bilingual(plan.owner) if plan and plan.owner else None,
                due=plan.due.isoformat() if plan and plan.due else None,
                stated=plan is not None,
            )
        )
    return sorted(rows, key=lambda r: (r.due is None, r.due or "", r.clause_id))


def _dataset_name(manifest: DatasetManifest, models: list[str]) -> Bilingual:
    return Bilingual(en=manifest.dataset, zh=manifest.dataset_zh or f"{'、'.join(models)} 训练语料")


def assessment_of(inputs: CnAssessmentInputs) -> CnAssessmentDocument:
    facts = corpus_facts(inputs.result, inputs.sources)
    rules = {r.rule_id: r for r in inputs.result.rules if r.pack == inputs.pack.manifest.id}
    ctx = ClauseContext(
        manifest=inputs.manifest,
        facts=facts,
        result=inputs.result,
        pack=inputs.pack,
        profile=inputs.profile,
        review=inputs.review,
        statements=inputs.statements,
        assessment_date=inputs.assessment_date,
        purpose=inputs.purpose,
    )
    # Report order: the standard's chapters in its own order, then the laws, then reference items.
    catalogue = sorted(inputs.clauses.clauses, key=lambda c: SECTION_ORDER.index(c.section))
    clauses: list[ClauseOutcome] = [decide_clause(c, ctx, rules) for c in catalogue]
    manifest = inputs.manifest
    models = [f"{m.name} {m.version}" if m.version else m.name for m in manifest.models]
    basis = Bilingual(
        zh=f"{inputs.profile.name.zh}及相关法律、行政法规",
        en=f"{inputs.profile.name.en} and the laws and regulations concerned",
    )
    return CnAssessmentDocument(
        title=REPORT_TITLE,
        dataset=_dataset_name(manifest, models),
        provider=manifest.provider.legal_name,
        models=models,
        assessment_date=inputs.assessment_date.isoformat(),
        document_date=inputs.assessment_date.isoformat(),
        purpose="filing" if inputs.purpose == "filing" else "review",
        scope=_scope(inputs.profile, inputs.purpose),
        profile=_profile_info(inputs.profile, inputs.assessment_date),
        parameters=_parameters(inputs.profile, inputs.default_profile),
        applicability=_applicability(manifest),
        signatures=SIGNATURES,
        sources=_source_lines(facts),
        filing=_filing(inputs, facts),
        sampling=_sampling(inputs),
        clauses=clauses,
        conclusion=conclude(clauses, basis),
        remediation=_remediation(clauses, inputs.statements),
        traceability=_traceability(inputs),
        notes=_notes(inputs.profile),
        **release(inputs.result, (inputs.pack.manifest.id,)),
    )


# --- the model-card summary ---------------------------------------------------------------------------------


def _figure_text(figure: Figure) -> tuple[str, str]:
    if figure.value is None:
        return "not known", "未知"
    value = f"{figure.value:,}" if isinstance(figure.value, int) else str(figure.value)
    unit = figure.unit or ""
    if unit == "%":
        return f"{value}%", f"{value}%"
    return f"{value} {unit}".strip(), f"{value} {unit}".strip()


def build_cn_summary(document: CnAssessmentDocument) -> CnCorpusSummary:
    """A short corpus summary for a model card, taken from the assessment document alone."""
    used = [s for s in document.sources if s.used_in_training]
    by_acquisition: dict[str, int] = {}
    for s in used:
        key = s.acquisition or "unknown"
        by_acquisition[key] = by_acquisition.get(key, 0) + 1
    modalities = sorted({row.modality for row in document.filing.composition})
    languages = sorted({lang.split("-")[0].lower() for s in used for lang in s.languages})
    synthetic_items = sum(r.aigc_items for r in document.filing.synthetic)
    items = document.filing.items
    synthetic = Figure(
        key="synthetic_share",
        label=Bilingual(zh="带AIGC标识的语料占比", en="Share of items carrying the AIGC label"),
        value=percent_of(synthetic_items, int(items.value)) if isinstance(items.value, int) and items.value else None,
        unit="%",
        basis=Provenance.MEASURED
        if document.filing.synthetic or items.basis is Provenance.MEASURED
        else Provenance.MISSING,
    )
    review = document.sampling.review
    manual = None
    if review is not None and review.corpus is not None:
        manual = f"{review.corpus.rate} ({review.corpus.rate_percent}%)"
    elif any(a.method == "manual" for a in document.sampling.declared):
        latest = [a for a in document.sampling.declared if a.method == "manual"][-1]
        manual = f"{latest.rate} ({latest.rate_percent}%, declared)"
    acq_en = ", ".join(
        f"{n} {ACQUISITION_LABELS[k].en if k in ACQUISITION_LABELS else k}" for k, n in sorted(by_acquisition.items())
    )
    acq_zh = "、".join(
        f"{ACQUISITION_LABELS[k].zh if k in ACQUISITION_LABELS else k} {n} 个"
        for k, n in sorted(by_acquisition.items())
    )
    mod_zh = "、".join(MODALITY_LABELS[m].zh if m in MODALITY_LABELS else m for m in modalities)
    items_en, items_zh = _figure_text(items)
    size_en, size_zh = _figure_text(document.filing.storage_bytes)
    foreign_en, foreign_zh = _figure_text(document.filing.foreign_open_source_share)
    conclusion = document.conclusion
    text = Bilingual(
        en=(
            f"{document.dataset.en} ({', '.join(document.models)}) was trained on {len(used)} sources ({acq_en}); "
            f"modalities: {', '.join(modalities) or 'not known'}; languages: {', '.join(languages) or 'not known'}. "
            f"Corpus: {items_en}, {size_en}; foreign open-source share {foreign_en}. "
            + (f"Manual whole-corpus sample: {manual} qualified. " if manual else "")
            + f"Corpus-security self-assessment under {document.profile.name.en} on {document.assessment_date}: "
            f"{conclusion.result.value.replace('_', ' ')} ({conclusion.deciding.non_compliant} of "
            f"{conclusion.deciding.compliant + conclusion.deciding.non_compliant + conclusion.deciding.not_applicable} "
            "deciding clauses not met)."
        ),
        zh=(
            f"{document.dataset.zh}（{'、'.join(document.models)}）的训练语料来自 {len(used)} 个来源（{acq_zh}）；"
            f"语料类型：{mod_zh or '未知'}；语种：{'、'.join(languages) or '未知'}。"
            f"语料规模：{items_zh}，{size_zh}；境外开源语料占比 {foreign_zh}。"
            + (f"全量语料人工抽检合格：{manual}。" if manual else "")
            + f"依据{document.profile.name.zh}于 {document.assessment_date} 开展的语料安全自评估结论："
            f"{conclusion.result_zh}"
            f"（{conclusion.deciding.non_compliant} 项决定性条款不符合）。"
        ),
    )
    return CnCorpusSummary(
        status=document.status,
        draft_reasons=document.draft_reasons,
        dataset=document.dataset.en,
        models=document.models,
        assessment_date=document.assessment_date,
        profile=document.profile.id,
        sources=len(used),
        sources_by_acquisition=dict(sorted(by_acquisition.items())),
        modalities=modalities,
        languages=languages,
        items=items,
        storage_bytes=document.filing.storage_bytes,
        tokens=document.filing.tokens,
        foreign_open_source_share=document.filing.foreign_open_source_share,
        synthetic_share=synthetic,
        manual_sample=manual,
        conclusion=conclusion.result,
        conclusion_zh=conclusion.result_zh,
        text=text,
    )


def overall_ok(document: CnAssessmentDocument) -> bool:
    return document.conclusion.result is OverallResult.FULLY_COMPLIANT
