"""The dataset manifest (YAML or JSON) and everything it points to, loaded into models."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.load.files import relative_display
from aireport.load.sources import load_source_inventory
from aireport.load.yamlfile import read_yaml, validate_yaml
from aireport.models.provenance import DatasetManifest, Source


@dataclass(frozen=True)
class LoadedManifest:
    manifest: DatasetManifest
    path: Path
    sources: tuple[Source, ...]
    source_files: tuple[Path, ...]  # the inventory file, when the sources are not inline

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def display(self, path: Path) -> str:
        return relative_display(path, self.base_dir)


def load_manifest(path: Path) -> LoadedManifest:
    """Load and validate a manifest; JSON is a subset of YAML, so one parser serves both."""
    display = str(path)
    if path.is_dir():
        raise InputError([Problem(display, "is a folder; give the manifest file (manifest.yaml)")])
    data = read_yaml(path, display)
    if not isinstance(data, dict):
        raise InputError([Problem(display, f"the manifest must be a mapping, found {type(data).__name__}", line=1)])
    manifest = validate_yaml(DatasetManifest, data, display)
    if isinstance(manifest.sources, str):
        inventory = (path.parent / manifest.sources).resolve()
        sources = load_source_inventory(inventory, str(path.parent / manifest.sources))
        source_files: tuple[Path, ...] = (inventory,)
    else:
        sources = tuple(manifest.sources)
        source_files = ()
        _check_unique(sources, display)
    return LoadedManifest(manifest=manifest, path=path.resolve(), sources=sources, source_files=source_files)


def _check_unique(sources: tuple[Source, ...], display: str) -> None:
    counts = Counter(s.source_id for s in sources)
    dupes = sorted(sid for sid, n in counts.items() if n > 1)
    if dupes:
        raise InputError([Problem(display, f"duplicate source_id {d!r}", field="sources") for d in dupes])
