"""The Chinese self-assessment's reference data (``rules/cn-assessment/``), loaded and cross-checked.

``profiles.yaml`` (the two profiles and their parameters), ``clauses.yaml`` (what the report assesses and what
decides each clause), ``classes.yaml`` (rule id -> severity class) and ``appendix-a.yaml`` (the 31 risks). They
sit beside the cn-genai pack, not in it: the pack loader reads every ``*.yaml`` next to ``pack.yaml`` as a rule.
Every cn-genai rule must have a class and appear in a clause; every rule a clause names must exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from aireport.errors import InputError, Problem
from aireport.load.manifest import LoadedManifest
from aireport.load.yamlfile import line_of, load_model, read_yaml
from aireport.models.base import INT64_MAX
from aireport.models.cn.profile import (
    PARAMETER_NAMES,
    RATE_PARAMETERS,
    AppendixA,
    ClassMap,
    ClauseCatalogue,
    CnReference,
    Parameter,
    ParameterName,
    Profile,
    ProfileCatalogue,
)
from aireport.models.provenance import CnAcquisition
from aireport.models.rules import RulePack
from aireport.resources import data_dir

M = TypeVar("M", bound=BaseModel)

PROFILE_FILES = {
    "profiles": "profiles.yaml",
    "clauses": "clauses.yaml",
    "classes": "classes.yaml",
    "appendix": "appendix-a.yaml",
}


def profile_dir() -> Path:
    return data_dir("rules") / "cn-assessment"


def _display(name: str) -> str:
    return f"aireport:rules/cn-assessment/{name}"


def load_appendix_a(folder: Path | None = None) -> AppendixA:
    name = PROFILE_FILES["appendix"]
    path = (folder or profile_dir()) / name
    return load_model(AppendixA, path, _display(name))


def load_cn_reference(pack: RulePack, folder: Path | None = None) -> tuple[CnReference, tuple[tuple[str, Path], ...]]:
    """Read the four files and check them against the cn-genai pack; every problem is collected.

    Returns the reference and its files as (shown name, path), for the documents' traceability."""
    root = folder or profile_dir()
    problems: list[Problem] = []

    def load(key: str, model: type[M]) -> M | None:
        name = PROFILE_FILES[key]
        try:
            return load_model(model, root / name, _display(name))
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    def line(key: str, loc: tuple[str | int, ...]) -> int | None:  # the slow path: only to name a line
        name = PROFILE_FILES[key]
        return line_of(read_yaml(root / name, _display(name)), loc)

    profiles = load("profiles", ProfileCatalogue)
    clauses = load("clauses", ClauseCatalogue)
    classes = load("classes", ClassMap)
    appendix = load("appendix", AppendixA)
    if profiles is None or clauses is None or classes is None or appendix is None:
        raise InputError(problems)
    rule_ids = {r.id for r in pack.rules}
    cls_display = _display(PROFILE_FILES["classes"])
    for rule_id in sorted(rule_ids - set(classes.classes)):
        problems.append(Problem(cls_display, f"rule {rule_id} of pack cn-genai has no class", field="classes"))
    for rule_id in sorted(set(classes.classes) - rule_ids):
        where = line("classes", ("classes", rule_id))
        problems.append(Problem(cls_display, f"no rule {rule_id} in pack cn-genai", line=where, field=rule_id))
    clause_display = _display(PROFILE_FILES["clauses"])
    named: set[str] = set()
    for index, clause in enumerate(clauses.clauses):
        for rule_id in clause.rules:
            named.add(rule_id)
            if rule_id not in rule_ids:
                where = line("clauses", ("clauses", index, "rules"))
                problems.append(Problem(clause_display, f"clause {clause.id}: no rule {rule_id}", line=where))
    for rule_id in sorted(rule_ids - named):
        problems.append(Problem(clause_display, f"rule {rule_id} is in no clause; the report would not show it"))
    if problems:
        raise InputError(problems)
    reference = CnReference(profiles=profiles, clauses=clauses, classes=classes, appendix=appendix)
    return reference, tuple((_display(name), root / name) for name in PROFILE_FILES.values())


def select_profile(catalogue: ProfileCatalogue, date: dt.date) -> Profile:
    """The profile in force on the assessment date; before the first one, a bad-input error."""
    for profile in catalogue.profiles:
        if profile.applies_from <= date and (profile.applies_to is None or date <= profile.applies_to):
            return profile
    first = min(catalogue.profiles, key=lambda p: p.applies_from)
    if date < first.applies_from:
        message = (
            f"assessment date {date.isoformat()} is before {first.applies_from.isoformat()}, when the first profile "
            f"({first.id}, {first.name.en}) was issued: no assessment profile existed"
        )
    else:
        message = f"no profile applies on {date.isoformat()}"
    raise InputError([Problem("--assessment-date", message)])


def apply_overrides(profile: Profile, overrides: Sequence[str]) -> tuple[Profile, frozenset[str]]:
    """``NAME=VALUE`` pairs over the profile's parameters; returns the new profile and the names changed."""
    problems: list[Problem] = []
    params: dict[ParameterName, Parameter] = dict(profile.parameters)
    changed: set[str] = set()
    for text in overrides:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or name not in PARAMETER_NAMES:
            problems.append(
                Problem("--param", f"{text!r}: write NAME=VALUE with NAME one of {', '.join(PARAMETER_NAMES)}")
            )
            continue
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            problems.append(Problem("--param", f"{name}: {value!r} is not a number"))
            continue
        if not number.is_finite() or number < 0:
            problems.append(Problem("--param", f"{name}: {value!r} must be a number of at least 0"))
            continue
        if name in RATE_PARAMETERS and number > 1:
            problems.append(Problem("--param", f"{name}: {value!r} is a fraction between 0 and 1 (e.g. 0.96)"))
            continue
        if name not in RATE_PARAMETERS and number != number.to_integral_value():
            problems.append(Problem("--param", f"{name}: {value!r} must be a whole number"))
            continue
        if number > INT64_MAX:  # compared with item counts, which the engine holds in 64 bits
            shown = value if len(value) <= 30 else f"{value[:20]}... ({len(value):,} characters)"
            problems.append(Problem("--param", f"{name}: {shown} is beyond {INT64_MAX:,}"))
            continue
        key: ParameterName = name  # type: ignore[assignment]
        params[key] = params[key].model_copy(update={"value": number})
        changed.add(name)
    if problems:
        raise InputError(problems)
    return profile.model_copy(update={"parameters": params}), frozenset(changed)


def require_acquisition(loaded: LoadedManifest) -> None:
    """Every source used in training needs a CN acquisition type: the filing form reports the corpus by it.

    An unknown value is already refused by the inventory loader; an empty one is refused here.
    """
    problems: list[Problem] = []
    inventory = loaded.display(loaded.source_files[0]) if loaded.source_files else loaded.display(loaded.path)
    is_csv = bool(loaded.source_files) and loaded.source_files[0].suffix.lower() == ".csv"
    allowed = ", ".join(a.value for a in CnAcquisition)
    for index, source in enumerate(loaded.sources):
        if source.used_in_training and source.cn_acquisition is None:
            where: dict[str, int] = {}
            if loaded.source_files:
                where = {"line": index + 2} if is_csv else {"row": index + 1}
            problems.append(
                Problem(
                    inventory,
                    f"source {source.source_id!r} has no acquisition type; the Chinese assessment reports the corpus "
                    f"by it (allowed: {allowed})",
                    field="cn_acquisition" if loaded.source_files else f"sources[{index}].cn_acquisition",
                    **where,
                )
            )
    if problems:
        raise InputError(problems)
