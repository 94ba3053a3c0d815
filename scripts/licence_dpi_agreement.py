#!/usr/bin/env python3
"""Agreement of rules/licences.yaml with the Data Provenance Initiative's licence classes.

The DPI's constants/license_classes.json (a copy with its licence is in tests/fixtures/licences/dpi/)
gives each licence name three classes: permitted use (All / NC / Acad / Unspecified), attribution
(1 / 0 / ?) and share-alike (1 / 0 / ?). Each DPI name is resolved through aireport's licence table
(aliases included), and the classes are compared where both sides are definite:

    commercial_use  <- use: All = true, NC or Acad = false, Unspecified = not definite
    attribution     <- 1 = true, 0 = false, ? = not definite
    share_alike     <- 1 = true, 0 = false, ? = not definite

    .venv/bin/python scripts/licence_dpi_agreement.py      # Markdown summary (docs/licences.md)
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from aireport.load.licences import LicenceTable, load_licence_table  # noqa: E402

DPI = ROOT / "tests" / "fixtures" / "licences" / "dpi" / "license_classes.json"
USE = {"All": True, "NC": False, "Acad": False, "Unspecified": None}
FLAG = {"1": True, "0": False, "?": None}
CLASSES = ("commercial_use", "attribution", "share_alike")


@dataclass(frozen=True)
class Comparison:
    name: str
    read_as: str
    term: str
    dpi: bool
    ours: bool


def compare(table: LicenceTable) -> tuple[list[Comparison], list[str], list[str]]:
    """Definite pairs, DPI names the table cannot read, and names read but with nothing definite to compare."""
    pairs: list[Comparison] = []
    unread: list[str] = []
    undecided: list[str] = []
    for name, (use, attribution, share_alike) in json.loads(DPI.read_text(encoding="utf-8")).items():
        res = table.resolve(name)
        if res.terms is None or res.error is not None:
            unread.append(name)
            continue
        theirs = dict(zip(CLASSES, (USE[use], FLAG[attribution], FLAG[share_alike]), strict=True))
        found = [
            Comparison(name, res.normalised or "", term, dpi, ours)
            for term, dpi in theirs.items()
            if dpi is not None and (ours := getattr(res.terms, term)) is not None
        ]
        if not found:
            undecided.append(name)
        pairs.extend(found)
    return pairs, unread, undecided


def main() -> int:
    table = load_licence_table(ROOT / "rules" / "licences.yaml", {})
    pairs, unread, undecided = compare(table)
    agree = sum(p.dpi == p.ours for p in pairs)
    print(f"Agreement where both are definite: {agree}/{len(pairs)} = {agree / len(pairs):.1%}")
    for term in CLASSES:
        some = [p for p in pairs if p.term == term]
        same = sum(p.dpi == p.ours for p in some)
        print(f"- {term}: {same}/{len(some)}")
    print("\n| DPI name | read as | class | DPI | aireport |\n|---|---|---|---|---|")
    for p in pairs:
        if p.dpi != p.ours:
            print(f"| {p.name} | {p.read_as} | {p.term} | {str(p.dpi).lower()} | {str(p.ours).lower()} |")
    print(f"\nNot read (no SPDX id, documented LicenseRef or alias): {', '.join(unread)}")
    print(f"Read, nothing definite on both sides: {', '.join(undecided)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
