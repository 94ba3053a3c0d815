"""Row accounting, exact and visible: every rejected row counted against --max-rejected-rows, at the line a
person opens the file at, listed in the result and the findings document (the first 100) and in
rejected-rows.csv (all). Every expected line below is counted by hand in the file the test writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from click.testing import CliRunner, Result

from aireport.cli import main
from tests.conftest import TINY_PACK

HEADER = "item_id,source_id,modality,size_bytes,license,collected_at,robots_allowed,tdm_reserved,language,safety_label"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def write_items(tiny: Path, lines: list[str]) -> None:
    (tiny.parent / "items.csv").write_text("\n".join(lines) + "\n")


# Physical lines:      1 header
BROKEN = [
    HEADER,
    "w1,web,text,100,,2025-01-05 10:00:00,true,false,en,pass",  # 2
    'w2,web,text,200,,2025-02-05 10:00:00,false,false,"e',  # 3  a quoted cell that spans lines 3-4
    'n",pass',  # 4
    "w3,web,text",  # 5  too few cells
    "w4,web,text,400,,2025-04-05 10:00:00,true,,fr,pass",  # 6
    "b1,books,text,lots,LicenseRef-Tiny-Books,2024-06-01 00:00:00,,,en,pass",  # 7  not an integer
    "b2,books,text,2000,MIT,2024-07-01 00:00:00,,,en,",  # 8
    "b3,books,picture,3000,MIT,2024-08-01 00:00:00,,,zh,pass",  # 9  modality not allowed
    "c1,cc,image,50,CC-BY-4.0,2023-01-01 00:00:00,,,,pass",  # 10
    "c2,cc,image,-60,CC-BY-NC-4.0,2023-02-01 00:00:00,,,,flagged",  # 11 negative size
    "c3,cc,image,70,LicenseRef-Unknown,2023-03-01 00:00:00,,,,pass",  # 12
]
EXPECTED = [  # (line, field, start of the reason)
    (5, None, "row does not parse: too few cells: 3 of the header's 10 columns"),
    (7, "size_bytes", "row does not parse: "),
    (9, "modality", "value 'picture' is not allowed"),
    (11, "size_bytes", "value -60 is negative"),
]


def test_rejections_within_the_limit_are_counted_and_listed(tiny: Path, tmp_path: Path) -> None:
    write_items(tiny, BROKEN)
    out = tmp_path / "out" / "result.json"
    result = run("check", str(tiny), "--pack", TINY_PACK, "--max-rejected-rows", "4", "--out", str(out), "-q")
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(out.read_text())["rows"]
    assert (rows["read"], rows["evaluated"], rows["rejected"]) == (10, 6, 4)
    assert rows["rejected_by_reason"] == {
        "size_bytes: negative": 1,
        "unparseable row: CAST": 1,
        "unparseable row: MISSING COLUMNS": 1,
        "value not allowed: modality": 1,
    }
    listed = [(r["line"], r["field"], r["reason"]) for r in rows["rejected_rows"]]
    assert [(line, field) for line, field, _ in listed] == [(line, field) for line, field, _ in EXPECTED]
    for (_, _, reason), (_, _, start) in zip(listed, EXPECTED, strict=True):
        assert reason.startswith(start), reason
    assert all(r["file"] == "items.csv" and r["row"] is None for r in rows["rejected_rows"])
    side = list(csv.DictReader(io.StringIO((tmp_path / "out" / "result.rejected-rows.csv").read_text())))
    assert [(int(r["line"]), r["field"] or None, r["reason"]) for r in side] == listed


def test_one_rejection_too_many_stops_the_run_and_names_every_line(tiny: Path, tmp_path: Path) -> None:
    write_items(tiny, BROKEN)
    out = tmp_path / "out" / "result.json"
    result = run("check", str(tiny), "--pack", TINY_PACK, "--max-rejected-rows", "3", "--out", str(out))
    assert result.exit_code == 2
    for line, field, start in EXPECTED:
        assert f"items.csv:{line}: {field + ': ' if field else ''}{start}" in result.output, result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_findings_document_lists_the_rejected_rows_and_the_side_file_all(tiny: Path, tmp_path: Path) -> None:
    write_items(tiny, BROKEN)
    out = tmp_path / "docs"
    result = run(
        "report",
        str(tiny),
        "--pack",
        TINY_PACK,
        "--document",
        "findings",
        "--format",
        "json,html",
        "--out",
        str(out),
        "--max-rejected-rows",
        "4",
        "--date",
        "2026-01-01",
        "-q",
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "findings.json").read_text())
    listed = document["traceability"]["rows"]["rejected_rows"]
    assert [(r["file"], r["line"], r["field"]) for r in listed] == [("items.csv", n, f) for n, f, _ in EXPECTED]
    side = list(csv.DictReader(io.StringIO((out / "rejected-rows.csv").read_text())))
    assert [int(r["line"]) for r in side] == [5, 7, 9, 11]
    page = (out / "findings.en.html").read_text()
    assert "The first 4 of the 4 rejected rows" in page
    assert "value &#39;picture&#39; is not allowed" in page or "value 'picture' is not allowed" in page


def test_lines_count_earlier_rejections_and_embedded_newlines_far_into_a_file(tiny: Path) -> None:
    """The row that breaks the contract is the 199th row DuckDB returns (two rows before it were rejected)
    and the 201st data row, but it sits on line 203 (a quoted cell before it spans two lines)."""
    lines = [HEADER]
    for n in range(1, 260):
        lines.append(f"w{n},web,text,{n},,2025-01-05 10:00:00,true,false,en,pass")
    lines[10] = "w10,web,text"  # line 11: too few cells (rejected by the reader)
    lines[20] = "w20,web,text,twenty,,2025-01-05 10:00:00,true,false,en,pass"  # line 21: not an integer
    lines[30] = 'w30,web,text,30,,2025-01-05 10:00:00,true,false,"e\nn",pass'  # lines 31-32: one record
    lines[201] = "w201,web,movie,201,,2025-01-05 10:00:00,true,false,en,pass"  # line 203 (after the extra line)
    write_items(tiny, lines)
    result = run("check", str(tiny), "--pack", TINY_PACK)
    assert result.exit_code == 2
    assert "items.csv:11: row does not parse: too few cells" in result.output
    assert "items.csv:21: size_bytes: row does not parse" in result.output
    assert "items.csv:203: modality: value 'movie' is not allowed" in result.output, result.output


def test_a_jsonl_type_error_is_a_rejection_not_a_stop(tiny: Path, tmp_path: Path) -> None:
    records = [
        {"item_id": "w1", "source_id": "web", "size_bytes": 100},
        {"item_id": "w2", "source_id": "web", "size_bytes": "200"},  # line 2: text, not an integer
        {"item_id": "w3", "source_id": "web", "size_bytes": 300},
    ]
    text = json.dumps(records[0]) + "\n\n   \n" + json.dumps(records[1]) + "\n" + json.dumps(records[2]) + "\n"
    (tiny.parent / "items.jsonl").write_text(text)  # the bad record is on line 4 (two blank lines before it)
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [items.jsonl]"))
    stopped = run("check", str(tiny), "--pack", TINY_PACK)
    assert stopped.exit_code == 2
    assert "items.jsonl:4: size_bytes: the value is not an integer within the 64-bit range" in stopped.output
    out = tmp_path / "r.json"
    counted = run("check", str(tiny), "--pack", TINY_PACK, "--max-rejected-rows", "1", "--out", str(out), "-q")
    assert counted.exit_code in (0, 1), counted.output
    rows = json.loads(out.read_text())["rows"]
    assert (rows["read"], rows["evaluated"], rows["rejected"]) == (3, 2, 1)
    assert rows["rejected_by_reason"] == {"size_bytes: not an integer within the 64-bit range": 1}
    assert [(r["line"], r["field"]) for r in rows["rejected_rows"]] == [(4, "size_bytes")]


def test_only_the_first_hundred_are_in_the_result_and_all_in_the_side_file(tiny: Path, tmp_path: Path) -> None:
    lines = [HEADER] + [f"w{n},web,text,-{n},,2025-01-05 10:00:00,true,false,en,pass" for n in range(1, 151)]
    write_items(tiny, lines)
    out = tmp_path / "r.json"
    result = run("check", str(tiny), "--pack", TINY_PACK, "--max-rejected-rows", "150", "--out", str(out), "-q")
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(out.read_text())["rows"]
    assert rows["rejected"] == 150
    assert [r["line"] for r in rows["rejected_rows"]] == list(range(2, 102))
    side = list(csv.DictReader(io.StringIO((tmp_path / "r.rejected-rows.csv").read_text())))
    assert [int(r["line"]) for r in side] == list(range(2, 152))


def test_parquet_rows_are_numbered_per_file(tiny: Path) -> None:
    folder = tiny.parent
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{folder / 'items.csv'}', header = true)")
    con.execute(f"COPY (SELECT * FROM t WHERE source_id = 'web' ORDER BY item_id) TO '{folder / 'a.parquet'}'")
    con.execute(
        "COPY (SELECT * REPLACE (CASE WHEN item_id = 'c2' THEN 'picture' ELSE modality END AS modality) FROM t "
        f"WHERE source_id <> 'web' ORDER BY item_id) TO '{folder / 'b.parquet'}'"
    )
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [a.parquet, b.parquet]"))
    result = run("check", str(tiny), "--pack", TINY_PACK)
    assert result.exit_code == 2
    # b.parquet holds b1, b2, b3, c1, c2, c3: c2 is its fifth row
    assert "b.parquet: row 5: modality: value 'picture' is not allowed" in result.output, result.output
