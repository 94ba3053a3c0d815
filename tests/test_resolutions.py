"""Waivers: a resolution applied, expired, unused, out of scope, switched off; and bad resolutions files.

The dataset is the good one of tests/test_eu_support.py with one robots.txt refusal planted in the crawl
(crawl-1): EU-CR-02 and EU-CONS-ROBOTS fail on source crawl, one item. Every expectation is worked out here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.disclose.eu.summary import build_eu_summary
from aireport.engine.config import EngineConfig
from aireport.errors import InputError
from aireport.models.base import Bilingual
from aireport.models.results import Outcome
from aireport.models.run import Run
from aireport.pipeline import RunRequest, run
from tests.test_consistency import COLUMNS, _items
from tests.test_eu_support import DATE, good_manifest, write_dataset

APPROVED = {"reason": "Removal scheduled for the next training run", "approved_by": "General Counsel"}


def _waiver(finding: str = "EU-CONS-ROBOTS", **extra: Any) -> dict[str, Any]:
    return {"finding": finding, **APPROVED, "date": "2026-02-01", "expires": "2026-08-01", **extra}


def _run(tmp_path: Path, waivers: list[dict[str, Any]], apply: bool = True, date: str = DATE) -> Run:
    path = write_dataset(tmp_path, good_manifest(), _items(crawl_1={"robots_allowed": False}), COLUMNS)
    file = tmp_path / "resolutions.yaml"
    file.write_text(json.dumps({"schema_version": 1, "resolutions": waivers}))  # JSON is YAML
    request = RunRequest(
        manifest=path,
        packs=("eu-ai-act",),
        document_date=date,
        engine=EngineConfig(threads=1),
        resolutions=file,
        apply_resolutions=apply,
    )
    return run(request)


def _rule(done: Run, rule_id: str) -> Any:
    return next(r for r in done.result.rules if r.rule_id == rule_id)


def test_a_waiver_covers_its_finding_which_stays_visible(tmp_path: Path) -> None:
    done = _run(tmp_path, [_waiver(scope={"sources": ["crawl"]})])
    cons = _rule(done, "EU-CONS-ROBOTS")
    assert cons.outcome is Outcome.FAIL
    assert cons.waived  # still failing, shown with its waiver
    assert cons.resolution is not None
    assert (cons.resolution.index, cons.resolution.scope) == (1, Bilingual(en="sources crawl", zh="来源 crawl"))
    assert not _rule(done, "EU-CR-02").waived  # a waiver covers the finding it names, nothing else
    assert done.result.verdict.waived == 1
    assert _rule(done, "RES-EXPIRED").outcome is Outcome.PASS
    assert _rule(done, "RES-UNUSED").outcome is Outcome.PASS
    assert build_eu_summary(done).status == "final"  # the only contradiction is waived


def test_an_expired_waiver_no_longer_applies_and_is_a_finding(tmp_path: Path) -> None:
    done = _run(tmp_path, [_waiver(expires="2026-02-28")])  # the document date is 2026-03-01
    assert not _rule(done, "EU-CONS-ROBOTS").waived
    expired = _rule(done, "RES-EXPIRED")
    assert (expired.outcome, expired.counts.failed, expired.evidence) == (Outcome.FAIL, 1, ["#1"])
    assert build_eu_summary(done).status == "draft"
    assert done.resolutions is not None
    assert done.resolutions.uses[0].status == "expired"


def test_a_waiver_for_a_passing_finding_is_unused(tmp_path: Path) -> None:
    done = _run(tmp_path, [_waiver(), _waiver("EU-CONS-LICENCE")])  # the licences agree
    unused = _rule(done, "RES-UNUSED")
    assert (unused.outcome, unused.counts.failed, unused.evidence) == (Outcome.FAIL, 1, ["#2"])
    assert _rule(done, "EU-CONS-ROBOTS").waived


def test_a_scope_that_does_not_hold_the_failure_is_not_applied(tmp_path: Path) -> None:
    done = _run(tmp_path, [_waiver(scope={"sources": ["pub"]})])  # it fails on crawl, not pub
    assert not _rule(done, "EU-CONS-ROBOTS").waived
    assert done.resolutions is not None
    (use,) = done.resolutions.uses
    assert (use.status, use.why_en) == ("unused", "it also fails on crawl")


@pytest.mark.parametrize(("items", "applied"), [(["crawl-1"], True), (["crawl-2"], False)])
def test_an_item_scope(tmp_path: Path, items: list[str], applied: bool) -> None:
    done = _run(tmp_path, [_waiver(scope={"items": items})])
    assert _rule(done, "EU-CONS-ROBOTS").waived is applied


def test_no_resolutions_is_a_full_audit(tmp_path: Path) -> None:
    done = _run(tmp_path, [_waiver()], apply=False)
    assert not _rule(done, "EU-CONS-ROBOTS").waived
    assert _rule(done, "RES-UNUSED").outcome is Outcome.NOT_APPLICABLE
    assert done.resolutions is not None
    assert [u.status for u in done.resolutions.uses] == ["switched_off"]


def test_a_waiver_approved_after_the_document_date_does_not_apply(tmp_path: Path) -> None:
    future = (dt.date.fromisoformat(DATE) + dt.timedelta(days=1)).isoformat()
    done = _run(tmp_path, [_waiver(date=future, expires="2027-01-01")])
    assert not _rule(done, "EU-CONS-ROBOTS").waived
    assert _rule(done, "RES-UNUSED").outcome is Outcome.FAIL


# --- bad files -----------------------------------------------------------------------------------------------------


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = write_dataset(tmp_path, good_manifest(), _items(), COLUMNS)
    file = tmp_path / "bad.yaml"
    file.write_text(text)
    request = RunRequest(manifest=path, packs=("eu-ai-act",), document_date=DATE, resolutions=file)
    with pytest.raises(InputError) as caught:
        run(request)
    return [str(p) for p in caught.value.problems]


def test_an_unknown_finding_id_is_located(tmp_path: Path) -> None:
    (problem,) = _problems(
        tmp_path,
        "schema_version: 1\nresolutions:\n  - finding: EU-CONS-NOPE\n    reason: r\n    approved_by: a\n"
        "    date: 2026-01-01\n    expires: 2026-12-31\n",
    )
    assert "bad.yaml:3" in problem
    assert "resolutions[0].finding" in problem
    assert "'EU-CONS-NOPE'" in problem
    assert "allowed: a rule or check id of eu-ai-act" in problem


def test_a_date_in_the_wrong_format_is_located(tmp_path: Path) -> None:
    (problem,) = _problems(
        tmp_path,
        "schema_version: 1\nresolutions:\n  - finding: EU-CR-02\n    reason: r\n    approved_by: a\n"
        "    date: 2026-01-01\n    expires: 31/12/2026\n",
    )
    assert "bad.yaml:7" in problem
    assert "resolutions[0].expires" in problem
    assert "'31/12/2026'" in problem
    assert "allowed: a date YYYY-MM-DD" in problem


def test_a_scope_that_matches_no_source_is_located(tmp_path: Path) -> None:
    (problem,) = _problems(
        tmp_path,
        "schema_version: 1\nresolutions:\n  - finding: EU-CR-02\n    scope:\n      sources: [nowhere]\n"
        "    reason: r\n    approved_by: a\n    date: 2026-01-01\n    expires: 2026-12-31\n",
    )
    assert "bad.yaml:5" in problem
    assert "resolutions[0].scope.sources[0]" in problem
    assert "'nowhere'" in problem
    assert "allowed: crawl, lic, pub, syn, usr" in problem


def test_the_cli_exits_2_on_a_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, good_manifest(), _items(), COLUMNS)
    file = tmp_path / "bad.yaml"
    file.write_text("schema_version: 1\nresolutions: []\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            *("report", str(path), "--pack", "eu-ai-act", "--document", "findings", "--format", "json"),
            *("--out", str(out), "--date", DATE, "--resolutions", str(file), "--quiet"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "resolutions" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_no_resolutions_without_a_file_is_a_usage_error(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, good_manifest(), _items(), COLUMNS)
    result = CliRunner().invoke(main, ["check", str(path), "--pack", "eu-ai-act", "--no-resolutions"])
    assert result.exit_code == 2
    assert "--no-resolutions needs the --resolutions FILE" in result.output
