"""Clause-by-clause evaluation (TC260-003 §9.1 b)) and the overall conclusion (§9.1 d)). Pure functions.

A clause is decided by its components: the results of the rules it names, the built-in checks below (whole-
corpus sampling thresholds, source diversity, origin mix, ...) and, where the catalogue allows, a signed
statement. Any failing component makes the clause 不符合; so does missing evidence (符合 needs sufficient
evidence, §9.1 b)); a clause whose components all do not apply is 不适用; otherwise it is 符合. Thresholds are
compared as exact fractions: 3,840 of 4,000 is exactly 96%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from aireport.disclose.cn.facts import CorpusFacts, SourceFacts, measure, total
from aireport.models.base import Bilingual
from aireport.models.cn.assessment import (
    ClauseOutcome,
    Component,
    ComponentOutcome,
    Conclusion,
    OverallResult,
    ResultCounts,
)
from aireport.models.cn.profile import CN_CLASS_NAMES, SECTION_TITLES, CheckName, ClauseDef, Profile
from aireport.models.cn.sample import ReviewResult
from aireport.models.cn.statements import ClauseResult, ClauseStatement, CnStatements
from aireport.models.provenance import Assessment, CnAcquisition, DatasetManifest, Origin
from aireport.models.results import EvaluationResult, Outcome, Provenance, RuleResult
from aireport.models.rules import RulePack, Scope, iter_leaves

_RULE_OUTCOME = {
    Outcome.PASS: ComponentOutcome.PASS,
    Outcome.FAIL: ComponentOutcome.FAIL,
    Outcome.NOT_EVALUABLE: ComponentOutcome.MISSING,
    Outcome.NOT_APPLICABLE: ComponentOutcome.NOT_APPLICABLE,
}
_STATEMENT_OUTCOME = {
    ClauseResult.COMPLIANT: ComponentOutcome.PASS,
    ClauseResult.NON_COMPLIANT: ComponentOutcome.FAIL,
    ClauseResult.NOT_APPLICABLE: ComponentOutcome.NOT_APPLICABLE,
}
_BASIS_STRENGTH = [Provenance.MISSING, Provenance.ATTESTED, Provenance.DECLARED, Provenance.MEASURED]


@dataclass(frozen=True)
class ClauseContext:
    manifest: DatasetManifest
    facts: CorpusFacts
    result: EvaluationResult
    pack: RulePack
    profile: Profile
    review: ReviewResult | None
    statements: CnStatements | None
    assessment_date: dt.date


def pct(value: Fraction | float | None) -> str:
    """A fraction as a percentage for people: 0.96 -> 96%, 0.0501 -> 5.01%."""
    if value is None:
        return "—"
    text = f"{float(Fraction(value) * 100):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _component(
    ref: str,
    outcome: ComponentOutcome,
    basis: Provenance,
    en: str,
    zh: str,
    missing: Sequence[str] = (),
    kind: str = "check",
) -> Component:
    return Component(
        kind=kind,
        ref=ref,
        outcome=outcome,
        basis=basis,
        summary=Bilingual(en=en, zh=zh),
        missing=list(missing),
    )


# --- rules --------------------------------------------------------------------------------------------------


def _rule_basis(pack: RulePack, rule: RuleResult) -> Provenance:
    if rule.scope is Scope.ITEM:
        return Provenance.MEASURED
    if rule.scope is Scope.SOURCE:
        return Provenance.DECLARED
    definition = next((r for r in pack.rules if r.id == rule.rule_id), None)
    fields = set()
    if definition is not None:
        for cond in (definition.condition, definition.applies_if):
            if cond is not None:
                fields |= {leaf.field for leaf in iter_leaves(cond)}
    return Provenance.ATTESTED if any(f.startswith("attestations.") for f in fields) else Provenance.DECLARED


def _rule_counts(rule: RuleResult) -> tuple[str, str]:
    c = rule.counts
    unit_en, unit_zh = {"item": ("items", "条语料"), "source": ("sources", "个来源"), "dataset": ("models", "个模型")}[
        rule.scope.value
    ]
    en = f"{c.failed} of {c.applicable} {unit_en} fail"
    zh = f"{c.applicable:,}{unit_zh}中{c.failed:,}{unit_zh}不符合"
    if c.unknown:
        en += f", {c.unknown} lack evidence"
        zh += f"，{c.unknown:,}缺少证据"
    if rule.tolerance_per == "source" and rule.per_source:
        failing = [s for s in rule.per_source if s.outcome is Outcome.FAIL]
        if failing:
            listed = ", ".join(f"{s.source_id} {s.counts.failed}/{s.counts.applicable}" for s in failing)
            en += f"; above the {pct(Fraction(rule.tolerance))} tolerance: {listed}"
            zh += f"；超过{pct(Fraction(rule.tolerance))}容差的来源：{listed}"
    elif rule.evidence and rule.scope is not Scope.DATASET:
        en += f" ({', '.join(rule.evidence[:5])}{', ...' if len(rule.evidence) > 5 else ''})"
        zh += f"（{'、'.join(rule.evidence[:5])}{'等' if len(rule.evidence) > 5 else ''}）"
    return en, zh


def rule_component(pack: RulePack, rule: RuleResult) -> Component:
    outcome = _RULE_OUTCOME[rule.outcome]
    basis = _rule_basis(pack, rule)
    head_en, head_zh = f"{rule.rule_id} ({rule.title.en})", f"{rule.rule_id}（{rule.title.zh}）"
    if outcome is ComponentOutcome.NOT_APPLICABLE:
        return _component(
            rule.rule_id, outcome, basis, f"{head_en}: nothing it applies to", f"{head_zh}：无适用对象", kind="rule"
        )
    if outcome is ComponentOutcome.MISSING and rule.missing_fields:
        fields = ", ".join(rule.missing_fields)
        return _component(
            rule.rule_id,
            outcome,
            Provenance.MISSING,
            f"{head_en}: not evaluable, the inputs lack {fields}",
            f"{head_zh}：无法评估，输入缺少 {fields}",
            rule.missing_fields,
            kind="rule",
        )
    en, zh = _rule_counts(rule)
    if outcome is ComponentOutcome.FAIL:
        en, zh = f"{en}. {rule.message.en}", f"{zh}。{rule.message.zh}"
    elif outcome is ComponentOutcome.PASS:
        en, zh = f"passes ({en})", f"符合（{zh}）"
    return _component(
        rule.rule_id,
        outcome,
        Provenance.MISSING if outcome is ComponentOutcome.MISSING else basis,
        f"{head_en}: {en}",
        f"{head_zh}：{zh}",
        ["evidence for some rows"] if outcome is ComponentOutcome.MISSING else (),
        kind="rule",
    )


# --- checks -----------------------------------------------------------------------------------------------


def _latest(assessments: Sequence[Assessment], method: str, date: dt.date) -> Assessment | None:
    """The latest assessment of a method dated on or before the assessment date."""
    eligible = [a for a in assessments if a.method == method and a.date <= date]
    return max(eligible, key=lambda a: (a.date, a.sample_size)) if eligible else None


def _threshold_text(ctx: ClauseContext, *names: str) -> tuple[str, str]:
    tags = ", ".join(f"{n} {ctx.profile.parameters[n].tag}" for n in names)  # type: ignore[index]
    return f" [parameters: {tags}]", f"［参数：{tags}］"


def check_manual_sample(ctx: ClauseContext) -> Component:
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
            return _component(
                "manual_sample",
                ComponentOutcome.MISSING,
                Provenance.MISSING,
                "No manual whole-corpus sample: neither a reviewed sample file nor a manual assessment in the manifest"
                + tag_en,
                "无人工抽检结果：未提供人工审核文件，清单中也无人工抽检记录" + tag_zh,
                ["manual sample"],
            )
        n, qualified, basis = declared.sample_size, declared.qualified, Provenance.DECLARED
        where_en = f"manual assessment of {declared.date.isoformat()} declared in the manifest"
        where_zh = f"清单声明的 {declared.date.isoformat()} 人工抽检"
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
    return _component("manual_sample", ComponentOutcome.PASS if ok else ComponentOutcome.FAIL, basis, en, zh)


def _corpus_items(facts: CorpusFacts) -> int | None:
    if not facts.measured:
        return None
    return sum(f.items or 0 for f in facts.used)


def check_technical_sample(ctx: ClauseContext) -> Component:
    p = ctx.profile
    fraction_min = Fraction(p.param("technical_sample_fraction_min"))
    rate_min = Fraction(p.param("technical_qualified_rate_min"))
    tag_en, tag_zh = _threshold_text(ctx, "technical_sample_fraction_min", "technical_qualified_rate_min")
    declared = _latest(ctx.manifest.assessments, "technical", ctx.assessment_date)
    if declared is None:
        return _component(
            "technical_sample",
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
        return _component(
            "technical_sample",
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
        f"{declared.date.isoformat()} 技术抽检 {n:,} 条，合格 {qualified:,} 条，合格率 {pct(rate)}，"
        f"占语料总量 {corpus:,} 条的 "
        f"{pct(Fraction(n, corpus) if corpus else None)}；要求不少于总量的 {pct(fraction_min)} 且合格率不低于 "
        f"{pct(rate_min)}——{'满足' if ok else '不满足'}；{note_zh}{tag_zh}"
    )
    return _component(
        "technical_sample", ComponentOutcome.PASS if ok else ComponentOutcome.FAIL, Provenance.DECLARED, en, zh
    )


def check_per_source_review(ctx: ClauseContext) -> Component:
    review = ctx.review
    limit = Fraction(ctx.profile.param("source_unqualified_rate_max"))
    tag_en, tag_zh = _threshold_text(ctx, "source_unqualified_rate_max")
    if review is None or not review.per_source:
        return _component(
            "per_source_review",
            ComponentOutcome.NOT_APPLICABLE,
            Provenance.MISSING,
            "No reviewed per-source sample was given (aireport sample --per-source)",
            "未提供按来源抽样的人工审核结果（aireport sample --per-source）",
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
    return _component(
        "per_source_review",
        outcome,
        Provenance.MEASURED,
        f"Reviewed per-source sample (seed {review.spec.seed}), unqualified share: {listed}; {verdict_en}{tag_en}",
        f"按来源人工抽样审核（种子 {review.spec.seed}）不合格占比：{listed}；{verdict_zh}{tag_zh}",
    )


def check_per_source_sample_size(ctx: ClauseContext) -> Component:
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
        return _component(
            "per_source_sample_size",
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
    return _component("per_source_sample_size", outcome, basis, en + tag_en, zh + tag_zh)


def check_source_diversity(ctx: ClauseContext) -> Component:
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
        [f"语种 {k}：{len(v)}个来源" for k, v in sorted(by_language.items())]
        + [f"类型 {k}：{len(v)}个来源" for k, v in sorted(by_modality.items())]
    )
    basis = Provenance.MEASURED if bases == {Provenance.MEASURED} else Provenance.DECLARED
    if few_lang or few_mod:
        short = [f"{k} ({', '.join(sorted(v))})" for k, v in {**few_lang, **few_mod}.items()]
        return _component(
            "source_diversity",
            ComponentOutcome.FAIL,
            basis,
            f"Sources per language and modality: {counts_en}. Fewer than the minimum: {', '.join(short)}" + tag_en,
            f"各语种及类型的来源数：{counts_zh}。少于最低要求：{'、'.join(short)}" + tag_zh,
        )
    if unlabelled:
        return _component(
            "source_diversity",
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            f"Languages unknown for {', '.join(unlabelled)}; counted so far: {counts_en}" + tag_en,
            f"以下来源语种未知：{'、'.join(unlabelled)}；已统计：{counts_zh}" + tag_zh,
            [f"languages of {s}" for s in unlabelled],
        )
    return _component(
        "source_diversity",
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


def check_origin_mix(ctx: ClauseContext) -> Component:
    used = ctx.facts.used
    unknown = [f.source.source_id for f in used if f.source.origin is None]
    if unknown:
        return _component(
            "origin_mix",
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
        return _component(
            "origin_mix",
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
    return _component("origin_mix", ComponentOutcome.PASS if ok else ComponentOutcome.FAIL, Provenance.DECLARED, en, zh)


def check_foreign_open_source_share(ctx: ClauseContext) -> Component:
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
        return _component(
            "foreign_open_source_share",
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
    return _component(
        "foreign_open_source_share",
        ComponentOutcome.PASS if ok else ComponentOutcome.FAIL,
        basis,
        f"Foreign open-source corpus {part:,} of {whole:,} {unit} = {pct(share)}; practice limit {pct(limit)}" + tag_en,
        f"境外开源语料 {part:,} / {whole:,}（{'字节' if unit == 'bytes' else '条'}）= {pct(share)}；"
        f"实践上限 {pct(limit)}" + tag_zh,
    )


def check_art19_disclosure(ctx: ClauseContext) -> Component:
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
        return _component(
            "art19_disclosure",
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            f"Cannot explain the training data on request: missing {', '.join(missing)}",
            f"无法按要求说明训练数据：缺少 {'、'.join(missing)}",
            missing,
        )
    scale = f"{size:,} bytes" if size is not None else f"{tokens:,} tokens"
    return _component(
        "art19_disclosure",
        ComponentOutcome.PASS,
        basis if size is not None else token_basis,
        f"{len(used)} sources with acquisition type and modality, scale {scale}, annotation rules referenced",
        f"{len(used)}个来源（含获取方式和类型），规模 {scale}，已提供标注规则",
    )


_MECHANISM_ZH = {
    "none": "无",
    "standard_contract": "个人信息出境标准合同",
    "certification": "个人信息保护认证",
    "security_assessment": "数据出境安全评估",
}
_MECHANISM_RANK = {"none": 0, "standard_contract": 1, "certification": 1, "security_assessment": 2}


def check_cross_border(ctx: ClauseContext) -> Component:
    p = ctx.profile
    tag_en, tag_zh = _threshold_text(
        ctx, "xb_assessment_subjects", "xb_assessment_sensitive_subjects", "xb_contract_subjects"
    )
    export = ctx.statements.export if ctx.statements else None
    pi_items = measure(ctx.result, "personal_data_items")
    has_pi = any(f.source.personal_data for f in ctx.facts.used) or bool(pi_items and pi_items.get((None, None)))
    if export is None:
        if not has_pi:
            return _component(
                "cross_border",
                ComponentOutcome.NOT_APPLICABLE,
                Provenance.DECLARED,
                "No personal information is recorded in the corpus",
                "语料中未记录个人信息",
            )
        return _component(
            "cross_border",
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "The corpus holds personal information; whether it leaves the PRC is not stated (statements: export)",
            "语料含个人信息，但未说明是否向境外提供（声明文件 export 项）",
            ["export statement"],
        )
    if not export.exported:
        return _component(
            "cross_border",
            ComponentOutcome.NOT_APPLICABLE,
            Provenance.ATTESTED,
            "Stated: no personal information of the corpus is provided outside the PRC",
            "声明：语料中的个人信息未向境外提供",
        )
    if export.pi_subjects is None or export.sensitive_pi_subjects is None:
        return _component(
            "cross_border",
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
    return _component(
        "cross_border",
        ComponentOutcome.PASS if ok else ComponentOutcome.FAIL,
        Provenance.ATTESTED,
        f"Exported this year: {counts}; requires {needed}; stated mechanism: {have}"
        + (f" ({export.mechanism_ref})" if export.mechanism_ref else "")
        + tag_en,
        f"当年向境外提供：非敏感个人信息 {export.pi_subjects:,} 人，敏感个人信息 {export.sensitive_pi_subjects:,} 人；"
        f"应{needed_zh}；声明的出境途径：{_MECHANISM_ZH[have]}" + tag_zh,
    )


CHECKS: dict[str, Callable[[ClauseContext], Component]] = {
    "manual_sample": check_manual_sample,
    "technical_sample": check_technical_sample,
    "per_source_review": check_per_source_review,
    "per_source_sample_size": check_per_source_sample_size,
    "source_diversity": check_source_diversity,
    "origin_mix": check_origin_mix,
    "foreign_open_source_share": check_foreign_open_source_share,
    "art19_disclosure": check_art19_disclosure,
    "cross_border": check_cross_border,
}


def run_check(name: CheckName, ctx: ClauseContext) -> Component:
    return CHECKS[name](ctx)


# --- statements, clauses and the conclusion ---------------------------------------------------------------


def statement_component(statement: ClauseStatement | None) -> Component:
    if statement is None:
        return _component(
            "statement",
            ComponentOutcome.MISSING,
            Provenance.MISSING,
            "No signed statement for this clause (the provenance cannot show it)",
            "未提供该条款的声明及证明材料（溯源数据无法体现）",
            ["statement"],
            kind="statement",
        )
    refs = "; ".join(statement.evidence)
    text = refs if statement.result is ClauseResult.COMPLIANT else (statement.reason or "")
    return _component(
        "statement",
        _STATEMENT_OUTCOME[statement.result],
        Provenance.ATTESTED,
        f"Stated {statement.result.value}: {text}",
        f"声明{statement.result.zh}：{text}",
        kind="statement",
    )


def clause_tag(clause: ClauseDef, profile: Profile) -> str:
    if clause.standard and profile.id == "gbt45654":
        return clause.gbt_tag or "U"
    return clause.tag


def clause_provision(clause: ClauseDef, profile: Profile) -> tuple[str, str]:
    """(instrument, provision) as the report shows them under the profile."""
    if not clause.standard:
        return clause.instrument or "", clause.provision
    if profile.id == "gbt45654":
        return profile.name.zh, f"{clause.provision}（条款号未核实，沿用TC260-003编号 / clause number unverified)"
    return profile.name.zh, clause.provision


def decide_clause(clause: ClauseDef, ctx: ClauseContext, rules: dict[str, RuleResult]) -> ClauseOutcome:
    components = [rule_component(ctx.pack, rules[r]) for r in clause.rules if r in rules]
    components += [run_check(name, ctx) for name in clause.checks]
    statement = ctx.statements.clauses.get(clause.id) if ctx.statements else None
    if clause.statement == "required" or (clause.statement == "optional" and statement is not None):
        components.append(statement_component(statement))
    outcomes = {c.outcome for c in components}
    failing = [c for c in components if c.outcome in (ComponentOutcome.FAIL, ComponentOutcome.MISSING)]
    if failing:
        result = ClauseResult.NON_COMPLIANT
    elif outcomes <= {ComponentOutcome.NOT_APPLICABLE}:
        result = ClauseResult.NOT_APPLICABLE
    else:
        result = ClauseResult.COMPLIANT
    # The basis of a result is the weakest evidence it rests on: the failing components for 不符合 (missing
    # evidence only when nothing failed outright), every applicable component for 符合.
    failed = [c for c in failing if c.outcome is ComponentOutcome.FAIL]
    counted = failed or failing or [c for c in components if c.outcome is not ComponentOutcome.NOT_APPLICABLE]
    basis = min((c.basis for c in counted or components), key=_BASIS_STRENGTH.index)
    reason = None
    if result is ClauseResult.NON_COMPLIANT:
        reason = Bilingual(en=" ".join(c.summary.en for c in failing), zh="".join(c.summary.zh for c in failing))
    elif result is ClauseResult.NOT_APPLICABLE:
        reason = Bilingual(en=" ".join(c.summary.en for c in components), zh="".join(c.summary.zh for c in components))
    plan = None
    if result is ClauseResult.NON_COMPLIANT:
        plan = clause.remediation
        only_missing = all(c.outcome is ComponentOutcome.MISSING for c in failing)
        if only_missing:
            wanted = ", ".join(m for c in failing for m in c.missing)
            plan = Bilingual(
                en=f"Provide the missing evidence ({wanted}), then assess again. {clause.remediation.en}",
                zh=f"补充缺失的证明材料（{wanted}）后重新评估。{clause.remediation.zh}",
            )
        if statement is not None and statement.plan:
            plan = Bilingual(en=statement.plan, zh=statement.plan)
    refs = [c.ref for c in components if c.kind != "statement"]
    if statement is not None:
        refs += statement.evidence
    if ctx.review is not None and any(c.ref in ("manual_sample", "per_source_review") for c in components):
        refs.append(f"{ctx.review.file} (sha256 {ctx.review.sha256[:16]}…)")
    instrument, provision = clause_provision(clause, ctx.profile)
    return ClauseOutcome(
        clause_id=clause.id,
        section=clause.section,
        section_title=SECTION_TITLES[clause.section],
        instrument=instrument,
        provision=provision,
        requirement=clause.requirement,
        cn_class=clause.cn_class,
        cn_class_name=CN_CLASS_NAMES[clause.cn_class],
        tag=clause_tag(clause, ctx.profile),
        affects_conclusion=clause.cn_class.decides_conclusion,
        result=result,
        result_zh=result.zh,
        basis=basis,
        evidence=[c.summary for c in components if c.outcome is ComponentOutcome.PASS],
        evidence_refs=refs,
        reason=reason,
        alt_measure=statement.alt_measure if statement is not None else None,
        remediation_plan=plan,
        components=components,
    )


def _counts(outcomes: Sequence[ClauseOutcome]) -> ResultCounts:
    return ResultCounts(
        compliant=sum(1 for o in outcomes if o.result is ClauseResult.COMPLIANT),
        non_compliant=sum(1 for o in outcomes if o.result is ClauseResult.NON_COMPLIANT),
        not_applicable=sum(1 for o in outcomes if o.result is ClauseResult.NOT_APPLICABLE),
    )


def conclude(outcomes: Sequence[ClauseOutcome]) -> Conclusion:
    """§9.1 d): every deciding clause 符合 or 不适用 -> 全部符合; none 符合 -> 全部不符合; else 部分符合."""
    deciding = [o for o in outcomes if o.affects_conclusion]
    counts = _counts(deciding)
    if counts.non_compliant == 0:
        result = OverallResult.FULLY_COMPLIANT
    elif counts.compliant == 0:
        result = OverallResult.NON_COMPLIANT
    else:
        result = OverallResult.PARTLY_COMPLIANT
    failing = [o for o in deciding if o.result is ClauseResult.NON_COMPLIANT]
    return Conclusion(
        result=result,
        result_zh=result.zh,
        deciding=counts,
        not_deciding=_counts([o for o in outcomes if not o.affects_conclusion]),
        non_compliant_clauses=[o.clause_id for o in failing],
        missing_evidence_clauses=[o.clause_id for o in failing if o.basis is Provenance.MISSING],
        rule=Bilingual(
            en="Mandatory-law and filing-required clauses decide: all 符合 or 不适用 -> fully compliant (全部符合); "
            "none 符合 -> not compliant (全部不符合); otherwise partly compliant (部分符合). Recommended (宜) and "
            "practice clauses never change the conclusion.",
            zh="由法定强制类和备案要求类条款决定：全部为符合或不适用的，结论为全部符合；无一符合的，结论为全部不符合；"
            "其余为部分符合。推荐性（宜）条款和实践类条款不影响整体结论。",
        ),
        tag="V1 (全部符合 when every clause is 符合 or 不适用 [S11]); U (the other two cases and the exclusion of "
        "recommended clauses)",
    )
