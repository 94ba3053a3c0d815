"""Clause results (符合 / 不符合 / 不适用) and the overall conclusion, through the engine and the builder.

Each case is a small dataset written to disk and evaluated by the cn-genai pack exactly as `aireport cn-assess`
does; the expected results are read off the inputs by hand.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aireport.disclose.cn.assessment import build_cn_assessment
from aireport.disclose.cn.clauses import conclude
from aireport.engine.backend import open_backend
from aireport.engine.config import EngineConfig
from aireport.engine.evaluate import EvaluationInputs, evaluate
from aireport.errors import InputError
from aireport.load.cn.profile import load_cn_reference, select_profile
from aireport.load.cn.statements import load_statements
from aireport.load.items import open_item_scan
from aireport.load.licences import LicenceTable, load_licence_table
from aireport.load.manifest import LoadedManifest, load_manifest
from aireport.load.rulepack import load_pack
from aireport.models.cn.assessment import ClauseOutcome, CnAssessmentDocument, OverallResult
from aireport.models.cn.sample import ReviewResult
from aireport.models.cn.statements import ClauseResult, CnStatements
from aireport.models.provenance import Assessment, LicenceDeclaration
from aireport.models.results import EvaluationResult, Provenance
from aireport.models.run import CnContext, Run
from aireport.pipeline import with_checks
from aireport.resources import data_dir

PACK = load_pack("cn-genai")
REFERENCE, _ = load_cn_reference(PACK)
LICENCE_FILE = data_dir("rules") / "licences.yaml"

SOURCE = {
    "eu_category": "licensed",
    "cn_acquisition": "commercial",
    "modality": "text",
    "license": "LicenseRef-Clean",
    "agreement": "contract C-1",
    "supplier_commitment": "schedule C of C-1",
    "languages": ["zh"],
    "origin": "domestic",
    "personal_data": False,
    "safety_sample_size": 4000,
    "safety_sample_flagged": 10,
}

CLEAN: dict[str, Any] = {
    "dataset": "clean corpus",
    "provider": {"legal_name": "Clean AI Co., Ltd."},
    "models": [{"name": "clean-1", "version": "1.0"}],
    "attestations": {
        "quality_measures": "dedup and review QM-1",
        "annotation_rules": "AR-2",
        "ip_owner": "Ms. Li",
        "complaint_channel": "https://clean.example/ip",
        "filtering_methods": ["keyword", "classifier", "manual"],
    },
    "service": {
        "public_facing_cn": True,
        "public_opinion_attribute": True,
        "algorithm_filing_number": "ALG-1",
        "genai_filing_number": "GEN-1",
    },
    "assessments": [
        {"method": "manual", "date": "2025-05-01", "sample_size": 4000, "qualified": 3900},
        {"method": "technical", "date": "2025-05-01", "sample_size": 10, "qualified": 10, "corpus_size": 40},
    ],
    "sources": [{**SOURCE, "source_id": "a", "name": "A"}, {**SOURCE, "source_id": "b", "name": "B"}],
    "items": ["items.parquet"],
    "licences": {"LicenseRef-Clean": {"commercial_use": True, "ai_training": True, "redistribution": False}},
}

ITEM_SCHEMA = pa.schema(
    [
        ("item_id", pa.string()),
        ("source_id", pa.string()),
        ("modality", pa.string()),
        ("language", pa.string()),
        ("size_bytes", pa.int64()),
        ("license", pa.string()),
        ("robots_allowed", pa.bool_()),
        ("personal_data", pa.bool_()),
        ("sensitive_personal_data", pa.bool_()),
        ("pi_legal_basis", pa.string()),
        ("aigc_label", pa.bool_()),
        ("safety_label", pa.string()),
    ]
)


def clean_items(per_source: int = 20, sources: tuple[str, ...] = ("a", "b")) -> list[dict[str, Any]]:
    return [
        {
            "item_id": f"{s}-{i:05d}",
            "source_id": s,
            "modality": "text",
            "language": "zh",
            "size_bytes": 100,
            "license": None,
            "robots_allowed": None,
            "personal_data": False,
            "sensitive_personal_data": False,
            "pi_legal_basis": None,
            "aigc_label": False,
            "safety_label": "pass",
        }
        for s in sources
        for i in range(per_source)
    ]


ALL_STATEMENTS: dict[str, Any] = {
    "clauses": {
        c.id: {"result": "符合", "evidence": [f"doc {c.id}"]}
        for c in REFERENCE.clauses.clauses
        if c.statement != "never"
    }
    | {"XB-01": {"result": "不适用", "reason": "no personal information"}},
}


Evaluated = tuple[EvaluationResult, LoadedManifest]


@cache
def _licences(declared: str) -> LicenceTable:
    terms = {k: LicenceDeclaration(**v) for k, v in json.loads(declared).items()}
    return load_licence_table(LICENCE_FILE, terms, declared_in="manifest")


def evaluate_cn(manifest: Path, date: str) -> tuple[EvaluationResult, LoadedManifest]:
    """What check_dataset does, with the pack and the licence table parsed once per test session."""
    loaded = load_manifest(manifest)
    declared = json.dumps({k: v.model_dump() for k, v in loaded.manifest.licences.items()}, sort_keys=True)
    inputs = EvaluationInputs(
        loaded=loaded,
        packs=[PACK],
        items=open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display),
        licences=_licences(declared),
        licence_file=LICENCE_FILE,
        document_date=date,
    )
    config = EngineConfig(threads=1)
    backend = open_backend(config)
    try:
        return evaluate(inputs, config, backend), loaded
    finally:
        backend.close()


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def evaluated(
    folder: Path, changes: dict[str, Any] | None = None, items: list[dict[str, Any]] | None = None
) -> Evaluated:
    """Write the dataset and run the cn-genai pack over it (the only slow step)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.yaml"
    manifest.write_text(json.dumps(merged(CLEAN, changes or {})))
    rows = clean_items() if items is None else items
    pq.write_table(pa.Table.from_pylist(rows, schema=ITEM_SCHEMA), folder / "items.parquet")
    return evaluate_cn(manifest, "2025-06-01")


