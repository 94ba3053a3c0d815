"""A reviewed sample file: every kind of bad row is a located error; rates are exact, Wilson is checked apart."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from aireport.disclose.cn.review import estimate, review_result, wilson
from aireport.errors import InputError
from aireport.load.cn.profile import load_appendix_a
from aireport.load.cn.review import check_against_draw, read_reviewed
from aireport.models.cn.sample import DrawnSample, SampleSpec
from aireport.pipeline import RunRequest, draw
from aireport.render.cn.sample_file import SampleContext, sample_file_bytes
from tests.test_cn_sample import item_rows, write_dataset

APPENDIX = load_appendix_a()
CONTEXT = SampleContext(manifest="manifest.yaml", manifest_sha256="0" * 64, tool_version="test")


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> DrawnSample:
    manifest = write_dataset(tmp_path_factory.mktemp("review"), item_rows())
    return sample_of(manifest, SampleSpec(seed=11, per_source=5, corpus=8))


def sample_of(manifest: Path, spec: SampleSpec) -> DrawnSample:
    """The sample the pipeline draws, as ``aireport sample`` does."""
    return draw(RunRequest(manifest=manifest, packs=(), document_date="2026-01-01", sample=spec))[0]


def filled_csv(
    drawn: DrawnSample, edit: dict[int, dict[str, str]] | None = None, sync: bool = True
) -> tuple[str, list[dict[str, str]]]:
    """The drawn CSV with every item qualified, then ``edit``: data-row index -> new cells. With ``sync`` an
    edited verdict is copied to the item's row in the other sample, as a reviewer would."""
    text = sample_file_bytes("csv", drawn, CONTEXT, APPENDIX).decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    for row in rows:
        row["verdict"] = "qualified"
    for index, cells in (edit or {}).items():
        item = rows[index]["item_id"]
        rows[index].update(cells)
        for twin in rows if sync else []:
            if twin["item_id"] == item:
                twin.update({k: v for k, v in cells.items() if k in ("verdict", "risk_code")})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\n".join(comments) + "\n" + out.getvalue(), rows


def problems(tmp_path: Path, drawn: DrawnSample, text: str) -> list[str]:
    path = tmp_path / "reviewed.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        check_against_draw(read_reviewed(path, "reviewed.csv", APPENDIX.codes), drawn, "reviewed.csv")
    return [str(p) for p in err.value.problems]


def header_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("#")) + 1


def test_a_clean_file_passes_and_gives_exact_rates(drawn: DrawnSample, tmp_path: Path) -> None:
    # per_source rows come first, by source id: books 0-4, tiny 5-9, web 10-14; then corpus 15-22.
    edit = {0: {"verdict": "unqualified", "risk_code": "A.3.a"}, 3: {"verdict": "不合格", "risk_code": "a.4.e;A.1.g"}}
    text, _ = filled_csv(drawn, edit)
    path = tmp_path / "ok.csv"
    path.write_text(text, encoding="utf-8")
    rows = read_reviewed(path, "ok.csv", APPENDIX.codes)
    check_against_draw(rows, drawn, "ok.csv")
    result = review_result(rows, drawn, APPENDIX, "ok.csv", "f" * 64)
    books = next(s for s in result.per_source if s.source_id == "books")
    assert (books.estimate.n, books.estimate.qualified, books.estimate.rate, books.estimate.rate_percent) == (
        5,
        3,
        "3/5",
        60.0,
    )
    assert not books.complete
    assert next(s for s in result.per_source if s.source_id == "tiny").estimate.rate_percent == 100.0
    assert result.corpus is not None
    assert result.corpus.n == 8
    assert [(r.code, r.items) for r in result.risks] == [("A.1.g", 1), ("A.3.a", 1), ("A.4.e", 1)]


def test_item_ids_that_differ_from_the_draw_are_listed(drawn: DrawnSample, tmp_path: Path) -> None:
    text, _ = filled_csv(drawn, {2: {"item_id": "books-9999"}})
    found = problems(tmp_path, drawn, text)
    line = header_lines(text) + 3
    assert f"reviewed.csv:{line}: item_id: item books-9999 is not in the per_source sample drawn with seed 11" in found
    missing = [p for p in found if "is missing from the file" in p]
    assert len(missing) == 1
    assert f"item {drawn.rows[2].item_id} (source books, rank 3) of the per_source sample is missing" in missing[0]


def test_duplicate_rows(drawn: DrawnSample, tmp_path: Path) -> None:
    text, rows = filled_csv(drawn)
    duplicate = ",".join(rows[1].values())
    found = problems(tmp_path, drawn, text + duplicate + "\n")
    first = header_lines(text) + 2
    last = header_lines(text) + len(rows) + 1
    assert any(f"duplicate row: item {rows[1]['item_id']} in sample per_source appears 2 times" in p for p in found)
    assert any(f"(lines {first}, {last})" in p for p in found)


