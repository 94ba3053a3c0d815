"""Waivers applied to a run: which failing findings a recorded resolution covers, and the findings about the
resolutions themselves (RES-EXPIRED, RES-UNUSED). Pure functions of the result, the file and the document date.

A resolution covers a failing finding when it names it, is in force on the document date (approved on or
before it, expiring on or after it) and its scope holds every failing part: each source on which the finding
fails is among its sources (when it lists any), and the finding fails on no more items than it lists, every
failing item the finding records being among them (when it lists any). A finding is waived whole or not at
all. The first resolution in file order that covers a finding is applied. A waived finding still fails and is
listed with its waiver; it no longer decides the exit code, nor keeps a document a draft. ``--no-resolutions``
applies none (a full audit); the file is still read and every waiver listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aireport.disclose.checks import Found, result_of
from aireport.models.resolutions import Resolution, Resolutions, ResolutionsFile, ResolutionUse
from aireport.models.results import AppliedResolution, Counts, EvaluationResult, Outcome, Provenance, RuleResult
from aireport.models.rules import RulePack

PACK = "resolutions"


def _uncovered(rule: RuleResult, r: Resolution) -> tuple[str, str] | None:
    """Why ``r``'s scope does not hold the finding's failure (en, zh), or None when it does."""
    if r.scope.sources:
        failing = {s.source_id for s in rule.per_source if s.counts.failed}
        if not failing and rule.per_source == []:
            return (
                "the finding does not say on which sources it fails, so a source scope cannot cover it",
                "该发现未给出未通过的来源，按来源限定的豁免无法覆盖",
            )
        outside = sorted(failing - set(r.scope.sources))
        if outside:
            return (f"it also fails on {', '.join(outside)}", f"该发现在 {'、'.join(outside)} 上也未通过")
    if r.scope.items:
        listed = set(r.scope.items)
        if rule.counts.failed > len(listed):
            return (
                f"it fails on {rule.counts.failed:,} items, more than the {len(listed):,} listed",
                f"该发现涉及 {rule.counts.failed:,} 个条目，多于所列的 {len(listed):,} 个",
            )
        outside = sorted(set(rule.evidence) - listed)
        if outside:
            return (
                f"failing items not listed: {', '.join(outside[:5])}",
                f"未列出的未通过条目：{'、'.join(outside[:5])}",
            )
    return None


def _names(r: Resolution, rule: RuleResult) -> bool:
    return r.rule_id == rule.rule_id and (r.pack is None or r.pack == rule.pack)


def apply_resolutions(
    result: EvaluationResult, file: ResolutionsFile, display: str, enabled: bool
) -> tuple[list[RuleResult], Resolutions]:
    """The findings with waivers applied, and what became of each resolution."""
    rules = list(result.rules)
    uses = _out_of_force(file, dt.date.fromisoformat(result.document_date), enabled)
    why: dict[int, tuple[str, str]] = {}
    for n, rule in enumerate(rules):
        if rule.outcome is not Outcome.FAIL or rule.pack == PACK:
            continue
        for i, r in enumerate(file.resolutions, start=1):
            if i in uses or not _names(r, rule):
                continue
            gap = _uncovered(rule, r)
            if gap is not None:
                why.setdefault(i, gap)
                continue
            applied = AppliedResolution(
                index=i,
                reason=r.reason,
                approved_by=r.approved_by,
                date=r.date.isoformat(),
                expires=r.expires.isoformat(),
                scope=r.scope_text(),
            )
            rules[n] = rule.model_copy(update={"resolution": applied})
            uses[i] = _use(
                i,
                r,
                "applied",
                f"{rule.pack}/{rule.rule_id}",
                f"waives {rule.rule_id} ({rule.counts.failed:,} failing)",
                f"豁免 {rule.rule_id}（{rule.counts.failed:,} 项未通过）",
            )
            break
    for i, r in enumerate(file.resolutions, start=1):
        if i not in uses:
            en, zh = why.get(i, ("its finding does not fail in this run", "本次运行中其对应的发现已通过或不适用"))
            uses[i] = _use(i, r, "unused", None, en, zh)
    ordered = [uses[i] for i in sorted(uses)]
    return rules, Resolutions(file=display, enabled=enabled, uses=ordered)


def _out_of_force(file: ResolutionsFile, date: dt.date, enabled: bool) -> dict[int, ResolutionUse]:
    """The resolutions that cannot apply on the document date: switched off, expired, not yet approved."""
    uses: dict[int, ResolutionUse] = {}
    for i, r in enumerate(file.resolutions, start=1):
        if not enabled:
            uses[i] = _use(i, r, "switched_off", None, "--no-resolutions: a full audit", "已关闭豁免（全面审计）")
        elif r.expires < date:
            uses[i] = _use(
                i, r, "expired", None, f"expired on {r.expires.isoformat()}", f"已于 {r.expires.isoformat()} 过期"
            )
        elif r.date > date:
            uses[i] = _use(
                i,
                r,
                "not_yet_valid",
                None,
                f"approved on {r.date.isoformat()}, after the document date {date.isoformat()}",
                f"批准日期 {r.date.isoformat()} 晚于文件日期 {date.isoformat()}",
            )
    return uses


def _use(i: int, r: Resolution, status: str, finding: str | None, en: str, zh: str) -> ResolutionUse:
    return ResolutionUse.model_validate(
        {"index": i, "resolution": r, "status": status, "finding": finding, "why_en": en, "why_zh": zh}
    )


def resolution_findings(pack: RulePack, state: Resolutions) -> list[RuleResult]:
    """RES-EXPIRED and RES-UNUSED of the run: each lists the resolutions concerned, by position in the file."""
    out = []
    for rule in pack.rules:
        status = {"RES-EXPIRED": "expired", "RES-UNUSED": "unused"}[rule.id]
        out.append(result_of(pack, rule, _found(state, status)))
    return out


def _found(state: Resolutions, status: str) -> Found:
    total = len(state.uses)
    if not state.enabled:
        return Found(
            Outcome.NOT_APPLICABLE,
            f"Resolutions switched off (--no-resolutions): none of the {total} waivers in {state.file} was applied.",
            f"已关闭豁免（--no-resolutions）：{state.file} 中的 {total} 项豁免均未适用。",
            Provenance.ATTESTED,
        )
    hit = [u for u in state.uses if u.status == status or (status == "unused" and u.status == "not_yet_valid")]
    counts = Counts(applicable=total, failed=len(hit), passed=total - len(hit))
    if not hit:
        word = "expired" if status == "expired" else "unused"
        return Found(
            Outcome.PASS,
            f"None of the {total} waivers in {state.file} is {word}.",
            f"{state.file} 中的 {total} 项豁免均未{'过期' if status == 'expired' else '闲置'}。",
            Provenance.ATTESTED,
            counts=counts,
        )
    listed_en = "; ".join(f"#{u.index} {u.resolution.finding}: {u.why_en}" for u in hit)
    listed_zh = "；".join(f"第 {u.index} 项 {u.resolution.finding}：{u.why_zh}" for u in hit)
    return Found(
        Outcome.FAIL,
        f"{len(hit)} of {total} waivers in {state.file}: {listed_en}.",
        f"{state.file} 中 {total} 项豁免有 {len(hit)} 项：{listed_zh}。",
        Provenance.ATTESTED,
        counts=counts,
        evidence=[f"#{u.index}" for u in hit],
    )


def resolved(
    result: EvaluationResult, pack: RulePack, file: ResolutionsFile, display: str, enabled: bool
) -> tuple[list[RuleResult], Resolutions]:
    """Every finding with waivers applied, then the two findings about the file."""
    rules, state = apply_resolutions(result, file, display, enabled)
    return [*rules, *resolution_findings(pack, state)], state


__all__: Sequence[str] = ("apply_resolutions", "resolution_findings", "resolved")
