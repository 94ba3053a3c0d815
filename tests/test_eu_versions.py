"""A new version of the Summary states what changed since the previous one and links it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from aireport.models.eu.summary import EuSummaryDocument
from aireport.models.results import Outcome
from aireport.render.canonical import canonical_json
from tests.test_eu_support import _source, check, good_items, item, summary_of, variant


def _v1(m: dict[str, Any]) -> None:
    m["summary"].update(version="1.0", url="https://good.example/summary/1.0", previous_versions=[])


def _v2(m: dict[str, Any]) -> None:
    m["sources"].append(_source("pub2", "public_dataset", "text", url="https://pub2.example", version="3"))
    m["sources"] = [s for s in m["sources"] if s["source_id"] != "syn"]
    m["attestations"]["used_synthetic_data"] = "no"


def _v2_items() -> list[dict[str, Any]]:
    rows = [r for r in good_items() if r["source_id"] not in ("syn", "crawl")]
    rows.append(item("pub2-1", "pub2", modality="text", size_tokens=2_000_000_000, size_bytes=5, language="de"))
    for k, (host, size) in enumerate((("www.a.org", 900), ("b.org", 100))):
        rows.append(
            item(f"crawl-{k}", "crawl", modality="text", domain=host, size_bytes=size, size_tokens=1, language="en")
        )
    return rows


def previous(tmp_path: Path) -> tuple[EuSummaryDocument, str]:
    doc = summary_of(tmp_path / "v1", variant(_v1))
    payload = canonical_json(doc)
    return EuSummaryDocument.model_validate_json(payload), hashlib.sha256(payload).hexdigest()


def test_what_changed(tmp_path: Path) -> None:
    old, digest = previous(tmp_path)
    doc = summary_of(tmp_path / "v2", variant(_v2), _v2_items(), previous=(old, digest))
    changes = doc.header.changes
    assert changes is not None
    assert (changes.previous_version, changes.previous_last_update, changes.previous_sha256) == (
        "1.0",
        "2026-01-15",
        digest,
    )
    assert [(c.category, c.before, c.after, c.added, c.removed) for c in changes.sources] == [
        ("2.1", 1, 2, ["Source pub2"], []),
        ("2.5", 1, 0, [], []),  # synthetic sources are counted, not named
    ]
    # text: v1 900 tokens; v2 300 (pub) + 2e9 (pub2) + 2 (crawl)
    assert [(b.modality.value, b.before, b.after) for b in changes.bins] == [
        ("text", "Less than 1 billion tokens", "1billion to 10 trillions tokens")
    ]
    # v1 crawl hosts www.site1.example.com and www.site2.example.com are one domain; v2 lists a.org of 2
    assert (changes.domains_before, changes.domains_after) == (1, 1)
    assert (changes.domains_added, changes.domains_removed) == (["a.org"], ["example.com"])
    assert (changes.languages_added, changes.languages_removed) == (["de"], [])
    assert (changes.modalities_added, changes.modalities_removed) == ([], [])
    assert changes.material is True
    # the previous version is linked by the manifest (summary.previous_versions) and named
    assert [(v.version, v.url) for v in doc.header.previous_versions] == [("1.0", "https://good.example/summary/1.0")]
    assert check(doc, "EU-TS-27-PREV").outcome is Outcome.PASS
    assert check(doc, "EU-TS-26-CHANGE").outcome is Outcome.PASS


def test_unchanged_dataset_is_not_material(tmp_path: Path) -> None:
    old, digest = previous(tmp_path)
    doc = summary_of(tmp_path / "v2", previous=(old, digest))
    changes = doc.header.changes
    assert changes is not None
    assert (changes.sources, changes.bins, changes.domains_added, changes.material) == ([], [], [], False)


def test_material_change_without_a_new_version(tmp_path: Path) -> None:
    old, digest = previous(tmp_path)

    def same_version(m: dict[str, Any]) -> None:
        _v2(m)
        m["summary"]["version"] = "1.0"
        m["summary"]["previous_versions"] = []

    doc = summary_of(tmp_path / "v2", variant(same_version), _v2_items(), previous=(old, digest))
    assert check(doc, "EU-TS-26-CHANGE").outcome is Outcome.FAIL
    assert check(doc, "EU-TS-27-PREV").outcome is Outcome.FAIL  # the previous version is not linked


def test_no_previous_version_no_changes(tmp_path: Path) -> None:
    doc = summary_of(tmp_path)
    assert doc.header.changes is None
    # Without a previous version the two version checks have nothing to compare.
    assert check(doc, "EU-TS-26-CHANGE").outcome is Outcome.NOT_APPLICABLE
    assert check(doc, "EU-TS-27-PREV").outcome is Outcome.NOT_APPLICABLE
