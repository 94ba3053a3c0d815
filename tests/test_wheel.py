"""The built wheel ships the rule packs, the licence table and the example as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_rules_and_example(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("aireport-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in ("eu-ai-act", "cn-genai"):
        shipped = {n for n in names if n.startswith(f"aireport/_data/rules/{pack}/")}
        on_disk = {f"aireport/_data/rules/{pack}/{p.name}" for p in (ROOT / "rules" / pack).glob("*.yaml")}
        assert shipped == on_disk
    assert "aireport/_data/rules/licences.yaml" in names
    assert "aireport/_data/examples/lumen/manifest.yaml" in names
    assert "aireport/_data/examples/lumen/sources.csv" in names
    assert "aireport/py.typed" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
