"""The EU Summary's fields on small hand-made datasets: every expected value is worked out here by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aireport.disclose.eu.languages import language_name
from aireport.errors import InputError
from aireport.models.provenance import Tri
from aireport.models.results import Outcome, Provenance
from tests.test_eu_support import (
    _source,
    check,
    good_items,
    good_manifest,
    item,
    summary_of,
    variant,
    write_dataset,
)


def test_header_provider_and_models(tmp_path: Path) -> None:
    doc = summary_of(tmp_path)
    assert (doc.header.version.value, doc.header.version.provenance) == ("2.0", Provenance.ATTESTED)
    assert (doc.header.last_update.display, doc.header.last_update.iso) == ("15/01/2026", "2026-01-15")
    assert [v.url for v in doc.header.previous_versions] == ["https://good.example/summary/1.0"]
    assert doc.provider.name.value == "Good AI SE"
    assert doc.provider.representative_required is False
    (model,) = doc.model.models
    assert (model.versioned_name, model.placement_date.display) == ("Good 1", "01/09/2025")
    assert doc.model.dependencies == []
    assert doc.template.startswith("Template for the Public Summary of Training Content")


def test_missing_values_are_marked_missing(tmp_path: Path) -> None:
    manifest = variant(lambda m: (m["provider"].pop("contact"), m["summary"].pop("last_update")))
    doc = summary_of(tmp_path, manifest)
    assert (doc.provider.contact.value, doc.provider.contact.provenance) == (None, Provenance.MISSING)
    assert doc.header.last_update.provenance is Provenance.MISSING
    assert check(doc, "EU-TS-26").outcome is Outcome.NOT_EVALUABLE


def test_authorised_representative_outside_the_eu(tmp_path: Path) -> None:
    manifest = variant(
        lambda m: m["provider"].update(
            established_in_eu=False,
            authorised_representative="Rep GmbH",
            authorised_representative_contact="rep@rep.example",
        )
    )
    provider = summary_of(tmp_path, manifest).provider
    assert provider.representative_required is True
    assert (provider.representative.value, provider.representative_contact.value) == ("Rep GmbH", "rep@rep.example")


def test_dependencies_link_base_summaries(tmp_path: Path) -> None:
    manifest = variant(
        lambda m: m["models"][0].update(base_models=["Base 7", "Base 8"], base_model_summaries=["https://b7.example"])
    )
    deps = summary_of(tmp_path, manifest).model.dependencies
    assert [(d.model, d.base_model, d.summary_url) for d in deps] == [
        ("Good 1", "Base 7", "https://b7.example"),
        ("Good 1", "Base 8", None),
    ]


# --- 1.3 ------------------------------------------------------------------------------------------------------


def test_latest_collection_month_is_measured(tmp_path: Path) -> None:
    """good_items() are collected 2025-01-11 and 2025-01-12; the inventory declares 2025-01-31 as the end."""
    collection = summary_of(tmp_path).general.collection
    assert (collection.latest.display, collection.latest.provenance) == ("01/2025", Provenance.MEASURED)
    assert collection.declared_latest.display == "01/2025"
    assert collection.continuous_training.value is Tri.NO


def test_latest_month_across_a_year_end(tmp_path: Path) -> None:
    rows = good_items()
    rows[0]["collected_at"] = "2025-12-31 23:59:59"  # the latest, one second before the new year
    rows[1]["collected_at"] = "2025-02-01 00:00:00"
    doc = summary_of(tmp_path, items=rows)
    assert doc.general.collection.latest.display == "12/2025"
    ts10 = check(doc, "EU-TS-10-DECLARED")  # later than any declared collection_end (01/2025)
    assert ts10.outcome is Outcome.FAIL
    assert "12/2025" in ts10.message.en


def test_latest_month_declared_without_collected_at(tmp_path: Path) -> None:
    rows = [{**r, "collected_at": None} for r in good_items()]
    manifest = variant(lambda m: m["sources"][3].update(collection_end="2025-06-30"))
    latest = summary_of(tmp_path, manifest, rows).general.collection.latest
    assert (latest.display, latest.provenance) == ("06/2025", Provenance.DECLARED)


def test_languages_measured_with_eu_official_languages(tmp_path: Path) -> None:
    rows = good_items()
    for r, tag in zip(rows, ["de", "de", "de", "fr", "ja", "ga", "en-GB", None, "zh", "de"], strict=True):
        r["language"] = tag
    langs = summary_of(tmp_path, items=rows).general.languages
    # 9 tagged items: de 4, then en-GB, fr, ga, ja, zh with 1 each (ties by tag)
    assert [(lang.tag, lang.items) for lang in langs.languages] == [
        ("de", 4),
        ("en-GB", 1),
        ("fr", 1),
        ("ga", 1),
        ("ja", 1),
        ("zh", 1),
    ]
    assert langs.languages[0].share_percent == 44.44  # 4 / 9
    # CLDR's names (babel), the region spelt out: GB is the United Kingdom, 英国 in Chinese.
    assert (langs.languages[1].name.en, langs.languages[1].name.zh) == ("English (United Kingdom)", "英语 (英国)")
    assert (langs.languages[3].name.en, langs.languages[3].name.zh) == ("Irish", "爱尔兰语")
    assert (langs.eu_official, langs.eu_official_count, langs.items_without_language) == (
        ["de", "en", "fr", "ga"],
        4,
        1,
    )


def test_content_types_per_modality(tmp_path: Path) -> None:
    types = {c.modality.value: c.types for c in summary_of(tmp_path).general.content_types}
    assert types == {"text": ["pub content", "crawl content", "syn content"], "image": ["lic content", "usr content"]}


def test_item_modality_other_than_declared(tmp_path: Path) -> None:
    rows = good_items()
    rows[0]["modality"] = "image"  # a public-dataset (text) item that is an image
    doc = summary_of(tmp_path, items=rows)
    ts05 = check(doc, "EU-TS-05")
    assert ts05.outcome is Outcome.FAIL
    assert "pub has image items" in ts05.message.en
    sizes = {s.modality.value: s for s in doc.general.sizes}
    assert (sizes["image"].value, sizes["text"].value) == (5, 800)


# --- 2.x gates ----------------------------------------------------------------------------------------------------


def test_gates_answered_and_consistent(tmp_path: Path) -> None:
    s = summary_of(tmp_path).sources
    gates = {
        "public": s.public.used,
        "licensed": s.licensed.used,
        "private": s.private.used,
        "crawled": s.crawled.used,
        "user_model": s.user_data.model_interactions,
        "user_services": s.user_data.other_services,
        "synthetic": s.synthetic.used,
        "other": s.other.used,
    }
    expected = {
        "public": ("yes", 1),
        "licensed": ("yes", 1),
        "private": ("no", 0),
        "crawled": ("yes", 1),
        "user_model": ("no", 0),
        "user_services": ("yes", 1),
        "synthetic": ("yes", 1),
        "other": ("no", 0),
    }
    assert {k: (g.answer.value.value, g.inventory_sources) for k, g in gates.items()} == expected
    assert all(g.consistent for g in gates.values())
    assert {k for k, g in gates.items() if g.open} == {"public", "licensed", "crawled", "user_services", "synthetic"}


@pytest.mark.parametrize(
    ("attribute", "answer", "section", "consistent", "open_"),
    [
        ("used_crawlers", "no", "crawled", False, True),  # No while a crawl exists: shown, contradiction
        ("used_other_sources", "yes", "other", False, True),  # Yes with no such source
        ("used_public_datasets", "to_be_provided", "public", None, True),  # unanswered, never inferred
        ("used_third_party_private_data", "to_be_provided", "private", None, False),
    ],
)
def test_gate_contradictions_are_shown_not_raised(
    tmp_path: Path, attribute: str, answer: str, section: str, consistent: bool | None, open_: bool
) -> None:
    doc = summary_of(tmp_path, variant(lambda m: m["attestations"].update({attribute: answer})))
    gate = getattr(doc.sources, section).used
    assert (gate.answer.value.value, gate.consistent, gate.open) == (answer, consistent, open_)
    expected = Provenance.MISSING if answer == "to_be_provided" else Provenance.ATTESTED
    assert gate.answer.provenance is expected


def test_user_data_gates_and_services(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        m["sources"].append(_source("chat", "user_model_interactions", "text", service_description="Chat prompts"))
        m["attestations"]["used_user_model_data"] = "yes"

    rows = [*good_items(), item("chat-1", "chat", modality="text", size_tokens=50, size_bytes=1, language="en")]
    user = summary_of(tmp_path, variant(change), rows).sources.user_data
    assert (user.model_interactions.answer.value, user.model_interactions.inventory_sources) == (Tri.YES, 1)
    assert [(e.category, e.description) for e in user.services] == [
        ("other_services", "Photo app uploads"),
        ("model_interactions", "Chat prompts"),
    ]
    assert [m.value for m in user.modalities.selected] == ["text", "image"]


# --- 2.1 public datasets: shares and the large list -----------------------------------------------------------------


def _public(tokens: dict[str, int | None]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Public text datasets p0, p1, ... with the given tokens (one item each); the other sources as usual."""

    def change(m: dict[str, Any]) -> None:
        base = m["sources"][0]
        m["sources"] = [s for s in m["sources"] if s["source_id"] != "pub"]
        for sid in tokens:
            m["sources"].append({**base, "source_id": sid, "name": f"Dataset {sid}", "url": f"https://{sid}.example"})

    rows = [r for r in good_items() if r["source_id"] != "pub"]
    rows += [
        item(f"{sid}-1", sid, modality="text", size_tokens=n, size_bytes=10, license="CC-BY-4.0")
        for sid, n in tokens.items()
    ]
    return variant(change), rows


