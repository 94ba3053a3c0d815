"""Where the shipped data lives: ``aireport/_data`` in a wheel, the repository root in a checkout."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """The folder ``rules``, ``templates`` or ``examples``, wherever this install keeps it."""
    packaged = Path(str(files("aireport"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    # Editable installs and source checkouts: the folders sit at the repository root.
    return Path(__file__).resolve().parents[2] / name
