"""Command line: parse, call the pipeline, print, exit. Every expected failure exits 2 without a traceback.

Commands are imported only when run (a command pays for its own imports, not for every other command's):
``COMMANDS`` names each command's module, and adding a command is adding a module and one line here.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from aireport import __version__

COMMANDS: dict[str, str] = {
    "check": "aireport.cli.check:check",
    "report": "aireport.cli.report:report",
    "render": "aireport.cli.report:render_command",
    "cn-assess": "aireport.cli.assess:cn_assess",
    "sample": "aireport.cli.sample:sample",
    "convert": "aireport.cli.convert:convert",
    "example": "aireport.cli.example:example",
    "rules": "aireport.cli.info:rules",
    "fields": "aireport.cli.info:fields",
    "schema": "aireport.cli.schema:schema",
    "docs": "aireport.cli.docs:docs",
    "import": "aireport.cli.import_:import_command",
    "card": "aireport.cli.card:card",
    "validate": "aireport.cli.validate:validate",
    "diff": "aireport.cli.diff:diff",
    "clear": "aireport.cli.clear:clear_command",
    "certify": "aireport.cli.certify:certify_command",
    "keygen": "aireport.cli.certify:keygen",
    "verify": "aireport.cli.verify:verify",
    "prove": "aireport.cli.verify:prove",
    "takedown": "aireport.cli.verify:takedown_command",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command: Any = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="aireport")
def main() -> None:
    """Turn a training dataset's provenance metadata into EU AI Act and China GenAI disclosures.

    Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input or usage (nothing written).
    """
