"""Canonical JSON: sorted keys, two-space indent, UTF-8, one trailing newline. Same model, same bytes.

The bytes are exactly ``json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)``.
The standard library writes indented JSON in pure Python (its C encoder cannot indent), which costs seconds
on a result with a 150,000-row domain list (100M items). So every container whose members are all scalars
(the ranked rows, the counts per value, the evidence lists: nearly all of a large result) is written by the C
encoder, given the separators that indentation would put between its members, and only the containers
around them in Python. A ranked list (:class:`aireport.models.ranked.RankedRows`, kept as columns) is not
dumped row by row at all: the dump holds a placeholder for it, and its rows are written here from the columns.
"""

from __future__ import annotations

import itertools
import json
import secrets
from collections.abc import Callable
from functools import cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]  # C when available
from typing import Any, NamedTuple

from pydantic import BaseModel

from aireport.models.ranked import ROWS_PLACEHOLDER, RankedRows

_SCALARS = (str, int, float, bool, type(None))


def canonical_json(model: BaseModel | dict[str, Any]) -> bytes:
    ranked = _Ranked(secrets.token_hex(16), [])  # a key no input can give: each call draws its own
    if isinstance(model, BaseModel):
        context = {ROWS_PLACEHOLDER: {"token": ranked.token, "rows": ranked.rows}}
        data = model.model_dump(mode="json", by_alias=True, context=context)
    else:
        data = model
    out: list[str] = []
    try:
        _write(data, 0, out, ranked)
    except _Unusual:  # a key that is not text: the standard library's own rules for it
        if isinstance(model, BaseModel):
            data = model.model_dump(mode="json", by_alias=True)  # every ranked row as a dict
        return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()
    out.append("\n")
    return "".join(out).encode("utf-8")


class _Ranked(NamedTuple):
    """The placeholders of one dump: ``{token: index}`` stands for ``rows[index]``."""

    token: str
    rows: list[RankedRows]


class _Unusual(Exception):
    pass


def _write(value: Any, level: int, out: list[str], ranked: _Ranked) -> None:
    if isinstance(value, dict):
        _write_object(value, level, out, ranked)
    elif isinstance(value, list | tuple):
        _write_array(value, level, out, ranked)
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    else:  # numbers, true, false, null (and the standard library's error for anything else)
        out.append(json.dumps(value, allow_nan=False))


def _write_object(value: dict[Any, Any], level: int, out: list[str], ranked: _Ranked) -> None:
    if not value:
        out.append("{}")
        return
    if len(value) == 1 and ranked.token in value:
        out.append(_ranked_rows(ranked.rows[value[ranked.token]], level))
        return
    if not all(isinstance(key, str) for key in value):
        raise _Unusual
    inner = "\n" + "  " * (level + 1)
    if all(isinstance(v, _SCALARS) for v in value.values()):
        out.append(_flat(value, inner, level))
        return
    separator = "{"
    for key in sorted(value):
        out.append(separator + inner + encode_basestring(key) + ": ")
        _write(value[key], level + 1, out, ranked)
        separator = ","
    out.append("\n" + "  " * level + "}")


def _write_array(value: list[Any] | tuple[Any, ...], level: int, out: list[str], ranked: _Ranked) -> None:
    if not value:
        out.append("[]")
        return
    inner = "\n" + "  " * (level + 1)
    if all(isinstance(v, _SCALARS) for v in value):
        out.append(_flat(value, inner, level))
        return
    if _are_flat_rows(value):
        out.append(_flat_rows(value, inner, level))
        return
    separator = "["
    for member in value:
        out.append(separator + inner)
        _write(member, level + 1, out, ranked)
        separator = ","
    out.append("\n" + "  " * level + "]")


def _ranked_rows(rows: RankedRows, level: int) -> str:
    """The rows as the list of ``{"group", "rank", "value"}`` objects :func:`_flat_rows` would write (keys
    sorted, strings by the same C function the encoder calls), from the columns."""
    if not rows:
        return "[]"
    inner = "\n" + "  " * (level + 1)
    deeper = inner + "  "
    head, rank, value = inner + "{" + deeper + '"group": ', "," + deeper + '"rank": ', "," + deeper + '"value": '
    tail = inner + "}"
    text = ",".join(
        f"{head}{encode_basestring(group)}{rank}{number}{value}{_number(amount)}{tail}"
        for number, group, amount in rows.numbered()
    )
    return "[" + text + "\n" + "  " * level + "]"


def _number(value: int | float) -> str:
    return str(value) if type(value) is int else json.dumps(value, allow_nan=False)


def _flat(value: dict[str, Any] | list[Any] | tuple[Any, ...], inner: str, level: int) -> str:
    """A non-empty container of scalars as the indented encoder writes it: the C encoder puts ``,`` + newline
    + indent between members (no member can contain that: a string's newline is written as ``\\n``); the
    opening and closing brackets get theirs here."""
    text = "".join(_encoder(inner)(value, 0))
    return text[0] + inner + text[1:-1] + "\n" + "  " * level + text[-1]


_SCALAR_TYPES = frozenset(_SCALARS)


def _are_flat_rows(rows: list[Any] | tuple[Any, ...]) -> bool:
    """Every member a non-empty dict of text keys and scalar values (of exactly those types: a subclass takes
    the general path). Checked with the types of all keys and values at once: a 150,000-row table in
    milliseconds, where a test per row cost most of the writing."""
    if set(map(type, rows)) != {dict} or not all(rows):
        return False
    keys = set(map(type, itertools.chain.from_iterable(rows)))
    values = set(map(type, itertools.chain.from_iterable(map(dict.values, rows))))
    return keys == {str} and values <= _SCALAR_TYPES


def _flat_rows(rows: list[Any] | tuple[Any, ...], inner: str, level: int) -> str:
    """A list of non-empty flat objects (a table's rows) in one call of the C encoder, with the rows' indentation
    between all members; then each boundary between two rows, ``}`` + that separator + ``{`` (which nothing
    else can be: a member of a row starts with its key's quote, and strings hold no raw newline), is given the
    list's indentation instead, and the rows their opening and closing lines."""
    deeper = inner + "  "
    text = "".join(_encoder(deeper)(rows, 0))
    body = text[2:-2].replace("}," + deeper + "{", deeper[:-2] + "}," + inner + "{" + deeper)
    return "[" + inner + "{" + deeper + body + inner + "}" + "\n" + "  " * level + "]"


@cache
def _encoder(inner: str) -> Callable[[Any, int], Any]:
    """The encoder ``json.dumps(..., sort_keys=True, ensure_ascii=False, allow_nan=False, separators=("," +
    inner, ": "))`` makes, made once per indentation (json.dumps builds one per call: ~5 us, a row)."""

    def refuse(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    if c_make_encoder is None:  # an interpreter without the C accelerator: the standard library as it is
        encoder = json.JSONEncoder(sort_keys=True, ensure_ascii=False, allow_nan=False, separators=("," + inner, ": "))
        return lambda value, _level: encoder.iterencode(value)
    made: Callable[[Any, int], Any] = c_make_encoder(
        None, refuse, encode_basestring, None, ": ", "," + inner, True, False, False
    )
    return made
