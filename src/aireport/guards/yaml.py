"""YAML from strangers, parsed under bounds and with every failure located (file, line, what, the limit).

Before anything is constructed, the document's events are walked once (libyaml's C parser when installed):

* nesting deeper than :data:`MAX_DEPTH` mappings and sequences is refused (the constructors, pydantic and
  every walker downstream recurse, and a few thousand levels end in a RecursionError);
* aliases may add at most :data:`MAX_ALIAS_NODES` nodes once expanded: a "billion laughs" document grows
  by a factor at each level and is refused at the level that crosses the budget, long before memory is;
* only the standard tags of YAML 1.2's core schema are accepted (``!!python/...`` or ``!custom`` would
  silently change what a value means in one loader and not in the other).

The constructors then refuse what Python would raise on: a date that does not exist (2025-02-30), an
integer of more than :data:`MAX_INT_DIGITS` digits (Python refuses 4,300 and a traceback followed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.parser import ParserError
from ruamel.yaml.scanner import ScannerError

from aireport.errors import InputError, Problem

MAX_DEPTH = 64
"""Mappings and sequences nested in each other; the deepest shipped file uses 12."""

MAX_ALIAS_NODES = 100_000
"""Nodes that aliases may add to a document once expanded (a shared block of 10,000 nodes, ten times)."""

MAX_INT_DIGITS = 100
"""Digits of an integer literal; 10^100 is already far beyond any count or FLOP figure."""

_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    _CORE + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "omap", "pairs", "set")
)


def check_bounds(text: str, display: str) -> None:
    """Walk the events of ``text``: depth, alias expansion and tags within bounds, or a located InputError."""
    walk = _Walk(display)
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            walk.event(event)
    except YAMLError as exc:
        raise InputError([yaml_problem(exc, display)]) from None


@dataclass
class _Walk:
    """The expanded size of every open collection and anchored node, as the events go by."""

    display: str
    sizes: list[int] = field(default_factory=list)  # expanded node count of each open collection
    anchors: list[str | None] = field(default_factory=list)
    anchored: dict[str, int] = field(default_factory=dict)  # anchor -> expanded node count of its node
    added: int = 0  # nodes the aliases added so far

    def fail(self, event: Any, message: str) -> InputError:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        return InputError([Problem(self.display, message, line=line)])

    def count(self, size: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchored[str(anchor)] = size
        if self.sizes:
            self.sizes[-1] += size

    def event(self, event: Any) -> None:
        if isinstance(event, CollectionEndEvent):
            self.count(self.sizes.pop(), self.anchors.pop())
            return
        if not isinstance(event, NodeEvent):
            return  # stream and document boundaries
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ALLOWED_TAGS:
            raise self.fail(event, f"tag {tag.removeprefix(_CORE)!r} is not allowed")
        if isinstance(event, AliasEvent):
            size = self.anchored.get(str(event.anchor), 1)
            self.added += size
            if self.added > MAX_ALIAS_NODES:
                raise self.fail(
                    event,
                    f"aliases expand the document beyond {MAX_ALIAS_NODES:,} nodes (the limit); write the values out",
                )
            self.count(size, None)
        elif isinstance(event, CollectionStartEvent):
            self.sizes.append(1)
            self.anchors.append(event.anchor)
            if len(self.sizes) > MAX_DEPTH:
                raise self.fail(event, f"nested deeper than {MAX_DEPTH} levels (the depth limit)")
        else:
            self.count(1, event.anchor)  # a scalar


def yaml_problem(exc: YAMLError, display: str) -> Problem:
    """A parser or constructor error as a located problem: the line it was found on, and where the
    construct it breaks began when that was on another line (an unclosed bracket is found later)."""
    if not isinstance(exc, MarkedYAMLError):
        return Problem(display, f"malformed YAML: {' '.join(str(exc).split())}")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    message = exc.problem or exc.context or "malformed"
    if exc.context and exc.problem and exc.context_mark is not None and exc.context_mark.line + 1 != line:
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    prefix = "malformed YAML: " if isinstance(exc, ScannerError | ParserError) else ""
    return Problem(display, prefix + message, line=line)


def _timestamp(constructor: Any, node: ScalarNode, base: Any) -> Any:
    try:
        return base(constructor, node)
    except (ValueError, OverflowError):
        raise ConstructorError(
            None, None, f"{node.value!r} is not a date or time that exists", node.start_mark
        ) from None


def _int(constructor: Any, node: ScalarNode, base: Any) -> Any:
    digits = sum(ch.isdigit() for ch in str(node.value))
    if digits > MAX_INT_DIGITS:
        raise ConstructorError(
            None, None, f"a number with {digits:,} digits; at most {MAX_INT_DIGITS} are read", node.start_mark
        )
    return base(constructor, node)


class _Safe(SafeConstructor):
    def checked_timestamp(self, node: ScalarNode, values: Any = None) -> Any:
        return _timestamp(self, node, SafeConstructor.construct_yaml_timestamp)

    def checked_int(self, node: ScalarNode) -> Any:
        return _int(self, node, SafeConstructor.construct_yaml_int)


class _RoundTrip(RoundTripConstructor):
    def checked_timestamp(self, node: ScalarNode, values: Any = None) -> Any:
        return _timestamp(self, node, RoundTripConstructor.construct_yaml_timestamp)

    def checked_int(self, node: ScalarNode) -> Any:
        return _int(self, node, RoundTripConstructor.construct_yaml_int)


for _cls in (_Safe, _RoundTrip):
    _cls.add_constructor(_CORE + "timestamp", _cls.checked_timestamp)
    _cls.add_constructor(_CORE + "int", _cls.checked_int)


def loader(marks: bool) -> YAML:
    """libyaml's safe loader (fast, plain data) or, with ``marks``, the round-trip loader whose containers
    know their lines; both with checked constructors and duplicate keys refused."""
    yaml = YAML(typ="rt", pure=True) if marks else YAML(typ="safe", pure=False)
    yaml.Constructor = _RoundTrip if marks else _Safe
    yaml.allow_duplicate_keys = False
    return yaml


def load(text: str, display: str, *, marks: bool = False) -> Any:
    """``text`` checked (:func:`check_bounds`) and constructed; any failure is a located InputError.

    Without ``marks`` the fast loader is tried first; a document it refuses is read again with marks, so the
    error names its line whichever loader found it.
    """
    check_bounds(text, display)
    if not marks:
        try:
            return loader(False).load(text)
        except YAMLError:
            pass  # located below
    try:
        return loader(True).load(text)
    except YAMLError as exc:
        raise InputError([yaml_problem(exc, display)]) from None
