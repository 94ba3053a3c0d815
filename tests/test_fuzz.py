"""Fuzzing: inputs drawn from the models' own JSON Schemas, then mutated the ways files break.

Strategies are built from ``model_json_schema()`` (the schemas ``aireport schema`` publishes) by
:func:`from_schema` below: hypothesis-jsonschema would do this, but its current release calls hypothesis
internals that hypothesis 6.170 no longer has. A drawn value is then mutated at a random place: a huge,
negative or non-finite number, an impossible date, a formula, a control sequence, deep nesting, a missing
or unknown key. The properties, for every command that reads the input:

* no traceback: the exit code is 0, 1 or 2 and nothing else escapes;
* nothing is written when the exit code is 2;
* for item files that load, rows read = rows evaluated + rows rejected, and rows read = the rows written.

``AIREPORT_FUZZ_EXAMPLES`` sets the examples per property (default 20: a few minutes on two busy cores).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openpyxl import Workbook
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML

from aireport.cli import main
from aireport.models.documents import FindingsDocument
from aireport.models.fields import FIELDS
from aireport.models.provenance import ITEM_COLUMNS, DatasetManifest, Source
from aireport.models.rules import OPERATORS, Rule, Scope
from tests.conftest import FIXTURES, TINY_PACK

EXAMPLES = int(os.environ.get("AIREPORT_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written beside the tests
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

Json = Any

# --- a strategy from a JSON Schema (the subset pydantic writes) -----------------------------------------------

ALPHABET = st.sampled_from([*list("aZ09 -_./:=+@'\"\\中文éß\t"), "\x1b", "\u202e", "\x00"])
TEXT = st.text(ALPHABET, max_size=10)  # a small alphabet keeps drawing fast; it still holds what breaks files


def from_schema(
    schema: dict[str, Any],
    defs: dict[str, Any] | None = None,
    depth: int = 0,
    overrides: dict[str, st.SearchStrategy[Json]] | None = None,
    built: dict[tuple[str, bool], st.SearchStrategy[Json]] | None = None,
) -> st.SearchStrategy[Json]:
    defs = schema.get("$defs", {}) if defs is None else defs
    overrides = overrides or {}
    built = {} if built is None else built  # one strategy per definition: drawing stays fast

    def sub(node: dict[str, Any]) -> st.SearchStrategy[Json]:
        return from_schema(node, defs, depth + 1, overrides, built)

    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in overrides:
            return overrides[name]
        return _reference(name, defs, depth, overrides, built)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([sub(option) for option in schema[key]])
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind in _SCALARS:
        return _SCALARS[kind](schema)
    if kind == "array":
        items = sub(schema.get("items", {}))
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=max(schema.get("minItems", 0), 2))
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: sub(v) for k, v in properties.items() if k in required},
            optional={k: sub(v) for k, v in properties.items() if k not in required},
        )
    return st.one_of(st.none(), st.booleans(), st.integers(), TEXT)


def _reference(
    name: str,
    defs: dict[str, Any],
    depth: int,
    overrides: dict[str, st.SearchStrategy[Json]],
    built: dict[tuple[str, bool], st.SearchStrategy[Json]],
) -> st.SearchStrategy[Json]:
    if "enum" in defs[name]:  # a leaf (severity, scope): never recursive, so never cut off by depth
        return st.sampled_from(defs[name]["enum"])
    if depth > 8:  # a recursive definition (conditions): only its non-recursive branches from here on
        return st.nothing()
    key = (name, depth > 4)
    if key not in built:
        built[key] = st.deferred(lambda: from_schema(defs[name], defs, depth + 1, overrides, built))
    return built[key]


def _integer(schema: dict[str, Any]) -> st.SearchStrategy[Json]:
    low = schema.get("minimum", schema.get("exclusiveMinimum", -(10**6)) + (1 if "exclusiveMinimum" in schema else 0))
    return st.integers(min_value=low, max_value=min(schema.get("maximum", 10**9), low + 10**9))


def _number(schema: dict[str, Any]) -> st.SearchStrategy[Json]:
    return st.floats(
        min_value=schema.get("minimum", schema.get("exclusiveMinimum")),
        max_value=schema.get("maximum", schema.get("exclusiveMaximum")),
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
        allow_infinity=False,
    )


def _string(schema: dict[str, Any]) -> st.SearchStrategy[Json]:
    if schema.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if schema.get("format") == "date-time":
        return st.datetimes().map(lambda d: d.isoformat())
    if "pattern" in schema:
        # long enough for a SHA-256 in hex (64), short enough that an open pattern (an id) draws quickly
        return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) <= 80)
    return st.text(ALPHABET, min_size=schema.get("minLength", 0), max_size=max(schema.get("minLength", 0), 10))


_SCALARS: dict[str, Callable[[dict[str, Any]], st.SearchStrategy[Json]]] = {
    "null": lambda schema: st.none(),
    "boolean": lambda schema: st.booleans(),
    "integer": _integer,
    "number": _number,
    "string": _string,
}


# --- mutations -----------------------------------------------------------------------------------------------

HOSTILE: list[Json] = [
    None,
    -1,
    2**63,
    10**30,
    1e23,
    float("nan"),
    float("inf"),
    "",
    "2025-02-30",
    '=HYPERLINK("http://evil.example")',
    "\x1b]0;owned\x07\x1b[2J",
    "a" * 5000,
    "9" * 5000,
    [],
    {},
    {"unknown_key": 1},
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
]


@st.composite
def mutated(draw: st.DrawFn, value: Json) -> Json:
    """``value`` with one place changed: a hostile value, or a key removed or added."""
    if not draw(st.booleans()):
        return value  # half the examples are valid as drawn
    path: list[str | int] = []
    node = value
    while isinstance(node, dict | list) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else list(range(len(node)))))
        path.append(key)
        node = node[key]
    action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
    copy = json.loads(json.dumps(value, allow_nan=True))
    target = copy
    for key in path[:-1]:
        target = target[key]
    if not path:
        return draw(st.sampled_from(HOSTILE)) if action == "replace" else copy
    last = path[-1]
    if action == "replace":
        target[last] = draw(st.sampled_from(HOSTILE))
    elif action == "delete":
        del target[last]
    elif isinstance(target, dict):
        target[f"x_{draw(st.integers(0, 9))}"] = draw(st.sampled_from(HOSTILE))
    return copy


def dump_yaml(data: Json) -> str:
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


# --- running ---------------------------------------------------------------------------------------------------


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


def assert_clean(result: Result, out: Path) -> None:
    """Exit 0, 1 or 2, never a traceback; on 2, nothing in the output folder."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())


