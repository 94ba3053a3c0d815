"""Cross-check of rules/licences.yaml with the Data Provenance Initiative's own licence classes.

The DPI file (tests/fixtures/licences/dpi/, Apache-2.0, source in its README) names licences as the
project writes them; each name goes through aireport's alias table and parser. Where both sides are
definite, the classes must agree except for the differences docs/licences.md lists with reasons.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aireport.load.licences import LicenceTable, load_licence_table

ROOT = Path(__file__).resolve().parents[1]
DPI = ROOT / "tests" / "fixtures" / "licences" / "dpi" / "license_classes.json"
USE = {"All": True, "NC": False, "Acad": False, "Unspecified": None}
FLAG = {"1": True, "0": False, "?": None}

# (DPI name, class) where the two classifications differ; the reasons are in docs/licences.md.
DIFFERENCES = {
    ("CC BY-ND 4.0", "share_alike"),  # ND forbids sharing adaptations; there is nothing to share alike
    ("EPL 1.0", "share_alike"),  # weak copyleft counts as share-alike here
    ("LGPL 2.1", "share_alike"),
    ("LGPL 3.0", "share_alike"),
    ("MPL 2.0", "share_alike"),
    ("Llama 2", "share_alike"),  # the licence must accompany derivative works
    ("Meta Llama3 Community License", "share_alike"),
    ("CC BY-NC-SA", "share_alike"),  # the DPI's own CC BY-NC-SA 3.0 and 4.0 rows say 1
    ("MIT", "attribution"),  # the DPI's own "MIT License" row says 1
}
NOT_READ = {
    "AI2 ImpACT License - Low Risk",
    "All Uses-Attribution",
    "Google Cloud Translation API",
    "Microsoft Data Licensing Agreement",
    "OANC",
    "OpenAI",
    "Anthropic",
    "Request Form",
    "Skywork Community License",
    "LMSYS-Chat-1M Dataset License",
    "CC BY-NC-ND",  # unversioned ND: 4.0 and earlier versions differ on training
    "CSLU Agreement",
    "LDC User Agreement",
    "Open Access",
}


@pytest.fixture(scope="module")
def table() -> LicenceTable:
    return load_licence_table(ROOT / "rules" / "licences.yaml", {})


def _pairs(table: LicenceTable) -> tuple[dict[tuple[str, str], tuple[bool, bool]], set[str]]:
    pairs: dict[tuple[str, str], tuple[bool, bool]] = {}
    unread: set[str] = set()
    for name, (use, attribution, share_alike) in json.loads(DPI.read_text(encoding="utf-8")).items():
        res = table.resolve(name)
        if res.terms is None or res.error is not None:
            unread.add(name)
            continue
        for term, theirs in (
            ("commercial_use", USE[use]),
            ("attribution", FLAG[attribution]),
            ("share_alike", FLAG[share_alike]),
        ):
            ours = getattr(res.terms, term)
            if theirs is not None and ours is not None:
                pairs[name, term] = (theirs, ours)
    return pairs, unread


def test_agreement_with_the_data_provenance_initiative(table: LicenceTable) -> None:
    pairs, unread = _pairs(table)
    differ = {key for key, (theirs, ours) in pairs.items() if theirs != ours}
    assert differ == DIFFERENCES
    assert unread == NOT_READ
    # The figure docs/licences.md gives: 131 of 140 definite pairs agree (93.6%), commercial use 48/48.
    assert (len(pairs) - len(differ), len(pairs)) == (131, 140)
    commercial = [v for (_, term), v in pairs.items() if term == "commercial_use"]
    assert len(commercial) == 48
    assert all(theirs == ours for theirs, ours in commercial)


@pytest.mark.parametrize(
    ("name", "read_as"),
    [
        ("CC BY-NC-ND 4.0", "CC-BY-NC-ND-4.0"),
        ("CC0 1.0", "CC0-1.0"),
        ("CDLA Permissive 2.0", "CDLA-Permissive-2.0"),
        ("ODC BY 1.0", "ODC-By-1.0"),
        ("OGL 3.0", "OGL-UK-3.0"),
        ("C-UDA", "C-UDA-1.0"),
        ("GNU General Public License v2.0", "GPL-2.0-only"),
        ("LGPL 2.1", "LGPL-2.1-only"),
        ("BigScience OpenRAIL-M", "LicenseRef-BigScience-OpenRAIL-M"),
        ("Meta Llama3 Community License", "LicenseRef-Llama-3"),
        ("Academic Research Purposes Only", "LicenseRef-Research-Only"),
        ("Non Commercial", "LicenseRef-Non-Commercial"),
        ("Public Domain", "LicenseRef-Public-Domain"),
        ("Unspecified", "NOASSERTION"),
        ("No License", "NONE"),
    ],
)
def test_dpi_names_read_as(table: LicenceTable, name: str, read_as: str) -> None:
    assert table.resolve(name).normalised == read_as