def test_public_shares_and_the_large_list(tmp_path: Path) -> None:
    manifest, rows = _public({"p0": 90, "p1": 3, "p2": 7})  # of 100 tokens: 90%, 3%, 7%
    public = summary_of(tmp_path, manifest, rows).sources.public
    assert [(d.name, d.shares[0].share_percent) for d in public.large] == [("Dataset p0", 90.0), ("Dataset p2", 7.0)]
    assert [o.name for o in public.others] == ["Dataset p1"]  # exactly 3% is not above 3%
    assert (public.threshold_percent, public.shares_complete) == (3.0, True)
    assert public.threshold_citation.reference_tag == "[S]"


def test_large_threshold_is_configurable(tmp_path: Path) -> None:
    manifest, rows = _public({"p0": 90, "p1": 3, "p2": 7})
    public = summary_of(tmp_path, manifest, rows, threshold=Decimal("0.08")).sources.public
    assert [d.name for d in public.large] == ["Dataset p0"]
    assert public.threshold_percent == 8.0


def test_unknown_public_size_lists_the_dataset(tmp_path: Path) -> None:
    manifest, rows = _public({"p0": 95, "p1": None, "p2": 5})
    doc = summary_of(tmp_path, manifest, rows)
    public = doc.sources.public
    assert [d.name for d in public.large] == ["Dataset p0", "Dataset p1", "Dataset p2"]
    assert public.shares_complete is False
    assert check(doc, "EU-TS-13-LARGE").outcome is Outcome.NOT_EVALUABLE


