"""Clause-by-clause evaluation (TC260-003 §9.1 b)) and the overall conclusion (§9.1 d)). Pure functions.

A clause is decided by its components: the findings it names (the pack's rules and its built-in checks in
``aireport.disclose.cn.checks``: whole-corpus sampling thresholds, source diversity, origin mix, ...) and,
where the catalogue allows, a signed statement. Any failing component makes the clause 不符合; so does
missing evidence (符合 needs sufficient evidence, §9.1 b)); a clause whose components all do not apply is
不适用; otherwise it is 符合.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from aireport.disclose.cn.facts import CorpusFacts, corpus_facts
from aireport.errors import InputError, Problem
from aireport.models.base import Bilingual
from aireport.models.cn.assessment import (
    ClauseOutcome,
    Component,
    ComponentOutcome,
    Conclusion,
    OverallResult,
    ResultCounts,
)
from aireport.models.cn.profile import CN_CLASS_NAMES, ClauseDef, Profile, section_title
from aireport.models.cn.sample import ReviewResult
from aireport.models.cn.statements import ClauseResult, ClauseStatement, CnStatements, bilingual
from aireport.models.provenance import DatasetManifest
from aireport.models.results import EvaluationResult, Outcome, Provenance, RuleResult
from aireport.models.rules import RulePack, Scope
from aireport.models.run import Run

CN_PACK = "cn-genai"

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


REVIEWED_SAMPLE_CHECKS = ("CN-TC-9.2-A-MANUAL", "CN-TC-5.1-A2-REVIEW")
"""The built-in checks that read the reviewed sample file: a clause they decide cites the file."""


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
    purpose: str = "filing"  # filing: made for the generative AI service filing, whose number is then pending


def clause_context(run: Run) -> ClauseContext:
    """The Chinese assessment's view of a run (the pipeline loads its profile whenever cn-genai is evaluated)."""
    pack = run.pack(CN_PACK)
    if pack is None or run.cn is None:
        raise InputError([Problem("--pack", f"the Chinese assessment and its checks need the {CN_PACK} pack")])
    return ClauseContext(
        manifest=run.manifest,
        facts=corpus_facts(run.result, run.sources),
        result=run.result,
        pack=pack,
        profile=run.cn.profile,
        review=run.cn.review,
        statements=run.cn.statements,
        assessment_date=run.cn.assessment_date,
        purpose=run.cn.purpose,
    )


def zh_date(day: dt.date) -> str:
    """The one date format of the Chinese edition: 2025年10月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


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


def _rule_counts(rule: RuleResult) -> tuple[str, str]:
    """What a rule counted, in sentences: "120 of 4,000 corpus items do not meet it" / "共 4,000 条语料，其中 120 条
    不符合"."""
    c = rule.counts
    if rule.scope is Scope.DATASET:  # one row: the counts add nothing to the rule's own words
        return "", ""
    unit_en, unit_zh = {"item": ("corpus items", "条语料"), "source": ("sources", "个来源")}[rule.scope.value]
    en = f"{c.failed:,} of {c.applicable:,} {unit_en} do not meet it"
    zh = f"{c.applicable:,} {unit_zh}中有 {c.failed:,} {unit_zh[-2:] if unit_zh.startswith('条') else unit_zh}不符合"
    zh = f"共 {c.applicable:,} {unit_zh}，其中 {c.failed:,} {unit_zh[0]}不符合"
    if c.unknown:
        en += f"; {c.unknown:,} lack the evidence to decide"
        zh += f"，{c.unknown:,} {unit_zh[0]}缺少判定所需的记录"
    if rule.tolerance_per == "source" and rule.per_source:
        failing = [s for s in rule.per_source if s.outcome is Outcome.FAIL]
        if failing:
            listed_en = ", ".join(f"{s.source_id} ({s.counts.failed:,} of {s.counts.applicable:,})" for s in failing)
            listed_zh = "、".join(
                f"{s.source_id}（{s.counts.applicable:,} 条中 {s.counts.failed:,} 条）" for s in failing
            )
            en += f"; sources above the {pct(Fraction(rule.tolerance))} threshold: {listed_en}"
            zh += f"；超过 {pct(Fraction(rule.tolerance))} 阈值的来源：{listed_zh}"
    elif rule.evidence:
        more = len(rule.evidence) > 5
        en += f": {', '.join(rule.evidence[:5])}{', ...' if more else ''}"
        zh += f"：{'、'.join(rule.evidence[:5])}{'等' if more else ''}"
    return en, zh


