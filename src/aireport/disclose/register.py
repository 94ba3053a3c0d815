"""The issue register: failing findings grouped into problems, each counted once across packs and provisions.

The grouping is data (``rules/problems.yaml``): a problem lists the findings that report one underlying fact (the
robots.txt refusals break Art. 53(1)(c), the Code of Practice, TC260-003 §5.1 c) 2) and two statements). A
failing finding outside every listed problem is a problem of its own. The headline counts problems first, then
findings, then the items whose evidence is missing inside rules that were evaluated. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from aireport.models.documents import MissingEvidenceRow, ProblemFinding, ProblemRow, Register
from aireport.models.register import ProblemCatalogue
from aireport.models.results import Outcome, RuleResult
from aireport.models.rules import Scope


def _provision(rule: RuleResult) -> str:
    return f"{rule.citation.instrument}, {rule.citation.provision}"


def _order(rule: RuleResult) -> tuple[int, str, str]:
    return (-rule.severity.rank, rule.pack, rule.rule_id)


def register(rules: Sequence[RuleResult], catalogue: ProblemCatalogue | None) -> Register:
    failing = sorted((r for r in rules if r.outcome is Outcome.FAIL), key=_order)
    groups: dict[str, list[RuleResult]] = {}
    titles = {}
    for rule in failing:
        problem = catalogue.of(rule.rule_id) if catalogue is not None else None
        key = problem.id if problem is not None else rule.rule_id
        groups.setdefault(key, []).append(rule)
        titles[key] = problem.title if problem is not None else rule.title
    rows = []
    for key, members in groups.items():
        counted = [r.counts.failed for r in members if r.scope is Scope.ITEM]
        rows.append(
            ProblemRow(
                problem=key,
                title=titles[key],
                severity=max(
                    (r.severity for r in members if not r.waived), key=lambda s: s.rank, default=members[0].severity
                ),
                waived=all(r.waived for r in members),
                findings=[
                    ProblemFinding(
                        pack=r.pack,
                        rule_id=r.rule_id,
                        severity=r.severity,
                        waived=r.waived,
                        provision=_provision(r),
                        failed=r.counts.failed,
                        scope=r.scope,
                    )
                    for r in members
                ],
                items=max(counted) if counted else None,
            )
        )
    rows.sort(key=lambda p: (p.waived, -p.severity.rank, p.problem))
    unknown = sorted(
        (r for r in rules if r.scope is Scope.ITEM and r.counts.unknown > 0),
        key=lambda r: (-r.counts.unknown, r.pack, r.rule_id),
    )
    return Register(
        problems=sum(1 for p in rows if not p.waived),
        problems_waived=sum(1 for p in rows if p.waived),
        findings=sum(1 for r in failing if not r.waived),
        findings_waived=sum(1 for r in failing if r.waived),
        items_without_evidence=max((r.counts.unknown for r in unknown), default=0),
        rules_with_items_without_evidence=len(unknown),
        rows=rows,
        missing_evidence=[
            MissingEvidenceRow(
                pack=r.pack,
                rule_id=r.rule_id,
                title=r.title,
                outcome=r.outcome,
                unknown=r.counts.unknown,
                applicable=r.counts.applicable,
            )
            for r in unknown
        ],
    )
