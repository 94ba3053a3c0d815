"""The Annex XI Section 1 point 2(c) / Annex XII point 2(c) training-data section, per dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aireport.disclose.eu.annex import build_eu_annex
from aireport.models.eu.summary import AnnexDocument
from aireport.models.results import Outcome, Provenance
from tests.test_eu_support import _source, good_items, good_manifest, run_of, variant, write_dataset


def annex(
    folder: Path, manifest: dict[str, Any] | None = None, items: list[dict[str, Any]] | None = None
) -> AnnexDocument:
    path = write_dataset(
        folder, good_manifest() if manifest is None else manifest, good_items() if items is None else items
    )
    return build_eu_annex(run_of(path))


def test_every_dataset_documented(tmp_path: Path) -> None:
    doc = annex(tmp_path)
    assert doc.models == ["Good 1"]
    assert [d.source_id for d in doc.datasets] == ["crawl", "lic", "pub", "syn", "usr"]
    pub = doc.datasets[2]
    assert (pub.category, pub.section, pub.splits, [m.value for m in pub.modalities]) == (
        "public_dataset",
        "2.1",
        ["training"],
        ["text"],
    )
    assert (pub.data_points.value, pub.data_points.provenance) == (2, Provenance.MEASURED)
    assert [(f.unit, f.value) for f in pub.sizes] == [("tokens", 300), ("bytes", 3000)]
    assert (pub.acquisition.value, pub.acquisition.basis) == ("https://data.example/pub", "sources: url")
    assert doc.datasets[0].acquisition.value == "GoodBot/1.0"  # the crawler's user agent
    assert all(d.missing_xi == [] and d.missing_xii == [] for d in doc.datasets)
    assert [(c.check_id, c.outcome) for c in doc.checks] == [("EU-TD-01", Outcome.PASS), ("EU-TD-02", Outcome.PASS)]


def test_missing_elements_are_named(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        lic = m["sources"][1]
        lic.pop("bias_detection")
        lic["curation_methods"] = []

    doc = annex(tmp_path, variant(change))
    lic = next(d for d in doc.datasets if d.source_id == "lic")
    assert lic.missing_xii == ["curation_methods"]
    assert lic.missing_xi == ["curation_methods", "bias_detection"]
    td01, td02 = doc.checks
    assert (td01.outcome, td02.outcome) == (Outcome.FAIL, Outcome.FAIL)
    assert td01.message.en == "Missing: lic: curation_methods, bias_detection."


def test_validation_sets_are_datasets_too(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        m["sources"].append(
            {**_source("val", "licensed", "text", agreement="c2"), "used_in_training": False, "splits": ["validation"]}
        )

    doc = annex(tmp_path, variant(change))
    val = next(d for d in doc.datasets if d.source_id == "val")
    assert val.splits == ["validation"]
    assert (val.data_points.value, val.data_points.provenance) == (None, Provenance.MISSING)  # no items, none declared
    assert "number of data points" in val.missing_xi


def test_open_source_models_are_exempt(tmp_path: Path) -> None:
    doc = annex(tmp_path, variant(lambda m: m["models"][0].update(open_source=True)))
    assert {c.outcome for c in doc.checks} == {Outcome.NOT_APPLICABLE}
