"""Every operator of the closed vocabulary, compiled to SQL and run on four hand-made rows.

Each expectation is the three-valued answer for rows (a, b, c, d): True, False or None (unknown).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from aireport.engine.compile import FieldResolver, Params, compile_condition
from aireport.models.rules import OPERATORS, AllOf, AnyOf, Leaf, NotOf

ROWS = [
    # id, text, number, flag, when, tags, licence
    ("a", "cc-by", 5, True, dt.datetime(2025, 1, 31, 23, 0), ["en", "de"], "CC-BY-4.0"),
    ("b", "", 10, False, dt.datetime(2025, 2, 1), [], "CC-BY-NC-4.0"),
    ("c", "proprietary", None, None, None, None, None),
    ("d", None, -1, True, dt.datetime(2024, 12, 1), ["zh"], "LicenseRef-X"),
]
TERMS = {  # licence -> (commercial_use, ai_training, attribution, known)
    "CC-BY-4.0": (True, True, True, True),
    "CC-BY-NC-4.0": (False, True, True, True),
}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(
        "CREATE TABLE t (id VARCHAR, text VARCHAR, number BIGINT, flag BOOLEAN, ts TIMESTAMP, "
        "tags VARCHAR[], lic VARCHAR)"
    )
    c.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", [list(r) for r in ROWS])
    c.execute(
        "CREATE TABLE terms (lic VARCHAR, commercial_use BOOLEAN, ai_training BOOLEAN, "
        "attribution BOOLEAN, known BOOLEAN)"
    )
    c.executemany("INSERT INTO terms VALUES (?, ?, ?, ?, ?)", [[k, *v] for k, v in TERMS.items()])
    return c


RESOLVER = FieldResolver(
    {
        "text": ("t.text", "VARCHAR"),
        "number": ("t.number", "BIGINT"),
        "flag": ("t.flag", "BOOLEAN"),
        "ts": ("t.ts", "TIMESTAMP"),
        "tags": ("t.tags", "VARCHAR[]"),
        "lic": ("t.lic", "VARCHAR"),
    },
    licence_terms=lambda name, term: f"terms.{term}",
)


def run(con: duckdb.DuckDBPyConnection, condition: dict[str, Any]) -> list[bool | None]:
    leaf = Leaf.model_validate(condition)
    params = Params()
    sql = compile_condition(leaf, RESOLVER, params)
    rows = con.execute(
        f"SELECT {sql} FROM t LEFT JOIN terms ON terms.lic = t.lic ORDER BY t.id", params.values
    ).fetchall()
    return [r[0] for r in rows]


CASES: list[tuple[dict[str, Any], list[bool | None]]] = [
    ({"field": "text", "eq": "cc-by"}, [True, False, False, None]),
    ({"field": "text", "ne": "cc-by"}, [False, True, True, None]),
    ({"field": "number", "in": [5, -1]}, [True, False, None, True]),
    ({"field": "number", "not_in": [5]}, [False, True, None, True]),
    ({"field": "tags", "contains": "en"}, [True, False, None, False]),
    ({"field": "number", "lt": 5}, [False, False, None, True]),
    ({"field": "number", "le": 5}, [True, False, None, True]),
    ({"field": "number", "gt": 5}, [False, True, None, False]),
    ({"field": "number", "ge": 5}, [True, True, None, False]),
    ({"field": "ts", "before": dt.date(2025, 2, 1)}, [True, False, None, True]),
    ({"field": "ts", "on_or_after": dt.date(2025, 2, 1)}, [False, True, None, False]),
    ({"is_null": "text"}, [False, True, False, True]),  # empty text counts as absent
    ({"not_null": "text"}, [True, False, True, False]),
    ({"is_null": "tags"}, [False, True, True, False]),  # an empty list too
    ({"is_true": "flag"}, [True, False, None, True]),
    ({"is_false": "flag"}, [False, True, None, False]),
    ({"field": "text", "matches": "^pro"}, [False, False, True, None]),
    (
        {"field": "lic", "licence_permits": ["commercial_use", "ai_training"]},
        [True, False, None, None],
    ),
    ({"field": "lic", "licence_permits": "ai_training"}, [True, True, None, None]),
    ({"field": "lic", "licence_requires": ["attribution"]}, [True, True, None, None]),
    ({"licence_known": "lic"}, [True, True, False, False]),
]


@pytest.mark.parametrize(
    ("condition", "expected"),
    CASES,
    ids=[next(k for k in c if k != "field") + f"-{i}" for i, (c, _) in enumerate(CASES)],
)
def test_operator(con: duckdb.DuckDBPyConnection, condition: dict[str, Any], expected: list[bool | None]) -> None:
    assert run(con, condition) == expected


def test_every_operator_has_a_case() -> None:
    covered = {next(k for k in c if k != "field") for c, _ in CASES}
    assert covered == set(OPERATORS)


def test_combinators_use_kleene_logic(con: duckdb.DuckDBPyConnection) -> None:
    flag = {"is_true": "flag"}
    big = {"field": "number", "ge": 5}
    checks = {
        "all": (AllOf.model_validate({"all": [flag, big]}), [True, False, None, False]),
        "any": (AnyOf.model_validate({"any": [flag, big]}), [True, True, None, True]),
        "not": (NotOf.model_validate({"not": flag}), [False, True, None, False]),
    }
    for name, (cond, expected) in checks.items():
        params = Params()
        sql = compile_condition(cond, RESOLVER, params)
        got = [r[0] for r in con.execute(f"SELECT {sql} FROM t ORDER BY id", params.values).fetchall()]
        assert got == expected, name


def test_values_are_bound_never_spliced(con: duckdb.DuckDBPyConnection) -> None:
    hostile = "x'); DROP TABLE t; --"
    params = Params()
    sql = compile_condition(Leaf.model_validate({"field": "text", "eq": hostile}), RESOLVER, params)
    assert hostile not in sql
    assert list(params.values.values()) == [hostile]
    assert run(con, {"field": "text", "eq": hostile}) == [False, False, False, None]
    assert con.execute("SELECT count(*) FROM t").fetchone() == (4,)
