"""Where each source of the inventory is written: the file and the line or row of its entry.

Loading keeps only the models; a located warning about a source's value (a licence that does not parse)
needs its place in the file, so the file is read again here, on that path only. Inventories are small.
"""

from __future__ import annotations

from aireport.load.manifest import LoadedManifest
from aireport.load.sources import read_inventory_rows
from aireport.load.yamlfile import line_of, read_yaml

Where = tuple[str, dict[str, int]]  # (file as the result names it, {"line": n} or {"row": n})


def source_locations(loaded: LoadedManifest, field: str) -> dict[str, Where]:
    """source id -> where its entry (its ``field`` for inline sources) is written."""
    if loaded.source_files:
        path = loaded.source_files[0]
        shown = loaded.display(path)
        out: dict[str, Where] = {}
        for where, record in read_inventory_rows(path, shown):
            source_id = str(record.get("source_id") or "").strip()
            out.setdefault(source_id, (shown, where))
        return out
    shown = loaded.display(loaded.path)
    if loaded.format != "aireport":  # another standard's file: named, not located
        return {s.source_id: (shown, {}) for s in loaded.sources}
    data = read_yaml(loaded.path, shown)  # with line marks
    located: dict[str, Where] = {}
    for index, source in enumerate(loaded.sources):
        line = line_of(data, ("sources", index, field)) or line_of(data, ("sources", index))
        located[source.source_id] = (shown, {"line": line} if line is not None else {})
    return located
