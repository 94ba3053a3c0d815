"""Canonical JSON is exactly the standard library's indented, sorted, UTF-8 form, whatever the data."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aireport.models.base import constructor
from aireport.models.results import RankedGroup
from aireport.render.canonical import canonical_json

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()  # any code point: control characters, quotes, backslashes, line and paragraph separators
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=40,
)


def reference(data: Any) -> bytes:
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_the_bytes_of_the_standard_library(data: Any) -> None:
    assert canonical_json({"data": data}) == reference({"data": data})


TRICKY = st.sampled_from(["}", "{", "},", "}, {", "\n", "},\n      {", '"', "\\"]) | st.text(max_size=6)
ROWS = st.lists(st.dictionaries(TRICKY, SCALARS | TRICKY, min_size=1, max_size=4), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(ROWS, st.integers(min_value=0, max_value=3))
def test_tables_of_rows_at_any_depth(rows: list[dict[str, Any]], depth: int) -> None:
    """Lists of flat objects (written in one call of the C encoder), with keys and values that look like the
    boundaries between rows."""
    data: Any = rows
    for _ in range(depth):
        data = {"x": data, "y": [data]}
    assert canonical_json({"rows": data}) == reference({"rows": data})


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"a": []},
        {"a": {}},
        {"b": [1, [2, [3, {}]], {"x": "y,\n  z"}], "a": {"k": "v\u2028", "j": None}},
        {"list": ["a", "b"], "flat": {"z": 1.5, "y": True, "x": -0.0}, "deep": [[[]]]},
    ],
)
def test_hand_picked_shapes(data: dict[str, Any]) -> None:
    assert canonical_json(data) == reference(data)


def test_keys_that_are_not_text_follow_the_standard_library() -> None:
    data: dict[str, Any] = {"a": {2: "x", 1: "y"}}
    assert canonical_json(data) == reference(data)


@pytest.mark.parametrize("bad", [math.nan, math.inf, [math.nan], {"x": -math.inf}])
def test_nan_and_infinity_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"a": bad})


def test_constructor_builds_what_model_construct_builds() -> None:
    values: dict[str, Any] = {"rank": 3, "group": "example.org", "value": 12}
    build = constructor(RankedGroup, ("rank", "group", "value"))
    fast, other = build(dict(values)), build({"rank": 4, "group": "example.net", "value": 1})
    slow = RankedGroup.model_construct(**values)
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    assert canonical_json(fast) == canonical_json(slow)
    assert fast.model_copy(update={"rank": 9}).rank == 9
    assert (fast.rank, other.rank) == (3, 4)  # the shared set of field names, no shared values
    with pytest.raises(TypeError):
        constructor(RankedGroup, ("rank", "group"))  # a field missing: model_construct's job
