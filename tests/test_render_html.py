"""The standalone HTML page in a real browser: headless Chromium opens it with no console message and
draws a page that is not blank. Skipped only when Chromium is not installed (scripts/setup-system.sh
installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from aireport.disclose.findings import build_findings
from aireport.engine.config import EngineConfig
from aireport.pipeline import check_dataset
from aireport.render.html import render_html
from tests.conftest import FIXTURES, TINY_PACK

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")


def open_in_chromium(page: Path, shot: Path, profile: Path) -> str:
    """Screenshot ``page``; return Chromium's log, in which every console message is a ':CONSOLE' line."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def console_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def test_the_harness_sees_console_errors(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>undefinedFunction();</script>")
    log = open_in_chromium(page, tmp_path / "bad.png", tmp_path / "profile")
    assert any("Uncaught ReferenceError" in line for line in console_lines(log))


@pytest.mark.parametrize("langs", [("en",), ("zh",)])
def test_html_opens_cleanly_and_is_not_blank(tmp_path: Path, langs: tuple[str, ...]) -> None:
    result = check_dataset(FIXTURES / "tiny" / "manifest.yaml", [TINY_PACK], EngineConfig(), "2026-01-01")
    page = tmp_path / "findings.html"
    page.write_text(render_html(build_findings(result), langs), encoding="utf-8")
    shot = tmp_path / "shot.png"
    log = open_in_chromium(page, shot, tmp_path / "profile")
    assert console_lines(log) == []
    with Image.open(shot) as image:
        grey = image.convert("L")
        assert grey.size == (1200, 1600)
        histogram = grey.histogram()
        dark = sum(histogram[:128])  # text, rules, bars
        assert dark > 0.005 * 1200 * 1600
        assert sum(1 for count in histogram if count) > 20  # anti-aliased text, not a flat fill
