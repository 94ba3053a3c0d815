"""Canonical JSON: sorted keys, two-space indent, UTF-8, one trailing newline. Same model, same bytes."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def canonical_json(model: BaseModel | dict[str, Any]) -> bytes:
    data = model.model_dump(mode="json", by_alias=True) if isinstance(model, BaseModel) else model
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
