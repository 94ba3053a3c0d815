"""`aireport sample` then `aireport cn-assess` on the Lumen example, as a user runs them; and their bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from pypdf import PdfReader

from aireport.cli import main
from aireport.cli.schema import all_schemas
from aireport.example import write_example

N = 5_000
SEED = 20251031


def unqualified(item_id: str) -> bool:
    """The reviewer's verdicts of this test: every item whose number is 7 modulo 50."""
    return int(item_id.removeprefix("img-")) % 50 == 7


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example(tmp_path_factory.mktemp("lumen"), N)


def review(sample_csv: Path, target: Path, edit: dict[str, str] | None = None) -> list[dict[str, str]]:
    text = sample_csv.read_text(encoding="utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    for row in rows:
        bad = unqualified(row["item_id"])
        row["verdict"] = "unqualified" if bad else "qualified"
        row["risk_code"] = "A.4.e" if bad else ""
    if edit:
        rows[0].update(edit)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text("\n".join(comments) + "\n" + out.getvalue(), encoding="utf-8")
    return rows


def run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, list(args))
    return done.exit_code, done.output


@pytest.fixture(scope="module")
def reviewed(lumen: Path) -> tuple[Path, list[dict[str, str]]]:
    sample = lumen.parent / "sample.csv"
    code, output = run(
        "sample", str(lumen), "--per-source", "50", "--corpus", "4000", "--seed", str(SEED), "--out", str(sample)
    )
    assert code == 0, output
    target = lumen.parent / "reviewed.csv"
    return target, review(sample, target)


def assess_args(lumen: Path, reviewed: Path, out: Path, formats: str = "json") -> list[str]:
    return [
        "cn-assess", str(lumen), "--assessment-date", "2025-10-31", "--out", str(out), "--reviewed", str(reviewed),
        "--seed", str(SEED), "--per-source", "50", "--corpus", "4000", "--format", formats,
    ]  # fmt: skip


def test_cn_assess_writes_the_documents(lumen: Path, reviewed: tuple[Path, list[dict[str, str]]]) -> None:
    path, rows = reviewed
    out = lumen.parent / "out"
    code, output = run(*assess_args(lumen, path, out, "json,html,pdf"))
    assert code == 1, output  # Lumen has planted gaps: 部分符合
    assert "部分符合" in output
    doc = json.loads((out / "cn-assessment.json").read_text())
    assert doc["title"]["zh"] == "生成式人工智能服务安全评估报告 — 语料安全"
    assert doc["profile"]["id"] == "tc260-003"
    corpus = [r for r in rows if r["sample"] == "corpus"]
    bad = sum(1 for r in corpus if unqualified(r["item_id"]))
    review_doc = doc["sampling"]["review"]
    assert review_doc["corpus"]["rate"] == f"{4000 - bad}/4000"
    manual = next(c for c in doc["clauses"] if c["clause_id"] == "TC-9.2-a")
    assert manual["result"] == ("compliant" if (4000 - bad) * 100 >= 96 * 4000 else "non_compliant")
    assert manual["basis"] == "measured"
    per_source = {s["source_id"]: s["estimate"]["unqualified"] for s in review_doc["per_source"]}
    assert per_source == {
        s: sum(1 for r in rows if r["sample"] == "per_source" and r["source_id"] == s and unqualified(r["item_id"]))
        for s in per_source
    }
    # Planted gaps of the example (PLANTED.md) show up clause by clause.
    results = {c["clause_id"]: c["result"] for c in doc["clauses"]}
    assert results["TC-5.2-a"] == "non_compliant"  # no manual filtering
    assert results["TC-5.1-c-4"] == "non_compliant"  # app uploads without user authorisation
    assert results["TC-5.1-b-1"] == "non_compliant"  # ja in one source only
    assert results["TC-5.1-a-2"] == "non_compliant"  # lumenbot-crawl above 5%
    assert results["TC-5.1-c-3"] == "compliant"  # the stock library's contract and commitment
    filing = doc["filing"]
    assert filing["items"] == {
        "basis": "measured", "key": "items", "label": {"en": "Corpus items", "zh": "训练语料条数"},
        "note": None, "unit": "items", "value": N,
    }  # fmt: skip
    assert filing["annotation_count"]["basis"] == "missing"
    assert [c["acquisition"] for c in filing["composition"]] == [
        "open_source", "self_collected", "commercial", "user_input", "synthetic",
    ]  # fmt: skip
    summary = json.loads((out / "cn-corpus-summary.json").read_text())
    assert summary["conclusion"] == "partly_compliant"
    assert summary["text"]["zh"].startswith("Lumen Canvas 2 2.0 训练语料")  # no dataset_zh: the model's name
    assert "部分符合" in summary["text"]["zh"]
    # Both files match the schemas `aireport schema` publishes for them.
    schemas = all_schemas()
    Draft202012Validator(schemas["document-cn-assessment"]).validate(doc)
    Draft202012Validator(schemas["document-cn-corpus-summary"]).validate(summary)
    # The Chinese PDF (PDF/A-3b, no missing glyph or the render fails) says what the JSON says.
    pdf = PdfReader(out / "cn-assessment.zh.pdf")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "语料安全" in text
    assert "部分符合" in text
    assert "法定代表人" in text
    assert "9.2 a)" in text  # the standard's own number; the report's key TC-9.2-a only in the annotated edition
    assert "TC-9.2-a" not in text
    html = (out / "cn-assessment.zh.html").read_text()
    assert '<html lang="zh-CN">' in html
    assert html.count('class="rule clause') == len(doc["clauses"])
    # Same inputs, same bytes.
    again = lumen.parent / "again"
    assert run(*assess_args(lumen, path, again))[0] == 1
    assert (again / "cn-assessment.json").read_bytes() == (out / "cn-assessment.json").read_bytes()