def workspace() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="aireport-fuzz-")


def with_tiny(folder: Path) -> Path:
    shutil.copytree(FIXTURES / "tiny", folder / "tiny")
    return folder / "tiny" / "manifest.yaml"


# --- manifests -------------------------------------------------------------------------------------------------

MANIFESTS = from_schema(DatasetManifest.model_json_schema())
TINY_MANIFEST = YAML(typ="safe", pure=True).load((FIXTURES / "tiny" / "manifest.yaml").read_text())


@st.composite
def manifests(draw: st.DrawFn) -> Json:
    """A manifest from the schema, or the tiny one; pointed at the tiny items half the time."""
    data = draw(MANIFESTS) if draw(st.booleans()) else json.loads(json.dumps(TINY_MANIFEST, default=str))
    if draw(st.booleans()):
        data["items"] = ["items.csv"]
    return draw(mutated(data))


@FUZZ
@given(data=manifests(), as_json=st.booleans())
def test_any_manifest_gives_0_1_or_2(data: Json, as_json: bool) -> None:
    with workspace() as tmp:
        manifest = with_tiny(Path(tmp))
        if as_json:
            manifest = manifest.with_suffix(".json")
            manifest.write_text(json.dumps(data, default=str))
        else:
            manifest.write_text(dump_yaml(data))
        out = Path(tmp) / "out"
        result = run(["check", str(manifest), "--pack", TINY_PACK, "--out", str(out / "r.json"), "-q"])
        assert_clean(result, out)
        if result.exit_code != 2:
            rows = json.loads((out / "r.json").read_text())["rows"]
            assert rows["read"] == rows["evaluated"] + rows["rejected"]


# --- source inventories ----------------------------------------------------------------------------------------

SOURCES = from_schema(Source.model_json_schema())


