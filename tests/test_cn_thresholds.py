"""The numbers of TC260-003 at their edges, exactly: 5% per source, 4,000 at 96%, 10% at 98%; profiles by date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.disclose.cn.assessment import build_cn_assessment
from aireport.errors import InputError
from aireport.load.cn.profile import apply_overrides, select_profile
from aireport.models.cn.profile import PARAMETER_NAMES, CnClass
from aireport.models.cn.statements import ClauseResult
from aireport.models.results import Outcome
from aireport.models.run import CnContext, Run
from aireport.pipeline import with_checks
from tests.test_cn_clauses import (
    CLEAN,
    PACK,
    REFERENCE,
    SOURCE,
    Evaluated,
    assess,
    build,
    clause,
    clean_evaluation,
    clean_items,
    evaluated,
)

__all__ = ["clean_evaluation"]  # the session fixture, shared with test_cn_clauses


def five_percent_items(flagged: int) -> list[dict[str, Any]]:
    items = clean_items(per_source=10_000, sources=("a",)) + clean_items(per_source=20, sources=("b",))
    for row in items[:flagged]:
        row["safety_label"] = "flagged"
    return items


@pytest.mark.parametrize(
    ("flagged", "outcome", "result"),
    [
        (499, Outcome.PASS, ClauseResult.COMPLIANT),  # 4.99%
        (500, Outcome.PASS, ClauseResult.COMPLIANT),  # exactly 5%: "more than 5%" fails, 5% does not
        (501, Outcome.FAIL, ClauseResult.NON_COMPLIANT),  # 5.01%
    ],
)
def test_five_percent_rule_through_the_engine(
    tmp_path: Path, flagged: int, outcome: Outcome, result: ClauseResult
) -> None:
    # Item labels (CN-TC-5.1-A2, per source) and the declared pre-collection sample (CN-TC-5.1-A1 and -A2-SRC)
    # both at flagged / 10,000.
    sources = [
        {**SOURCE, "source_id": "a", "name": "a", "safety_sample_size": 10_000, "safety_sample_flagged": flagged},
        {**SOURCE, "source_id": "b", "name": "b"},
    ]
    doc = assess(tmp_path, {"sources": sources}, items=five_percent_items(flagged))
    a2 = next(c for c in clause(doc, "TC-5.1-a-2").components if c.ref == "CN-TC-5.1-A2")
    assert a2.outcome.value == outcome.value
    assert f"{flagged} of 10,020 corpus items do not meet it" in a2.summary.en
    assert f"共 10,020 条语料，其中 {flagged} 条不符合" in a2.summary.zh
    assert clause(doc, "TC-5.1-a-2").result is result
    assert clause(doc, "TC-5.1-a-1").result is result  # CN-TC-5.1-A1 on the declared sample


def _assessments(manual: tuple[int, int], technical: tuple[int, int, int]) -> list[dict[str, Any]]:
    n, q = manual
    tn, tq, corpus = technical
    return [
        {"method": "manual", "date": "2025-05-01", "sample_size": n, "qualified": q},
        {"method": "technical", "date": "2025-05-01", "sample_size": tn, "qualified": tq, "corpus_size": corpus},
    ]


@pytest.mark.parametrize(
    ("manual", "result"),
    [
        ((4000, 3840), ClauseResult.COMPLIANT),  # 96.000%
        ((4000, 3839), ClauseResult.NON_COMPLIANT),  # 95.975%
        ((3999, 3999), ClauseResult.NON_COMPLIANT),  # 100% of too small a sample
        ((5000, 4800), ClauseResult.COMPLIANT),
    ],
)
def test_manual_sample_edges(clean_evaluation: Evaluated, manual: tuple[int, int], result: ClauseResult) -> None:
    doc = build(clean_evaluation, assessments=_assessments(manual, (4, 4, 40)))
    assert clause(doc, "TC-9.2-a").result is result


@pytest.mark.parametrize(
    ("technical", "result"),
    [
        ((4, 4, 40), ClauseResult.COMPLIANT),  # n exactly 10% of N = 40 measured items
        ((3, 3, 40), ClauseResult.NON_COMPLIANT),  # 7.5%
        ((50, 49, 40), ClauseResult.COMPLIANT),  # 98% exactly
        ((50, 48, 40), ClauseResult.NON_COMPLIANT),  # 96%
    ],
)
def test_technical_sample_edges(
    clean_evaluation: Evaluated, technical: tuple[int, int, int], result: ClauseResult
) -> None:
    doc = build(clean_evaluation, assessments=_assessments((4000, 4000), technical))
    outcome = clause(doc, "TC-9.2-b")
    assert outcome.result is result
    assert "corpus size measured from the item manifests" in outcome.components[0].summary.en


def test_technical_sample_uses_the_declared_corpus_size_without_items(tmp_path: Path) -> None:
    no_items = evaluated(tmp_path, {"items": []})
    ok = build(no_items, assessments=_assessments((4000, 4000), (1235, 1235, 12345)))
    assert clause(ok, "TC-9.2-b").result is ClauseResult.COMPLIANT  # 1235 >= 1234.5
    short = build(no_items, assessments=_assessments((4000, 4000), (1234, 1234, 12345)))
    assert clause(short, "TC-9.2-b").result is ClauseResult.NON_COMPLIANT
    assert "corpus size as declared" in clause(short, "TC-9.2-b").components[0].summary.en


@pytest.mark.parametrize(
    ("date", "profile"),
    [("2024-02-29", "tc260-003"), ("2025-10-31", "tc260-003"), ("2025-11-01", "gbt45654"), ("2030-01-01", "gbt45654")],
)
def test_profile_by_assessment_date(date: str, profile: str) -> None:
    assert select_profile(REFERENCE.profiles, dt.date.fromisoformat(date)).id == profile


def test_no_profile_before_tc260_003(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="before 2024-02-29, when the first profile"):
        select_profile(REFERENCE.profiles, dt.date(2024, 1, 1))
    manifest = tmp_path / "m.yaml"
    manifest.write_text("{}")
    done = CliRunner().invoke(
        main, ["cn-assess", str(manifest), "--assessment-date", "2024-01-01", "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 2
    assert "no assessment profile existed" in done.output
    assert not (tmp_path / "o").exists()


def test_document_states_the_profile_and_its_tags(clean_evaluation: Evaluated) -> None:
    tc = build(clean_evaluation, date="2025-10-31")
    gb = build(clean_evaluation, date="2025-11-01")
    assert tc.profile.id == "tc260-003"
    assert "2025-10-31" in tc.profile.selected_because.en
    assert gb.profile.id == "gbt45654"
    assert gb.profile.name.zh.startswith("GB/T 45654-2025")
    # The 5% test is reported carried over into GB/T 45654 (V2); clause numbers are unverified there.
    assert clause(tc, "TC-5.2-b-4").tag == "U"
    assert clause(tc, "TC-9.2-b").tag == "V2"
    assert clause(gb, "TC-9.2-b").tag == "U"
    assert clause(gb, "TC-5.1-a-2").tag == "V2"
    # numbered as TC-260-003, which the scope says in words (not a tag on every clause)
    assert clause(gb, "TC-5.1-a-2").provision.zh == "5.1 a) 2)"
    assert "条款编号尚未与正式文本核对" in gb.scope.zh
    assert "条款编号" not in tc.scope.zh
    params = {p.name: p for p in gb.parameters}
    assert params["manual_sample_min"].unverified
    assert not params["source_unqualified_rate_max"].unverified


def test_every_unverified_number_is_a_parameter_and_can_be_overridden() -> None:
    profile = select_profile(REFERENCE.profiles, dt.date(2025, 1, 1))
    assert set(profile.parameters) == set(PARAMETER_NAMES)
    assert {n for n, p in profile.parameters.items() if p.unverified} == {
        "per_source_sample_min",
        "min_sources_per_language",
        "min_sources_per_modality",
        "foreign_open_source_share_max",
    }
    changed, names = apply_overrides(profile, ["per_source_sample_min=1000", "manual_qualified_rate_min=0.97"])
    assert changed.param("per_source_sample_min") == Decimal(1000)
    assert changed.param("manual_qualified_rate_min") == Decimal("0.97")
    assert names == {"per_source_sample_min", "manual_qualified_rate_min"}
    for bad, message in [
        ("nope=1", "write NAME=VALUE"),
        ("manual_qualified_rate_min=1.5", "fraction between 0 and 1"),
        ("manual_sample_min=10.5", "whole number"),
        ("manual_sample_min=many", "not a number"),
    ]:
        with pytest.raises(InputError, match=message):
            apply_overrides(profile, [bad])


def test_overridden_parameters_change_the_outcome_and_are_shown(clean_evaluation: Evaluated) -> None:
    profile = select_profile(REFERENCE.profiles, dt.date(2025, 6, 1))
    stricter, _ = apply_overrides(profile, ["min_sources_per_language=3"])
    # Two zh sources: enough by default, too few when three are required.
    assert clause(build(clean_evaluation), "TC-5.1-b-1").result is ClauseResult.COMPLIANT
    result, loaded = clean_evaluation
    context = CnContext(
        reference=REFERENCE, profile=stricter, default_profile=profile, assessment_date=dt.date(2025, 6, 1)
    )
    run = Run(manifest=loaded.manifest, sources=loaded.sources, packs=(PACK,), result=result, cn=context)
    doc = build_cn_assessment(with_checks(run))
    assert clause(doc, "TC-5.1-b-1").result is ClauseResult.NON_COMPLIANT
    shown = next(p for p in doc.parameters if p.name == "min_sources_per_language")
    assert (shown.value, shown.default, shown.overridden) == ("3", "2", True)


def test_every_rule_has_a_class_matching_its_citation_note() -> None:
    for rule in PACK.rules:
        cls = REFERENCE.classes.classes[rule.id]
        assert rule.citation.note is not None
        assert rule.citation.note.startswith(f"CN severity class: {cls.value}"), rule.id
    assert set(REFERENCE.classes.classes.values()) <= set(CnClass)
    assert len(REFERENCE.appendix.codes) == 31
    assert CLEAN["sources"]  # the shared fixture is in use