def build(
    done: Evaluated,
    assessments: list[dict[str, Any]] | None = None,
    statements: dict[str, Any] | None = None,
    date: str = "2025-06-01",
    review: ReviewResult | None = None,
) -> CnAssessmentDocument:
    """The document from an evaluation. Only what no rule reads may change here: the manifest's assessments,
    the statements, the assessment date and the reviewed sample."""
    result, loaded = done
    manifest = loaded.manifest
    if assessments is not None:
        manifest = manifest.model_copy(update={"assessments": [Assessment(**a) for a in assessments]})
    day = dt.date.fromisoformat(date)
    profile = select_profile(REFERENCE.profiles, day)
    context = CnContext(
        reference=REFERENCE,
        profile=profile,
        default_profile=profile,
        assessment_date=day,
        review=review,
        statements=CnStatements.model_validate(statements) if statements is not None else None,
    )
    run = Run(manifest=manifest, sources=loaded.sources, packs=(PACK,), result=result, cn=context)
    return build_cn_assessment(with_checks(run))


def assess(
    folder: Path,
    changes: dict[str, Any] | None = None,
    items: list[dict[str, Any]] | None = None,
    statements: dict[str, Any] | None = None,
    date: str = "2025-06-01",
) -> CnAssessmentDocument:
    return build(evaluated(folder, changes, items), statements=statements, date=date)


@pytest.fixture(scope="session")
def clean_evaluation(tmp_path_factory: pytest.TempPathFactory) -> Evaluated:
    return evaluated(tmp_path_factory.mktemp("clean-eval"))


def clause(doc: CnAssessmentDocument, clause_id: str) -> ClauseOutcome:
    return next(c for c in doc.clauses if c.clause_id == clause_id)


@pytest.fixture(scope="session")
def clean(clean_evaluation: Evaluated) -> CnAssessmentDocument:
    return build(clean_evaluation, statements=ALL_STATEMENTS)


def test_clean_dataset_with_statements_is_fully_compliant(clean: CnAssessmentDocument) -> None:
    not_met = [
        (c.clause_id, c.reason.en if c.reason else "") for c in clean.clauses if c.result is ClauseResult.NON_COMPLIANT
    ]
    assert not_met == []
    assert clean.conclusion.result is OverallResult.FULLY_COMPLIANT
    assert clean.conclusion.result_zh == "全部符合"
    assert {c.clause_id for c in clean.clauses} == {c.id for c in REFERENCE.clauses.clauses}
    assert all(line.name == line.signature == line.date == "" for line in clean.signatures.lines)
    assert [line.role for line in clean.signatures.lines] == [
        "legal_representative",
        "assessment_lead",
        "corpus_security_lead",
    ]


