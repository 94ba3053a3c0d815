from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TINY_PACK = str(FIXTURES / "packs" / "tiny")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A private copy of the ten-item dataset, so a test may break it."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target / "manifest.yaml"
