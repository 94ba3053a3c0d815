"""`aireport card`: the EU Summary as a section of a Hugging Face model card, merged between markers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aireport.cli import main
from aireport.example import write_example
from aireport.render.card import END, START

N = 2_000
CARD = (
    "---\nlicense: apache-2.0\nlanguage:\n- en\ntags: [image-generation]  # kept\n---\n# Lumen Canvas 2\n\nOur model.\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("card")
    manifest = write_example(base / "lumen", N)
    result = run(
        "report", str(manifest), "--pack", "eu-ai-act", "--document", "eu-training-summary,findings",
        "--format", "json", "--out", str(base / "out"), "--date", "2026-09-30", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return base / "out" / "eu-training-summary.json"


def test_merge_keeps_the_card_and_is_idempotent(summary: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(CARD)
    assert run("card", str(summary), "--readme", str(readme), "--lang", "en+zh").exit_code == 0
    first = readme.read_text()
    assert first.startswith("---\nlicense: apache-2.0\nlanguage:\n- en\ntags: [image-generation]  # kept\n")
    assert "# Lumen Canvas 2\n\nOur model.\n" in first
    assert first.count(START) == 1
    assert first.count(END) == 1
    assert "## 训练数据（欧盟《人工智能法》第53条第1款(d)项）" in first
    assert run("card", str(summary), "--readme", str(readme), "--lang", "en+zh").exit_code == 0
    assert readme.read_text() == first  # the same Summary gives the same card
    readme.write_text(first + "\n## Citation\n\nPlease cite us.\n")
    assert run("card", str(summary), "--readme", str(readme)).exit_code == 0  # English only now
    again = readme.read_text()
    assert "训练数据" not in again
    assert again.endswith("## Citation\n\nPlease cite us.\n")


def test_key_figures_and_links_come_from_the_summary(summary: Path, tmp_path: Path) -> None:
    doc = json.loads(summary.read_text())
    readme = tmp_path / "README.md"
    assert run("card", str(summary), "--readme", str(readme)).exit_code == 0
    text = readme.read_text()
    assert text.startswith("---\neu_training_data_summary:\n")  # a new card: front matter of our key only
    assert "| Image | Less than 1 million images |" in text  # 2,000 images are fewer than 10^6
    assert "(3 of the 24 official EU languages)" in text  # en, de, fr of the example's languages
    domains = doc["sources"]["crawled"]["domains"]
    assert domains["listed"] == math.ceil(domains["distinct"] / 10)
    assert f"{domains['listed']} most relevant of {domains['distinct']} crawled domains" in text
    assert f"<{doc['header']['url']['value']}>" in text
    assert "  version: '1.1'\n" in text
    assert "  previous_versions:\n  - https://lumen-imaging.example/" in text  # the Hub's list style


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("---\nlicense: mit\n# no closing line\n", "README.md:1: the front matter has no closing '---' line"),
        (f"---\nlicense: mit\n---\n{START}\nhalf\n", "only one of the markers"),
        ("---\nlicense: [mit\n---\n", "README.md:2: malformed YAML front matter"),
    ],
)
def test_a_broken_card_is_bad_input_and_left_alone(summary: Path, tmp_path: Path, content: str, expected: str) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(content)
    result = run("card", str(summary), "--readme", str(readme))
    assert result.exit_code == 2, result.output
    assert expected in result.output, result.output
    assert readme.read_text() == content


def test_only_a_summary_makes_a_card(summary: Path, tmp_path: Path) -> None:
    result = run("card", str(summary.parent / "findings.json"), "--readme", str(tmp_path / "README.md"))
    assert result.exit_code == 2
    assert "allowed: eu-training-summary" in result.output
    assert not (tmp_path / "README.md").exists()
