"""One meaning of "used in training": items and sources marked not used in training are counted once (the row
accounting) and left out of every rule, measure, ranking and document section, in both packs.

The dataset below is small enough that every expectation is counted by hand from the rows it writes.
"""

from __future__ import annotations

import pytest

from aireport.models.eu.summary import AnnexDocument, EuSummaryDocument
from aireport.models.results import EvaluationResult, Outcome, RuleResult
from aireport.models.run import Run
from aireport.pipeline import RunRequest, build, run
from tests.datasets import write_dataset

SOURCES = [
    {"source_id": "stock", "name": "Stock", "eu_category": "licensed", "cn_acquisition": "commercial",
     "modality": "image", "license": "CC-BY-4.0"},
    {"source_id": "crawl", "name": "Crawl", "eu_category": "crawled", "cn_acquisition": "self_collected",
     "modality": "image"},
    # Marked not used in training: its items and the source itself count nowhere.
    {"source_id": "old-crawl", "name": "Old crawl", "eu_category": "crawled", "cn_acquisition": "self_collected",
     "modality": "image", "used_in_training": False},
    {"source_id": "chats", "name": "Chats", "eu_category": "user_model_interactions", "cn_acquisition": "user_input",
     "modality": "text", "used_in_training": False},
    # Not used in training but used for validation: an Annex XI dataset, in no training figure.
    {"source_id": "val", "name": "Validation set", "eu_category": "public_dataset", "cn_acquisition": "open_source",
     "modality": "image", "license": "CC-BY-4.0", "used_in_training": False, "splits": ["validation"]},
]  # fmt: skip

ITEMS = [
    {"item_id": "s1", "source_id": "stock", "domain": None, "size_bytes": 100, "robots_allowed": None,
     "tdm_reserved": None, "safety_label": "pass", "used_in_training": True},
    {"item_id": "s2", "source_id": "stock", "domain": None, "size_bytes": 200, "robots_allowed": None,
     "tdm_reserved": None, "safety_label": "flagged", "used_in_training": False},
    {"item_id": "s3", "source_id": "stock", "domain": None, "size_bytes": 300, "robots_allowed": None,
     "tdm_reserved": None, "safety_label": "pass", "used_in_training": None},
    {"item_id": "c1", "source_id": "crawl", "domain": "a.example", "size_bytes": 10, "robots_allowed": True,
     "tdm_reserved": False, "safety_label": "pass", "used_in_training": True},
    {"item_id": "c2", "source_id": "crawl", "domain": "b.example", "size_bytes": 20, "robots_allowed": False,
     "tdm_reserved": False, "safety_label": "pass", "used_in_training": True},
    {"item_id": "c3", "source_id": "crawl", "domain": "c.example", "size_bytes": 30, "robots_allowed": False,
     "tdm_reserved": True, "safety_label": "flagged", "used_in_training": False},
    {"item_id": "o1", "source_id": "old-crawl", "domain": "d.example", "size_bytes": 40, "robots_allowed": False,
     "tdm_reserved": True, "safety_label": "flagged", "used_in_training": None},
    {"item_id": "o2", "source_id": "old-crawl", "domain": "e.example", "size_bytes": 50, "robots_allowed": True,
     "tdm_reserved": False, "safety_label": "pass", "used_in_training": True},
    {"item_id": "v1", "source_id": "val", "domain": None, "size_bytes": 70, "robots_allowed": None,
     "tdm_reserved": None, "safety_label": "pass", "used_in_training": None},
]  # fmt: skip

ATTESTATIONS = {"used_user_model_data": "no", "used_crawlers": "yes", "used_public_datasets": "no"}


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("scope")
    manifest = write_dataset(root, SOURCES, ITEMS, attestations=ATTESTATIONS)
    return run(RunRequest(manifest=manifest, packs=("eu-ai-act", "cn-genai"), document_date="2026-01-01"))


def rule(result: EvaluationResult, rule_id: str) -> RuleResult:
    return next(r for r in result.rules if r.rule_id == rule_id)


def total(result: EvaluationResult, measure_id: str, pack: str = "eu-ai-act") -> object:
    measure = next(m for m in result.measures if m.measure_id == measure_id and m.pack == pack)
    return next(v.value for v in measure.values if v.source_id is None and v.group is None)


def test_the_exclusion_is_counted_once(evaluated: Run) -> None:
    rows = evaluated.result.rows
    # s2 and c3 (item false), o1 and o2 (source old-crawl), v1 (source val): 5 of 9 rows.
    assert (rows.read, rows.evaluated, rows.rejected, rows.not_in_training) == (9, 9, 0, 5)
    assert rows.not_in_training_by_source == {"crawl": 1, "old-crawl": 2, "stock": 1, "val": 1}


def test_item_rules_count_only_training_items(evaluated: Run) -> None:
    robots = rule(evaluated.result, "EU-CR-02")  # c1 allowed, c2 disallowed; c3, o1 left out
    assert (robots.counts.applicable, robots.counts.failed, robots.evidence) == (2, 1, ["c2"])
    tdm = rule(evaluated.result, "EU-CR-03")  # c3 and o1 carried a reservation but are not trained on
    assert (tdm.counts.applicable, tdm.counts.failed, tdm.outcome) == (2, 0, Outcome.PASS)
    screen = rule(evaluated.result, "CN-TC-5.2-A-ITEMS")  # s2, c3, o1 flagged but not trained on
    assert (screen.counts.applicable, screen.counts.failed, screen.outcome) == (4, 0, Outcome.PASS)


def test_measures_and_ranking_count_only_training_items(evaluated: Run) -> None:
    result = evaluated.result
    assert total(result, "items_count") == 4  # s1, s3, c1, c2
    assert total(result, "bytes_total") == 100 + 300 + 10 + 20
    ranking = next(m.ranking for m in result.measures if m.measure_id == "crawled_domain_ranking")
    assert ranking is not None
    assert (ranking.distinct, ranking.total, [g.group for g in ranking.top]) == (2, 30, ["b.example"])


def test_dataset_counts_are_of_sources_used_in_training(evaluated: Run) -> None:
    # chats is user_model_interactions but not used in training: "no" is the consistent answer.
    assert rule(evaluated.result, "EU-TS-12-USER-MODEL").outcome is Outcome.PASS
    # val is a public dataset not used in training: "no" holds as well.
    assert rule(evaluated.result, "EU-TS-12-PUBLIC").outcome is Outcome.PASS


def test_documents_describe_the_training_content(evaluated: Run) -> None:
    # the annotated edition: the clean one leaves the traceability (row accounting included) out
    summary, annex = build(evaluated, ("eu-training-summary", "eu-annex-xi-data"), ("annotated",))
    assert isinstance(summary, EuSummaryDocument)
    assert isinstance(annex, AnnexDocument)
    user = summary.sources.user_data.model_interactions
    assert (user.inventory_sources, user.consistent) == (0, True)
    assert summary.sources.crawled.domains.distinct == 2
    assert summary.traceability is not None
    assert summary.traceability.rows.not_in_training == 5
    # Annex XI: the sources used for training, validation or testing; old-crawl and chats are neither.
    assert [d.source_id for d in annex.datasets] == ["crawl", "stock", "val"]
    stock = next(d for d in annex.datasets if d.source_id == "stock")
    assert stock.data_points.value == 2  # s1 and s3
    assert not any(r.rule_id == "EU-ITEMS-UNUSED" for r in evaluated.result.rules)
