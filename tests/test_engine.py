"""The engine on the ten-item fixture: every expectation below was worked out by hand from
tests/fixtures/tiny (items.csv, manifest.yaml) and tests/fixtures/packs/tiny."""

from __future__ import annotations

from pathlib import Path

import pytest

from aireport.engine.config import EngineConfig
from aireport.models.results import EvaluationResult, Outcome, RuleResult
from aireport.pipeline import check_dataset
from tests.conftest import TINY_PACK


@pytest.fixture
def result(tiny: Path) -> EvaluationResult:
    return check_dataset(tiny, [TINY_PACK], EngineConfig(evidence_limit=5), "2026-01-01")


def rule(result: EvaluationResult, rule_id: str) -> RuleResult:
    return next(r for r in result.rules if r.rule_id == rule_id)


def test_robots_counts_unchecked_items_as_unknown(result: EvaluationResult) -> None:
    r = rule(result, "T-ROBOTS")
    # w1 allowed, w2 disallowed, w3 not checked, w4 allowed; other sources are not crawled.
    assert (r.counts.applicable, r.counts.passed, r.counts.failed, r.counts.unknown) == (4, 2, 1, 1)
    assert r.outcome is Outcome.FAIL
    assert r.evidence == ["w2"]
    assert r.failing_fraction == 0.25


def test_tolerance_per_source_is_inclusive(result: EvaluationResult) -> None:
    r = rule(result, "T-SAFETY")
    by_source = {s.source_id: (s.counts.applicable, s.counts.failed, s.outcome) for s in r.per_source}
    # web: 1 of 4 flagged = 25%, exactly the tolerance -> pass; cc: 1 of 3 -> fail; books: b2 unassessed.
    assert by_source == {
        "books": (2, 0, Outcome.PASS),
        "cc": (3, 1, Outcome.FAIL),
        "web": (4, 1, Outcome.PASS),
    }
    assert r.outcome is Outcome.FAIL
    assert r.evidence == ["c2", "w3"]


def test_licence_terms_resolve_most_restrictively(result: EvaluationResult) -> None:
    r = rule(result, "T-COMMERCIAL")
    # b1 custom licence ok; b2 "... AND CC-BY-NC-4.0" fails; b3 MIT ok; c1 CC-BY ok; c2 NC fails;
    # c3 an undeclared LicenseRef is unknown, not a pass.
    assert (r.counts.applicable, r.counts.passed, r.counts.failed, r.counts.unknown) == (6, 3, 2, 1)
    assert r.evidence == ["b2", "c2"]


def test_source_scope_uses_source_licence_and_any(result: EvaluationResult) -> None:
    r = rule(result, "T-AGREEMENT")
    assert r.outcome is Outcome.FAIL
    assert r.evidence == ["cc"]  # no agreement, and CC-BY-NC-4.0 does not permit commercial use
    assert (r.counts.applicable, r.counts.failed) == (2, 1)


def test_derived_sample_rate_edge(result: EvaluationResult) -> None:
    r = rule(result, "T-SAMPLE")
    # web 10/200 = 5% passes "le 0.05"; books 6/100 fails; cc declares no sample.
    assert r.evidence == ["books"]
    assert (r.counts.applicable, r.counts.passed, r.counts.failed) == (2, 1, 1)


def test_dataset_scope_is_one_row_per_model(result: EvaluationResult) -> None:
    r = rule(result, "T-PLACEMENT")
    assert (r.counts.applicable, r.counts.failed) == (2, 1)
    assert r.evidence == ["tiny-0"]


def test_absent_column_is_missing_evidence_not_a_pass(result: EvaluationResult) -> None:
    r = rule(result, "T-LANG")
    assert r.outcome is Outcome.NOT_EVALUABLE
    assert r.missing_fields == ["rights_holder"]


def test_measures_per_source_and_total(result: EvaluationResult) -> None:
    values = {m.measure_id: {(v.source_id, v.group): v.value for v in m.values} for m in result.measures}
    assert values["items"] == {
        (None, None): 10,
        ("books", None): 3,
        ("cc", None): 3,
        ("web", None): 4,
    }
    assert values["bytes_by_modality"] == {
        (None, "image"): 180,
        (None, "text"): 7000,
        ("books", "text"): 6000,
        ("cc", "image"): 180,
        ("web", "text"): 1000,
    }
    assert values["latest"][(None, None)] == "2025-04-05T10:00:00"
    assert values["languages"] == {
        (None, "de"): 1,
        (None, "en"): 4,
        (None, "fr"): 1,
        (None, "zh"): 1,
        ("books", "en"): 2,
        ("books", "zh"): 1,
        ("web", "de"): 1,
        ("web", "en"): 2,
        ("web", "fr"): 1,
    }


def test_rows_accounted(result: EvaluationResult) -> None:
    assert (result.rows.read, result.rows.evaluated, result.rows.rejected) == (10, 10, 0)


def test_inputs_are_digested_with_stable_names(result: EvaluationResult) -> None:
    names = {(f.role, f.path) for f in result.inputs}
    assert names == {
        ("manifest", "manifest.yaml"),
        ("items", "items.csv"),
        ("licences", "aireport:rules/licences.yaml"),
    }
    assert all(len(f.sha256) == 64 for f in result.inputs)
    assert (result.packs[0].id, result.packs[0].rules) == ("tiny", 7)
