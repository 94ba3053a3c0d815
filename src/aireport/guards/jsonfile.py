"""JSON read strictly: what Python's parser lets through, or dies on, is a located error here.

``json.loads`` keeps the last of two equal keys (a saved document could say two things and show one), reads
``NaN`` and ``Infinity``, raises RecursionError on deep nesting and ValueError on integers of more than
4,300 digits. One pass over the tokens (strings first, so nothing inside a string counts) checks each of
these with its line before the parser runs.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from aireport.errors import InputError, Problem
from aireport.guards.text import decode

MAX_DEPTH = 64
"""Objects and arrays nested in each other; aireport's documents use fewer than 10."""

MAX_DIGITS = 30
"""Digits before the decimal point of a number (a 64-bit count has 19)."""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]|-?(?:NaN|Infinity)\b|-?[0-9][0-9.eE+-]*')
_DIGITS = re.compile(r"[0-9]+")


def loads(data: bytes | str, display: str) -> Any:
    """The JSON value of ``data``, or an InputError naming the line and what is wrong."""
    text = decode(data, display) if isinstance(data, bytes) else data
    check(text, display)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(display, f"not JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)]) from None


def check(text: str, display: str) -> None:
    """Depth, duplicate keys, NaN and Infinity, oversized numbers: the first one found, located by line and
    by the path of keys and indexes that leads to it (``sources[0].declared_items``)."""
    scanner = _Scanner(text, display)
    for match in _TOKEN.finditer(text):
        scanner.token(match.group(), match.start())


@dataclass
class _Frame:
    keys: set[str] | None  # an object's keys so far; None for an array
    at: str | int | None  # the current key, or the current index


@dataclass
class _Scanner:
    """The open objects and arrays while the tokens go by, and what is expected next."""

    text: str
    display: str
    stack: list[_Frame] = field(default_factory=list)
    expect_key: bool = False

    def fail(self, position: int, message: str) -> InputError:
        line = self.text.count("\n", 0, position) + 1
        return InputError([Problem(self.display, message, line=line, field=_path(self.stack) or None)])

    def token(self, token: str, position: int) -> None:
        first = token[0]
        if first == '"':
            self.string(token, position)
        elif first in "{[":
            self.stack.append(_Frame(set() if first == "{" else None, None if first == "{" else 0))
            if len(self.stack) > MAX_DEPTH:
                raise self.fail(position, f"nested deeper than {MAX_DEPTH} levels (the depth limit)")
            self.expect_key = first == "{"
        elif first in "}]":
            if self.stack:
                self.stack.pop()
            self.expect_key = False
        elif first == ",":
            frame = self.stack[-1] if self.stack else None
            self.expect_key = frame is not None and frame.keys is not None
            if frame is not None and isinstance(frame.at, int):
                frame.at += 1
        elif "N" in token or "I" in token:
            raise self.fail(position, f"{token} is not a JSON number; write a finite number or null")
        else:
            _number(token, position, self.fail)

    def string(self, token: str, position: int) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.keys is not None and self.expect_key:
            key = _string(token)
            frame.at = key
            if key in frame.keys:
                raise self.fail(position, f"duplicate key {key!r}: it appears twice in one object")
            frame.keys.add(key)
        self.expect_key = False


def _path(stack: list[_Frame]) -> str:
    out = ""
    for frame in stack:
        if isinstance(frame.at, int):
            out += f"[{frame.at}]"
        elif frame.at is not None:
            out += ("." if out else "") + frame.at
    return out if len(out) <= 80 else "..." + out[-77:]


def _string(token: str) -> str:
    try:
        value = json.loads(token)
    except json.JSONDecodeError:
        return token  # malformed escapes: the parser will say where
    return str(value)


def _number(token: str, position: int, fail: Any) -> None:
    whole = _DIGITS.match(token.lstrip("-"))
    digits = len(whole.group()) if whole else 0
    if digits > MAX_DIGITS:
        raise fail(position, f"a number with {digits:,} digits; at most {MAX_DIGITS} are read")
    try:
        value = float(token)
    except ValueError:
        return  # not a number after all: the parser will say where
    if math.isinf(value):
        raise fail(position, f"{token} is beyond the range of a double-precision number")
