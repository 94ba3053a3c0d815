"""The clearance planted in the Lumen example (examples/lumen/PLANTED.md, "Clearance"), restated here in plain
Python from the item index ``i`` and compared with what `aireport clear` finds in the generated Parquet."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
from click.testing import CliRunner

from aireport import example
from aireport.cli import main

N = 10_000
SOURCES = {"stock": "meridian-stock", "crawl": "lumenbot-crawl", "open": "open-images-cc",
           "synthetic": "canvas-synthetic", "app": "app-uploads"}  # fmt: skip


def rules_of(i: int) -> tuple[str, dict[str, bool | None]]:
    """Each clearance rule's outcome for item i (True holds, False fails, None no evidence; absent: not applicable)."""
    p = i % 100
    src = "stock" if p < 55 else "crawl" if p < 80 else "open" if p < 90 else "synthetic" if p < 95 else "app"
    r: dict[str, bool | None] = {}
    r["CLR-DATA-MINING"] = (i % 353 != 21) if src == "stock" else True if src in ("open", "app") else None
    if src == "stock":  # LicenseRef-Meridian-AI-Training: declared commercial and training
        commercial, training = True, True
    elif src == "open":  # CC-BY-NC-4.0 on i % 53 = 31, else CC-BY-4.0
        commercial, training = i % 53 != 31, True
    elif src == "crawl" and i % 19 == 0:  # CC-BY-4.0 found on the page
        commercial, training = True, True
    else:  # no licence on the item nor on its source
        commercial, training = None, None
    r["CLR-LICENCE-COMMERCIAL"], r["CLR-LICENCE-TRAINING"] = commercial, training
    r["CLR-MODEL-RELEASE"] = (not (i % 5 == 0 and i % 409 == 5)) if src == "stock" else None
    r["CLR-PROPERTY-RELEASE"] = (i % 503 != 7) if src == "stock" else None
    if src == "crawl":  # the collection-time signals apply to crawled items only
        r["CLR-ROBOTS"] = None if i % 211 == 19 else i % 331 != 7
        r["CLR-TDM-RESERVED"] = None if i % 211 == 19 else i % 149 != 23
    r["CLR-TAKEDOWN"] = (i % 997 != 500 and i % 991 != 100) if src in ("stock", "open", "app") else None
    r["CLR-TERM"] = (i % 293 != 17) if src == "stock" else True if src == "open" else None
    r["CLR-TERRITORY"] = (i % 307 != 9) if src == "stock" else True if src == "open" else None
    return src, r


def expected() -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    verdicts: Counter[tuple[str, str]] = Counter()
    reasons: Counter[tuple[str, str]] = Counter()
    for i in range(N):
        src, r = rules_of(i)
        failed = [k for k, v in r.items() if v is False]
        unknown = [k for k, v in r.items() if v is None]
        verdict, codes = ("no", failed) if failed else ("unknown", unknown) if unknown else ("yes", [])
        verdicts[(SOURCES[src], verdict)] += 1
        reasons.update((verdict, code) for code in codes)
    return verdicts, reasons


def test_clear_finds_the_planted_verdicts_and_reasons(tmp_path: Path) -> None:
    manifest = example.write_example(tmp_path / "lumen", N, files=2)
    result = CliRunner().invoke(main, ["clear", str(manifest), "--out", str(tmp_path / "out"), "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    listing = f"read_parquet('{tmp_path / 'out' / 'clearance.parquet'}')"
    found = Counter(
        {
            (s, v): n
            for s, v, n in duckdb.sql(f"SELECT source_id, cleared, count(*) FROM {listing} GROUP BY ALL").fetchall()
        }
    )
    codes = duckdb.sql(
        f"SELECT cleared, code, count(*) FROM (SELECT cleared, unnest(reasons) AS code FROM {listing}) GROUP BY ALL"
    ).fetchall()
    verdicts, reasons = expected()
    assert found == verdicts
    assert Counter({(v, c): n for v, c, n in codes}) == reasons
    # The figures PLANTED.md gives for n = 10,000.
    assert verdicts[("meridian-stock", "yes")] == 5421
    assert sum(n for (_, v), n in verdicts.items() if v == "no") == 132
