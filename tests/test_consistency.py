"""Evidence governs statements: each consistency check on hand-made datasets, and what it does to the documents.

The good dataset of tests/test_eu_support.py states that its crawler obeys robots.txt and TDMRep, that every public
dataset is CC-BY-4.0, that illegal content is filtered, what languages and periods each source has. Each test
plants one item that contradicts one statement (or removes the statement) and states by hand what must follow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aireport.disclose.editions import clean
from aireport.disclose.eu.summary import build_eu_summary
from aireport.models.results import Outcome, RuleResult
from tests.test_eu_support import (
    ITEM_COLUMNS,
    good_items,
    good_manifest,
    run_of,
    source_in,
    variant,
    write_dataset,
)

COLUMNS = (*ITEM_COLUMNS, "aigc_label", "personal_data")


def _items(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The good items, every one screened and passed, with ``changes`` (item id -> values) applied."""
    rows = [{**r, "safety_label": "pass", "aigc_label": False} for r in good_items()]
    for row in rows:
        row.update(changes.get(row["item_id"].replace("-", "_"), {}))
    return rows


def _finding(tmp_path: Path, rule_id: str, manifest: dict[str, Any] | None = None, **changes: Any) -> RuleResult:
    path = write_dataset(tmp_path, manifest or good_manifest(), _items(**changes), COLUMNS)
    return next(r for r in run_of(path).result.rules if r.rule_id == rule_id)


def test_the_good_dataset_contradicts_none_of_its_statements(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, good_manifest(), _items(), COLUMNS)
    outcomes = {r.rule_id: r.outcome for r in run_of(path).result.rules if "-CONS-" in r.rule_id}
    assert outcomes == {
        "EU-CONS-ROBOTS": Outcome.PASS,  # crawl: 2 items allowed
        "EU-CONS-TDM": Outcome.PASS,  # crawl: 2 items without a reservation (pub's 2 items: nothing recorded)
        "EU-CONS-LICENCE": Outcome.PASS,  # pub CC-BY-4.0 x2, lic LicenseRef-Good x2
        "EU-CONS-FILTER": Outcome.PASS,  # 10 items, all screened and passed
        "EU-CONS-SYNTHETIC": Outcome.NOT_APPLICABLE,  # 2.5 (a) is answered Yes
        "EU-CONS-LANGUAGES": Outcome.PASS,  # every item en, every source declares en
        "EU-CONS-PERIOD": Outcome.PASS,  # items 2025-01-11/12, periods 2024-01-01 .. 2025-01-31
    }


def test_a_robots_refusal_contradicts_the_statement(tmp_path: Path) -> None:
    r = _finding(tmp_path, "EU-CONS-ROBOTS", crawl_1={"robots_allowed": False})
    assert (r.outcome, r.severity.value, r.counts.failed) == (Outcome.FAIL, "blocker", 1)
    (crawl,) = [s for s in r.per_source if s.counts.failed]
    assert (crawl.source_id, crawl.counts.failed, crawl.counts.applicable) == ("crawl", 1, 2)
    assert "crawl-1" in r.evidence
    assert r.detail is not None
    assert "1 items robots.txt refused" in r.detail.en


def test_no_robots_statement_no_contradiction(tmp_path: Path) -> None:
    """The refused item still fails EU-CR-02, but nothing the provider said is contradicted."""

    def unsay(m: dict[str, Any]) -> None:
        crawl = source_in(m, "crawl")
        crawl.update(crawler_behaviour="Collects text", optout_protocols=["TDMRep"])
        m["attestations"]["tdm_optout_measures"] = "GoodBot honours TDMRep."

    r = _finding(tmp_path, "EU-CONS-ROBOTS", variant(unsay), crawl_1={"robots_allowed": False})
    assert r.outcome is Outcome.NOT_APPLICABLE


def test_a_tdm_reservation_contradicts_the_measures(tmp_path: Path) -> None:
    r = _finding(tmp_path, "EU-CONS-TDM", crawl_2={"tdm_reserved": True})
    assert (r.outcome, r.counts.failed) == (Outcome.FAIL, 1)
    # pub states in its opt-out evidence that reserved pages were filtered; its items record nothing: unknown
    assert r.counts.unknown == 2


