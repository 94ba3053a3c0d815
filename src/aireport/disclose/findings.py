"""The findings document: a pure function of the evaluation result.

Everything a reader sees as a number, a percentage or an order is decided here; the renderers only read
the model this returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from aireport.disclose.register import register
from aireport.models.base import Bilingual
from aireport.models.doc_parts import InputRow, PackRow
from aireport.models.documents import (
    FindingsDocument,
    ItemFraction,
    OutcomeCounts,
    PartialEvidence,
    RejectedRowPlace,
    RejectedRows,
    ResolutionRow,
    ResolutionsSection,
    RowAccount,
    RuleFinding,
    SeverityRow,
    SourceRow,
    Summary,
    Traceability,
    WarningRow,
)
from aireport.models.register import ProblemCatalogue
from aireport.models.resolutions import Resolutions
from aireport.models.results import INPUT_ROLES, EvaluationResult, Outcome, RuleResult
from aireport.models.rules import Scope, Severity

EVIDENCE_IN_PAGES = 10
"""At most this many failing ids per rule: a sample for a reader, never a per-item listing."""

_SEVERITIES = sorted(Severity, key=lambda s: -s.rank)


def percent(part: int, whole: int) -> float:
    """part / whole as a percentage rounded to 4 decimals; 0 when there is no whole."""
    if whole <= 0:
        return 0.0
    return float(round(Decimal(part) * 100 / Decimal(whole), 4))


def _rule_order(rule: RuleResult) -> tuple[int, str, str]:
    return (-rule.severity.rank, rule.rule_id, rule.pack)


def _finding(rule: RuleResult) -> RuleFinding:
    evidence = rule.evidence[:EVIDENCE_IN_PAGES]
    return RuleFinding(
        pack=rule.pack,
        rule_id=rule.rule_id,
        kind=rule.kind,
        title=rule.title,
        severity=rule.severity,
        scope=rule.scope,
        outcome=rule.outcome,
        citation=rule.citation,
        applicable=rule.counts.applicable,
        passed=rule.counts.passed,
        failed=rule.counts.failed,
        unknown=rule.counts.unknown,
        failing_percent=percent(rule.counts.failed, rule.counts.applicable),
        tolerance_percent=float(Decimal(rule.tolerance) * 100),
        tolerance_per=rule.tolerance_per,
        per_source=[
            SourceRow(
                source_id=s.source_id,
                applicable=s.counts.applicable,
                passed=s.counts.passed,
                failed=s.counts.failed,
                unknown=s.counts.unknown,
                failing_percent=percent(s.counts.failed, s.counts.applicable),
                outcome=s.outcome,
            )
            for s in sorted(rule.per_source, key=lambda s: s.source_id)
        ],
        evidence=evidence,
        evidence_more=max(0, rule.counts.failed - len(evidence)),
        missing_fields=sorted(rule.missing_fields),
        detail=rule.detail,
        message=rule.message,
        fix=rule.fix,
        resolution=rule.resolution,
    )


def _counts(rules: Iterable[RuleResult]) -> dict[str, int]:
    outcomes = [r.outcome for r in rules]
    return {
        "failed": outcomes.count(Outcome.FAIL),
        "not_evaluable": outcomes.count(Outcome.NOT_EVALUABLE),
        "passed": outcomes.count(Outcome.PASS),
        "not_applicable": outcomes.count(Outcome.NOT_APPLICABLE),
        "total": len(outcomes),
    }


def _summary(result: EvaluationResult) -> Summary:
    failing = [r for r in result.rules if r.outcome is Outcome.FAIL and not r.waived]
    # Rows without evidence inside an evaluated rule are missing evidence too: a pass over the other rows
    # says nothing of them, so the verdict does not read "pass".
    missing = (
        any(r.outcome is Outcome.NOT_EVALUABLE for r in result.rules) or result.verdict.rules_with_unknown_rows > 0
    )
    return Summary(
        verdict="fail" if failing else "missing_evidence" if missing else "pass",
        worst_failure=max((r.severity for r in failing), key=lambda s: s.rank) if failing else None,
        by_severity=[
            SeverityRow(severity=severity, **_counts(r for r in result.rules if r.severity is severity))
            for severity in _SEVERITIES
        ],
        totals=OutcomeCounts(**_counts(result.rules)),
        rules_with_unknown_rows=result.verdict.rules_with_unknown_rows,
        unknown_rows=result.verdict.unknown_rows,
    )


def _resolutions(state: Resolutions | None) -> ResolutionsSection | None:
    if state is None:
        return None
    rows = [
        ResolutionRow(
            index=u.index,
            finding=u.resolution.finding,
            scope=u.resolution.scope_text(),
            reason=u.resolution.reason,
            approved_by=u.resolution.approved_by,
            date=u.resolution.date.isoformat(),
            expires=u.resolution.expires.isoformat(),
            status=u.status,
            applied_to=u.finding,
            why=Bilingual(en=u.why_en, zh=u.why_zh),
        )
        for u in state.uses
    ]
    return ResolutionsSection(
        file=state.file,
        enabled=state.enabled,
        applied=sum(1 for r in rows if r.status == "applied"),
        expired=sum(1 for r in rows if r.status == "expired"),
        unused=sum(1 for r in rows if r.status in ("unused", "not_yet_valid")),
        rows=rows,
    )


def _partial(rules: Iterable[RuleResult]) -> list[PartialEvidence]:
    """Rules that passed or failed on the rows with evidence while other rows had none."""
    return [
        PartialEvidence(
            pack=r.pack,
            rule_id=r.rule_id,
            title=r.title,
            severity=r.severity,
            outcome=r.outcome,
            applicable=r.counts.applicable,
            unknown=r.counts.unknown,
            unknown_percent=percent(r.counts.unknown, r.counts.applicable),
        )
        for r in sorted(rules, key=_rule_order)
        if r.outcome in (Outcome.PASS, Outcome.FAIL) and r.counts.unknown > 0
    ]


def build_findings(
    result: EvaluationResult, problems: ProblemCatalogue | None = None, resolutions: Resolutions | None = None
) -> FindingsDocument:
    """The findings document of an evaluation result, with its issue register and waivers."""
    by_outcome: dict[Outcome, list[RuleResult]] = {outcome: [] for outcome in Outcome}
    for rule in sorted(result.rules, key=_rule_order):
        by_outcome[rule.outcome].append(rule)
    sections = [Outcome.FAIL, Outcome.NOT_EVALUABLE, Outcome.PASS, Outcome.NOT_APPLICABLE]
    fractions = [
        ItemFraction(
            rule_id=rule.rule_id,
            source_id=s.source_id,
            failed=s.counts.failed,
            applicable=s.counts.applicable,
            failing_percent=percent(s.counts.failed, s.counts.applicable),
            tolerance_percent=float(Decimal(rule.tolerance) * 100),
            outcome=s.outcome,
        )
        for outcome in sections
        for rule in by_outcome[outcome]
        if rule.scope is Scope.ITEM
        for s in sorted(rule.per_source, key=lambda s: s.source_id)
        if s.counts.applicable > 0
    ]
    rows = result.rows
    return FindingsDocument(
        dataset=result.dataset,
        document_date=result.document_date,
        summary=_summary(result),
        issue_register=register(result.rules, problems),
        resolutions=_resolutions(resolutions),
        rules_failing=[_finding(r) for r in by_outcome[Outcome.FAIL]],
        rules_missing_evidence=[_finding(r) for r in by_outcome[Outcome.NOT_EVALUABLE]],
        rules_with_unknown_rows=_partial(result.rules),
        rules_passing=[_finding(r) for r in by_outcome[Outcome.PASS]],
        rules_not_applicable=[_finding(r) for r in by_outcome[Outcome.NOT_APPLICABLE]],
        item_fractions=fractions,
        traceability=Traceability(
            tool=result.tool,
            tool_version=result.tool_version,
            result_schema_version=result.schema_version,
            inputs=[
                InputRow(role=i.role, path=i.path, bytes=i.bytes, sha256=i.sha256)
                for i in sorted(result.inputs, key=lambda i: (INPUT_ROLES.index(i.role), i.path))
            ],
            packs=[PackRow(id=p.id, version=p.version, rules=p.rules, sha256=p.sha256) for p in result.packs],
            rows=RowAccount(
                read=rows.read,
                evaluated=rows.evaluated,
                rejected=rows.rejected,
                rejected_by_reason=[
                    RejectedRows(reason=reason, rows=n) for reason, n in sorted(rows.rejected_by_reason.items())
                ],
                not_in_training=rows.not_in_training,
                rejected_rows=[
                    RejectedRowPlace(file=r.file, line=r.line, row=r.row, field=r.field, reason=r.reason)
                    for r in rows.rejected_rows
                ],
            ),
            time_zone=result.time_zone,
            warnings=[
                WarningRow(
                    file=w.file, line=w.line, row=w.row, column=w.column, value=w.value, reason=w.reason, rows=w.rows
                )
                for w in result.warnings
            ],
        ),
    )
