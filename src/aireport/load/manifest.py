"""The dataset manifest and everything it points to, loaded into models, whatever format describes it.

The format is detected (``aireport.load.importers``): aireport's own YAML or JSON manifest, or any format an
importer reads. Every format ends in the same models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aireport.load.files import relative_display
from aireport.load.importers import detect
from aireport.models.provenance import DatasetManifest, Source
from aireport.models.results import InputWarning


@dataclass(frozen=True)
class LoadedManifest:
    manifest: DatasetManifest
    path: Path
    sources: tuple[Source, ...]
    source_files: tuple[Path, ...]  # the inventory file, when the sources are not inline
    format: str = "aireport"  # the importer that read it
    warnings: tuple[InputWarning, ...] = ()  # located values read as not declared (e.g. an inverted period)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def display(self, path: Path) -> str:
        return relative_display(path, self.base_dir)


def load_manifest(path: Path) -> LoadedManifest:
    """Load and validate the dataset description at ``path``, in whatever format it is written."""
    display = str(path)
    importer = detect(path, display)
    imported = importer.read(path, display)
    return LoadedManifest(
        manifest=imported.manifest,
        path=path.resolve(),
        sources=imported.sources,
        source_files=imported.source_files,
        format=importer.name,
        warnings=imported.warnings,
    )
