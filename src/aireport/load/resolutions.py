"""The resolutions file (``--resolutions FILE``): waivers read, validated and checked against the run's packs and
inventory before any scan. A finding id no pack declares, a scope source the inventory does not have, or a date
that is not a date is a located error (file, line, field, what was found, what is allowed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.load.yamlfile import line_of, read_yaml, validate_yaml
from aireport.models.provenance import Source
from aireport.models.resolutions import ResolutionsFile
from aireport.models.rules import RulePack


def load_resolutions(path: Path, display: str, packs: Sequence[RulePack], sources: Sequence[Source]) -> ResolutionsFile:
    data = read_yaml(path, display)
    if not isinstance(data, dict):
        raise InputError([Problem(display, "a resolutions file is a mapping with a 'resolutions' list", line=1)])
    try:
        parsed = validate_yaml(ResolutionsFile, data, display)
    except InputError as exc:  # say what a date must look like
        raise InputError(
            [
                replace(p, message=f"{p.message}; allowed: a date YYYY-MM-DD")
                if (p.field or "").endswith((".date", ".expires")) and "date" in p.message
                else p
                for p in exc.problems
            ]
        ) from None
    findings = {(p.manifest.id, r.id) for p in packs for r in p.rules if p.manifest.id != "resolutions"}
    ids = {rule_id for _, rule_id in findings}
    pack_names = ", ".join(p.manifest.id for p in packs if p.manifest.id != "resolutions")
    known_sources = {s.source_id for s in sources}
    problems: list[Problem] = []
    for i, r in enumerate(parsed.resolutions):
        where = ("resolutions", i)
        if (r.pack is None and r.rule_id not in ids) or (r.pack is not None and (r.pack, r.rule_id) not in findings):
            problems.append(
                Problem(
                    display,
                    f"found {r.finding!r}, which no evaluated pack declares; allowed: a rule or check id of "
                    f"{pack_names} (aireport rules --pack NAME lists them), or pack/id",
                    line=line_of(data, (*where, "finding")),
                    field=f"resolutions[{i}].finding",
                )
            )
        for j, sid in enumerate(r.scope.sources):
            if sid not in known_sources:
                problems.append(
                    Problem(
                        display,
                        f"found {sid!r}, which matches no source of the inventory; allowed: "
                        f"{', '.join(sorted(known_sources))}",
                        line=line_of(data, (*where, "scope", "sources", j)),
                        field=f"resolutions[{i}].scope.sources[{j}]",
                    )
                )
        if len(set(r.scope.items)) != len(r.scope.items):
            problems.append(
                Problem(
                    display,
                    "an item id is listed twice; allowed: each item once",
                    line=line_of(data, (*where, "scope", "items")),
                    field=f"resolutions[{i}].scope.items",
                )
            )
    if problems:
        raise InputError(problems)
    return parsed
