"""Importers: a dataset described in another format, read into aireport's manifest and source inventory.

Each format is a module here defining ``IMPORTER``, an :class:`Importer` that says whether a file is in its
format (``detect``, from the file's name and first bytes) and reads it (``read``) into the same models the
native manifest loader produces, with located errors. :func:`detect` picks the importer of a file; the manifest
loader dispatches on it, so ``aireport check`` reads any supported format. Adding a format is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.models.provenance import DatasetManifest, Source
from aireport.models.results import InputWarning

HEAD_BYTES = 4096


@dataclass(frozen=True)
class Imported:
    """What an importer read: the manifest, its sources, and the files the sources came from; for a foreign
    format, the fields it could not fill or had to assume (field path -> note), which ``aireport import``
    writes beside them."""

    manifest: DatasetManifest
    sources: tuple[Source, ...]
    source_files: tuple[Path, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    warnings: tuple[InputWarning, ...] = ()  # values read as not declared, located (see aireport.load.periods)


@dataclass(frozen=True)
class Importer:
    name: str
    summary: str
    detect: Callable[[Path, bytes], bool]  # (path, first bytes) -> is this the importer's format?
    read: Callable[[Path, str], Imported]  # (path, name to show in errors) -> the dataset


@cache
def importers() -> tuple[Importer, ...]:
    """Every importer, the native manifest last (it accepts any YAML or JSON mapping)."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(module.IMPORTER)
    return tuple(sorted(found, key=lambda i: i.name == "aireport"))


def by_name(name: str) -> Importer:
    """The importer called ``name`` (as ``aireport import NAME`` spells it)."""
    for importer in importers():
        if importer.name == name:
            return importer
    allowed = ", ".join(i.name for i in importers() if i.name != "aireport")
    raise InputError([Problem("FORMAT", f"found {name!r}; allowed: {allowed}")])


def detect(path: Path, display: str) -> Importer:
    """The importer of the file at ``path`` (its first bytes decide)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise InputError([Problem(display, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(display, "is a folder; give the manifest file (manifest.yaml)")]) from None
    except OSError as exc:
        raise InputError([Problem(display, f"cannot read: {exc.strerror or exc}")]) from None
    for importer in importers():
        if importer.detect(path, head):
            return importer
    allowed = ", ".join(i.name for i in importers())
    raise InputError([Problem(display, f"not a dataset description aireport reads; formats: {allowed}")])