@FUZZ
@given(
    rows=st.lists(SOURCES.flatmap(mutated), min_size=1, max_size=4), kind=st.sampled_from(["csv", "xlsx", "parquet"])
)
def test_any_source_inventory_gives_0_1_or_2(rows: list[Json], kind: str) -> None:
    with workspace() as tmp:
        manifest = with_tiny(Path(tmp))
        columns = sorted({k for r in rows if isinstance(r, dict) for k in r})
        cells = [[_cell(r.get(c)) if isinstance(r, dict) else "" for c in columns] for r in rows]
        path = manifest.parent / f"sources.{kind}"
        if kind == "csv":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows([columns, *cells])
            path.write_text(buffer.getvalue())
        elif kind == "xlsx":
            wb = Workbook()
            sheet = wb.active
            assert sheet is not None
            for row in [columns, *cells]:
                sheet.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", str(v)) for v in row])
            wb.save(path)
        else:
            pq.write_table(pa.table({c: [str(row[i]) for row in cells] for i, c in enumerate(columns)}), path)
        text = manifest.read_text()
        manifest.write_text(
            text[: text.index("sources:")] + f"sources: sources.{kind}\n" + text[text.index("items:") :]
        )
        out = Path(tmp) / "out"
        assert_clean(run(["check", str(manifest), "--pack", TINY_PACK, "--out", str(out / "r.json"), "-q"]), out)


def _cell(value: Json) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# --- item files ------------------------------------------------------------------------------------------------


def _values(name: str) -> st.SearchStrategy[Json]:
    column = next(c for c in ITEM_COLUMNS if c.name == name)
    good: st.SearchStrategy[Json]
    if column.allowed:
        good = st.sampled_from(column.allowed)
    elif column.type == "BIGINT":
        good = st.integers(0, 10**12)
    elif column.type == "DOUBLE":
        good = st.floats(0, 1e6)
    elif column.type == "BOOLEAN":
        good = st.booleans()
    elif column.type == "TIMESTAMP":
        good = st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S"))
    elif name == "source_id":
        good = st.sampled_from(["web", "books", "cc"])
    else:
        good = TEXT
    bad = st.sampled_from([None, "", -5, 2**64, float("nan"), float("inf"), "2025-02-30", "=1+1", "\x1b[2J", "maybe"])
    return st.one_of(good, good, good, bad)


ROW_COLUMNS = ["item_id", "source_id", "modality", "size_bytes", "duration_seconds", "collected_at", "robots_allowed"]


@st.composite
def item_rows(draw: st.DrawFn) -> list[dict[str, Json]]:
    count = draw(st.integers(1, 12))
    rows = [{c: draw(_values(c)) for c in ROW_COLUMNS} for _ in range(count)]
    for index, row in enumerate(rows):
        if draw(st.integers(0, 3)):
            row["item_id"] = f"i{index}"  # mostly unique ids; the rest as drawn (duplicates are an error)
    return rows


@FUZZ
@given(rows=item_rows(), kind=st.sampled_from(["csv", "jsonl", "parquet"]), allowed=st.integers(0, 12))
def test_any_item_file_gives_0_1_or_2_and_every_row_is_accounted_for(
    rows: list[dict[str, Json]], kind: str, allowed: int
) -> None:
    with workspace() as tmp:
        manifest = with_tiny(Path(tmp))
        path = manifest.parent / f"items.{kind}"
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(ROW_COLUMNS)
            writer.writerows([["" if r[c] is None else _cell(r[c]) for c in ROW_COLUMNS] for r in rows])
            path.write_text(buffer.getvalue())
        elif kind == "jsonl":
            path.write_text("".join(json.dumps(r) + "\n" for r in rows))  # NaN and Infinity as Python writes them
        else:
            pq.write_table(
                pa.table({c: [None if r[c] is None else str(r[c]) for r in rows] for c in ROW_COLUMNS}), path
            )
        manifest.write_text(manifest.read_text().replace("items: [items.csv]", f"items: [items.{kind}]"))
        out = Path(tmp) / "out"
        result = run(
            [
                "check",
                str(manifest),
                "--pack",
                TINY_PACK,
                "--max-rejected-rows",
                str(allowed),
                "--out",
                str(out / "r.json"),
                "-q",
            ]
        )
        assert_clean(result, out)
        if result.exit_code != 2:
            accounted = json.loads((out / "r.json").read_text())["rows"]
            assert accounted["read"] == accounted["evaluated"] + accounted["rejected"]
            assert accounted["read"] == len(rows)
            assert accounted["rejected"] <= allowed
            assert len(accounted["rejected_rows"]) == min(accounted["rejected"], 100)


# --- rule packs ------------------------------------------------------------------------------------------------