def test_other_public_datasets_are_described(tmp_path: Path) -> None:
    manifest, rows = _public({"p0": 97, "p1": 1, "p2": 2})
    manifest["sources"][-1]["languages"] = []  # p2 says nothing of its languages
    doc = summary_of(tmp_path, manifest, rows)
    others = doc.sources.public.others
    assert [(o.name, o.collection_start, o.collection_end) for o in others] == [
        ("Dataset p1", "01/2024", "01/2025"),
        ("Dataset p2", "01/2024", "01/2025"),
    ]
    ts14 = check(doc, "EU-TS-14")
    assert ts14.outcome is Outcome.FAIL
    assert "Dataset p2" in ts14.message.en


# --- 2.2 to 2.6 ---------------------------------------------------------------------------------------------------


def test_licensed_and_private_sources_are_not_named(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        m["sources"] += [
            _source("known", "third_party_private", "text", url="https://known.example", publicly_known=True),
            _source("secret", "third_party_private", "text", publicly_known=False),
        ]
        m["attestations"]["used_third_party_private_data"] = "yes"

    rows = [*good_items(), *(item(f"{s}-1", s, modality="text", size_tokens=1) for s in ("known", "secret"))]
    doc = summary_of(tmp_path, variant(change), rows)
    private = doc.sources.private
    assert [(d.name, d.url) for d in private.publicly_known] == [("Source known", "https://known.example")]
    assert [(s.name, s.description) for s in private.not_publicly_known] == [(None, "What secret holds")]
    names = {(e.category, e.name) for e in doc.inventory}
    assert ("2.2.1", None) in names  # the licensed source
    assert ("2.2.2", "Source known") in names
    assert ("2.2.2", None) in names
    assert "Source lic" not in doc.model_dump_json()
    assert "Source secret" not in doc.model_dump_json()


def test_crawler_section(tmp_path: Path) -> None:
    crawled = summary_of(tmp_path).sources.crawled
    (bot,) = crawled.crawlers
    assert (bot.name, bot.user_agents, bot.honours) == ("GoodBot", ["GoodBot/1.0"], ["robots.txt", "TDMRep"])
    assert (bot.circumvents_paywalls, bot.circumvents_captchas, bot.uses_logins) == (False, False, False)
    # measured from the crawl's items (2025-01-11 and 2025-01-12)
    assert (bot.period_start.display, bot.period_end.display, bot.period_end.provenance) == (
        "01/2025",
        "01/2025",
        Provenance.MEASURED,
    )


def test_synthetic_generators(tmp_path: Path) -> None:
    def change(m: dict[str, Any]) -> None:
        m["sources"].append(
            _source(
                "syn2", "synthetic", "text", generator_model="Internal 0", generator_on_eu_market=False,
                generator_description="A small in-house model",
            )
        )  # fmt: skip

    rows = [*good_items(), item("syn2-1", "syn2", modality="text", size_tokens=1)]
    synthetic = summary_of(tmp_path, variant(change), rows).sources.synthetic
    assert [(g.name, g.summary_url) for g in synthetic.market_models] == [("Gen 1", "https://gen.example/summary")]
    assert [(g.name, g.description) for g in synthetic.other_models] == [("Internal 0", "A small in-house model")]


def test_processing_section(tmp_path: Path) -> None:
    processing = summary_of(tmp_path).processing
    assert processing.tdm.signatory.value is Tri.YES
    assert processing.tdm.protocols == ["robots.txt", "TDMRep"]
    assert [(t.category, t.name, t.evidence, t.withheld) for t in processing.tdm.third_party] == [
        ("2.1", "Source pub", "Curators filtered reserved pages", False),
        # licensed data: the counterparty is not public, so its evidence is recorded but not published
        ("2.2.1", None, None, True),
    ]
    assert processing.tdm.third_party[1].evidence_withheld == "Licensed by the rightsholder"
    assert processing.illegal_content.value == "Blocklists and classifiers."
    assert processing.other.provenance is Provenance.MISSING


# --- scope, timeline, cadence --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_update", "date", "outcome"),
    [
        ("2025-08-31", "2026-03-01", Outcome.PASS),  # 182 days
        ("2025-08-30", "2026-03-01", Outcome.PASS),  # 183 days: still within
        ("2025-08-29", "2026-03-01", Outcome.FAIL),  # 184 days
    ],
)
def test_six_month_update_cadence(tmp_path: Path, last_update: str, date: str, outcome: Outcome) -> None:
    manifest = variant(lambda m: m["summary"].update(last_update=last_update))
    assert check(summary_of(tmp_path, manifest, date=date), "EU-TS-26").outcome is outcome


