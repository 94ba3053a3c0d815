"""Template section 1.3 size ranges: exact labels, the range at and around every edge, the 5% edge warning."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from aireport.disclose.eu.figures import edge_warning, select_bin
from aireport.models.eu.summary import BIN_LABELS, TemplateModality
from aireport.models.provenance import SizeBin
from aireport.models.results import Outcome, Provenance
from tests.test_eu_support import check, good_items, good_manifest, item, summary_of, variant

T, IMG, A, V = TemplateModality.TEXT, TemplateModality.IMAGE, TemplateModality.AUDIO, TemplateModality.VIDEO
LESS, BETWEEN, MORE = SizeBin.LESS_THAN, SizeBin.BETWEEN, SizeBin.MORE_THAN


def test_labels_are_the_templates_own_strings() -> None:
    # Copied from the reference notes §1.4, odd spacing included.
    assert BIN_LABELS[T] == (
        "Less than 1 billion tokens",
        "1billion to 10 trillions tokens",
        "More than 10 trillions tokens",
    )
    assert BIN_LABELS[IMG] == (
        "Less than 1 million images",
        "1Million to1 billion images",
        "More than 1 billion images",
    )
    assert BIN_LABELS[A] == ("Less than 10 000 hours", "10 000 to1 million hours", "More than 1 million hours")
    assert BIN_LABELS[V] == BIN_LABELS[A]


EDGES = [
    # (modality, value, range): one below, on and above each edge of the middle range
    (T, 999_999_999, LESS),
    (T, 1_000_000_000, BETWEEN),
    (T, 1_000_000_001, BETWEEN),
    (T, 9_999_999_999_999, BETWEEN),
    (T, 10_000_000_000_000, BETWEEN),
    (T, 10_000_000_000_001, MORE),
    (IMG, 999_999, LESS),
    (IMG, 1_000_000, BETWEEN),
    (IMG, 1_000_001, BETWEEN),
    (IMG, 999_999_999, BETWEEN),
    (IMG, 1_000_000_000, BETWEEN),
    (IMG, 1_000_000_001, MORE),
    (A, Fraction(35_999_999, 3600), LESS),  # 9,999.9997 hours: one second short of 10,000 hours
    (A, 10_000, BETWEEN),
    (A, Fraction(36_000_001, 3600), BETWEEN),
    (A, 1_000_000, BETWEEN),
    (A, Fraction(3_600_000_001, 3600), MORE),  # one second over 1,000,000 hours
    (V, 9_999.5, LESS),
    (V, 10_000, BETWEEN),
    (V, 1_000_000, BETWEEN),
    (V, 1_000_000.5, MORE),
    (T, 0, LESS),
]


@pytest.mark.parametrize(("modality", "value", "expected"), EDGES)
def test_range_at_and_around_every_edge(modality: TemplateModality, value: float, expected: SizeBin) -> None:
    assert select_bin(modality, value) is expected


@pytest.mark.parametrize(
    ("modality", "value", "edge", "percent"),
    [
        (T, 950_000_000, 1_000_000_000, -5.0),  # exactly 5% below: warned
        (T, 1_050_000_000, 1_000_000_000, 5.0),  # exactly 5% above: warned
        (T, 1_000_000_000, 1_000_000_000, 0.0),
        (T, 9_600_000_000_000, 10_000_000_000_000, -4.0),
        (IMG, 1_020_000, 1_000_000, 2.0),
        (IMG, 960_000_000, 1_000_000_000, -4.0),
        (A, 10_499, 10_000, 4.99),
        (V, 1_049_999, 1_000_000, 5.0),  # 4.9999%, shown rounded to two decimals
    ],
)
def test_edge_warning_within_five_percent(modality: TemplateModality, value: int, edge: int, percent: float) -> None:
    warning = edge_warning(modality, value)
    assert warning is not None
    assert (warning.edge, warning.distance_percent) == (edge, percent)


@pytest.mark.parametrize(
    ("modality", "value"),
    [(T, 949_999_999), (T, 1_050_000_001), (T, 5_000_000_000_000), (IMG, 500_000), (A, 10_501), (V, 1_050_001)],
)
def test_no_warning_further_than_five_percent(modality: TemplateModality, value: int) -> None:
    assert edge_warning(modality, value) is None


def test_measured_sizes_per_modality(tmp_path: Path) -> None:
    """good_items(): text tokens 100+200 (pub) + 100+200 (crawl) + 100+200 (syn) = 900; images 2 (lic) + 2 (usr)."""
    doc = summary_of(tmp_path)
    sizes = {s.modality: s for s in doc.general.sizes}
    assert list(sizes) == [T, IMG]
    assert (sizes[T].value, sizes[T].unit, sizes[T].selected, sizes[T].provenance) == (
        900,
        "tokens",
        LESS,
        Provenance.MEASURED,
    )
    assert (sizes[IMG].value, sizes[IMG].items, sizes[IMG].bytes) == (4, 4, 1000 + 2000 + 1000 + 2000)
    assert [o.selected for o in sizes[T].options] == [True, False, False]
    assert sizes[T].options[1].label == "1billion to 10 trillions tokens"


def _text_items(tokens: list[int]) -> list[dict[str, object]]:
    """The public dataset's text items replaced; crawl and syn keep their 300 + 300 tokens."""
    rows = [r for r in good_items() if r["source_id"] != "pub"]
    for k, n in enumerate(tokens):
        rows.append(item(f"pub-t{k}", "pub", modality="text", size_tokens=n, size_bytes=n, language="en"))
    return rows


