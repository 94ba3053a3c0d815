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
from aireport.models.cn.profile import CN_CLASS_NAMES, SECTION_TITLES, ClauseDef, Profile
from aireport.models.cn.sample import ReviewResult
from aireport.models.cn.statements import ClauseResult, ClauseStatement, CnStatements
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
    )


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
    if ctx.review is not None and any(c.ref in REVIEWED_SAMPLE_CHECKS for c in components):
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