MISSING_RECORDS_ZH = "相关记录"


def rule_component(pack: RulePack, rule: RuleResult) -> Component:
    """One finding of a clause, in the report's words: its title and what it counted; the rule id only as ``ref``
    (the annotated edition), never in the text a filing office reads."""
    outcome = _RULE_OUTCOME[rule.outcome]
    if rule.kind == "check":  # a built-in check says what it found in its own words
        return _component(
            rule.rule_id,
            outcome,
            rule.basis,
            (rule.detail or rule.message).en,
            (rule.detail or rule.message).zh,
            rule.missing_fields,
        )
    basis = rule.basis
    head_en, head_zh = rule.title.en, rule.title.zh
    if outcome is ComponentOutcome.NOT_APPLICABLE:
        return _component(
            rule.rule_id, outcome, basis, f"{head_en}: nothing it applies to.", f"{head_zh}：无适用对象。", kind="rule"
        )
    if outcome is ComponentOutcome.MISSING and rule.missing_fields:
        return _component(
            rule.rule_id,
            outcome,
            Provenance.MISSING,
            f"{head_en}: cannot be assessed, the corpus records lack what it needs.",
            f"{head_zh}：语料记录缺少判定所需的信息，无法评估。",
            rule.missing_fields,
            kind="rule",
        )
    en, zh = _rule_counts(rule)
    if outcome is ComponentOutcome.FAIL:
        en = f"{head_en}: not met. {rule.message.en}" + (f" ({en}.)" if en else "")
        zh = f"{head_zh}：不符合。{rule.message.zh}" + (f"（{zh}。）" if zh else "")
    elif outcome is ComponentOutcome.PASS:
        en = f"{head_en}: met" + (f" ({en})." if en else ".")
        zh = f"{head_zh}：符合" + (f"（{zh}）。" if zh else "。")
    else:
        en = f"{head_en}: cannot be fully assessed" + (f" ({en})." if en else ".")
        zh = f"{head_zh}：无法完全评估" + (f"（{zh}）。" if zh else "。")
    return _component(
        rule.rule_id,
        outcome,
        Provenance.MISSING if outcome is ComponentOutcome.MISSING else basis,
        en,
        zh,
        ["evidence for some rows"] if outcome is ComponentOutcome.MISSING else (),
        kind="rule",
    )


# --- checks -----------------------------------------------------------------------------------------------


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
    texts = [bilingual(e) for e in statement.evidence]
    if statement.result is not ClauseResult.COMPLIANT and statement.reason is not None:
        texts = [bilingual(statement.reason)]
    word_en = {"compliant": "met", "non_compliant": "not met", "not_applicable": "not applicable"}
    return _component(
        "statement",
        _STATEMENT_OUTCOME[statement.result],
        Provenance.ATTESTED,
        f"Stated {word_en[statement.result.value]}: {'; '.join(t.en for t in texts)}",
        f"声明{statement.result.zh}：{'；'.join(t.zh for t in texts)}",
        kind="statement",
    )


def clause_tag(clause: ClauseDef, profile: Profile) -> str:
    if clause.standard and profile.id == "gbt45654":
        return clause.gbt_tag or "U"
    return clause.tag


REFERENCE_INSTRUMENT = Bilingual(zh="参考事项", en="Reference item")


def clause_provision(clause: ClauseDef, profile: Profile) -> tuple[Bilingual, Bilingual]:
    """(instrument, provision) as the report shows them under the profile. GB/T 45654-2025 keeps TC260-003's
    numbers, unverified: the report's scope says so once, in words, instead of tagging every clause."""
    if clause.standard:
        return profile.name, clause.provision
    return clause.instrument or REFERENCE_INSTRUMENT, clause.provision


FILING_CLAUSE = "IM-17"
FILING_NUMBER_RULE = "CN-APPLY-02-GENAI"
"""The generative AI service filing: for an assessment made for that filing, its number is pending, not missing."""


def _filing_in_progress(clause: ClauseDef, ctx: ClauseContext, components: list[Component]) -> bool:
    if clause.id != FILING_CLAUSE or ctx.purpose != "filing":
        return False
    failing = [c for c in components if c.outcome in (ComponentOutcome.FAIL, ComponentOutcome.MISSING)]
    return bool(failing) and all(c.ref == FILING_NUMBER_RULE for c in failing)


