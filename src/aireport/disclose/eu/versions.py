"""What changed between two versions of the Summary: sources, modalities, size ranges, languages, listed domains.

Both versions are Summary documents, so the comparison only sees what the Summary itself says: sources are
named where the Summary names them and counted per category everywhere else.
"""

from __future__ import annotations

from aireport.disclose.eu.common import MODALITY_ORDER, SECTION_OF
from aireport.disclose.eu.figures import bin_label
from aireport.models.eu.summary import (
    BinChange,
    EuSummaryDocument,
    SourceChange,
    VersionChanges,
)


def _by_category(doc: EuSummaryDocument) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for entry in doc.inventory:
        out.setdefault(entry.category, []).append(entry.name)
    return out


def _source_changes(previous: EuSummaryDocument, current: EuSummaryDocument) -> list[SourceChange]:
    before, after = _by_category(previous), _by_category(current)
    changes = []
    for category in SECTION_OF.values():
        old, new = before.get(category, []), after.get(category, [])
        old_names = {n for n in old if n is not None}
        new_names = {n for n in new if n is not None}
        added = sorted(new_names - old_names)
        removed = sorted(old_names - new_names)
        if added or removed or len(old) != len(new):
            changes.append(
                SourceChange(category=category, before=len(old), after=len(new), added=added, removed=removed)
            )
    return changes


def _bins(previous: EuSummaryDocument, current: EuSummaryDocument) -> list[BinChange]:
    old = {s.modality: bin_label(s.modality, s.selected) for s in previous.general.sizes}
    new = {s.modality: bin_label(s.modality, s.selected) for s in current.general.sizes}
    return [
        BinChange(modality=m, before=old.get(m), after=new.get(m)) for m in MODALITY_ORDER if old.get(m) != new.get(m)
    ]


def version_changes(previous: EuSummaryDocument, previous_sha256: str, current: EuSummaryDocument) -> VersionChanges:
    """The differences from ``previous`` (a saved Summary JSON, identified by its digest) to ``current``."""
    old_mod = set(previous.general.modalities.selected)
    new_mod = set(current.general.modalities.selected)
    old_dom = [d.domain for d in previous.sources.crawled.domains.domains]
    new_dom = [d.domain for d in current.sources.crawled.domains.domains]
    old_lang = {lang.tag for lang in previous.general.languages.languages}
    new_lang = {lang.tag for lang in current.general.languages.languages}
    sources = _source_changes(previous, current)
    bins = _bins(previous, current)
    domains_added = [d for d in new_dom if d not in set(old_dom)]
    domains_removed = [d for d in old_dom if d not in set(new_dom)]
    return VersionChanges(
        previous_version=previous.header.version.value,
        previous_last_update=previous.header.last_update.iso,
        previous_url=previous.header.url.value,
        previous_sha256=previous_sha256,
        sources=sources,
        modalities_added=[m for m in MODALITY_ORDER if m in new_mod - old_mod],
        modalities_removed=[m for m in MODALITY_ORDER if m in old_mod - new_mod],
        bins=bins,
        latest_collection_before=previous.general.collection.latest.display,
        latest_collection_after=current.general.collection.latest.display,
        languages_added=sorted(new_lang - old_lang),
        languages_removed=sorted(old_lang - new_lang),
        domains_before=len(old_dom),
        domains_after=len(new_dom),
        domains_added=domains_added,
        domains_removed=domains_removed,
        material=bool(sources or bins or old_mod != new_mod or domains_added or domains_removed),
    )
