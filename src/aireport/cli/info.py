"""``aireport rules`` and ``aireport fields``: what the packs check and what rules may name."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from aireport.cli.common import reports_errors
from aireport.guards.terminal import printable
from aireport.models.fields import FIELDS
from aireport.models.rules import OPERATORS, Scope
from aireport.pipeline import packs as load_packs


@click.command()
@click.option("--pack", "packs", multiple=True, help="Pack name or folder (default: every built-in pack).")
def rules(packs: tuple[str, ...]) -> None:
    """List every finding of the selected packs (rules and built-in checks), with citations and verification."""

    @reports_errors
    def show() -> None:
        table = Table("Rule", "Kind", "Scope", "Severity", "Citation", "Verification", "Title")
        table.columns[0].no_wrap = True
        for pack in load_packs(packs):
            for r in pack.rules:
                table.add_row(  # a stranger's pack: its texts are shown, their control characters never obeyed
                    Text(printable(r.id)),
                    "check" if r.implementation == "python" else "rule",
                    r.scope.value,
                    r.severity.value,
                    Text(printable(f"{r.citation.instrument}, {r.citation.provision}")),
                    r.citation.verification.value,
                    Text(printable(r.title.en)),
                )
        Console().print(table)

    show()


@click.command()
@click.option("--scope", type=click.Choice([s.value for s in Scope]), default=None)
def fields(scope: str | None) -> None:
    """List the fields a rule may name in each scope, and the operators."""
    console = Console()
    for s in Scope:
        if scope and s.value != scope:
            continue
        table = Table(
            "Field",
            "Type",
            "Allowed values",
            "Description",
            title=f"scope: {s.value}",
            title_justify="left",
        )
        for info in FIELDS[s].values():
            table.add_row(info.name, info.type, ", ".join(info.allowed or ()), info.description)
        console.print(table)
    ops = Table("Operator", "Form", "Field types", "Meaning", title="operators", title_justify="left")
    for spec in OPERATORS.values():
        form = f"{{{spec.name}: FIELD}}" if spec.arity == "unary" else f"{{field: FIELD, {spec.name}: VALUE}}"
        ops.add_row(spec.name, form, ", ".join(sorted(spec.field_types)), spec.doc)
    console.print(ops)
