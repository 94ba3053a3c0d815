"""The licence columns the engine joins against, and the two packs' licence rules compiled over them.

The rules EU-CR-LIC and CN-IM07-2 are read from the shipped packs and run on DuckDB over hand-made
rows; each expectation is the rule's three-valued answer (True pass, False fail, None not evaluable)
worked out by hand from the licences' terms.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from ruamel.yaml import YAML

from aireport.engine.backend import DuckDBBackend
from aireport.engine.compile import FieldResolver, Params, compile_condition
from aireport.engine.tables import (
    ITEM_LICENCES_TABLE,
    LICENCE_COLUMNS,
    create_item_licence_table,
    licence_problems,
    licence_values,
)
from aireport.load.licences import LicenceTable, load_licence_table
from aireport.models.rules import Condition, Leaf, Rule

ROOT = Path(__file__).resolve().parents[1]
T, F, U = True, False, None


@pytest.fixture(scope="module")
def table() -> LicenceTable:
    return load_licence_table(ROOT / "rules" / "licences.yaml", {})


def test_licence_values_keep_unknown_terms_apart(table: LicenceTable) -> None:
    assert LICENCE_COLUMNS == ("commercial_use", "ai_training", "redistribution", "attribution", "share_alike", "known")
    assert licence_values(table, "CC-BY-NC-4.0 AND LicenseRef-Undeclared") == [F, U, U, T, U, F]
    assert licence_values(table, "CC-BY-NC-4.0") == [F, T, T, T, F, T]
    assert licence_values(table, "CC-BY-ND-3.0") == [T, U, T, T, F, T]  # known licence, one unknown term
    assert licence_values(table, "MIT/GPL") == [U, U, U, U, U, F]
    assert licence_values(table, None) == [U, U, U, U, U, F]


# item licence, source licence, expected EU-CR-LIC / CN-IM07-2 condition
ROWS: list[tuple[str | None, str | None, bool | None]] = [
    ("CC-BY-NC-4.0 AND LicenseRef-Undeclared", "CC-BY-4.0", F),
    ("CC-BY-NC-4.0 OR NOASSERTION", "CC-BY-4.0", F),
    ("MIT AND LicenseRef-Undeclared", "CC-BY-4.0", U),
    ("MIT License", "CC-BY-NC-4.0", T),  # the item's own licence, as written
    (None, "CC-BY-NC-4.0", F),  # the source's licence stands in
    ("", "CC BY-NC 4.0", F),
    (None, "CC-BY-4.0", T),
    (None, None, U),
    ("CC-BY-ND-3.0", None, U),  # commercial use permitted, training unknown
    ("CC-BY-NC-ND-3.0", None, F),  # training unknown, commercial use forbidden: fails
    ("LicenseRef-Llama-2", None, F),  # training forbidden
    ("BUSL-1.1", None, U),
    ("Some Custom Licence AND CC-BY-NC-4.0", None, F),  # unreadable operand, known NC operand decides
    ("MIT/GPL", "CC-BY-4.0", U),  # does not parse: not evaluable, and listed by licence_problems
]


def _rule(path: str) -> Rule:
    data = YAML(typ="safe", pure=True).load((ROOT / "rules" / path).read_text(encoding="utf-8"))
    return Rule.model_validate(data)


@pytest.fixture(scope="module")
def con(table: LicenceTable) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    backend = DuckDBBackend(c)
    c.execute("CREATE TABLE items (n INTEGER, license VARCHAR, source_license VARCHAR)")
    c.executemany("INSERT INTO items VALUES (?, ?, ?)", [[n, i, s] for n, (i, s, _) in enumerate(ROWS)])
    create_item_licence_table(backend, sorted({s for _, s, _ in ROWS if s is not None}), table)
    c.execute(f"CREATE TABLE source_terms AS SELECT * FROM {ITEM_LICENCES_TABLE}")
    create_item_licence_table(backend, [i for i, _, _ in ROWS], table)
    return c


RESOLVER = FieldResolver(
    {"license": ("i.license", "VARCHAR"), "source.license": ("i.source_license", "VARCHAR")},
    licence_terms=lambda name, term: f"{'it' if name == 'license' else 'st'}.{term}",
)


def _run(con: duckdb.DuckDBPyConnection, condition: Condition) -> list[bool | None]:
    params = Params()
    sql = compile_condition(condition, RESOLVER, params)
    rows = con.execute(
        f"SELECT {sql} FROM items i LEFT JOIN {ITEM_LICENCES_TABLE} it ON it.license = i.license "
        "LEFT JOIN source_terms st ON st.license = i.source_license ORDER BY i.n",
        params.values,
    ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("rule", ["eu-ai-act/EU-CR-LIC.yaml", "cn-genai/CN-IM07-2.yaml"])
def test_pack_licence_rules(con: duckdb.DuckDBPyConnection, rule: str) -> None:
    assert _run(con, _rule(rule).condition) == [expected for _, _, expected in ROWS]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        # Every class decides on what is known, not commercial use alone.
        ({"field": "license", "licence_permits": "redistribution"}, [U, U, U, T, U, U, U, U, T, T, T, T, U, U]),
        ({"field": "license", "licence_permits": "ai_training"}, [U, U, U, T, U, U, U, U, U, U, F, U, U, U]),
        ({"field": "license", "licence_requires": "share_alike"}, [U, U, U, F, U, U, U, U, F, F, T, T, U, U]),
        ({"field": "license", "licence_requires": "attribution"}, [T, T, T, T, U, U, U, U, T, T, T, T, T, U]),
        ({"licence_known": "license"}, [F, F, F, T, F, F, F, F, T, T, T, T, F, F]),
    ],
)
def test_every_class(con: duckdb.DuckDBPyConnection, condition: dict[str, object], expected: list[bool | None]) -> None:
    assert _run(con, Leaf.model_validate(condition)) == expected


def test_licence_problems_lists_values_that_do_not_parse(table: LicenceTable) -> None:
    values = (
        [i for i, _, _ in ROWS] + [s for _, s, _ in ROWS] + ["MIT/GPL", "  ", "Apache 2.0", "LicenseRef-Undeclared"]
    )
    problems = licence_problems(table, values)
    assert list(problems) == ["Some Custom Licence AND CC-BY-NC-4.0", "MIT/GPL"]
    assert "'Some Custom Licence'" in problems["Some Custom Licence AND CC-BY-NC-4.0"]
    assert "Invalid license key" in problems["MIT/GPL"]
