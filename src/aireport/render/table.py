"""The findings as a terminal table (rich). Reads the result; computes nothing. Every text from the inputs
(dataset name, a pack's titles and citations) is printed with its control characters escaped."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from aireport.guards.terminal import printable
from aireport.models.results import EvaluationResult, Outcome

_STYLE = {
    Outcome.FAIL: "bold red",
    Outcome.NOT_EVALUABLE: "yellow",
    Outcome.PASS: "green",
    Outcome.NOT_APPLICABLE: "dim",
}
_LABEL = {
    Outcome.FAIL: "FAIL",
    Outcome.NOT_EVALUABLE: "MISSING EVIDENCE",
    Outcome.PASS: "pass",
    Outcome.NOT_APPLICABLE: "n/a",
}


def findings_table(result: EvaluationResult, lang: str = "en") -> Group:
    title = Text(f"aireport findings: {printable(result.dataset)}")
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Severity")
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Failing", justify="right")
    table.add_column("Title / citation")
    order = {Outcome.FAIL: 0, Outcome.NOT_EVALUABLE: 1, Outcome.PASS: 2, Outcome.NOT_APPLICABLE: 3}
    for r in sorted(result.rules, key=lambda r: (order[r.outcome], -r.severity.rank, r.rule_id)):
        failing = f"{r.counts.failed:,} / {r.counts.applicable:,}" if r.counts.applicable else "-"
        detail = Text(printable(r.title.get(lang)))
        citation = f"{printable(r.citation.instrument)}, {printable(r.citation.provision)}"
        detail.append(f"\n{citation} [{r.citation.verification.value}]", style="dim")
        if r.missing_fields:
            detail.append(f"\nmissing: {printable(', '.join(r.missing_fields))}", style="yellow")
        table.add_row(
            Text(printable(r.rule_id)),
            r.severity.value,
            Text(_LABEL[r.outcome], style=_STYLE[r.outcome]),
            failing,
            detail,
        )
    rows = result.rows
    summary = Text(
        f"Rows read {rows.read:,} = evaluated {rows.evaluated:,} + rejected {rows.rejected:,}.  "
        + "  ".join(f"{k}: {v}" for k, v in result.verdict.by_outcome.items())
        + "".join(f"\n{printable(k)}: {v:,}" for k, v in result.rows.rejected_by_reason.items())
    )
    packs = Text("Packs: " + printable(", ".join(f"{p.id} {p.version}" for p in result.packs)), style="dim")
    return Group(table, summary, packs)


def print_findings(result: EvaluationResult, console: Console, lang: str = "en") -> None:
    console.print(findings_table(result, lang))
