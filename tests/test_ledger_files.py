"""The ledger files: CSV and Parquet hold the same rows, and no CSV cell is a spreadsheet formula.

Creator names come from item manifests, which strangers write; every expected cell below is written by hand.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction

import pyarrow as pa
import pyarrow.parquet as pq

from aireport.models.ledger import Ledger, LedgerLine, Money, Totals
from aireport.render.ledger_files import ledger_files


def _line(key: str | None, items: int, cleared: int, allocation: int) -> LedgerLine:
    totals = Totals(items, 10 * items, cleared, 10 * cleared, None, items - cleared, 0, {"CLR-TERM": items - cleared})
    return LedgerLine(key, totals, Fraction(cleared, 4), Fraction(cleared, 4), None, Money(allocation, "JPY", 0))


LEDGER = Ledger(
    key="creator",
    lines=(
        _line('=HYPERLINK("http://x")', 2, 1, 250),
        _line("bell\x07 and tab\tname", 1, 1, 250),
        _line("-5", 2, 2, 500),
        _line(None, 1, 0, 0),
    ),
    totals=Totals(6, 60, 4, 40, None, 2, 0, {"CLR-TERM": 2}),
    basis="count",
    amount=Money(1000, "JPY", 0),
)


def test_csv_cells_are_never_formulas_and_carry_no_control_characters() -> None:
    text = ledger_files(LEDGER)[0].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["creator", "items", "bytes", "cleared_items"]
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://x")', "bell and tab\tname", "'-5", "", "*"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["not_cleared_by_reason"] == "CLR-TERM=1"
    assert (first["share_count"], first["share_weight"], first["allocation"], first["currency"]) == ("1/4", "", "250",
                                                                                                     "JPY")  # fmt: skip
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert (total["items"], total["share_count"], total["allocation_minor"], total["basis"]) == ("6", "1", "1000",
                                                                                                 "count")  # fmt: skip


def test_parquet_holds_the_same_rows_unprefixed_and_typed() -> None:
    table = pq.read_table(pa.BufferReader(ledger_files(LEDGER)[1]))
    assert table.column("creator").to_pylist() == ["=HYPERLINK(\"http://x\")", "bell\x07 and tab\tname", "-5", None,
                                                   "*"]  # fmt: skip
    assert table.column("items").type == pa.int64()
    assert table.column("items").to_pylist() == [2, 1, 2, 1, 6]
    assert table.column("allocation_minor").to_pylist() == [250, 250, 500, 0, 1000]
    assert table.column("share_count").to_pylist() == ["1/4", "1/4", "1/2", "0", "1"]
    assert table.column("cleared_weight").to_pylist() == [None] * 5