def test_unknown_risk_code(drawn: DrawnSample, tmp_path: Path) -> None:
    text, _ = filled_csv(drawn, {4: {"verdict": "unqualified", "risk_code": "A.6.a"}})
    (problem,) = problems(tmp_path, drawn, text)
    assert problem.startswith(f"reviewed.csv:{header_lines(text) + 5}: risk_code: unknown risk code 'A.6.a'")


@pytest.mark.parametrize(("verdict", "found"), [("maybe", "found 'maybe'"), ("", "found nothing (not reviewed)")])
def test_verdict_outside_the_allowed_values(drawn: DrawnSample, tmp_path: Path, verdict: str, found: str) -> None:
    text, _ = filled_csv(drawn, {6: {"verdict": verdict}})
    (problem,) = problems(tmp_path, drawn, text)
    assert problem == (
        f"reviewed.csv:{header_lines(text) + 7}: verdict: {found}; allowed: qualified, unqualified (合格, 不合格)"
    )


def test_unqualified_without_a_risk_code(drawn: DrawnSample, tmp_path: Path) -> None:
    text, _ = filled_csv(drawn, {7: {"verdict": "unqualified"}})
    (problem,) = problems(tmp_path, drawn, text)
    assert "risk_code: an unqualified item needs the Appendix A risk code" in problem


def test_qualified_with_a_risk_code(drawn: DrawnSample, tmp_path: Path) -> None:
    text, _ = filled_csv(drawn, {8: {"risk_code": "A.2.e"}})
    (problem,) = problems(tmp_path, drawn, text)
    assert "a qualified item contains none of the Appendix A risks" in problem


def test_wrong_source_and_missing_column(drawn: DrawnSample, tmp_path: Path) -> None:
    text, _ = filled_csv(drawn, {9: {"source_id": "web"}})
    (problem,) = problems(tmp_path, drawn, text)
    assert f"item {drawn.rows[9].item_id} belongs to source tiny, found 'web'" in problem
    path = tmp_path / "no-verdict.csv"
    path.write_text("item_id,source_id,sample,risk_code\nx,web,corpus,\n")
    with pytest.raises(InputError, match="verdict: required column is missing"):
        read_reviewed(path, "no-verdict.csv", APPENDIX.codes)


def test_xlsx_and_parquet_are_read_with_row_numbers(drawn: DrawnSample, tmp_path: Path) -> None:
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(sample_file_bytes("xlsx", drawn, CONTEXT, APPENDIX))
    wb = load_workbook(xlsx)
    sheet = wb["sample"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 6, "qualified")
    sheet.cell(4, 6, "unqualified")  # sheet row 4 (the header is row 1), no risk code
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        read_reviewed(xlsx, "s.xlsx", APPENDIX.codes)
    assert [str(p) for p in err.value.problems] == [
        "s.xlsx: row 4: risk_code: an unqualified item needs the Appendix A risk code it contains"
    ]
    table = pq.read_table(io.BytesIO(sample_file_bytes("parquet", drawn, CONTEXT, APPENDIX)))
    verdicts = ["qualified"] * table.num_rows
    table = table.set_column(table.schema.get_field_index("verdict"), "verdict", pa.array(verdicts))
    path = tmp_path / "s.parquet"
    pq.write_table(table, path)
    rows = read_reviewed(path, "s.parquet", APPENDIX.codes)
    check_against_draw(rows, drawn, "s.parquet")
    assert rows[0].row == 1
    assert len(rows) == len(drawn.rows)


def test_inconsistent_verdicts_for_an_item_in_both_samples(drawn: DrawnSample, tmp_path: Path) -> None:
    corpus = {r.item_id for r in drawn.rows if r.sample.value == "corpus"}
    both = [i for i, r in enumerate(drawn.rows) if r.sample.value == "per_source" and r.item_id in corpus]
    if not both:
        pytest.skip("no item in both samples for this seed")
    text, _ = filled_csv(drawn, {both[0]: {"verdict": "unqualified", "risk_code": "A.5.a"}}, sync=False)
    (problem,) = problems(tmp_path, drawn, text)
    assert "is in both samples with different verdicts" in problem


@pytest.mark.parametrize(("qualified", "n"), [(3902, 4000), (3840, 4000), (0, 10), (10, 10), (1, 3)])
def test_wilson_bounds_solve_the_score_equation(qualified: int, n: int) -> None:
    # Independent check: the Wilson bounds are the p with (p_hat - p)^2 = z^2 p (1 - p) / n, inside [0, 1].
    z = 1.959963984540054
    low, high = wilson(qualified, n) or (math.nan, math.nan)
    p_hat = qualified / n
    for p in (low, high):
        assert 0 <= p <= 1
        assert (p_hat - p) ** 2 == pytest.approx(z * z * p * (1 - p) / n, abs=1e-12)
    assert low <= p_hat <= high


def test_point_estimate_is_the_exact_fraction() -> None:
    e = estimate(3902, 4000)
    assert (e.rate, e.rate_percent, e.unqualified) == ("3902/4000", 97.55, 98)
    assert "extra-regulatory" in e.interval_note.en
    assert estimate(0, 0).rate_percent is None
