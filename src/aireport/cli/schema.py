"""``aireport schema``: the JSON Schema of every input and output format, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from aireport.cli.common import reports_errors
from aireport.models.cn.assessment import CnAssessmentDocument, CnCorpusSummary
from aireport.models.documents import DOCUMENT_MODELS
from aireport.models.provenance import ITEM_COLUMNS, DatasetManifest, Source
from aireport.models.results import EvaluationResult
from aireport.models.rules import PackManifest, Rule
from aireport.render.document_json import document_schema
from aireport.render.output import write_atomic

_JSON_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "integer",
    "DOUBLE": "number",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "string",
}


def item_row_schema() -> dict[str, Any]:
    """The item-manifest column contract as the schema of one row (a JSONL line, a Parquet row)."""
    properties: dict[str, Any] = {}
    for column in ITEM_COLUMNS:
        prop: dict[str, Any] = {
            "type": [_JSON_TYPES[column.type], "null"],
            "description": column.description,
        }
        if column.type == "TIMESTAMP":
            prop["format"] = "date-time"
        if column.allowed:
            prop["enum"] = [*column.allowed, None]
        if column.required:
            prop["type"] = _JSON_TYPES[column.type]
            prop["minLength"] = 1
        properties[column.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "aireport item manifest row",
        "type": "object",
        "properties": properties,
        "required": [c.name for c in ITEM_COLUMNS if c.required],
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    schemas = {
        "dataset-manifest": DatasetManifest.model_json_schema(),
        "source-inventory-row": Source.model_json_schema(),
        "item-manifest-row": item_row_schema(),
        "rule": Rule.model_json_schema(),
        "rule-pack": PackManifest.model_json_schema(),
        "evaluation-result": EvaluationResult.model_json_schema(mode="serialization"),
        # The documents: a regulator or a CI job can check a received JSON document without aireport.
        **{f"document-{name}": document_schema(name) for name in DOCUMENT_MODELS},
        "document-cn-assessment": CnAssessmentDocument.model_json_schema(mode="serialization"),
        "document-cn-corpus-summary": CnCorpusSummary.model_json_schema(mode="serialization"),
    }
    for name, schema in schemas.items():
        schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        schema.setdefault("$id", f"https://aireport.dev/schema/{name}.json")
    return schemas


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
)
def schema(out: Path) -> None:
    """Write the JSON Schema of each input and output format into OUT."""

    @reports_errors
    def write() -> None:
        for name, document in all_schemas().items():
            path = out / f"{name}.schema.json"
            write_atomic(
                path,
                (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(),
            )
            click.echo(str(path))

    write()
