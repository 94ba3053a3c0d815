"""A semantic diff of two documents of the same kind: what a reader would see change, not what the bytes did.

Documents are compared as their JSON values. Objects are compared key by key; a list of objects that carry an
identity (a source id, a rule id, a language tag, a domain, a modality, ...) is compared by that identity, so a
source moving down a list is not "every row changed"; other lists are compared as a whole. Volatile fields (the
document date, the tool's version and the digests of the inputs, the previous-version block) are left out: two
runs of the same inputs on different days show no change. Pure functions; the CLI prints the result as Markdown
or JSON, and the EU Summary's "changes since the previous version" reads the same changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

VOLATILE: Final = frozenset({"document_date", "traceability", "changes", "previous_sha256"})
"""Keys never compared: dates, tool and input digests, and the Summary's own previous-version block."""

IDENTITY: Final = (
    ("pack", "rule_id"),
    ("rule_id", "source_id"),
    ("source_id",),
    ("rule_id",),
    ("check_id",),
    ("clause_id",),
    ("id",),
    ("tag",),
    ("domain",),
    ("modality",),
    ("severity",),
    ("category", "name"),
    ("name",),
)
"""Keys that identify an object in a list, tried in order: the first that every object of both lists has and
that is unique in each list is used."""

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    path: str
    kind: Kind
    old: Any = None
    new: Any = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind != "added":
            out["old"] = self.old
        if self.kind != "removed":
            out["new"] = self.new
        return out


class KindMismatch(ValueError):
    """Two documents of different kinds: there is nothing to compare."""


def _identity(old: list[Any], new: list[Any]) -> tuple[str, ...] | None:
    items = old + new
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for keys in IDENTITY:
        if all(all(k in i for k in keys) for i in items):
            ids_old = [tuple(i[k] for k in keys) for i in old]
            ids_new = [tuple(i[k] for k in keys) for i in new]
            if len(set(ids_old)) == len(ids_old) and len(set(ids_new)) == len(ids_new):
                return keys
    return None


def _label(keys: tuple[str, ...], item: dict[str, Any]) -> str:
    return "[" + ",".join(f"{k}={item[k]}" for k in keys) + "]"


def _walk(old: Any, new: Any, path: str) -> Iterable[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _objects(old, new, path)
    elif isinstance(old, list) and isinstance(new, list):
        keys = _identity(old, new)
        if keys is not None:
            yield from _keyed(old, new, path, keys)
        elif all(not isinstance(i, dict | list) for i in old + new):
            yield from _members(old, new, path)
        elif old != new:
            yield Change(path, "changed", old=old, new=new)
    elif old != new:
        yield Change(path, "changed", old=old, new=new)


def _objects(old: dict[str, Any], new: dict[str, Any], path: str) -> Iterable[Change]:
    for key in [*old, *(k for k in new if k not in old)]:
        if key in VOLATILE:
            continue
        sub = f"{path}.{key}" if path else key
        if key not in new:
            yield Change(sub, "removed", old=old[key])
        elif key not in old:
            yield Change(sub, "added", new=new[key])
        else:
            yield from _walk(old[key], new[key], sub)


def _keyed(old: list[Any], new: list[Any], path: str, keys: tuple[str, ...]) -> Iterable[Change]:
    by_old = {tuple(i[k] for k in keys): i for i in old}
    by_new = {tuple(i[k] for k in keys): i for i in new}
    for ident, item in by_old.items():
        sub = path + _label(keys, item)
        if ident not in by_new:
            yield Change(sub, "removed", old=item)
        else:
            yield from _walk(item, by_new[ident], sub)
    for ident, item in by_new.items():
        if ident not in by_old:
            yield Change(path + _label(keys, item), "added", new=item)


def _members(old: list[Any], new: list[Any], path: str) -> Iterable[Change]:
    """Lists of plain values: members added and removed; the same members in another order is one change."""
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    yield from (Change(f"{path}[]", "removed", old=item) for item in removed)
    yield from (Change(f"{path}[]", "added", new=item) for item in added)
    if not removed and not added and old != new:
        yield Change(path, "changed", old=old, new=new)


def diff_values(old: Any, new: Any, path: str = "") -> list[Change]:
    """Every change from ``old`` to ``new`` (JSON values), in document order."""
    return list(_walk(old, new, path))


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes between two saved documents; documents of different kinds are refused."""
    if old.get("document") != new.get("document"):
        raise KindMismatch(f"{old.get('document')!r} and {new.get('document')!r}")
    return diff_values(old, new)


def list_changes(old: Iterable[Any], new: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """(added, removed) between two lists of plain values, each in its own list's order."""
    old_list, new_list = list(old), list(new)
    changes = diff_values(old_list, new_list)
    return [c.new for c in changes if c.kind == "added"], [c.old for c in changes if c.kind == "removed"]


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else _compact(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 120 else text[:117] + "..."


def _compact(value: Any) -> str:
    import json  # noqa: PLC0415  # only the Markdown view needs it

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def markdown(changes: list[Change], old_name: str, new_name: str, document: str) -> str:
    """The changes as a Markdown table a reviewer can paste into a ticket or a pull request."""
    lines = [f"# Changes in {document}", "", f"From `{old_name}` to `{new_name}`: {len(changes)} changes.", ""]
    if not changes:
        return "\n".join([*lines, "No change (dates, tool version and input digests are not compared)."]) + "\n"
    lines += ["| field | change | before | after |", "|---|---|---|---|"]
    for change in changes:
        lines.append(f"| `{change.path}` | {change.kind} | {_cell(change.old)} | {_cell(change.new)} |")
    return "\n".join(lines) + "\n"
