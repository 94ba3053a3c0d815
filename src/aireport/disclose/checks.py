"""Built-in checks: findings the rule language cannot express, written in Python and registered by rule id.

A pack declares every finding it can produce as data, one YAML file per id (title, citation with its
verification tag, severity, message, fix). Most are conditions the engine evaluates over rows; the others say
``implementation: python`` and are computed here, after the engine, from the loaded inputs and the measures:
comparing figures with each other, with the document date, with a previous version or with a profile's
thresholds. Each is the function registered under its id in the ``checks`` module of a jurisdiction package
(``aireport.disclose.eu.checks``, ``aireport.disclose.cn.checks``), and ends as the same ``RuleResult`` as a
rule, so ``aireport rules``, the catalogue and every findings list show both kinds alike.

A jurisdiction's checks share one context, built once per run (the EU checks read the Summary's figures, the
Chinese ones the profile in force and the reviewed sample). Adding a check is adding its YAML file and one
registered function; adding a jurisdiction is adding a package with a ``checks`` module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from aireport.errors import InputError, Problem
from aireport.models.base import Bilingual
from aireport.models.results import Counts, Outcome, Provenance, RuleResult, SourceCounts
from aireport.models.rules import Rule, RulePack
from aireport.models.run import Run

C = TypeVar("C")


@dataclass(frozen=True)
class Found:
    """What one built-in check found."""

    outcome: Outcome
    en: str
    zh: str
    basis: Provenance
    counts: Counts = field(default_factory=Counts)
    evidence: Sequence[str] = ()
    missing: Sequence[str] = ()
    per_source: Mapping[str, Counts] = field(default_factory=dict)  # source id -> its rows, where a check has them

    @property
    def detail(self) -> Bilingual:
        return Bilingual(en=self.en, zh=self.zh)


@dataclass
class CheckSet(Generic[C]):
    """The built-in checks of one jurisdiction, all computed from one context built once per run."""

    context: Callable[[Run], C]
    checks: dict[str, Callable[[C], Found]] = field(default_factory=dict)

    def register(self, check_id: str) -> Callable[[Callable[[C], Found]], Callable[[C], Found]]:
        def add(fn: Callable[[C], Found]) -> Callable[[C], Found]:
            if check_id in self.checks:
                raise ValueError(f"built-in check {check_id} is registered twice")
            self.checks[check_id] = fn
            return fn

        return add


@cache
def registry() -> Mapping[str, CheckSet[Any]]:
    """Rule id -> the check set implementing it, from every ``aireport.disclose.<package>.checks`` module."""
    found: dict[str, CheckSet[Any]] = {}
    package = importlib.import_module("aireport.disclose")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"aireport.disclose.{info.name}.checks")
        except ModuleNotFoundError as exc:
            if exc.name != f"aireport.disclose.{info.name}.checks":
                raise
            continue
        checks: CheckSet[Any] = module.CHECKS
        for check_id in checks.checks:
            if check_id in found:
                raise ValueError(f"built-in check {check_id} is registered by two jurisdictions")
            found[check_id] = checks
    return found


POST_CHECK_PACKS = frozenset({"resolutions"})
"""Packs whose built-in checks are decided after every other finding (``aireport.disclose.resolutions``)."""


def python_rules(packs: Iterable[RulePack]) -> list[tuple[RulePack, Rule]]:
    return [
        (p, r) for p in packs for r in p.rules if r.implementation == "python" and p.manifest.id not in POST_CHECK_PACKS
    ]


def unimplemented(packs: Iterable[RulePack]) -> list[Problem]:
    """A pack that asks for a built-in check aireport does not have is bad input (found before any scan)."""
    known = registry()
    return [
        Problem(
            f"{pack.manifest.id}/{rule.id}.yaml",
            f"implementation: python, but aireport has no built-in check {rule.id}; "
            f"built-in checks: {', '.join(sorted(known)) or 'none'}",
            field="implementation",
        )
        for pack, rule in python_rules(packs)
        if rule.id not in known
    ]


def run_checks(run: Run) -> dict[str, RuleResult]:
    """Every built-in check the run's packs declare: (pack id, rule id) -> its result."""
    rules = python_rules(run.packs)
    problems = unimplemented(run.packs)
    if problems:
        raise InputError(problems)
    known = registry()
    contexts: dict[int, Any] = {}
    out: dict[str, RuleResult] = {}
    for pack, rule in rules:
        checks = known[rule.id]
        if id(checks) not in contexts:
            contexts[id(checks)] = checks.context(run)
        found = checks.checks[rule.id](contexts[id(checks)])
        out[f"{pack.manifest.id}/{rule.id}"] = result_of(pack, rule, found)
    return out


def result_of(pack: RulePack, rule: Rule, found: Found) -> RuleResult:
    counts = found.counts
    fraction = round(counts.failed / counts.applicable, 6) if counts.applicable else 0.0
    return RuleResult(
        pack=pack.manifest.id,
        rule_id=rule.id,
        kind="check",
        title=rule.title,
        citation=rule.citation,
        severity=rule.severity,
        scope=rule.scope,
        section=rule.section,
        outcome=found.outcome,
        basis=Provenance.MISSING if found.outcome is Outcome.NOT_EVALUABLE else found.basis,
        detail=found.detail,
        counts=counts,
        failing_fraction=fraction,
        tolerance="0",
        tolerance_per="overall",
        per_source=[
            SourceCounts(
                source_id=sid,
                counts=c,
                failing_fraction=round(c.failed / c.applicable, 6) if c.applicable else 0.0,
                outcome=Outcome.FAIL if c.failed else Outcome.NOT_EVALUABLE if c.unknown else Outcome.PASS,
            )
            for sid, c in sorted(found.per_source.items())
        ],
        evidence=sorted(found.evidence),
        missing_fields=list(found.missing),
        message=rule.message,
        fix=rule.fix,
    )
