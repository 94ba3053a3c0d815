"""Rule packs: a folder with ``pack.yaml`` and one YAML file per rule. Loading runs no code.

Every problem in every file is collected before failing, each with its file, line and field, so a
pack author fixes a pack in one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache, partial
from pathlib import Path

import duckdb

from aireport.errors import InputError, Problem
from aireport.guards.paths import leaves
from aireport.load.yamlfile import line_of, read_yaml, validate_yaml, with_marks
from aireport.models.fields import FIELDS, FieldInfo
from aireport.models.rules import (
    OPERATORS,
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    Measure,
    NotOf,
    PackManifest,
    Rule,
    RulePack,
    Scope,
    iter_leaves,
)
from aireport.resources import data_dir

PACK_FILE = "pack.yaml"


def builtin_packs() -> list[str]:
    root = data_dir("rules")
    return sorted(p.name for p in root.iterdir() if (p / PACK_FILE).is_file())


def resolve_pack(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if (candidate / PACK_FILE).is_file():
        return candidate
    builtin = data_dir("rules") / name_or_path
    if "/" not in name_or_path and (builtin / PACK_FILE).is_file():
        return builtin
    raise InputError(
        [
            Problem(
                name_or_path,
                f"no rule pack of that name or folder; built-in packs: {', '.join(builtin_packs())}",
                field="--pack",
            )
        ]
    )


def load_pack(name_or_path: str) -> RulePack:
    folder = resolve_pack(name_or_path)
    display_root = name_or_path.rstrip("/")
    manifest_path = folder / PACK_FILE
    manifest_display = f"{display_root}/{PACK_FILE}"
    outside = [p for p in [manifest_path, *folder.glob("*.yaml")] if leaves(p, folder)]
    if outside:  # a stranger's pack reads nothing outside its folder, not even to name it in an error
        raise InputError(
            [
                Problem(f"{display_root}/{p.name}", "is a link that leads outside the pack folder; refused")
                for p in sorted(set(outside))
            ]
        )
    manifest, problems = with_marks(partial(_read_manifest, manifest_path, manifest_display))
    rules: list[Rule] = []
    where: dict[str, str] = {}
    rule_files = sorted(p for p in folder.glob("*.yaml") if p.name != PACK_FILE and p.is_file())
    for path in rule_files:
        display = f"{display_root}/{path.name}"
        rule, found = with_marks(partial(_read_rule, path, display))
        problems += found
        if rule is None:
            continue
        if rule.id in where:
            problems.append(Problem(display, f"duplicate rule id {rule.id!r} (also in {where[rule.id]})", field="id"))
        where[rule.id] = display
        rules.append(rule)
    if not rule_files:
        problems.append(Problem(display_root, "the pack has no rule files"))
    if problems:
        raise InputError(problems)
    return RulePack(
        manifest=manifest,
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        digest=_digest([manifest_path, *rule_files], folder),
    )


def _read_manifest(path: Path, display: str, marks: bool) -> tuple[PackManifest, list[Problem]]:
    data = read_yaml(path, display, marks=marks)
    manifest = validate_yaml(PackManifest, data, display)
    problems: list[Problem] = []
    for index, measure in enumerate(manifest.measures):
        problems += _check_measure(measure, data, ("measures", index), display)
    return manifest, problems


def _read_rule(path: Path, display: str, marks: bool) -> tuple[Rule | None, list[Problem]]:
    """One rule file: the rule (None if it does not validate) and the problems found in it."""
    try:
        data = read_yaml(path, display, marks=marks)
        rule = validate_yaml(Rule, data, display)
    except InputError as exc:
        return None, list(exc.problems)
    problems = []
    if path.stem != rule.id:
        problems.append(
            Problem(display, f"file name must match the rule id {rule.id!r}", line=line_of(data, ("id",)), field="id")
        )
    return rule, problems + _check_rule(rule, data, display)


def load_packs(names: Iterable[str]) -> list[RulePack]:
    packs = [load_pack(n) for n in names]
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for pack in packs:
        if pack.manifest.id in seen:
            problems.append(Problem(pack.manifest.id, "the same pack is selected twice", field="--pack"))
        seen[pack.manifest.id] = pack.manifest.id
    ids: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in ids and ids[rule.id] != pack.manifest.id:
                problems.append(
                    Problem(
                        pack.manifest.id,
                        f"rule id {rule.id!r} is also defined by pack {ids[rule.id]!r}",
                        field="id",
                    )
                )
            ids[rule.id] = pack.manifest.id
    if problems:
        raise InputError(problems)
    return packs


def _digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _check_rule(rule: Rule, data: object, display: str) -> list[Problem]:
    catalogue = FIELDS[rule.scope]
    problems = []
    for key, cond in (("applies_if", rule.applies_if), ("condition", rule.condition)):
        if cond is not None:
            problems += _check_condition(cond, catalogue, rule.scope, data, (key,), display)
    for index, name in enumerate(rule.evidence):
        if name not in catalogue:
            problems.append(
                _unknown_field(
                    name,
                    rule.scope,
                    catalogue,
                    display,
                    line_of(data, ("evidence", index)),
                    "evidence",
                )
            )
    read = {leaf.field for c in (rule.applies_if, rule.condition) if c is not None for leaf in iter_leaves(c)}
    for name in sorted(rule.absent_as_empty):
        if rule.scope is not Scope.ITEM or name.startswith("source.") or name not in catalogue or name not in read:
            problems.append(
                Problem(
                    display,
                    f"absent_as_empty names {name!r}: only item columns the rule's conditions read may be read as "
                    "empty when absent",
                    line=line_of(data, ("absent_as_empty",)),
                    field="absent_as_empty",
                )
            )
    return problems


def _check_measure(measure: Measure, data: object, loc: tuple[str | int, ...], display: str) -> list[Problem]:
    catalogue = FIELDS[Scope.ITEM]
    problems = []
    for key in ("field", "by"):
        name = getattr(measure, key)
        if name is not None and name not in catalogue:
            problems.append(_unknown_field(name, Scope.ITEM, catalogue, display, line_of(data, (*loc, key)), key))
    if measure.where is not None:
        problems += _check_condition(measure.where, catalogue, Scope.ITEM, data, (*loc, "where"), display)
    return problems


MAX_CONDITION_DEPTH = 16
"""all / any / not nested in each other; the shipped packs nest 4 deep."""


def condition_depth(cond: Condition) -> int:
    if isinstance(cond, AllOf | AnyOf):
        return 1 + max(condition_depth(c) for c in (cond.all if isinstance(cond, AllOf) else cond.any))
    if isinstance(cond, NotOf):
        return 1 + condition_depth(cond.not_)
    return 1


@cache
def _regex_problem(pattern: str) -> str | None:
    """The engine's regular expressions are RE2's: a pattern Python compiles (a lookbehind, a back
    reference) may not run there, so the engine itself is asked once, at load time."""
    try:
        duckdb.connect().execute("SELECT regexp_matches('', ?)", [pattern]).fetchall()
    except duckdb.Error as exc:
        detail = str(exc).strip().splitlines()[0].removeprefix("Invalid Input Error: ")
        return f"the engine cannot run the regular expression {pattern!r}: {detail} (RE2 syntax)"
    return None


def _check_condition(
    cond: Condition,
    catalogue: dict[str, FieldInfo],
    scope: Scope,
    data: object,
    loc: tuple[str | int, ...],
    display: str,
) -> list[Problem]:
    problems = []
    if condition_depth(cond) > MAX_CONDITION_DEPTH:
        return [
            Problem(
                display,
                f"conditions nest deeper than {MAX_CONDITION_DEPTH} levels of all / any / not (the depth limit)",
                line=line_of(data, loc),
                field=str(loc[-1]),
            )
        ]
    for leaf in iter_leaves(cond):
        line = _leaf_line(data, loc, leaf)
        if leaf.op == "matches" and isinstance(leaf.value, str):
            problem = _regex_problem(leaf.value)
            if problem is not None:
                problems.append(Problem(display, problem, line=line, field=leaf.op))
        info = catalogue.get(leaf.field)
        if info is None:
            problems.append(_unknown_field(leaf.field, scope, catalogue, display, line, leaf.op))
            continue
        spec = OPERATORS[leaf.op]
        if info.type not in spec.field_types:
            problems.append(
                Problem(
                    display,
                    f"operator {leaf.op} does not apply to {leaf.field} ({info.type}); "
                    f"it takes {', '.join(sorted(spec.field_types))}",
                    line=line,
                    field=leaf.op,
                )
            )
            continue
        if info.allowed and leaf.op in {"eq", "ne", "in", "not_in"}:
            values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
            bad = [v for v in values if str(v) not in info.allowed]
            if bad:
                problems.append(
                    Problem(
                        display,
                        f"value {bad[0]!r} is not allowed for {leaf.field}; allowed: {', '.join(info.allowed)}",
                        line=line,
                        field=leaf.op,
                    )
                )
        if spec.value == "scalar" and info.type == "BOOLEAN" and not isinstance(leaf.value, bool):
            problems.append(
                Problem(
                    display,
                    f"{leaf.field} is true or false, found {leaf.value!r}",
                    line=line,
                    field=leaf.op,
                )
            )
    return problems


def _leaf_line(data: object, loc: tuple[str | int, ...], leaf: Leaf) -> int | None:
    """Find the leaf's own line by searching the subtree for the mapping that names its field."""
    node = data
    for part in loc:
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    found = _find_leaf(node, leaf)
    return found if found is not None else line_of(data, loc)


def _find_leaf(node: object, leaf: Leaf) -> int | None:
    if isinstance(node, dict):
        named = node.get("field", node.get(leaf.op))
        if named == leaf.field and leaf.op in node and hasattr(node, "lc"):
            return int(node.lc.line) + 1
        children: Iterable[object] = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        line = _find_leaf(child, leaf)
        if line is not None:
            return line
    return None


def _unknown_field(
    name: str,
    scope: Scope,
    catalogue: dict[str, FieldInfo],
    display: str,
    line: int | None,
    key: str,
) -> Problem:
    close = sorted(n for n in catalogue if n.split(".")[-1] == name.rsplit(".", maxsplit=1)[-1] or name in n)[:5]
    hint = f"; did you mean {', '.join(close)}?" if close else f"; see `aireport fields --scope {scope.value}`"
    return Problem(display, f"unknown field {name!r} for scope {scope.value}{hint}", line=line, field=key)
