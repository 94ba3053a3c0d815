"""Canonical JSON is exactly the standard library's indented, sorted, UTF-8 form, whatever the data."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from aireport.models.base import constructor
from aireport.models.ranked import RankedGroup, RankedRows
from aireport.models.results import RankingResult
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


GROUPS = st.lists(TRICKY | st.text(), max_size=8)
AMOUNTS = st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(GROUPS.flatmap(lambda g: st.tuples(st.just(g), st.lists(AMOUNTS, min_size=len(g), max_size=len(g)))))
def test_ranked_rows_are_written_as_their_dicts(columns: tuple[list[str], list[int | float]]) -> None:
    """A ranking's columns, written from a placeholder, are the bytes the standard library writes for the
    list of row dicts, at any depth of the result and beside the ranking's other fields."""
    groups, values = columns
    ranking = RankingResult(
        distinct=len(groups), kept=len(groups), keep_fraction="1", total=0, order="o", top=RankedRows(groups, values)
    )
    rows = [{"rank": i + 1, "group": g, "value": v} for i, (g, v) in enumerate(zip(groups, values, strict=True))]
    dumped = ranking.model_dump(mode="json")
    assert dumped["top"] == rows  # without the canonical writer's context: the dicts
    assert canonical_json(ranking) == reference(dumped)
    assert canonical_json(Nested(rankings=[ranking, ranking])) == reference({"rankings": [dumped, dumped]})


class Nested(BaseModel):
    rankings: list[RankingResult]


def test_ranked_rows_read_as_rows() -> None:
    rows = RankedRows(["b.example", "a.example", "c.example"], [30, 20, 2.5])
    expected = [(1, "b.example", 30), (2, "a.example", 20), (3, "c.example", 2.5)]
    assert [(g.rank, g.group, g.value) for g in rows] == expected == list(rows.numbered())
    assert rows[-1] == RankedGroup(rank=3, group="c.example", value=2.5)
    tail = rows[1:]
    assert (tail.first_rank, [g.rank for g in tail], len(rows[:0])) == (2, [2, 3], 0)
    assert (
        RankingResult.model_validate(
            {"distinct": 3, "kept": 3, "keep_fraction": "1", "total": 52.5, "order": "o", "top": rows.as_dicts()}
        ).top
        == rows
    )
    with pytest.raises(IndexError):
        rows[3]
    with pytest.raises(ValueError, match="count up by one"):
        RankedRows.of([RankedGroup(rank=1, group="a", value=1), RankedGroup(rank=3, group="b", value=1)])
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json(RankingResult(distinct=1, kept=1, keep_fraction="1", total=0, order="o",
                                     top=RankedRows(["a"], [math.inf])))  # fmt: skip
