"""The cn-genai pack's built-in checks: what the Chinese assessment needs beyond the rule language.

The whole-corpus sampling thresholds (TC260-003 §9.2), the per-source review and sample sizes (§5.1 a)),
source diversity and the domestic/foreign mix (§5.1 b)), the foreign open-source share of filing practice, the
Art. 19 disclosure and the cross-border thresholds. Each is declared, with its citation, severity and
verification tag, in ``rules/cn-genai/<ID>.yaml`` (``implementation: python``) and decides the clauses that
name it in ``rules/cn-assessment/clauses.yaml``. Thresholds are the profile's parameters, compared as exact
fractions: 3,840 of 4,000 is exactly 96%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

from aireport.disclose.checks import CheckSet, Found
from aireport.disclose.cn.clauses import ClauseContext, clause_context, pct, zh_date
from aireport.disclose.cn.facts import MODALITY_LABELS, CorpusFacts, SourceFacts, measure, total
from aireport.disclose.eu.languages import language_name
from aireport.models.cn.assessment import ComponentOutcome
from aireport.models.provenance import Assessment, CnAcquisition, Origin
from aireport.models.results import Outcome, Provenance

CHECKS: CheckSet[ClauseContext] = CheckSet(clause_context)

_OUTCOME = {
    ComponentOutcome.PASS: Outcome.PASS,
    ComponentOutcome.FAIL: Outcome.FAIL,
    ComponentOutcome.MISSING: Outcome.NOT_EVALUABLE,
    ComponentOutcome.NOT_APPLICABLE: Outcome.NOT_APPLICABLE,
}


def _found(outcome: ComponentOutcome, basis: Provenance, en: str, zh: str, missing: Sequence[str] = ()) -> Found:
    return Found(_OUTCOME[outcome], en, zh, basis, missing=list(missing))


def _latest(assessments: Sequence[Assessment], method: str, date: dt.date) -> Assessment | None:
    """The latest assessment of a method dated on or before the assessment date."""
    eligible = [a for a in assessments if a.method == method and a.date <= date]
    return max(eligible, key=lambda a: (a.date, a.sample_size)) if eligible else None


def _threshold_text(ctx: ClauseContext, *names: str) -> tuple[str, str]:
    """Nothing in the text: the parameters, their values and verification tags stand in the report's parameter
    table, so a finding reads as a sentence (and the Chinese one has no parameter names in it)."""
    return "", ""


@CHECKS.register("CN-TC-9.2-A-MANUAL")
def manual_sample(ctx: ClauseContext) -> Found:
    p = ctx.profile
    n_min = p.whole("manual_sample_min")
    rate_min = Fraction(p.param("manual_qualified_rate_min"))
    tag_en, tag_zh = _threshold_text(ctx, "manual_sample_min", "manual_qualified_rate_min")
    review = ctx.review
    if review is not None and review.corpus is not None and review.corpus.n:
        n, qualified, basis = review.corpus.n, review.corpus.qualified, Provenance.MEASURED
        interval = f"{review.corpus.wilson_low_percent}%–{review.corpus.wilson_high_percent}%"
        where_en = (
            f"reviewed file {review.file} (corpus sample re-drawn from seed {review.spec.seed} and matched); "
            f"Wilson 95% interval {interval} (extra-regulatory)"
        )
        where_zh = (
            f"人工审核文件 {review.file}（按种子 {review.spec.seed} 重新抽样并核对一致）；"
            f"Wilson 95% 区间 {interval}（非监管要求）"
        )
    else:
        declared = _latest(ctx.manifest.assessments, "manual", ctx.assessment_date)
        if declared is None:
            return _found(
                ComponentOutcome.MISSING,
                Provenance.MISSING,
                "No manual whole-corpus sample: neither a reviewed sample file nor a manual assessment in the manifest"
                + tag_en,
                "无人工抽检结果：未提供人工审核文件，清单中也无人工抽检记录" + tag_zh,
                ["manual sample"],
            )
        n, qualified, basis = declared.sample_size, declared.qualified, Provenance.DECLARED
        where_en = f"manual assessment of {declared.date.isoformat()} declared in the manifest"
        where_zh = f"清单申报的 {zh_date(declared.date)} 人工抽检"
    rate = Fraction(qualified, n) if n else Fraction(0)
    ok = n >= n_min and n > 0 and rate >= rate_min
    en = (
        f"Manual sample {qualified}/{n} qualified = {pct(rate)}; required n ≥ {n_min:,} and rate ≥ {pct(rate_min)}"
        f" — {'met' if ok else 'not met'}; {where_en}{tag_en}"
    )
    zh = (
        f"人工抽检 {n:,} 条，合格 {qualified:,} 条，合格率 {pct(rate)}；"
        f"要求不少于 {n_min:,} 条且合格率不低于 {pct(rate_min)}——{'满足' if ok else '不满足'}；{where_zh}{tag_zh}"
    )
    return _found(ComponentOutcome.PASS if ok else ComponentOutcome.FAIL, basis, en, zh)


def _corpus_items(facts: CorpusFacts) -> int | None:
    if not facts.measured:
        return None
    return sum(f.items or 0 for f in facts.used)


@CHECKS.register("CN-TC-9.2-B-TECHNICAL")
def technical_sample(ctx: ClauseContext) -> Found:
    p = ctx.profile
    fraction_min = Fraction(p.param("technical_sample_fraction_min"))
    rate_min = Fraction(p.param("technical_qualified_rate_min"))
    tag_en, tag_zh = _threshold_text(ctx, "technical_sample_fraction_min", "technical_qualified_rate_min")
    declared = _latest(ctx.manifest.assessments, "technical", ctx.assessment_date)
    if declared is None:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "No technical whole-corpus sample is declared in the manifest's assessments" + tag_en,
            "清单中无技术抽检记录" + tag_zh,
            ["technical assessment"],
        )
    measured = _corpus_items(ctx.facts)
    corpus, note_en, note_zh = measured, "corpus size measured from the item manifests", "语料总量按语料清单实测"
    if measured is None:
        corpus, note_en, note_zh = declared.corpus_size, "corpus size as declared", "语料总量为声明值"
    elif declared.corpus_size is not None and declared.corpus_size != measured:
        note_en += f" ({measured:,}; the assessment declares {declared.corpus_size:,})"
        note_zh += f"（{measured:,}；抽检记录声明 {declared.corpus_size:,}）"
    if corpus is None:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "The corpus size is unknown, so 10% of it cannot be checked" + tag_en,
            "语料总量未知，无法核对抽检比例" + tag_zh,
            ["corpus_size"],
        )
    n, qualified = declared.sample_size, declared.qualified
    rate = Fraction(qualified, n) if n else Fraction(0)
    enough = n > 0 and Fraction(n) >= fraction_min * corpus
    ok = enough and rate >= rate_min
    en = (
        f"Technical sample of {declared.date.isoformat()}: {qualified}/{n} qualified = {pct(rate)}, "
        f"{pct(Fraction(n, corpus) if corpus else None)} of {corpus:,} items; required ≥ {pct(fraction_min)} of the "
        f"corpus and rate ≥ {pct(rate_min)} — {'met' if ok else 'not met'}; {note_en}{tag_en}"
    )
    zh = (
        f"{zh_date(declared.date)} 技术抽检 {n:,} 条，合格 {qualified:,} 条，合格率 {pct(rate)}，"
        f"占语料总量 {corpus:,} 条的 "
        f"{pct(Fraction(n, corpus) if corpus else None)}；要求不少于总量的 {pct(fraction_min)} 且合格率不低于 "
        f"{pct(rate_min)}——{'满足' if ok else '不满足'}；{note_zh}{tag_zh}"
    )
    return _found(ComponentOutcome.PASS if ok else ComponentOutcome.FAIL, Provenance.DECLARED, en, zh)


@CHECKS.register("CN-TC-5.1-A2-REVIEW")
def per_source_review(ctx: ClauseContext) -> Found:
    review = ctx.review
    limit = Fraction(ctx.profile.param("source_unqualified_rate_max"))
    tag_en, tag_zh = _threshold_text(ctx, "source_unqualified_rate_max")
    if review is None or not review.per_source:
        return _found(
            ComponentOutcome.NOT_APPLICABLE,
            Provenance.MISSING,
            "No reviewed per-source sample was given (aireport sample --per-source)",
            "未提供按来源抽样的人工审核结果",
        )
    used = {f.source.source_id for f in ctx.facts.used}
    rows = [s for s in review.per_source if s.source_id in used and s.estimate.n]
    over = [s for s in rows if Fraction(s.estimate.unqualified, s.estimate.n) > limit]
    listed = "; ".join(
        f"{s.source_id} {s.estimate.unqualified:,}/{s.estimate.n:,} = "
        f"{pct(Fraction(s.estimate.unqualified, s.estimate.n))}"
        for s in rows
    )
    outcome = ComponentOutcome.FAIL if over else ComponentOutcome.PASS
    verdict_en = f"above {pct(limit)}: {', '.join(s.source_id for s in over)}" if over else f"none above {pct(limit)}"
    verdict_zh = f"超过{pct(limit)}的来源：{'、'.join(s.source_id for s in over)}" if over else f"均未超过{pct(limit)}"
    return _found(
        outcome,
        Provenance.MEASURED,
        f"Reviewed per-source sample (seed {review.spec.seed}), unqualified share: {listed}; {verdict_en}{tag_en}",
        f"按来源人工抽样审核（种子 {review.spec.seed}）不合格占比：{listed}；{verdict_zh}{tag_zh}",
    )


@CHECKS.register("CN-TC-5.1-A-SAMPLE-SIZE")
def per_source_sample_size(ctx: ClauseContext) -> Found:
    minimum = ctx.profile.whole("per_source_sample_min")
    tag_en, tag_zh = _threshold_text(ctx, "per_source_sample_min")
    reviewed = {s.source_id: s for s in (ctx.review.per_source if ctx.review else [])}
    short: list[str] = []
    missing: list[str] = []
    basis = Provenance.MEASURED
    for f in ctx.facts.used:
        sid = f.source.source_id
        sizes = [n for n in (f.source.safety_sample_size, reviewed[sid].estimate.n if sid in reviewed else None) if n]
        complete = sid in reviewed and reviewed[sid].complete
        if not sizes:
            missing.append(sid)
        elif max(sizes) < minimum and not complete:
            short.append(f"{sid} ({max(sizes)})")
        if sid not in reviewed:
            basis = Provenance.DECLARED
    if missing:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            f"No safety sample size for {', '.join(missing)}" + tag_en,
            f"以下来源无安全抽样数量：{'、'.join(missing)}" + tag_zh,
            [f"safety_sample_size of {m}" for m in missing],
        )
    outcome = ComponentOutcome.FAIL if short else ComponentOutcome.PASS
    en = (
        f"Per-source samples below {minimum:,} items: {', '.join(short)}"
        if short
        else f"Every source sampled ≥ {minimum:,} items or in full"
    )
    zh = (
        f"抽样不足 {minimum:,} 条的来源：{'、'.join(short)}"
        if short
        else f"每个来源均抽样不少于 {minimum:,} 条或全量审核"
    )
    return _found(outcome, basis, en + tag_en, zh + tag_zh)


@CHECKS.register("CN-TC-5.1-B-DIVERSITY")
def source_diversity(ctx: ClauseContext) -> Found:
    p = ctx.profile
    lang_min, mod_min = p.whole("min_sources_per_language"), p.whole("min_sources_per_modality")
    tag_en, tag_zh = _threshold_text(ctx, "min_sources_per_language", "min_sources_per_modality")
    by_language: dict[str, set[str]] = {}
    by_modality: dict[str, set[str]] = {}
    bases: set[Provenance] = set()
    unlabelled: list[str] = []
    for f in ctx.facts.used:
        sid = f.source.source_id
        languages, basis = f.language_set()
        bases.add(basis)
        if not languages and f.source.modality.value in ("text", "audio", "video"):
            unlabelled.append(sid)
        for language in languages:
            by_language.setdefault(language, set()).add(sid)
        for modality, items in f.modality_items().items():
            if items is None or items > 0:
                by_modality.setdefault(modality, set()).add(sid)
    few_lang = {k: v for k, v in sorted(by_language.items()) if len(v) < lang_min}
    few_mod = {k: v for k, v in sorted(by_modality.items()) if len(v) < mod_min}
    counts_en = "; ".join(
        [f"language {k}: {len(v)}" for k, v in sorted(by_language.items())]
        + [f"modality {k}: {len(v)}" for k, v in sorted(by_modality.items())]
    )
    counts_zh = "；".join(
        [f"{language_name(k).zh} {len(v)} 个来源" for k, v in sorted(by_language.items())]
        + [
            f"{MODALITY_LABELS[k].zh if k in MODALITY_LABELS else k} {len(v)} 个来源"
            for k, v in sorted(by_modality.items())
        ]
    )
    basis = Provenance.MEASURED if bases == {Provenance.MEASURED} else Provenance.DECLARED
    if few_lang or few_mod:
        short = [f"{k} ({', '.join(sorted(v))})" for k, v in {**few_lang, **few_mod}.items()]
        return _found(
            ComponentOutcome.FAIL,
            basis,
            f"Sources per language and modality: {counts_en}. Fewer than the minimum: {', '.join(short)}" + tag_en,
            f"各语种及类型的来源数：{counts_zh}。来源数少于最低要求的："
            + "、".join(
                f"{language_name(k).zh if k in by_language else MODALITY_LABELS[k].zh if k in MODALITY_LABELS else k}"
                f"（{'、'.join(sorted(v))}）"
                for k, v in {**few_lang, **few_mod}.items()
            )
            + "。"
            + tag_zh,
        )
    if unlabelled:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            f"Languages unknown for {', '.join(unlabelled)}; counted so far: {counts_en}" + tag_en,
            f"以下来源语种未知：{'、'.join(unlabelled)}；已统计：{counts_zh}" + tag_zh,
            [f"languages of {s}" for s in unlabelled],
        )
    return _found(
        ComponentOutcome.PASS,
        basis,
        f"Sources per language and modality: {counts_en}; each has at least the minimum" + tag_en,
        f"各语种及类型的来源数：{counts_zh}；均满足最低要求" + tag_zh,
    )


def _share_basis(used: Sequence[SourceFacts]) -> tuple[str, list[tuple[SourceFacts, int]]] | None:
    """Amount per used source to compute shares with: bytes when every source has them, else items."""
    sizes = [f.byte_count for f in used]
    if sizes and all(v is not None for v, _ in sizes):
        return "bytes", [(f, int(v or 0)) for f, (v, _) in zip(used, sizes, strict=True)]
    counts = [f.item_count for f in used]
    if counts and all(v is not None for v, _ in counts):
        return "items", [(f, int(v or 0)) for f, (v, _) in zip(used, counts, strict=True)]
    return None


@CHECKS.register("CN-TC-5.1-B-MIX")
def origin_mix(ctx: ClauseContext) -> Found:
    used = ctx.facts.used
    unknown = [f.source.source_id for f in used if f.source.origin is None]
    if unknown:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            f"Origin (domestic or foreign) unknown for {', '.join(unknown)}",
            f"以下来源未记录境内外属性：{'、'.join(unknown)}",
            [f"origin of {s}" for s in unknown],
        )
    foreign = [f for f in used if f.source.origin is Origin.FOREIGN]
    domestic = [f for f in used if f.source.origin is Origin.DOMESTIC]
    shares = _share_basis(used)
    share_en = share_zh = ""
    if shares is not None:
        unit, amounts = shares
        whole = sum(a for _, a in amounts)
        part = sum(a for f, a in amounts if f.source.origin is Origin.DOMESTIC)
        share_en = f"; domestic share {pct(Fraction(part, whole) if whole else None)} by {unit}"
        by_zh = "字节" if unit == "bytes" else "条数"
        share_zh = f"；境内来源占比 {pct(Fraction(part, whole) if whole else None)}（按{by_zh}）"
    if not foreign:
        return _found(
            ComponentOutcome.NOT_APPLICABLE,
            Provenance.DECLARED,
            "No foreign-source corpus is used" + share_en,
            "未使用境外来源语料" + share_zh,
        )
    ok = bool(domestic)
    en = f"{len(foreign)} foreign and {len(domestic)} domestic sources{share_en}"
    zh = f"境外来源 {len(foreign)} 个、境内来源 {len(domestic)} 个{share_zh}"
    if not ok:
        en += "; foreign corpus is used without any domestic source"
        zh += "；使用境外来源语料但无境内来源语料"
    return _found(ComponentOutcome.PASS if ok else ComponentOutcome.FAIL, Provenance.DECLARED, en, zh)


@CHECKS.register("CN-FILING-FOREIGN-OSS")
def foreign_open_source_share(ctx: ClauseContext) -> Found:
    limit = Fraction(ctx.profile.param("foreign_open_source_share_max"))
    tag_en, tag_zh = _threshold_text(ctx, "foreign_open_source_share_max")
    used = ctx.facts.used
    unknown = [
        f.source.source_id
        for f in used
        if f.source.cn_acquisition is CnAcquisition.OPEN_SOURCE and f.source.origin is None
    ]
    shares = _share_basis(used)
    if unknown or shares is None:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "The foreign open-source share cannot be computed (origin or size missing)" + tag_en,
            "无法计算境外开源语料占比（缺少境内外属性或规模）" + tag_zh,
            [f"origin of {s}" for s in unknown] or ["size of the sources"],
        )
    unit, amounts = shares
    whole = sum(a for _, a in amounts)
    part = sum(
        a
        for f, a in amounts
        if f.source.cn_acquisition is CnAcquisition.OPEN_SOURCE and f.source.origin is Origin.FOREIGN
    )
    share = Fraction(part, whole) if whole else Fraction(0)
    ok = share <= limit
    basis = Provenance.MEASURED if all(f.measured for f in used) else Provenance.DECLARED
    return _found(
        ComponentOutcome.PASS if ok else ComponentOutcome.FAIL,
        basis,
        f"Foreign open-source corpus {part:,} of {whole:,} {unit} = {pct(share)}; practice limit {pct(limit)}" + tag_en,
        f"境外开源语料 {part:,} / {whole:,}（{'字节' if unit == 'bytes' else '条'}）= {pct(share)}；"
        f"实践上限 {pct(limit)}" + tag_zh,
    )


@CHECKS.register("CN-IM19-DISCLOSURE")
def art19_disclosure(ctx: ClauseContext) -> Found:
    used = ctx.facts.used
    missing: list[str] = []
    if not used:
        missing.append("sources used in training")
    size, basis = total([f.byte_count for f in used])
    tokens, token_basis = total([f.token_count for f in used])
    if size is None and tokens is None:
        missing.append("corpus scale (size_bytes or size_tokens, measured or declared)")
    if ctx.manifest.attestations.annotation_rules is None:
        missing.append("attestations.annotation_rules")
    if missing:
        wanted_zh = {
            "sources used in training": "用于训练的来源",
            "attestations.annotation_rules": "标注规则",
        }
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            f"Cannot explain the training data on request: missing {', '.join(missing)}",
            f"无法按要求说明训练数据：缺少{'、'.join(wanted_zh.get(m, '语料规模') for m in missing)}",
            missing,
        )
    scale_en = f"{size:,} bytes" if size is not None else f"{tokens:,} tokens"
    scale_zh = f"{size:,} 字节" if size is not None else f"{tokens:,} 词元"
    return _found(
        ComponentOutcome.PASS,
        basis if size is not None else token_basis,
        f"{len(used)} sources with acquisition type and modality, scale {scale_en}, annotation rules referenced",
        f"{len(used)} 个来源（含获取方式和类型），规模 {scale_zh}，已提供标注规则",
    )


_MECHANISM_ZH = {
    "none": "无",
    "standard_contract": "个人信息出境标准合同",
    "certification": "个人信息保护认证",
    "security_assessment": "数据出境安全评估",
}
_MECHANISM_RANK = {"none": 0, "standard_contract": 1, "certification": 1, "security_assessment": 2}


@CHECKS.register("CN-XB-EXPORT")
def cross_border(ctx: ClauseContext) -> Found:
    p = ctx.profile
    tag_en, tag_zh = _threshold_text(
        ctx, "xb_assessment_subjects", "xb_assessment_sensitive_subjects", "xb_contract_subjects"
    )
    export = ctx.statements.export if ctx.statements else None
    pi_items = measure(ctx.result, "personal_data_items")
    has_pi = any(f.source.personal_data for f in ctx.facts.used) or bool(pi_items and pi_items.get((None, None)))
    if export is None:
        if not has_pi:
            return _found(
                ComponentOutcome.NOT_APPLICABLE,
                Provenance.DECLARED,
                "No personal information is recorded in the corpus",
                "语料中未记录个人信息",
            )
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "The corpus holds personal information; whether it leaves the PRC is not stated (statements: export)",
            "语料含个人信息，但未说明是否向境外提供（声明文件 export 项）",
            ["export statement"],
        )
    if not export.exported:
        return _found(
            ComponentOutcome.NOT_APPLICABLE,
            Provenance.ATTESTED,
            "Stated: no personal information of the corpus is provided outside the PRC",
            "声明：语料中的个人信息未向境外提供",
        )
    if export.pi_subjects is None or export.sensitive_pi_subjects is None:
        return _found(
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "Personal information is exported, but the number of people concerned is not stated" + tag_en,
            "个人信息向境外提供，但未说明涉及人数" + tag_zh,
            ["export.pi_subjects", "export.sensitive_pi_subjects"],
        )
    if (
        export.is_ciio
        or export.sensitive_pi_subjects >= p.whole("xb_assessment_sensitive_subjects")
        or export.pi_subjects >= p.whole("xb_assessment_subjects")
    ):
        needed, needed_zh, rank = "a CAC security assessment", "申报数据出境安全评估", 2
    elif export.pi_subjects >= p.whole("xb_contract_subjects") or export.sensitive_pi_subjects > 0:
        needed, needed_zh, rank = "a standard contract or certification", "订立标准合同或通过个人信息保护认证", 1
    else:
        needed, needed_zh, rank = "nothing (exempt)", "无（豁免）", 0
    have = export.mechanism or "none"
    ok = _MECHANISM_RANK[have] >= rank
    counts = f"{export.pi_subjects:,} people (non-sensitive), {export.sensitive_pi_subjects:,} (sensitive)"
    return _found(
        ComponentOutcome.PASS if ok else ComponentOutcome.FAIL,
        Provenance.ATTESTED,
        f"Exported this year: {counts}; requires {needed}; stated mechanism: {have}"
        + (f" ({export.mechanism_ref})" if export.mechanism_ref else "")
        + tag_en,
        f"当年向境外提供：非敏感个人信息 {export.pi_subjects:,} 人，敏感个人信息 {export.sensitive_pi_subjects:,} 人；"
        f"应{needed_zh}；声明的出境途径：{_MECHANISM_ZH[have]}" + tag_zh,
    )


# The consistency checks (CN-CONS-*) register on the same CHECKS in their own module.
from aireport.disclose.cn import consistency as _consistency  # noqa: E402, F401
