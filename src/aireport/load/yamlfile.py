"""Safe YAML with line numbers, and pydantic errors mapped back to the line that caused them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from aireport.errors import InputError, Problem
from aireport.guards import yaml as guarded_yaml
from aireport.guards.text import decode
from aireport.load import parsed_cache

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def read_yaml(path: Path, display: str, *, marks: bool = True) -> Any:
    """Parse YAML under the bounds of :mod:`aireport.guards.yaml`; neither loader builds Python objects
    from tags, and every failure names its line.

    With ``marks`` the round-trip loader keeps every node's line, for located errors; it is pure
    Python and reading the two built-in packs (76 files) took 0.25 s with it. Without, libyaml's
    safe loader (ruamel.yaml.clib) gives the same plain data in a sixth of the time and no lines: a
    caller that then finds a problem reads the file again with marks (see :func:`with_marks`).
    Parsed data is cached by content (:mod:`aireport.load.parsed_cache`) only once it passed every check.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(display, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(display, "is a folder, not a file")]) from None
    except OSError as exc:
        raise InputError([Problem(display, f"cannot read file: {exc.strerror or exc}")]) from None
    text = decode(data, display)
    if not marks:
        cached = parsed_cache.get(text)
        if cached is not None:
            return cached.value
        value = guarded_yaml.load(text, display)
        parsed_cache.put(text, value)
        return value
    return guarded_yaml.load(text, display, marks=True)


def with_marks(read: Callable[[bool], tuple[T, list[Problem]]]) -> tuple[T, list[Problem]]:
    """Run ``read(marks=False)``; if it finds any problem, run it again with line marks so that every
    problem it reports is located. Clean files, the usual case, are parsed once and fast."""
    try:
        result, problems = read(False)
        if not problems:
            return result, problems
    except InputError:
        pass
    return read(True)


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """Best line for a pydantic error location inside a ruamel document (1-based)."""
    node = data
    line: int | None = getattr(getattr(node, "lc", None), "line", None)
    line = line + 1 if line is not None else None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            key_line = node.lc.key(part)[0] if part in node.lc.data else None
            line = key_line + 1 if key_line is not None else line
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            item_line = node.lc.item(part)[0] if part in node.lc.data else None
            line = item_line + 1 if item_line is not None else line
            node = node[part]
        # Other parts are pydantic's union tags ('leaf', 'all'...) and do not move in the document.
    return line


_UNION_TAGS = frozenset({"leaf", "all", "any", "not"})


def field_path(loc: tuple[int | str, ...], data: Any) -> str:
    """Dotted path of the document's own keys (pydantic's union tags dropped)."""
    parts: list[str] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            parts.append(str(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parts.append(f"[{part}]")
            node = node[part]
        elif i == len(loc) - 1 and isinstance(part, str) and part not in _UNION_TAGS:
            parts.append(part)  # a missing or unknown key: name it anyway
    return ".".join(parts).replace(".[", "[")


def kind_of(value: Any) -> str:
    """What a value is, in the words of a message: nothing, a list, a text, a number..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, int | float):
        return "a number"
    return "a mapping" if isinstance(value, dict) else type(value).__name__


def describe_error(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] in {"model_type", "dict_type", "model_attributes_type"}:
        return f"expected a mapping (key: value lines), found {kind_of(err.get('input'))}"
    if "input" in err and err["type"] not in {"model_type", "dict_type"} and not isinstance(err["input"], dict):
        found = repr(err["input"])
        if len(found) > 80:
            found = found[:77] + "..."
        if "found" not in msg:
            return f"{msg} (found {found})"
    return msg


def validation_problems(
    exc: ValidationError, data: Any, display: str, prefix: tuple[int | str, ...] = ()
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        problems.append(
            Problem(
                display,
                describe_error(err),
                line=line_of(data, loc),
                field=field_path(loc, data) or None,
            )
        )
    return _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int | None, str | None, str]] = set()
    out = []
    for p in problems:
        key = (p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def validate_yaml(model: type[M], data: Any, display: str) -> M:
    try:
        return model.model_validate(plain(data))
    except ValidationError as exc:
        raise InputError(validation_problems(exc, data, display)) from None


def plain(data: Any) -> Any:
    """ruamel containers to plain dicts and lists (pydantic validates these)."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if hasattr(data, "tag") and type(data).__module__.startswith("ruamel"):
        # Scalar subclasses (ScalarFloat, TaggedScalar...) back to built-ins.
        for base in (bool, int, float, str):
            if isinstance(data, base):
                return base(data)
    return data


def load_model(model: type[M], path: Path, display: str) -> M:
    """A YAML file validated as ``model``: parsed fast (libyaml) and, only when it does not validate, parsed
    again with line marks so every problem names its line."""
    fast = read_yaml(path, display, marks=False)
    try:
        return model.model_validate(plain(fast))
    except ValidationError:
        return validate_yaml(model, read_yaml(path, display), display)