@st.composite
def leaves(draw: st.DrawFn) -> Json:
    """A leaf in the YAML shape a pack writes, mostly well-formed: a known field and an operator for it."""
    field = draw(st.sampled_from(sorted(FIELDS[Scope.ITEM])))
    info = FIELDS[Scope.ITEM][field]
    fitting = sorted(name for name, spec in OPERATORS.items() if info.type in spec.field_types) or sorted(OPERATORS)
    op = draw(st.sampled_from(fitting))
    spec = OPERATORS[op]
    if spec.arity == "unary":
        return {op: field}
    value: Json = {
        "list": st.lists(st.sampled_from(list(info.allowed or ("a", "b"))), min_size=1, max_size=2),
        "pattern": st.sampled_from(["^a", "(?<=x)y", "[a-", "a{2,3}"]),
        "date": st.dates().map(lambda d: d.isoformat()),
        "number": st.integers(-5, 5),
        "licence_terms": st.just(["commercial_use"]),
    }.get(spec.value, st.sampled_from([*list(info.allowed or ("x",)), True, 1]))
    return {"field": field, op: draw(value) if isinstance(value, st.SearchStrategy) else value}


CONDITIONS = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda c: {"all": c}),
        st.lists(inner, min_size=1, max_size=3).map(lambda c: {"any": c}),
        inner.map(lambda c: {"not": c}),
    ),
    max_leaves=6,
)
RULES = from_schema(Rule.model_json_schema(), overrides={"Leaf": leaves()})


@st.composite
def rule_files(draw: st.DrawFn) -> Json:
    rule = draw(RULES)
    rule.update(id="T-FUZZ", scope="item", condition=draw(CONDITIONS))
    rule.pop("implementation", None)
    if "applies_if" in rule and draw(st.booleans()):
        rule["applies_if"] = draw(CONDITIONS)
    return draw(mutated(rule))


@FUZZ
@given(rule=rule_files())
def test_any_rule_file_gives_0_1_or_2(rule: Json) -> None:
    with workspace() as tmp:
        manifest = with_tiny(Path(tmp))
        pack = Path(tmp) / "pack"
        shutil.copytree(TINY_PACK, pack)
        (pack / "T-FUZZ.yaml").write_text(dump_yaml(rule))
        out = Path(tmp) / "out"
        assert_clean(run(["check", str(manifest), "--pack", str(pack), "--out", str(out / "r.json"), "-q"]), out)


# --- saved JSON documents ----------------------------------------------------------------------------------------

DOCUMENTS = from_schema(FindingsDocument.model_json_schema())


def _serialised(doc: Json, draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    text = json.dumps(doc, allow_nan=True, ensure_ascii=False)
    trick = draw(st.sampled_from(["none", "duplicate", "deep", "digits"]))
    if trick == "duplicate" and text.startswith("{") and len(text) > 2:
        return '{"document": "findings", ' + text[1:]
    if trick == "deep":
        return text[:-1] + ', "x": ' + "[" * 500 + "]" * 500 + "}" if text.endswith("}") else text
    if trick == "digits":
        return text.replace('"schema_version": "1.0"', '"schema_version": ' + "9" * 5000, 1)
    return text


@FUZZ
@given(doc=DOCUMENTS.flatmap(mutated), data=st.data())
def test_any_saved_document_gives_0_or_2(doc: Json, data: st.DataObject) -> None:
    with workspace() as tmp:
        path = Path(tmp) / "findings.json"
        path.write_text(_serialised(doc, data.draw))
        out = Path(tmp) / "out"
        result = run(["render", str(path), "--format", "html", "--out", str(out)])
        assert_clean(result, out)
        assert result.exit_code in (0, 2)


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(source=SOURCES, manifest=MANIFESTS, document=DOCUMENTS)
def test_the_schema_strategy_draws_valid_models(source: Json, manifest: Json, document: Json) -> None:
    """The strategy itself: unmutated draws are valid by the schema they come from, so the mutations start
    from valid inputs. The models may still refuse a draw, but only by a rule across fields that a JSON
    Schema cannot state (qualified above sample_size, start after end): a model validator's value_error."""
    for model, value in ((Source, source), (DatasetManifest, manifest), (FindingsDocument, document)):
        Draft202012Validator(model.model_json_schema()).validate(value)
        assert _refusals(model, value) <= {"value_error"}


def _refusals(model: type[BaseModel], value: Json) -> set[str]:
    """The kinds of error pydantic gives for ``value`` (none when it validates)."""
    try:
        model.model_validate(value)
    except ValidationError as exc:
        return {e["type"] for e in exc.errors()}
    return set()