def test_reviewed_file_not_matching_the_seed_is_exit_2(
    lumen: Path, reviewed: tuple[Path, list[dict[str, str]]]
) -> None:
    path, _ = reviewed
    out = lumen.parent / "wrong-seed"
    args = assess_args(lumen, path, out)
    args[args.index("--seed") + 1] = str(SEED + 1)
    code, output = run(*args)
    assert code == 2
    assert "is not in the per_source sample drawn with seed" in output
    assert "more rows not in the drawn sample" in output
    assert not out.exists()


def test_reviewed_file_errors_name_the_line(lumen: Path, reviewed: tuple[Path, list[dict[str, str]]]) -> None:
    path, _ = reviewed
    broken = lumen.parent / "broken.csv"
    review(lumen.parent / "sample.csv", broken, {"verdict": "unqualified", "risk_code": "B.1"})
    code, output = run(*assess_args(lumen, broken, lumen.parent / "o2"))
    assert code == 2
    assert "risk_code: unknown risk code 'B.1'" in output
    args = assess_args(lumen, path, lumen.parent / "o3")
    del args[args.index("--seed") : args.index("--seed") + 2]
    code, output = run(*args)
    assert code == 2
    assert "--reviewed needs the --seed" in output


def test_cn_assess_signs_both_documents(lumen: Path, reviewed: tuple[Path, list[dict[str, str]]]) -> None:
    key = lumen.parent / "signer.key.pem"
    assert run("keygen", str(key))[0] == 0
    out = lumen.parent / "signed"
    code, output = run(*assess_args(lumen, reviewed[0], out, "json,pdf"), "--lang", "zh", "--sign", str(key))
    assert code == 1, output  # the planted gaps, as above: signing changes no verdict
    assert sorted(p.name for p in out.glob("*.dsse.json")) == ["cn-assessment.dsse.json", "cn-corpus-summary.dsse.json"]
    code, output = run("verify", str(out / "cn-assessment.json"), "--public-key", str(lumen.parent / "signer.pub.pem"))
    assert code == 0, output
    assert "cn-assessment.zh.pdf is reproduced byte for byte" in output


def test_sources_without_or_with_an_unknown_acquisition_type(lumen: Path, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(lumen.read_text().replace('items: ["items/"]', "items: []"))
    inventory = lumen.parent / "sources.csv"
    text = inventory.read_text()
    (folder / "sources.csv").write_text(text.replace(",licensed,commercial,", ",licensed,,"))
    code, output = run(
        "cn-assess", str(folder / "manifest.yaml"), "--assessment-date", "2025-06-01", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert "sources.csv:2: cn_acquisition: source 'meridian-stock' has no acquisition type" in output
    (folder / "sources.csv").write_text(text.replace(",licensed,commercial,", ",licensed,bought,"))
    code, output = run(
        "cn-assess", str(folder / "manifest.yaml"), "--assessment-date", "2025-06-01", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert "cn_acquisition" in output
    assert "open_source" in output
    assert not (tmp_path / "o").exists()