def test_exactly_one_billion_tokens_is_the_middle_range_with_a_warning(tmp_path: Path) -> None:
    doc = summary_of(tmp_path, items=_text_items([600_000_000, 399_999_400]))
    text = doc.general.sizes[0]
    assert (text.modality, text.value, text.selected) == (T, 1_000_000_000, BETWEEN)
    assert text.edge_warning is not None
    assert text.edge_warning.distance_percent == 0.0
    assert check(doc, "EU-TS-07-EDGE").outcome is Outcome.FAIL


def test_declared_range_contradicted_by_the_measured_size(tmp_path: Path) -> None:
    manifest = variant(lambda m: m["summary"].update(declared_size_text="less_than", declared_size_image="less_than"))
    doc = summary_of(tmp_path, manifest, _text_items([2_000_000_000]))  # 2,000,000,600 tokens
    ts07 = check(doc, "EU-TS-07")
    assert ts07.outcome is Outcome.FAIL  # a finding, not an exception
    assert "declared 'Less than 1 billion tokens'" in ts07.message.en
    assert "'1billion to 10 trillions tokens'" in ts07.message.en
    assert "image" not in ts07.message.en  # 4 images: the declared image range holds


def test_declared_range_that_holds_passes(tmp_path: Path) -> None:
    manifest = variant(lambda m: m["summary"].update(declared_size_text="less_than"))
    assert check(summary_of(tmp_path, manifest), "EU-TS-07").outcome is Outcome.PASS


def test_audio_of_video_counts_as_video_and_code_as_text(tmp_path: Path) -> None:
    def change(m: dict[str, object]) -> None:
        sources = m["sources"]
        assert isinstance(sources, list)
        sources.append(
            {**sources[0], "source_id": "film", "name": "Film sound", "modality": "audio", "audio_is_video_track": True}
        )
        sources.append(
            {**sources[0], "source_id": "talk", "name": "Talks", "modality": "audio", "audio_is_video_track": False}
        )
        sources.append({**sources[0], "source_id": "repo", "name": "Code", "modality": "code"})

    rows = [
        *good_items(),
        item("film-1", "film", modality="audio", duration_seconds=7200.0, size_bytes=1),
        item("talk-1", "talk", modality="audio", duration_seconds=1800.0, size_bytes=1),
        item("talk-2", "talk", modality="audio", duration_seconds=1800.0, size_bytes=1),
        item("repo-1", "repo", modality="code", size_tokens=1000, size_bytes=1),
    ]
    doc = summary_of(tmp_path, variant(change), rows)
    sizes = {s.modality: s for s in doc.general.sizes}
    assert doc.general.modalities.selected == [T, IMG, A, V]
    assert (sizes[V].value, sizes[V].unit) == (2.0, "hours")  # the film's 7,200 s
    assert sizes[A].value == 1.0  # the talks: 3,600 s
    assert sizes[T].value == 900 + 1000


def test_declared_sizes_without_item_manifests(tmp_path: Path) -> None:
    def change(m: dict[str, object]) -> None:
        m["items"] = []
        for s in m["sources"]:  # type: ignore[attr-defined]
            s.update(declared_tokens=5_000_000_000, declared_items=700_000)

    doc = summary_of(tmp_path, variant(change))
    sizes = {s.modality: s for s in doc.general.sizes}
    # text: pub, crawl, syn declare 5e9 tokens each; image: lic, usr declare 700,000 items each
    assert (sizes[T].value, sizes[T].selected, sizes[T].provenance) == (15e9, BETWEEN, Provenance.DECLARED)
    assert (sizes[IMG].value, sizes[IMG].selected) == (1_400_000, BETWEEN)
    assert doc.general.modalities.provenance is Provenance.DECLARED


def test_unknown_size_is_missing_not_zero(tmp_path: Path) -> None:
    rows = [{**r, "size_tokens": None} if r["source_id"] == "syn" else r for r in good_items()]
    doc = summary_of(tmp_path, items=rows)
    text = doc.general.sizes[0]
    assert (text.value, text.selected, text.provenance) == (None, None, Provenance.MISSING)
    assert text.bytes == 3000 + 3000 + 3000  # the size in a different unit is still given
    assert check(doc, "EU-TS-06").outcome is Outcome.PASS


def test_a_source_without_items_has_an_unknown_size(tmp_path: Path) -> None:
    """The item manifests hold nothing of the crawl and it declares no size: the text total is unknown."""
    doc = summary_of(tmp_path, items=[r for r in good_items() if r["source_id"] != "crawl"])
    text = doc.general.sizes[0]
    assert (text.value, text.bytes, text.provenance) == (None, None, Provenance.MISSING)
    assert check(doc, "EU-TS-06").outcome is Outcome.FAIL


def test_dynamic_sources_are_left_out_and_counted(tmp_path: Path) -> None:
    manifest = variant(lambda m: m["sources"][2].update(is_dynamic=True))  # the crawl: 300 tokens
    text = summary_of(tmp_path, manifest).general.sizes[0]
    assert (text.value, text.sources, text.excluded_dynamic) == (600, 2, 1)


def test_good_manifest_unchanged() -> None:
    assert good_manifest()["sources"][2]["source_id"] == "crawl"
