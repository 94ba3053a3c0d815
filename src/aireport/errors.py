"""Errors a user can act on. The CLI prints them and exits 2; nothing else reaches the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the format allows."""

    file: str
    message: str
    line: int | None = None  # 1-based line in a text file (YAML, CSV, JSONL)
    row: int | None = None  # 1-based data row (spreadsheets, Parquet), header excluded
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        elif self.row is not None:
            where += f": row {self.row}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class AireportError(Exception):
    """Base of every expected failure; carries one or more located problems."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        self.problems: tuple[Problem, ...] = (
            (Problem(file="aireport", message=problems),) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(AireportError):
    """A manifest, inventory, item manifest or rule pack is malformed."""


class RenderError(AireportError):
    """A document could not be produced (template, font, output folder)."""
