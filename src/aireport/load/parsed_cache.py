"""Parsed YAML kept as JSON, by the SHA-256 of the text: a file is parsed once per content, not once per run.

Reading the two built-in packs, the licence table and the Chinese reference data (about 110 YAML files) took
0.6 s of every ``aireport check``, most of it in the YAML library's Python constructors; the same data read
back as JSON (C parser) takes a few milliseconds. The cache holds plain data only (JSON: no object is ever
constructed from it), keyed by the text itself, so an edited or a stranger's file is simply a new entry.
Dates, non-string keys and the like are written with ``$`` tags; anything else JSON cannot hold is not
cached. ``AIREPORT_CACHE_DIR`` moves the cache (default ``$XDG_CACHE_HOME/aireport`` or
``~/.cache/aireport``); ``AIREPORT_NO_CACHE=1`` turns it off. A cache that cannot be written is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

FORMAT = "yaml-json-1"


@dataclass(frozen=True)
class Hit:
    value: Any


class _Uncachable(Exception):
    pass


@cache
def _folder() -> Path | None:
    if os.environ.get("AIREPORT_NO_CACHE"):
        return None
    root = os.environ.get("AIREPORT_CACHE_DIR")
    if root:
        return Path(root) / FORMAT
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aireport" / FORMAT


@cache
def _salt() -> bytes:
    # The YAML library decides what a text means (dates, octals, ...): a new version is a new cache.
    return f"{FORMAT}\0ruamel.yaml {version('ruamel.yaml')}\0".encode()


def _path(text: str) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    key = hashlib.sha256(_salt() + text.encode("utf-8")).hexdigest()
    return folder / key[:2] / f"{key}.json"


def get(text: str) -> Hit | None:
    path = _path(text)
    if path is None:
        return None
    try:
        return Hit(_decode(json.loads(path.read_bytes())))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: parse the YAML


def put(text: str, data: Any) -> None:
    path = _path(text)
    if path is None:
        return
    try:
        payload = json.dumps(_encode(data), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (_Uncachable, ValueError):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError:
        return


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"$float": repr(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise _Uncachable(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, inner),) = value.items()
            if tag == "$date":
                return dt.date.fromisoformat(inner)
            if tag == "$datetime":
                return dt.datetime.fromisoformat(inner)
            if tag == "$float":
                return float(inner)
            if tag == "$map":
                return {_decode(k): _decode(v) for k, v in inner}
        return {k: _decode(v) for k, v in value.items()}
    return value
