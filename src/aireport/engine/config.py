"""How the engine runs: memory, threads, spill folder, accepted rejections, and which backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ProgressFn = Callable[[float, int | None], None]
"""Called with the percentage done and, when the files say it up front, the rows to read."""


@dataclass(frozen=True)
class EngineConfig:
    memory_limit: str = "1GB"
    threads: int | None = None
    temp_dir: Path | None = None
    evidence_limit: int = 10
    max_rejected_rows: int = 0
    engine: Literal["duckdb", "spark"] = "duckdb"
    spark_master: str | None = None  # Spark only: the cluster URL (default: local mode, all cores)
