"""Rule logic the legal review asked for, on hand-made rows: flagged and unscreened items used in training fail
(§5.2 a)) while the 5% test stays a source-acceptance threshold (§5.1 a) 2)); ignoring a TDM reservation is a
Blocker like ignoring robots.txt (both DSM Art. 4(3) opt-outs); rows without evidence inside an evaluated rule
reach the headline; each source's items are compared with that source's declared collection period."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.cli.exit_codes import ExitCode, exit_code_for
from aireport.disclose.findings import build_findings
from aireport.models.results import Counts, EvaluationResult, Outcome, RuleResult, Verdict
from aireport.models.rules import Severity
from aireport.pipeline import check_dataset
from tests.datasets import write_dataset


def rule(result: EvaluationResult, rule_id: str) -> RuleResult:
    return next(r for r in result.rules if r.rule_id == rule_id)


SCREENED = [
    {"source_id": "a", "name": "A", "eu_category": "licensed", "cn_acquisition": "commercial", "modality": "text"},
    {"source_id": "b", "name": "B", "eu_category": "licensed", "cn_acquisition": "commercial", "modality": "text"},
]
# Source a: 1 flagged of 40 screened = 2.5% (under 5%), 2 never screened; source b: 3 flagged of 20 = 15%.
SCREEN_ITEMS = (
    [{"item_id": f"a{n:02d}", "source_id": "a", "safety_label": "pass"} for n in range(39)]
    + [{"item_id": "a39", "source_id": "a", "safety_label": "flagged"}]
    + [{"item_id": f"a-unscreened{n}", "source_id": "a", "safety_label": None} for n in range(2)]
    + [{"item_id": f"b{n:02d}", "source_id": "b", "safety_label": "pass"} for n in range(17)]
    + [{"item_id": f"b-flagged{n}", "source_id": "b", "safety_label": "flagged"} for n in range(3)]
)


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> EvaluationResult:
    manifest = write_dataset(tmp_path_factory.mktemp("screen"), SCREENED, SCREEN_ITEMS)
    return check_dataset(manifest, ["cn-genai"], document_date="2026-01-01")


def test_flagged_and_unscreened_items_used_in_training_fail(screened: EvaluationResult) -> None:
    r = rule(screened, "CN-TC-5.2-A-ITEMS")
    # Every item is used in training: 42 + 20 applicable; a39, the two unscreened and b's three flagged fail.
    assert (r.counts.applicable, r.counts.passed, r.counts.failed, r.counts.unknown) == (62, 56, 6, 0)
    assert (r.outcome, r.tolerance, r.severity) == (Outcome.FAIL, "0", Severity.ERROR)
    assert r.evidence == sorted(["a39", "a-unscreened0", "a-unscreened1", "b-flagged0", "b-flagged1", "b-flagged2"])


def test_five_percent_stays_a_source_acceptance_threshold(screened: EvaluationResult) -> None:
    r = rule(screened, "CN-TC-5.1-A2")
    # Only screened items count; a: 1/40 = 2.5% passes, b: 3/20 = 15% fails.
    assert {s.source_id: (s.counts.applicable, s.counts.failed, s.outcome) for s in r.per_source} == {
        "a": (40, 1, Outcome.PASS),
        "b": (20, 3, Outcome.FAIL),
    }


def test_ignoring_a_tdm_reservation_is_a_blocker(tmp_path: Path) -> None:
    sources = [{"source_id": "w", "name": "W", "eu_category": "crawled", "modality": "text"}]
    items = [
        {"item_id": "1", "source_id": "w", "robots_allowed": True, "tdm_reserved": True},
        {"item_id": "2", "source_id": "w", "robots_allowed": False, "tdm_reserved": False},
    ]
    result = check_dataset(write_dataset(tmp_path, sources, items), ["eu-ai-act"], document_date="2026-01-01")
    tdm, robots = rule(result, "EU-CR-03"), rule(result, "EU-CR-02")
    assert (tdm.severity, tdm.outcome, tdm.evidence) == (Severity.BLOCKER, Outcome.FAIL, ["1"])
    assert (robots.severity, robots.outcome, robots.evidence) == (Severity.BLOCKER, Outcome.FAIL, ["2"])
    assert result.verdict.failures_by_severity["blocker"] >= 2


def test_rows_without_evidence_reach_the_headline(tmp_path: Path) -> None:
    sources = [{"source_id": "w", "name": "W", "eu_category": "crawled", "modality": "text"}]
    items = [
        {"item_id": "1", "source_id": "w", "robots_allowed": False, "tdm_reserved": True},
        {"item_id": "2", "source_id": "w", "robots_allowed": None, "tdm_reserved": False},
        {"item_id": "3", "source_id": "w", "robots_allowed": None, "tdm_reserved": None},
    ]
    result = check_dataset(write_dataset(tmp_path, sources, items), ["eu-ai-act"], document_date="2026-01-01")
    # EU-CR-02: 1 fails, 2 of 3 rows unknown; EU-CR-03: 1 fails, 1 of 3 unknown. Both fail on the row with
    # evidence, and say nothing of the others: that must show, not only the failure.
    assert (rule(result, "EU-CR-02").outcome, rule(result, "EU-CR-03").outcome) == (Outcome.FAIL, Outcome.FAIL)
    partial = {r.rule_id for r in result.rules if r.outcome is Outcome.FAIL and r.counts.unknown}
    assert {"EU-CR-02", "EU-CR-03"} <= partial
    assert result.verdict.rules_with_unknown_rows == len(
        [r for r in result.rules if r.outcome in (Outcome.PASS, Outcome.FAIL) and r.counts.unknown]
    )
    doc = build_findings(result)
    assert doc.summary.rules_with_unknown_rows == result.verdict.rules_with_unknown_rows
    listed = {p.rule_id: (p.unknown, p.applicable, p.unknown_percent) for p in doc.rules_with_unknown_rows}
    assert listed["EU-CR-02"] == (2, 3, 66.6667)
    assert listed["EU-CR-03"] == (1, 3, 33.3333)
    assert doc.summary.unknown_rows >= 3


PERIODS = [
    {"source_id": "in", "name": "In", "eu_category": "licensed", "modality": "text",
     "collection_start": "2024-01-01", "collection_end": "2024-06-30"},
    {"source_id": "late", "name": "Late", "eu_category": "licensed", "modality": "text",
     "collection_start": "2024-01-01", "collection_end": "2024-06-30"},
    {"source_id": "early", "name": "Early", "eu_category": "licensed", "modality": "text",
     "collection_start": "2024-03-01", "collection_end": "2024-12-31"},
    {"source_id": "open", "name": "No period", "eu_category": "licensed", "modality": "text"},
]  # fmt: skip
PERIOD_ITEMS = [
    {"item_id": "i1", "source_id": "in", "collected_at": "2024-06-30 23:59:59"},  # the last second of the period
    {"item_id": "l1", "source_id": "late", "collected_at": "2024-05-01 00:00:00"},
    {"item_id": "l2", "source_id": "late", "collected_at": "2024-07-01 00:00:00"},  # one day after its end
    {"item_id": "e1", "source_id": "early", "collected_at": "2024-02-29 12:00:00"},  # before its start
    {"item_id": "o1", "source_id": "open", "collected_at": "2025-09-01 00:00:00"},  # nothing declared to pass
]


def test_each_source_is_compared_with_its_own_period(tmp_path: Path) -> None:
    # The inventory-wide latest end (2024-12-31) is after every item but o1's, whose source declares nothing:
    # a corpus-wide comparison would pass; per source, late and early fail.
    result = check_dataset(write_dataset(tmp_path, PERIODS, PERIOD_ITEMS), ["eu-ai-act"], document_date="2026-01-01")
    r = rule(result, "EU-TS-10-DECLARED")
    assert r.outcome is Outcome.FAIL
    assert (r.counts.applicable, r.counts.failed, r.evidence) == (3, 2, ["early", "late"])
    assert r.detail is not None
    assert "late: items collected in 07/2024 (2024-07-01), after its declared collection_end 2024-06-30" in r.detail.en
    assert "early: items collected in 02/2024 (2024-02-29), before its declared collection_start 2024-03-01" in (
        r.detail.en
    )
    assert "in:" not in r.detail.en


def test_strict_counts_rows_without_evidence_inside_a_passing_rule(screened: EvaluationResult) -> None:
    base = rule(screened, "CN-TC-5.1-A2")
    passing = base.model_copy(update={"outcome": Outcome.PASS, "counts": Counts(applicable=3, passed=2, unknown=1)})
    only = screened.model_copy(update={"rules": [passing]})
    assert exit_code_for(only, Severity.INFO) is ExitCode.CLEAN
    assert exit_code_for(only, Severity.INFO, strict=True) is ExitCode.FINDINGS
    assert exit_code_for(only, Severity.BLOCKER, strict=True) is ExitCode.CLEAN  # an error-severity rule
    doc = build_findings(only.model_copy(update={"verdict": Verdict.of([passing])}))
    assert (doc.summary.verdict, doc.summary.rules_with_unknown_rows, doc.summary.unknown_rows) == (
        "missing_evidence",
        1,
        1,
    )


def test_a_period_that_is_not_a_period_is_a_located_warning(tmp_path: Path) -> None:
    """late's declared period starts after it ends: read as not declared (late is not compared), counted, located;
    with --strict the run stops. The inline manifest and an inventory file alike."""
    inverted = [dict(p, collection_start="2024-09-01") if p["source_id"] == "late" else p for p in PERIODS]
    manifest = write_dataset(tmp_path / "inline", inverted, PERIOD_ITEMS)
    lines = manifest.read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, text in enumerate(lines, 1) if "collection_start: '2024-09-01'" in text)
    result = check_dataset(manifest, ["eu-ai-act"], document_date="2026-01-01")
    assert [(w.kind, w.file, w.line, w.column, w.value) for w in result.warnings] == [
        ("period", "manifest.yaml", expected_line, "collection_start", "2024-09-01 to 2024-06-30")
    ]
    r = rule(result, "EU-TS-10-DECLARED")
    assert (r.counts.applicable, r.evidence) == (2, ["early"])  # in and early compared; late has no period now

    inventory = tmp_path / "file" / "sources.csv"
    inventory.parent.mkdir()
    inventory.write_text(
        "source_id,name,eu_category,modality,collection_start,collection_end\n"
        "in,In,licensed,text,2024-01-01,2024-06-30\n"
        "late,Late,licensed,text,2024-09-01,2024-06-30\n",
        encoding="utf-8",
    )
    items = [i for i in PERIOD_ITEMS if i["source_id"] in ("in", "late")]
    with_file = write_dataset(tmp_path / "file", [], items)
    with_file.write_text(with_file.read_text().replace("sources: []", "sources: sources.csv"), encoding="utf-8")
    result = check_dataset(with_file, ["eu-ai-act"], document_date="2026-01-01")
    assert [(w.file, w.line, w.value) for w in result.warnings] == [("sources.csv", 3, "2024-09-01 to 2024-06-30")]
    strict = CliRunner().invoke(main, ["check", str(with_file), "--pack", "eu-ai-act", "--strict", "-q"])
    assert strict.exit_code == 2
    assert "sources.csv:3: collection_start: collection_start is after collection_end (source late)" in strict.stderr