def test_recommended_clauses_never_change_the_conclusion(clean: CnAssessmentDocument) -> None:
    def with_result(clause_id: str, result: ClauseResult) -> list[ClauseOutcome]:
        return [c.model_copy(update={"result": result}) if c.clause_id == clause_id else c for c in clean.clauses]

    recommended = with_result("TC-5.2-b-6", ClauseResult.NON_COMPLIANT)  # 宜: publish an IP summary
    assert conclude(recommended).result is OverallResult.FULLY_COMPLIANT
    assert conclude(recommended).not_deciding.non_compliant == 1
    practice = with_result("TC-5.1-b-p", ClauseResult.NON_COMPLIANT)  # foreign open-source <= 30%, practice
    assert conclude(practice).result is OverallResult.FULLY_COMPLIANT
    filing = with_result("TC-5.3-a-3", ClauseResult.NON_COMPLIANT)
    assert conclude(filing).result is OverallResult.PARTLY_COMPLIANT
    assert conclude(filing).non_compliant_clauses == ["TC-5.3-a-3"]
    nothing_met = [
        c.model_copy(update={"result": ClauseResult.NON_COMPLIANT}) if c.affects_conclusion else c
        for c in clean.clauses
    ]
    assert conclude(nothing_met).result is OverallResult.NON_COMPLIANT
    assert conclude(nothing_met).result_zh == "全部不符合"


def test_rule_clause_three_outcomes(tmp_path: Path, clean_evaluation: Evaluated) -> None:
    # §5.1 c) 3): commercial corpus needs a contract and the supplier's commitments.
    met = build(clean_evaluation)
    assert clause(met, "TC-5.1-c-3").result is ClauseResult.COMPLIANT
    no_commitment = [{**SOURCE, "source_id": s, "name": s} for s in ("a", "b")]
    no_commitment[1].pop("supplier_commitment")
    broken = assess(tmp_path / "broken", {"sources": no_commitment})
    outcome = clause(broken, "TC-5.1-c-3")
    assert outcome.result is ClauseResult.NON_COMPLIANT
    assert outcome.result_zh == "不符合"
    assert outcome.basis is Provenance.DECLARED
    assert outcome.reason is not None
    assert "(1 of 2 sources do not meet it: b.)" in outcome.reason.en
    assert "（共 2 个来源，其中 1 个不符合：b。）" in outcome.reason.zh
    assert outcome.remediation_plan is not None
    open_source = [
        {**SOURCE, "source_id": s, "name": s, "cn_acquisition": "open_source", "eu_category": "public_dataset"}
        for s in ("a", "b")
    ]
    none = assess(tmp_path / "none", {"sources": open_source})
    outcome = clause(none, "TC-5.1-c-3")
    assert outcome.result is ClauseResult.NOT_APPLICABLE
    assert outcome.result_zh == "不适用"
    assert outcome.remediation_plan is None
    assert outcome.reason is not None


def test_check_clause_three_outcomes(clean_evaluation: Evaluated) -> None:
    # Cross-border export of personal information (2024 Provisions, thresholds V1 and parameters).
    assert clause(build(clean_evaluation), "XB-01").result is ClauseResult.NOT_APPLICABLE
    export = {"exported": True, "pi_subjects": 150_000, "sensitive_pi_subjects": 0, "mechanism": "standard_contract"}
    met = build(clean_evaluation, statements={"export": export})
    assert clause(met, "XB-01").result is ClauseResult.COMPLIANT
    assert clause(met, "XB-01").basis is Provenance.ATTESTED
    under = build(clean_evaluation, statements={"export": {**export, "pi_subjects": 1_000_000}})
    outcome = clause(under, "XB-01")
    assert outcome.result is ClauseResult.NON_COMPLIANT
    assert "requires a CAC security assessment" in (outcome.reason.en if outcome.reason else "")
    exempt = build(clean_evaluation, statements={"export": {**export, "pi_subjects": 99_999, "mechanism": None}})
    assert clause(exempt, "XB-01").result is ClauseResult.COMPLIANT
    sensitive = build(
        clean_evaluation, statements={"export": {**export, "pi_subjects": 10, "sensitive_pi_subjects": 1}}
    )
    assert clause(sensitive, "XB-01").result is ClauseResult.COMPLIANT  # standard contract covers < 10,000 sensitive