def test_an_item_licence_contradicts_the_declared_one(tmp_path: Path) -> None:
    r = _finding(tmp_path, "EU-CONS-LICENCE", pub_2={"license": "CC-BY-NC-4.0"})
    assert (r.outcome, r.counts.failed) == (Outcome.FAIL, 1)
    assert r.detail is not None
    assert "pub (CC-BY-NC-4.0 1)" in r.detail.en


@pytest.mark.parametrize(
    ("statement", "changes", "outcome", "failed", "unknown"),
    [
        ("Blocklists and classifiers.", {"usr_1": {"safety_label": "flagged"}}, Outcome.FAIL, 1, 0),
        # never screened, and the statement does not claim to cover everything: not evidenced, not contradicted
        ("Blocklists and classifiers.", {"usr_1": {"safety_label": None}}, Outcome.PASS, 0, 1),
        # the statement covers all sources: a never-screened item contradicts it
        ("All sources pass a classifier.", {"usr_1": {"safety_label": None}}, Outcome.FAIL, 1, 0),
        ("All sources pass a classifier.", {}, Outcome.PASS, 0, 0),
    ],
)
def test_filtering_statements(
    tmp_path: Path, statement: str, changes: dict[str, Any], outcome: Outcome, failed: int, unknown: int
) -> None:
    manifest = variant(lambda m: m["attestations"].update(illegal_content_measures=statement))
    r = _finding(tmp_path, "EU-CONS-FILTER", manifest, **changes)
    assert (r.outcome, r.counts.failed, r.counts.unknown) == (outcome, failed, unknown)


def test_filtering_without_safety_results_is_missing_evidence(tmp_path: Path) -> None:
    columns = tuple(c for c in ITEM_COLUMNS if c != "safety_label")
    path = write_dataset(tmp_path, good_manifest(), good_items(), columns)  # no safety_label column at all
    r = next(x for x in run_of(path).result.rules if x.rule_id == "EU-CONS-FILTER")
    assert (r.outcome, r.missing_fields) == (Outcome.NOT_EVALUABLE, ["safety_label"])


def test_synthetic_answered_no_against_labelled_items(tmp_path: Path) -> None:
    def no_synthetic(m: dict[str, Any]) -> None:
        m["attestations"]["used_synthetic_data"] = "no"
        m["sources"] = [s for s in m["sources"] if s["source_id"] != "syn"]

    items = [r for r in _items(crawl_2={"aigc_label": True}) if r["source_id"] != "syn"]
    path = write_dataset(tmp_path, variant(no_synthetic), items, COLUMNS)
    r = next(x for x in run_of(path).result.rules if x.rule_id == "EU-CONS-SYNTHETIC")
    assert (r.outcome, r.counts.failed) == (Outcome.FAIL, 1)


def test_an_undeclared_language_contradicts_the_source(tmp_path: Path) -> None:
    r = _finding(tmp_path, "EU-CONS-LANGUAGES", crawl_1={"language": "de-AT"})
    assert (r.outcome, r.counts.failed) == (Outcome.FAIL, 1)
    assert r.detail is not None
    assert "crawl (de 1)" in r.detail.en


def test_an_item_after_the_declared_period(tmp_path: Path) -> None:
    r = _finding(tmp_path, "EU-CONS-PERIOD", crawl_2={"collected_at": "2025-03-01 00:00:00"})
    assert (r.outcome, r.counts.failed) == (Outcome.FAIL, 1)  # one source, not its items: only bounds are measured
    assert r.detail is not None
    assert "crawl (03/2025 > 01/2025)" in r.detail.en


# --- draft and final --------------------------------------------------------------------------------------------


def test_a_contradiction_makes_every_eu_document_a_draft(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, good_manifest(), _items(crawl_1={"robots_allowed": False}), COLUMNS)
    done = run_of(path)
    doc = build_eu_summary(done)
    assert doc.status == "draft"
    (reason,) = doc.draft_reasons
    assert (reason.finding, reason.field) == ("EU-CONS-ROBOTS", "2.3 (d); 3.1 (b)")
    assert "(1 item concerned.)" in reason.text.en
    public = clean(doc)
    assert (public.status, public.edition, public.draft_reasons[0].finding) == ("draft", "clean", None)


def test_without_contradiction_the_summary_is_final(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, good_manifest(), _items(), COLUMNS)
    doc = build_eu_summary(run_of(path))
    assert (doc.status, doc.draft_reasons) == ("final", [])