IN_PROGRESS_REASON = Bilingual(
    en="This assessment is made for the generative AI service filing; the filing is in progress and its number will "
    "be recorded once granted. The algorithm filing and the security assessment (this report) are in place.",
    zh="本评估系为办理生成式人工智能服务上线备案而开展，备案正在办理中，取得备案编号后予以记录；"
    "算法备案及安全评估（即本报告）已完成。",
)


def _reason(result: ClauseResult, failing: list[Component], components: list[Component]) -> Bilingual | None:
    """说明: why a clause is not met (its failing findings), does not apply, or is pending."""
    if result is ClauseResult.NON_COMPLIANT:
        return Bilingual(en=" ".join(c.summary.en for c in failing), zh="".join(c.summary.zh for c in failing))
    if result is ClauseResult.NOT_APPLICABLE:
        return Bilingual(en=" ".join(c.summary.en for c in components), zh="".join(c.summary.zh for c in components))
    return IN_PROGRESS_REASON if result is ClauseResult.IN_PROGRESS else None


def _plan(clause: ClauseDef, statement: ClauseStatement | None, failing: list[Component]) -> Bilingual:
    """整改计划 of a clause not met: the stated plan, else the catalogue's (evidence first where it is missing)."""
    if statement is not None and statement.plan is not None:
        return bilingual(statement.plan)
    if all(c.outcome is ComponentOutcome.MISSING for c in failing):
        return Bilingual(
            en=f"Provide the missing evidence, then assess again. {clause.remediation.en}",
            zh=f"补充缺失的证明材料后重新评估。{clause.remediation.zh}",
        )
    return clause.remediation


def decide_clause(clause: ClauseDef, ctx: ClauseContext, rules: dict[str, RuleResult]) -> ClauseOutcome:
    components = [rule_component(ctx.pack, rules[r]) for r in clause.rules if r in rules]
    statement = ctx.statements.clauses.get(clause.id) if ctx.statements else None
    if clause.statement == "required" or (clause.statement == "optional" and statement is not None):
        components.append(statement_component(statement))
    outcomes = {c.outcome for c in components}
    failing = [c for c in components if c.outcome in (ComponentOutcome.FAIL, ComponentOutcome.MISSING)]
    if _filing_in_progress(clause, ctx, components):
        result = ClauseResult.IN_PROGRESS
    elif failing:
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
    reason = _reason(result, failing, components)
    plan = _plan(clause, statement, failing) if result is ClauseResult.NON_COMPLIANT else None
    refs = [c.ref for c in components if c.kind != "statement" and c.ref]
    if statement is not None:
        refs += [bilingual(e).en for e in statement.evidence]
    if ctx.review is not None and any(c.ref in REVIEWED_SAMPLE_CHECKS for c in components):
        refs.append(f"{ctx.review.file} (sha256 {(ctx.review.sha256 or '')[:16]}…)")
    instrument, provision = clause_provision(clause, ctx.profile)
    return ClauseOutcome(
        clause_id=clause.id,
        section=clause.section,
        section_title=section_title(clause.section, ctx.profile.id),
        kind=clause.kind,
        instrument=instrument,
        provision=provision,
        requirement=clause.requirement,
        cn_class=clause.cn_class,
        cn_class_name=CN_CLASS_NAMES[clause.cn_class],
        tag=clause_tag(clause, ctx.profile),
        affects_conclusion=clause.cn_class.decides_conclusion and clause.kind == "clause",
        result=result,
        result_zh=result.zh,
        basis=basis,
        evidence=[c.summary for c in components if c.outcome is ComponentOutcome.PASS],
        evidence_refs=refs,
        reason=reason,
        alt_measure=bilingual(statement.alt_measure) if statement is not None and statement.alt_measure else None,
        remediation_plan=plan,
        components=components,
    )


def _counts(outcomes: Sequence[ClauseOutcome]) -> ResultCounts:
    return ResultCounts(
        compliant=sum(1 for o in outcomes if o.result is ClauseResult.COMPLIANT),
        non_compliant=sum(1 for o in outcomes if o.result is ClauseResult.NON_COMPLIANT),
        not_applicable=sum(1 for o in outcomes if o.result is ClauseResult.NOT_APPLICABLE),
        in_progress=sum(1 for o in outcomes if o.result is ClauseResult.IN_PROGRESS),
    )


