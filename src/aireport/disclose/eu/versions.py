"""What changed between two versions of the Summary: sources, modalities, size ranges, languages, listed domains.

Built on the semantic diff every document kind shares (:mod:`aireport.disclose.diff`): the same comparison a
regulator runs with ``aireport diff OLD.json NEW.json``, read here for the fields the Summary's header states.
Both versions are Summary documents, so the comparison only sees what the Summary itself says: sources are
named where the Summary names them and counted per category everywhere else.
"""

from __future__ import annotations

from aireport.disclose.diff import diff_values, list_changes
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
        added, removed = list_changes(
            sorted({n for n in old if n is not None}), sorted({n for n in new if n is not None})
        )
        if added or removed or len(old) != len(new):
            changes.append(
                SourceChange(category=category, before=len(old), after=len(new), added=added, removed=removed)
            )
    return changes


def _bins(previous: EuSummaryDocument, current: EuSummaryDocument) -> list[BinChange]:
    old = {s.modality.value: bin_label(s.modality, s.selected) for s in previous.general.sizes}
    new = {s.modality.value: bin_label(s.modality, s.selected) for s in current.general.sizes}
    changed = {change.path for change in diff_values(old, new)}
    return [
        BinChange(modality=m, before=old.get(m.value), after=new.get(m.value))
        for m in MODALITY_ORDER
        if m.value in changed
    ]


def version_changes(previous: EuSummaryDocument, previous_sha256: str, current: EuSummaryDocument) -> VersionChanges:
    """The differences from ``previous`` (a saved Summary JSON, identified by its digest) to ``current``."""
    mod_added, mod_removed = list_changes(previous.general.modalities.selected, current.general.modalities.selected)
    old_dom = [d.domain for d in previous.sources.crawled.domains.domains]
    new_dom = [d.domain for d in current.sources.crawled.domains.domains]
    domains_added, domains_removed = list_changes(old_dom, new_dom)
    lang_added, lang_removed = list_changes(
        sorted({lang.tag for lang in previous.general.languages.languages}),
        sorted({lang.tag for lang in current.general.languages.languages}),
    )
    sources = _source_changes(previous, current)
    bins = _bins(previous, current)
    return VersionChanges(
        previous_version=previous.header.version.value,
        previous_last_update=previous.header.last_update.iso,
        previous_url=previous.header.url.value,
        previous_sha256=previous_sha256,
        sources=sources,
        modalities_added=[m for m in MODALITY_ORDER if m in mod_added],
        modalities_removed=[m for m in MODALITY_ORDER if m in mod_removed],
        bins=bins,
        latest_collection_before=previous.general.collection.latest.display,
        latest_collection_after=current.general.collection.latest.display,
        languages_added=lang_added,
        languages_removed=lang_removed,
        domains_before=len(old_dom),
        domains_after=len(new_dom),
        domains_added=domains_added,
        domains_removed=domains_removed,
        material=bool(sources or bins or mod_added or mod_removed or domains_added or domains_removed),
    )
