"""The CI and standards exports of the Lumen example, each checked with its own schema or library: SARIF against
the OASIS SARIF 2.1.0 schema, JUnit parsed by junitparser, CycloneDX with cyclonedx-python-lib's strict JSON
validator, SPDX 3.0.1 through the SPDX project's generated bindings, Croissant against the RAI vocabulary."""

from __future__ import annotations

import copy
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from jsonschema import Draft7Validator
from junitparser import Failure, JUnitXml, Skipped
from sarif import loader
from spdx_python_model import v3_0_1 as spdx

from aireport.cli import main
from aireport.example import write_example
from aireport.load.importers import detect
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"
N = 5_000


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lumen = write_example(tmp_path_factory.mktemp("lumen"), N)
    target = tmp_path_factory.mktemp("out")
    result = run(
        "report", str(lumen), "--pack", "eu-ai-act", "--pack", "cn-genai", "--document", "findings,eu-annex-xi-data",
        "--format", "json,sarif,junit,cyclonedx,spdx,croissant", "--out", str(target), "--date", "2026-11-24", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return target


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = load(out / "findings.json")
    return data


def test_every_export_is_written(out: Path) -> None:
    assert {p.name for p in out.iterdir()} >= {
        "findings.sarif",
        "findings.junit.xml",
        "dataset.cdx.json",
        "dataset.spdx3.json",
        "dataset.croissant.json",
    }


# --- SARIF ------------------------------------------------------------------------------------------------------


def test_sarif_matches_the_oasis_schema(out: Path) -> None:
    schema = load(REAL / "schemas" / "sarif-schema-2.1.0.json")
    errors = list(Draft7Validator(schema).iter_errors(load(out / "findings.sarif")))
    assert errors == []
    broken = load(out / "findings.sarif")
    broken["runs"][0]["results"][0]["kind"] = "failed"  # not a SARIF kind: the check can fail
    assert list(Draft7Validator(schema).iter_errors(broken))


def test_sarif_has_one_result_per_rule_with_the_findings_outcomes(out: Path, findings: dict[str, Any]) -> None:
    run_ = load(out / "findings.sarif")["runs"][0]
    results = run_["results"]
    totals = findings["summary"]["totals"]
    kinds = Counter(r["kind"] for r in results)
    assert kinds == {
        k: v
        for k, v in {
            "fail": totals["failed"],
            "review": totals["not_evaluable"],
            "pass": totals["passed"],
            "notApplicable": totals["not_applicable"],
        }.items()
        if v
    }
    assert len(results) == totals["total"] == len(run_["tool"]["driver"]["rules"])
    for result in results:
        assert result["ruleId"] == run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]  # code scanning needs one
        if result["kind"] != "fail":
            assert result["level"] == "none"  # SARIF 3.27.10
    blocker = next(r for r in results if r["kind"] == "fail" and r["properties"]["severity"] == "blocker")
    assert blocker["level"] == "error"
    fingerprints = [r["partialFingerprints"]["aireportRule/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_reads_back_with_sarif_tools(out: Path, findings: dict[str, Any]) -> None:
    sarif_file = loader.load_sarif_file(str(out / "findings.sarif"))
    records = sarif_file.get_records()
    assert sarif_file.get_result_count() == len(records) == findings["summary"]["totals"]["total"]
    assert all(r["Location"] in {"manifest.yaml", "sources.csv"} for r in records)
    failing_errors = sum(
        row["failed"] for row in findings["summary"]["by_severity"] if row["severity"] in {"blocker", "error"}
    )
    assert Counter(r["Severity"] for r in records)["error"] == failing_errors


def test_sarif_source_rules_point_at_the_inventory(out: Path) -> None:
    results = load(out / "findings.sarif")["runs"][0]["results"]
    uris = {
        r["properties"]["pack"] + "/" + r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results
    }
    assert uris["eu-ai-act/EU-CR-02"] == "sources.csv"  # an item rule: the inventory row of its sources
    assert uris["eu-ai-act/EU-TS-01"] == "manifest.yaml"  # a dataset rule: the manifest
    related = next(r for r in results if r["ruleId"] == "EU-CR-02")["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "eu-ai-act/EU-CR-02.yaml"
    declared = (Path(__file__).parents[1] / "rules" / "eu-ai-act" / "EU-CR-02.yaml").read_text().splitlines()[0]
    assert declared == "id: EU-CR-02"  # line 1 of the rule file is its id, as the location says


# --- JUnit ------------------------------------------------------------------------------------------------------


def test_junit_parses_with_a_case_per_rule(out: Path, findings: dict[str, Any]) -> None:
    xml = JUnitXml.fromfile(str(out / "findings.junit.xml"))
    cases = [case for suite in xml for case in suite]
    totals = findings["summary"]["totals"]
    assert len(cases) == totals["total"]
    failures = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]
    assert len(failures) == totals["failed"]
    assert len(skipped) == totals["not_evaluable"] + totals["not_applicable"]
    assert sorted(suite.name for suite in xml) == ["cn-genai", "eu-ai-act"]


# --- CycloneDX --------------------------------------------------------------------------------------------------


def test_cyclonedx_validates_with_the_cyclonedx_library(out: Path) -> None:
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    text = (out / "dataset.cdx.json").read_text()
    assert validator.validate_str(text) is None
    broken = load(out / "dataset.cdx.json")
    broken["components"][0]["type"] = "dataset"  # not a component type: the validator must say so
    assert validator.validate_str(json.dumps(broken)) is not None


def test_cyclonedx_carries_datasets_models_standards_and_claims(out: Path, findings: dict[str, Any]) -> None:
    bom = load(out / "dataset.cdx.json")
    annex = load(out / "eu-annex-xi-data.json")
    data = [c for c in bom["components"] if c["type"] == "data"]
    assert sorted(c["bom-ref"] for c in data) == sorted(f"dataset:{d['source_id']}" for d in annex["datasets"])
    (model,) = [c for c in bom["components"] if c["type"] == "machine-learning-model"]
    refs = {d["ref"] for d in model["modelCard"]["modelParameters"]["datasets"]}
    assert refs <= {c["bom-ref"] for c in data}
    assert refs
    requirements = [r for s in bom["definitions"]["standards"] for r in s["requirements"]]
    assert len(requirements) == len(bom["declarations"]["claims"]) == findings["summary"]["totals"]["total"]
    scores = Counter(m["conformance"].get("score") for m in bom["declarations"]["attestations"][0]["map"])
    assert scores[0.0] == findings["summary"]["totals"]["failed"]
    assert scores[1.0] == findings["summary"]["totals"]["passed"]


# --- SPDX 3 -----------------------------------------------------------------------------------------------------


def _spdx_objects(data: dict[str, Any]) -> Any:
    objects = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().read(io.BytesIO(json.dumps(data).encode()), objects)
    return objects


def test_spdx_reads_back_with_the_spdx_bindings(out: Path) -> None:
    data = load(out / "dataset.spdx3.json")
    objects = _spdx_objects(data)
    assert objects.link() == set()  # every reference resolves
    spdx.JSONLDSerializer().write(objects, io.BytesIO())  # and it encodes: required properties present
    packages = list(objects.foreach_type(spdx.dataset_DatasetPackage))
    assert len(packages) == len(load(out / "eu-annex-xi-data.json")["datasets"])
    kinds = Counter(str(r.relationshipType).rsplit("/", 1)[-1] for r in objects.foreach_type(spdx.Relationship))
    assert kinds["trainedOn"] == 1
    assert kinds["hasConcludedLicense"] == len(packages)
    broken = copy.deepcopy(data)
    next(e for e in broken["@graph"] if e["type"] == "dataset_DatasetPackage")["dataset_datasetType"] = ["pictures"]
    with pytest.raises(ValueError, match="not a valid value"):
        _spdx_objects(broken)


# --- Croissant --------------------------------------------------------------------------------------------------


def test_croissant_uses_only_the_rai_vocabulary_and_reads_back(out: Path) -> None:
    data = load(out / "dataset.croissant.json")
    vocabulary = (REAL / "croissant" / "croissant_rai.ttl").read_text()
    rai = [k for k in data if k.startswith("rai:")]
    assert rai
    assert all(f"{k} " in vocabulary or f"{k}\n" in vocabulary for k in rai)
    path = out / "dataset.croissant.json"
    imported = detect(path, path.name).read(path, path.name)
    assert imported.sources[0].languages == sorted(
        {t for d in load(out / "eu-annex-xi-data.json")["datasets"] for t in d["languages"]}
    )


def test_exports_are_deterministic(out: Path, tmp_path: Path) -> None:
    result = run(
        "render", str(out / "eu-annex-xi-data.json"), "--format", "spdx,cyclonedx,croissant", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    for name in ("dataset.spdx3.json", "dataset.croissant.json"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()
