"""The CI entry points at the top of the repository: the composite GitHub Action runs its own script against a
dataset and exits as aireport does; the pre-commit hooks name commands that exist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from aireport.cli import COMMANDS, main
from tests.conftest import TINY_PACK

ROOT = Path(__file__).parents[1]


def yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def action_script() -> str:
    steps = yaml(ROOT / "action.yml")["runs"]["steps"]
    return str(next(s for s in steps if s.get("name") == "Check and write the findings")["run"])


@pytest.fixture
def aireport_on_path(tmp_path: Path) -> dict[str, str]:
    """An `aireport` command that runs this checkout (the action calls the installed console script)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "aireport"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m aireport "$@"\n')
    script.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


@pytest.mark.parametrize(("fail_on", "code"), [("blocker", 1)])  # the tiny pack fails a blocker
def test_the_action_writes_sarif_and_junit_and_fails_the_job_on_findings(
    tiny: Path, tmp_path: Path, aireport_on_path: dict[str, str], fail_on: str, code: int
) -> None:
    out = tmp_path / "out"
    env = aireport_on_path | {
        "MANIFEST": str(tiny),
        "PACKS": TINY_PACK,
        "DOCUMENTS": "findings",
        "FORMATS": "json,sarif,junit",
        "OUT": str(out),
        "FAIL_ON": fail_on,
        "STRICT": "false",
        "DATE": "2026-01-01",
    }
    done = subprocess.run(["bash", "-e", "-c", action_script()], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == code, done.stderr  # the tiny pack has failing blockers
    assert {p.name for p in out.iterdir()} == {"findings.json", "findings.sarif", "findings.junit.xml"}
    assert json.loads((out / "findings.sarif").read_text())["version"] == "2.1.0"
    outputs = yaml(ROOT / "action.yml")["outputs"]
    assert outputs["sarif"]["value"].endswith("/findings.sarif")


def test_the_action_exits_2_on_bad_input(tmp_path: Path, aireport_on_path: dict[str, str]) -> None:
    env = aireport_on_path | {
        "MANIFEST": str(tmp_path / "missing.yaml"),
        "PACKS": TINY_PACK,
        "DOCUMENTS": "findings",
        "FORMATS": "sarif",
        "OUT": str(tmp_path / "out"),
        "FAIL_ON": "error",
        "STRICT": "true",
        "DATE": "",
    }
    done = subprocess.run(["bash", "-e", "-c", action_script()], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "file not found" in done.stderr
    assert not (tmp_path / "out").exists()


def test_report_fail_on_gates_like_check(tiny: Path, tmp_path: Path) -> None:
    args = ["report", str(tiny), "--pack", TINY_PACK, "--document", "findings", "--format", "sarif", "-q"]
    runner = CliRunner()
    assert runner.invoke(main, [*args, "--out", str(tmp_path / "a")]).exit_code == 0  # as before: documents only
    assert runner.invoke(main, [*args, "--out", str(tmp_path / "b"), "--fail-on", "blocker"]).exit_code == 1
    assert (tmp_path / "b" / "findings.sarif").exists()  # written before the exit code is decided


def test_pre_commit_hooks_name_real_commands() -> None:
    hooks = yaml(ROOT / ".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["aireport-check", "aireport-validate"]
    for hook in hooks:
        program, command = hook["entry"].split()[:2]
        assert program == "aireport"
        assert command in COMMANDS
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