def _narrative(
    outcomes: Sequence[ClauseOutcome], counts: ResultCounts, result: OverallResult, basis: Bilingual
) -> Bilingual:
    """The conclusion in sentences: what was assessed against what, what is not met, the result for this part."""
    total = counts.compliant + counts.non_compliant + counts.not_applicable + counts.in_progress
    failing = [o for o in outcomes if o.affects_conclusion and o.result is ClauseResult.NON_COMPLIANT]
    missing = [o for o in failing if o.basis is Provenance.MISSING]
    zh = (
        f"依据{basis.zh}，对本服务语料安全部分的 {total} 项条款逐条评估：符合 {counts.compliant} 项，"
        f"不符合 {counts.non_compliant} 项，不适用 {counts.not_applicable} 项"
        + (f"，备案办理中 {counts.in_progress} 项" if counts.in_progress else "")
        + "。"
    )
    en = (
        f"Against {basis.en}, the {total} clauses of the corpus-security part were assessed one by one: "
        f"{counts.compliant} met, {counts.non_compliant} not met, {counts.not_applicable} not applicable"
        + (f", {counts.in_progress} with the filing in progress" if counts.in_progress else "")
        + "."
    )
    if failing:
        law = [o for o in failing if o.section.value == "law"]
        std = [o for o in failing if o.section.value != "law"]
        named_zh = [f"标准第 {'、'.join(o.provision.zh for o in std)} 条"] if std else []
        named_zh += [f"{o.instrument.zh}{o.provision.zh}" for o in law]
        named_en = [f"clauses {', '.join(o.provision.en for o in std)} of the standard"] if std else []
        named_en += [f"{o.instrument.en}, {o.provision.en}" for o in law]
        zh += "不符合的是" + "，以及".join(named_zh) + "。"
        en += " Not met: " + "; ".join(named_en) + "."
        if missing:
            zh += f"其中 {len(missing)} 项系因缺少证明材料而判定为不符合，补充材料后可重新评估。"
            en += f" {len(missing)} of them for missing evidence, which can be supplied and assessed again."
    zh += f"推荐性条款及参考事项不影响结论。语料安全部分的评估结论为：{result.zh}。"
    en += (
        " Recommended clauses and reference items do not change the conclusion. Conclusion for the "
        f"corpus-security part: {result.value.replace('_', ' ')}."
    )
    return Bilingual(en=en, zh=zh)


def conclude(outcomes: Sequence[ClauseOutcome], basis: Bilingual | None = None) -> Conclusion:
    """§9.1 d): every deciding clause 符合 or 不适用 -> 全部符合; none 符合 -> 全部不符合; else 部分符合. A filing in
    progress (an assessment made for that filing) counts as neither."""
    deciding = [o for o in outcomes if o.affects_conclusion]
    counts = _counts(deciding)
    if counts.non_compliant == 0:
        result = OverallResult.FULLY_COMPLIANT
    elif counts.compliant == 0:
        result = OverallResult.NON_COMPLIANT
    else:
        result = OverallResult.PARTLY_COMPLIANT
    failing = [o for o in deciding if o.result is ClauseResult.NON_COMPLIANT]
    basis = basis or Bilingual(zh="所适用的标准", en="the applicable standard")
    return Conclusion(
        result=result,
        result_zh=result.zh,
        narrative=_narrative(outcomes, counts, result, basis),
        deciding=counts,
        not_deciding=_counts([o for o in outcomes if not o.affects_conclusion]),
        non_compliant_clauses=[o.clause_id for o in failing],
        missing_evidence_clauses=[o.clause_id for o in failing if o.basis is Provenance.MISSING],
        rule=Bilingual(
            en="Mandatory-law and filing-required clauses decide: all 符合 or 不适用 -> fully compliant (全部符合); "
            "none 符合 -> not compliant (全部不符合); otherwise partly compliant (部分符合). Recommended (宜) and "
            "practice clauses never change the conclusion.",
            zh="由法定强制类和备案要求类条款决定：全部为符合或不适用的，结论为全部符合；无一符合的，结论为全部不符合；"
            "其余为部分符合。推荐性（宜）条款和参考事项不影响结论。",
        ),
        tag="V1 (全部符合 when every clause is 符合 or 不适用 [S11]); U (the other two cases and the exclusion of "
        "recommended clauses)",
    )
