"""Exit codes, in one place. The README and ``aireport --help`` cite this table.

======  ==============================================================================
code    meaning
======  ==============================================================================
0       no failing rule at or above ``--fail-on`` (with ``--strict``: nor missing evidence, whether a
        whole rule or rows inside an evaluated rule)
1       at least one such finding
2       bad input or usage: a malformed manifest, inventory, item manifest, rule pack or
        option; a document that could not be written; with ``--strict``, an input value that
        cannot be read (a licence that does not parse). Nothing was written.
======  ==============================================================================
"""

from __future__ import annotations

from enum import IntEnum

from aireport.models.results import EvaluationResult, Outcome
from aireport.models.rules import Severity


class ExitCode(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    BAD_INPUT = 2


def exit_code_for(result: EvaluationResult, fail_on: Severity, strict: bool = False) -> ExitCode:
    """Pure: findings at or above ``fail_on`` decide the code; lower severities and waived findings never do."""
    gating = {Outcome.FAIL, Outcome.NOT_EVALUABLE} if strict else {Outcome.FAIL}
    for rule in result.rules:
        if rule.severity.rank < fail_on.rank or rule.waived:
            continue
        if rule.outcome in gating or (strict and rule.counts.unknown > 0):
            return ExitCode.FINDINGS
    return ExitCode.CLEAN
