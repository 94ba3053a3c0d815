"""aireport's own dataset manifest (YAML or JSON): the provider, models, attestations and where the source
inventory and item manifests are."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.guards import jsonfile
from aireport.load.files import relative_display
from aireport.load.importers import Imported, Importer
from aireport.load.periods import unusable_period
from aireport.load.sources import load_source_inventory
from aireport.load.yamlfile import kind_of, line_of, load_model, read_yaml, validate_yaml
from aireport.models.provenance import DatasetManifest, Source
from aireport.models.results import InputWarning


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
        shape = kind_of(data)
        raise InputError(
            [Problem(display, f"the manifest must be a mapping (key: value lines), found {shape}", line=1)]
        )
    manifest, warnings = _manifest(path, display, data)
    if isinstance(manifest.sources, str):
        inventory = (path.parent / manifest.sources).resolve()
        sources, found = load_source_inventory(inventory, str(path.parent / manifest.sources))
        # Warnings land in the result: named like every input there, relative to the manifest's folder.
        shown = relative_display(inventory, path.parent)
        warnings = tuple(w.model_copy(update={"file": shown}) for w in found)
        return Imported(manifest=manifest, sources=sources, source_files=(inventory,), warnings=warnings)
    sources = tuple(manifest.sources)
    _check_unique(sources, display)
    return Imported(manifest=manifest, sources=sources, warnings=warnings)


def _manifest(path: Path, display: str, data: dict[str, object]) -> tuple[DatasetManifest, tuple[InputWarning, ...]]:
    """The manifest; an inline source whose period starts after it ends has its period read as not declared
    (a located warning, see aireport.load.periods), found on the marked document so the warning has its line."""
    listed = data.get("sources")
    if not isinstance(listed, list) or not any(
        isinstance(s, dict) and unusable_period(dict(s), "", {}) for s in listed
    ):
        return load_model(DatasetManifest, path, display), ()
    marked = read_yaml(path, display)
    shown = relative_display(path, path.parent)
    warnings = []
    for index, source in enumerate(marked["sources"]):
        line = line_of(marked, ("sources", index, "collection_start"))
        found = unusable_period(source, shown, {"line": line} if line is not None else {})
        if found is not None:
            warnings.append(found)
    return validate_yaml(DatasetManifest, marked, display), tuple(warnings)


def _check_unique(sources: tuple[Source, ...], display: str) -> None:
    counts = Counter(s.source_id for s in sources)
    dupes = sorted(sid for sid, n in counts.items() if n > 1)
    if dupes:
        raise InputError([Problem(display, f"duplicate source_id {d!r}", field="sources") for d in dupes])


IMPORTER = Importer("aireport", "aireport dataset manifest (YAML or JSON)", detect, read)
