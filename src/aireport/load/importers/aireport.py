"""aireport's own dataset manifest (YAML or JSON): the provider, models, attestations and where the source
inventory and item manifests are."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.load.importers import Imported, Importer
from aireport.load.sources import load_source_inventory
from aireport.load.yamlfile import load_model, read_yaml
from aireport.models.provenance import DatasetManifest, Source


def detect(path: Path, head: bytes) -> bool:
    """Any YAML or JSON text: the native format is the fallback, so its errors are the ones a user sees."""
    return True


def read(path: Path, display: str) -> Imported:
    """Load and validate a manifest; JSON is a subset of YAML, so one parser serves both."""
    data = read_yaml(path, display, marks=False)
    if not isinstance(data, dict):
        raise InputError([Problem(display, f"the manifest must be a mapping, found {type(data).__name__}", line=1)])
    manifest = load_model(DatasetManifest, path, display)
    if isinstance(manifest.sources, str):
        inventory = (path.parent / manifest.sources).resolve()
        sources = load_source_inventory(inventory, str(path.parent / manifest.sources))
        return Imported(manifest=manifest, sources=sources, source_files=(inventory,))
    sources = tuple(manifest.sources)
    _check_unique(sources, display)
    return Imported(manifest=manifest, sources=sources)


def _check_unique(sources: tuple[Source, ...], display: str) -> None:
    counts = Counter(s.source_id for s in sources)
    dupes = sorted(sid for sid, n in counts.items() if n > 1)
    if dupes:
        raise InputError([Problem(display, f"duplicate source_id {d!r}", field="sources") for d in dupes])


IMPORTER = Importer("aireport", "aireport dataset manifest (YAML or JSON)", detect, read)
