"""The Annex XI Section 1 point 2(c) / Annex XII point 2(c) training-data section, per dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aireport.disclose.eu.annex import build_eu_annex, build_eu_annex_xii
from aireport.models.eu.summary import AnnexDocument, AnnexXiiDocument
from aireport.models.results import Outcome, Provenance
from tests.test_eu_support import _source, good_items, good_manifest, run_of, variant, write_dataset


def annex(
    folder: Path, manifest: dict[str, Any] | None = None, items: list[dict[str, Any]] | None = None
) -> AnnexDocument:
    path = write_dataset(
        folder, good_manifest() if manifest is None else manifest, good_items() if items is None else items
    )
    return build_eu_annex(run_of(path))


def annex_xii(folder: Path, manifest: dict[str, Any] | None = None) -> AnnexXiiDocument:
    path = write_dataset(folder, good_manifest() if manifest is None else manifest, good_items())
    return build_eu_annex_xii(run_of(path))


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
    assert pub.acquisition.en == "Downloaded from its public release, under its licence"
    assert (pub.acquisition_detail.value, pub.acquisition_detail.basis) == ("https://data.example/pub", "sources: url")
    crawl = doc.datasets[0]
    assert crawl.acquisition.en == "Crawled from publicly accessible websites by the provider's crawler"
    assert crawl.acquisition_detail.value == "GoodBot"  # the crawler's name, not its user-agent string
    assert all(d.missing == [] for d in doc.datasets)
    assert [(c.check_id, c.outcome) for c in doc.checks] == [("EU-TD-01", Outcome.PASS)]
    assert [c.training_flop for c in doc.compute] == [1e24]
    assert [(g.split, g.datasets) for g in doc.splits] == [
        ("training", ["crawl", "lic", "pub", "syn", "usr"]),
        ("validation", []),
        ("testing", []),
    ]


def test_annex_xii_names_no_counterparty(tmp_path: Path) -> None:
    doc = annex_xii(tmp_path)
    assert [c.check_id for c in doc.checks] == ["EU-TD-02"]
    lic = next(d for d in doc.datasets if d.category == "licensed")
    # licensed data without a public counterparty: described by its kind; its custom licence id is withheld
    assert (lic.label.en, lic.named, lic.licence) == ("Commercially licensed dataset (image)", False, None)
    pub = next(d for d in doc.datasets if d.category == "public_dataset")
    assert (pub.label.en, pub.named, pub.licence) == ("Source pub", True, "CC-BY-4.0")
    assert "agreement" not in type(lic).model_fields


def test_a_public_counterparty_is_named(tmp_path: Path) -> None:
    doc = annex_xii(tmp_path, variant(lambda m: m["sources"][1].update(counterparty_public=True)))
    lic = next(d for d in doc.datasets if d.category == "licensed")
    assert (lic.label.en, lic.licence) == ("Source lic", "LicenseRef-Good")


def test_origin_is_said_from_the_union(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        m["sources"][0]["origin_countries"] = ["DE", "US"]
        m["sources"][1]["origin"] = "domestic"
        m["sources"][2]["origin"] = "foreign"

    by_id = {d.source_id: d.origin.en for d in annex(tmp_path, variant(change)).datasets}
    assert by_id["pub"] == "EU (DE); outside the EU (US)"
    assert by_id["lic"] == "Outside the EU: China"  # the PRC filing's "domestic"
    assert by_id["crawl"] == "Not stated (the inventory says only that it does not come from China)"
    assert by_id["syn"] == "Not stated"


def test_missing_elements_are_named(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        lic = m["sources"][1]
        lic.pop("bias_detection")
        lic["curation_methods"] = []

    doc = annex(tmp_path, variant(change))
    lic = next(d for d in doc.datasets if d.source_id == "lic")
    assert lic.missing == ["curation_methods", "bias_detection"]
    (td01,) = doc.checks
    assert td01.outcome is Outcome.FAIL
    assert td01.message.en == "Missing: lic: curation_methods, bias_detection."
    xii = annex_xii(tmp_path / "xii", variant(change))
    (td02,) = xii.checks
    assert td02.outcome is Outcome.FAIL
    assert next(d for d in xii.datasets if d.category == "licensed").missing == ["curation_methods"]


def test_validation_sets_are_datasets_too(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        m["sources"].append(
            {**_source("val", "licensed", "text", agreement="c2"), "used_in_training": False, "splits": ["validation"]}
        )

    doc = annex(tmp_path, variant(change))
    val = next(d for d in doc.datasets if d.source_id == "val")
    assert val.splits == ["validation"]
    assert (val.data_points.value, val.data_points.provenance) == (None, Provenance.MISSING)  # no items, none declared
    assert "number of data points" in val.missing
    assert [g.datasets for g in doc.splits if g.split == "validation"] == [["val"]]


def test_open_source_models_are_exempt(tmp_path: Path) -> None:
    doc = annex(tmp_path, variant(lambda m: m["models"][0].update(open_source=True)))
    assert {c.outcome for c in doc.checks} == {Outcome.NOT_APPLICABLE}
