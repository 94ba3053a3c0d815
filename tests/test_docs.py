"""docs/ is generated from the code; a stale page fails here (regenerate with `aireport docs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aireport.cli import main
from aireport.cli.docs import all_pages
from aireport.load.rulepack import builtin_packs, load_packs

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", ["rules.md", "fields.md", "cli.md"])
def test_generated_page_is_current(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == all_pages(main)[name], f"run `aireport docs` ({name})"


def test_every_rule_is_cited_with_a_verification_status() -> None:
    for pack in load_packs(builtin_packs()):
        for rule in pack.rules:
            assert rule.citation.instrument.strip(), rule.id
            assert rule.citation.provision.strip(), rule.id
            assert rule.citation.reference_tag, f"{rule.id}: carry the reference's verification tag"
            for text in (rule.title, rule.message, rule.fix):
                assert text.zh.strip(), rule.id
                assert text.en.strip(), rule.id