def test_legacy_model_deadline(tmp_path: Path) -> None:
    """Placed 2025-07-01, before Chapter V applied: the Summary is due by 2027-08-02 (Art. 111(3))."""

    def change(m: dict[str, Any]) -> None:
        m["models"][0]["eu_placement_date"] = "2025-07-01"
        m["summary"].pop("last_update")

    manifest = variant(change)
    before = check(summary_of(tmp_path / "a", manifest, date="2027-08-02"), "EU-SCOPE-05")
    assert (before.outcome, "due by 2027-08-02 (Art. 111(3))" in before.message.en) == (Outcome.PASS, True)
    after = check(summary_of(tmp_path / "b", manifest, date="2027-08-03"), "EU-SCOPE-05")
    assert after.outcome is Outcome.FAIL
    assert after.severity.value == "blocker"


def test_new_model_deadline_is_marked_unverified(tmp_path: Path) -> None:
    doc = summary_of(tmp_path)
    scope = check(doc, "EU-SCOPE-05")
    assert scope.outcome is Outcome.PASS
    assert "due by 2025-09-01 (placement date, UNVERIFIED)" in scope.message.en
    assert "UNVERIFIED" in (scope.citation.note or "")


def test_first_version_dated_after_the_deadline(tmp_path: Path) -> None:
    manifest = variant(lambda m: m["summary"].update(previous_versions=[]))
    assert check(summary_of(tmp_path, manifest), "EU-SCOPE-05-LATE").outcome is Outcome.FAIL


