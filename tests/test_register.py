"""The issue register: a problem counted once across packs, with every provision it breaks; the catalogue itself.

Over the Lumen example (examples/lumen/PLANTED.md), with both packs: the robots.txt refusals planted in the crawl
fail EU-CR-02 and CN-TC-5.1-C2-ROBOTS and contradict two statements (EU-CONS-ROBOTS, CN-CONS-ROBOTS); the register
lists one problem holding the four, and counts its items once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from aireport.disclose.findings import build_findings
from aireport.engine.config import EngineConfig
from aireport.example import write_example
from aireport.load.problems import load_problems
from aireport.load.rulepack import builtin_packs, load_packs
from aireport.models.documents import FindingsDocument
from aireport.pipeline import RunRequest, run

N = 3000


def _planted_robots(n: int) -> int:
    """PLANTED.md robots_disallowed: crawl (55 <= i % 100 < 80) and i % 211 != 19 and i % 331 = 7."""
    return sum(1 for i in range(n) if 55 <= i % 100 < 80 and i % 211 != 19 and i % 331 == 7)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> FindingsDocument:
    manifest = write_example(tmp_path_factory.mktemp("lumen"), N)
    request = RunRequest(
        manifest=manifest,
        packs=("eu-ai-act", "cn-genai"),
        document_date="2026-11-24",
        engine=EngineConfig(threads=1),
        assessment_date=dt.date(2025, 10, 31),
    )
    done = run(request)
    return build_findings(done.result, done.problems, done.resolutions)


def test_one_problem_across_packs_counts_once(findings: FindingsDocument) -> None:
    register = findings.issue_register
    robots = next(p for p in register.rows if p.problem == "robots-refused")
    assert {f.rule_id for f in robots.findings} == {
        "EU-CR-02",
        "EU-CONS-ROBOTS",
        "CN-TC-5.1-C2-ROBOTS",
        "CN-CONS-ROBOTS",
    }
    assert {f.pack for f in robots.findings} == {"eu-ai-act", "cn-genai"}
    assert robots.items == _planted_robots(N)  # not four times the count
    assert robots.severity.value == "blocker"
    # The headline counts problems, then findings: each failing finding is in exactly one problem.
    failing = [r for r in findings.rules_failing]
    in_rows = Counter(f.rule_id for p in register.rows for f in p.findings)
    assert sorted(in_rows) == sorted(r.rule_id for r in failing)
    assert set(in_rows.values()) == {1}
    assert register.findings == len(failing)
    assert register.problems == len(register.rows) < register.findings


def test_item_level_missing_evidence_reaches_the_headline(findings: FindingsDocument) -> None:
    """PLANTED.md robots_unchecked: crawl items with i % 211 = 19 record neither robots nor TDM state."""
    unchecked = sum(1 for i in range(N) if 55 <= i % 100 < 80 and i % 211 == 19)
    register = findings.issue_register
    assert register.items_without_evidence >= unchecked
    rows = {m.rule_id: m.unknown for m in register.missing_evidence}
    assert rows["EU-CR-02"] == rows["EU-CR-03"] == rows["CN-TC-5.1-C2-ROBOTS"] == unchecked


def test_every_problem_names_findings_that_exist_once() -> None:
    catalogue = load_problems()
    ids = {r.id for p in load_packs(builtin_packs()) for r in p.rules}
    named = [f for p in catalogue.problems for f in p.findings]
    assert sorted(set(named) - ids) == []
    assert [f for f, n in Counter(named).items() if n > 1] == []
    assert len({p.id for p in catalogue.problems}) == len(catalogue.problems)


def test_a_lone_failing_finding_is_its_own_problem(findings: FindingsDocument) -> None:
    catalogue = load_problems()
    lone = [p for p in findings.issue_register.rows if catalogue.of(p.findings[0].rule_id) is None]
    assert all(len(p.findings) == 1 and p.problem == p.findings[0].rule_id for p in lone)
