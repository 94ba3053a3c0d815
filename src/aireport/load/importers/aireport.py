"""aireport's own dataset manifest (YAML or JSON): the provider, models, attestations and where the source
inventory and item manifests are."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.guards import jsonfile
from aireport.load.importers import Imported, Importer
from aireport.load.sources import load_source_inventory
from aireport.load.yamlfile import kind_of, load_model, read_yaml
from aireport.models.provenance import DatasetManifest, Source


def detect(path: Path, head: bytes) -> bool:
    """Any YAML or JSON text: the native format is the fallback, so its errors are the ones a user sees."""
    return True


def read(path: Path, display: str) -> Imported:
    """Load and validate a manifest. JSON is a subset of YAML and one parser serves both, once a ``.json``
    file has been read as strict JSON (a key given twice, NaN, a 5,000-digit number: located errors)."""
    if path.suffix.lower() == ".json":
        try:
            jsonfile.loads(path.read_bytes(), display)
        except OSError as exc:
            raise InputError([Problem(display, f"cannot read file: {exc.strerror or exc}")]) from None
    data = read_yaml(path, display, marks=False)
    if data is None:
        raise InputError([Problem(display, "the manifest is empty; it is a mapping (dataset:, provider:, ...)")])
    if not isinstance(data, dict):
        found = kind_of(data)
        raise InputError(
            [Problem(display, f"the manifest must be a mapping (key: value lines), found {found}", line=1)]
        )
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