def test_statement_clause_three_outcomes(clean_evaluation: Evaluated, clean: CnAssessmentDocument) -> None:
    # §5.3 a) 3): annotator and reviewer never the same person in a task; only a statement can show it.
    assert clause(clean, "TC-5.3-a-3").result is ClauseResult.COMPLIANT
    assert clause(clean, "TC-5.3-a-3").basis is Provenance.ATTESTED
    missing = clause(build(clean_evaluation), "TC-5.3-a-3")
    assert missing.result is ClauseResult.NON_COMPLIANT
    assert missing.basis is Provenance.MISSING
    assert missing.remediation_plan is not None
    assert "Provide the missing evidence" in missing.remediation_plan.en
    na = {"clauses": {"TC-5.3-a-3": {"result": "not_applicable", "reason": "no data was annotated"}}}
    outcome = clause(build(clean_evaluation, statements=na), "TC-5.3-a-3")
    assert outcome.result is ClauseResult.NOT_APPLICABLE
    assert outcome.reason is not None
    assert "no data was annotated" in outcome.reason.en


def test_source_diversity(tmp_path: Path) -> None:
    one_ja = [
        {**SOURCE, "source_id": "a", "name": "a", "languages": ["zh", "ja"]},
        {**SOURCE, "source_id": "b", "name": "b"},
    ]
    items = clean_items()
    items[0]["language"] = "ja"  # measured: source a also holds Japanese text, source b none
    outcome = clause(assess(tmp_path / "ja", {"sources": one_ja}, items=items), "TC-5.1-b-1")
    assert outcome.result is ClauseResult.NON_COMPLIANT
    assert "ja (a)" in (outcome.reason.en if outcome.reason else "")
    assert outcome.basis is Provenance.MEASURED


def test_origin_mix(tmp_path: Path) -> None:
    foreign = [{**SOURCE, "source_id": s, "name": s, "origin": "foreign"} for s in ("a", "b")]
    outcome = clause(assess(tmp_path / "foreign", {"sources": foreign}), "TC-5.1-b-2")
    assert outcome.result is ClauseResult.NON_COMPLIANT
    mixed = [{**SOURCE, "source_id": "a", "name": "a", "origin": "foreign"}, {**SOURCE, "source_id": "b", "name": "b"}]
    assert clause(assess(tmp_path / "mixed", {"sources": mixed}), "TC-5.1-b-2").result is ClauseResult.COMPLIANT


def test_statements_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("clauses:\n  TC-5.1-c-3:\n    result: 符合\n    evidence: [x]\n  NOPE-1:\n    result: 符合\n")
    with pytest.raises(InputError) as err:
        load_statements(path, "s.yaml", REFERENCE.clauses)
    text = [str(p) for p in err.value.problems]
    assert any("NOPE-1" in t and "evidence" in t for t in text)  # 符合 without evidence
    path.write_text(
        "clauses:\n  TC-5.1-c-3:\n    result: 符合\n    evidence: [x]\n  NOPE-1:\n    result: 不适用\n    reason: r\n"
    )
    with pytest.raises(InputError) as err:
        load_statements(path, "s.yaml", REFERENCE.clauses)
    assert [str(p) for p in err.value.problems] == [
        "s.yaml:2: clauses.TC-5.1-c-3: clause TC-5.1-c-3 is decided by the provenance (rules and checks), not by a "
        "statement; record the evidence in the manifest or inventory instead",
        "s.yaml:5: clauses: no clause 'NOPE-1'; see the clause ids of the report",
    ]


def test_every_clause_cites_a_tag_and_a_class(clean: CnAssessmentDocument) -> None:
    for c in clean.clauses:
        assert c.tag
        assert c.cn_class_name.zh
        assert c.requirement.zh
        assert c.provision
        assert c.affects_conclusion == (c.cn_class.value in ("mandatory-law", "filing-required"))


def test_the_example_statements_file_is_valid() -> None:
    path = Path(__file__).resolve().parents[1] / "examples" / "lumen" / "cn-statements.yaml"
    statements = load_statements(path, "cn-statements.yaml", REFERENCE.clauses)
    assert statements.clauses["TC-5.3-c-1"].result is ClauseResult.NON_COMPLIANT
    assert statements.export is not None
    assert statements.export.mechanism == "standard_contract"
