"""A ranked list kept as two columns: the EU Summary's domain list has 150,000 rows at 100M items and 1.4M at
700M, which as one pydantic object per row cost ~400 bytes and ~2 us each to build, and as many again to dump
(a run's peak memory and a third of an incremental run's time went there). Each row is built only when read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from aireport.models.base import constructor

__all__ = ["ROWS_PLACEHOLDER", "RankedGroup", "RankedRows"]

ROWS_PLACEHOLDER = "aireport.ranked-rows"
"""The serialization context key under which a writer that can write the rows itself (render/canonical.py)
collects them: the dump then holds ``{token: index}`` in their place instead of a dict per row."""


class RankedGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rank: int
    group: str
    value: float | int


class RankedRows(Sequence[RankedGroup]):
    """Groups in rank order with their values; ranks count from ``first_rank``. Read as a sequence of
    :class:`RankedGroup`; validated from and dumped as a list of them (the JSON and its schema are unchanged)."""

    __slots__ = ("_first", "_groups", "_values")

    def __init__(self, groups: Sequence[str], values: Sequence[int | float], first_rank: int = 1) -> None:
        if len(groups) != len(values):
            raise ValueError(f"{len(groups)} groups and {len(values)} values")
        self._groups = list(groups)
        self._values = list(values)
        self._first = first_rank

    @property
    def groups(self) -> list[str]:
        return list(self._groups)

    @property
    def values(self) -> list[int | float]:
        return list(self._values)

    @property
    def first_rank(self) -> int:
        return self._first

    def __len__(self) -> int:
        return len(self._groups)

    @overload
    def __getitem__(self, index: int) -> RankedGroup: ...

    @overload
    def __getitem__(self, index: slice) -> RankedRows: ...

    def __getitem__(self, index: int | slice) -> RankedGroup | RankedRows:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self._groups))
            if step != 1:
                raise IndexError("ranked rows are sliced with step 1 only (ranks stay consecutive)")
            return RankedRows(self._groups[start:stop], self._values[start:stop], self._first + start)
        position = range(len(self._groups))[index]  # negative indices, and IndexError past the end
        return _row({"rank": self._first + position, "group": self._groups[position], "value": self._values[position]})

    def __iter__(self) -> Iterator[RankedGroup]:
        for rank, group, value in self.numbered():
            yield _row({"rank": rank, "group": group, "value": value})

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RankedRows):
            return (self._first, self._groups, self._values) == (other._first, other._groups, other._values)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking like the list it replaces

    def __repr__(self) -> str:
        return f"RankedRows({len(self)} rows from rank {self._first})"

    def numbered(self) -> Iterator[tuple[int, str, int | float]]:
        """(rank, group, value) of each row, without building a row object."""
        return zip(itertools.count(self._first), self._groups, self._values, strict=False)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [{"rank": rank, "group": group, "value": value} for rank, group, value in self.numbered()]

    @classmethod
    def of(cls, rows: Sequence[RankedGroup]) -> RankedRows:
        """From rows whose ranks count up by one (what a ranking produces); anything else is refused."""
        if isinstance(rows, RankedRows):
            return rows
        first = rows[0].rank if rows else 1
        if any(row.rank != first + i for i, row in enumerate(rows)):
            raise ValueError("ranks must count up by one from the first row")
        return cls([row.group for row in rows], [row.value for row in rows], first)

    # --- pydantic -----------------------------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        rows = core_schema.no_info_after_validator_function(cls.of, handler.generate_schema(list[RankedGroup]))
        return core_schema.json_or_python_schema(
            json_schema=rows,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), rows]),
            serialization=core_schema.plain_serializer_function_ser_schema(_dump, info_arg=True),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The schema of what is dumped: a list of RankedGroup, as before the rows became columns.
        assert schema["type"] == "json-or-python"
        return handler(schema["json_schema"])


_row: Callable[[dict[str, Any]], RankedGroup] = constructor(RankedGroup, ("rank", "group", "value"))


def _dump(rows: RankedRows, info: core_schema.SerializationInfo) -> Any:
    context = info.context
    if isinstance(context, dict) and isinstance(collected := context.get(ROWS_PLACEHOLDER), dict):
        token = collected["token"]
        collected["rows"].append(rows)
        return {token: len(collected["rows"]) - 1}
    return rows.as_dicts()