def test_open_source_does_not_exempt_the_summary(tmp_path: Path) -> None:
    doc = summary_of(tmp_path, variant(lambda m: m["models"][0].update(open_source=True)))
    note = check(doc, "EU-SCOPE-04")
    assert (note.outcome, note.citation.reference_tag) == (Outcome.PASS, "[P]")
    assert "remain required" in note.message.en
    assert check(summary_of(tmp_path / "closed"), "EU-SCOPE-04").outcome is Outcome.NOT_APPLICABLE


# --- bad input -----------------------------------------------------------------------------------------------------


def test_unknown_modality_in_the_inventory_is_a_clear_error(tmp_path: Path) -> None:
    manifest = variant(lambda m: m["sources"][0].update(modality="hologram"))
    with pytest.raises(InputError) as caught:
        summary_of(tmp_path, manifest)
    text = str(caught.value.problems)
    assert "hologram" in text
    assert "'text', 'image', 'audio', 'video', 'code' or 'other'" in text


def test_unknown_category_in_the_inventory_is_a_clear_error(tmp_path: Path) -> None:
    manifest = variant(lambda m: m["sources"][0].update(eu_category="scraped"))
    with pytest.raises(InputError) as caught:
        summary_of(tmp_path, manifest)
    assert "public_dataset" in str(caught.value.problems)


def test_unknown_item_modality_is_a_clear_error(tmp_path: Path) -> None:
    rows = good_items()
    rows[3]["modality"] = "hologram"
    with pytest.raises(InputError) as caught:
        summary_of(tmp_path, items=rows)
    assert "modality" in str(caught.value.problems)


def test_good_manifest_is_unchanged_by_the_tests() -> None:
    assert good_manifest()["attestations"]["used_crawlers"] == "yes"
    assert write_dataset is not None


def test_language_names_from_cldr_and_unknown_tags_shown_as_written() -> None:
    assert language_name("zh-Hans").model_dump() == {"en": "Chinese (Simplified)", "zh": "中文 (简体)"}
    assert language_name("sr-Latn-RS").en == "Serbian (Latin, Serbia)"
    assert language_name("qaa").model_dump() == {"en": "qaa", "zh": "qaa"}  # private use: CLDR has no name


def test_items_without_a_size_are_counted_beside_the_size(tmp_path: Path) -> None:
    rows = good_items()
    for row in rows:
        if row["item_id"] == "syn-2":
            row["size_tokens"] = None  # 200 tokens no longer known
    doc = summary_of(tmp_path, items=rows)
    text = next(s for s in doc.general.sizes if s.modality.value == "text")
    image = next(s for s in doc.general.sizes if s.modality.value == "image")
    # pub, crawl and syn hold 100 + 200 tokens each; syn-2's 200 are unknown: 700 measured, one item left out.
    assert (text.value, text.items_without_size) == (700, 1)
    assert image.items_without_size is None  # images are counted, not sized
    assert "text 1" in check(doc, "EU-TS-06").message.en
