"""The small tables the engine joins against: sources, dataset (one row per model), licence terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from aireport.engine.backend import Backend
from aireport.models.fields import FIELDS, FieldInfo
from aireport.models.licences import LicenceResolution
from aireport.models.provenance import CnAcquisition, DatasetManifest, EuCategory, Source
from aireport.models.rules import LICENCE_TERMS, Scope

SOURCES_TABLE = "aireport_sources"
DATASET_TABLE = "aireport_dataset"
ITEM_LICENCES_TABLE = "aireport_item_licences"
LICENCE_COLUMNS = (*LICENCE_TERMS, "known")


class LicenceResolver(Protocol):
    """What the engine needs from the load layer's licence table."""

    def resolve(self, expression: str | None) -> LicenceResolution: ...


def licence_values(resolver: LicenceResolver, expression: str | None) -> list[bool | None]:
    """One row of licence columns: each term True, False or None (unknown), then ``known``.

    A term is decided by what is known (a licence that forbids commercial use fails it, whatever
    else the expression names); ``known`` says the whole expression parsed and every licence in it
    has an entry, so that ``licence_known`` stays the strict test.
    """
    resolution = resolver.resolve(expression)
    terms = resolution.terms
    if terms is None:
        return [None] * len(LICENCE_TERMS) + [False]
    values: list[bool | None] = [getattr(terms, t) for t in LICENCE_TERMS]
    return [*values, resolution.known]


def licence_problems(resolver: LicenceResolver, values: Iterable[str | None]) -> dict[str, str]:
    """Of these licence strings, each that does not parse after the alias table, with the reason.

    Blank values are left out (no licence recorded is a rule's missing evidence, not a bad value),
    and so are expressions that parse but name a licence without known terms (NOASSERTION, an
    undeclared LicenseRef-*): those stay unknown operands of the resolution. The caller passes the
    distinct values it has (``SELECT DISTINCT license``) and locates each bad one in its file.
    """
    problems: dict[str, str] = {}
    for value in values:
        if value is None or not value.strip() or value in problems:
            continue
        error = resolver.resolve(value).error
        if error is not None:
            problems[value] = error
    return problems


def _create(
    con: Backend,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[Any]],
) -> None:
    con.create_table(table, columns, rows)


def _value(info: FieldInfo, raw: Any) -> Any:
    if raw is None:
        return None
    if info.type == "VARCHAR[]":
        return [str(v.value if hasattr(v, "value") else v) for v in raw]
    if hasattr(raw, "value"):  # enums
        return raw.value
    if info.type == "VARCHAR" and not isinstance(raw, str):
        return str(raw)
    return raw


def create_sources_table(con: Backend, sources: Sequence[Source], licences: LicenceResolver) -> None:
    fields = list(FIELDS[Scope.SOURCE].values())
    columns = [(f.name, f.type) for f in fields] + [(f"license.{t}", "BOOLEAN") for t in LICENCE_COLUMNS]
    rows = []
    for source in sources:
        record = source.model_dump()
        rate = (
            source.safety_sample_flagged / source.safety_sample_size
            if source.safety_sample_size and source.safety_sample_flagged is not None
            else None
        )
        record["safety_sample_rate"] = rate
        rows.append([_value(f, record.get(f.name)) for f in fields] + licence_values(licences, source.license))
    _create(con, SOURCES_TABLE, columns, rows)


def create_dataset_table(con: Backend, manifest: DatasetManifest, sources: Sequence[Source]) -> None:
    """One row per model; the ``sources.*`` counts are of the sources used in training, the same sources the
    documents describe (a source marked not used in training is no answer to "was this kind of data used")."""
    fields = list(FIELDS[Scope.DATASET].values())
    sources = [s for s in sources if s.used_in_training]
    derived: dict[str, Any] = {"sources.count": len(sources)}
    for cat in EuCategory:
        derived[f"sources.{cat.value}"] = sum(1 for s in sources if s.eu_category is cat)
    for acq in CnAcquisition:
        derived[f"sources.cn_{acq.value}"] = sum(1 for s in sources if s.cn_acquisition is acq)
    sections = {
        "provider": manifest.provider.model_dump(),
        "summary": manifest.summary.model_dump(),
        "attestations": manifest.attestations.model_dump(),
        "service": manifest.service.model_dump(),
    }
    rows = []
    for model in manifest.models:
        sections["model"] = model.model_dump()
        row = []
        for f in fields:
            head, _, tail = f.name.partition(".")
            raw = derived[f.name] if f.name in derived else sections[head].get(tail)
            row.append(_value(f, raw))
        rows.append(row)
    _create(con, DATASET_TABLE, [(f.name, f.type) for f in fields], rows)


def create_item_licence_table(con: Backend, expressions: Iterable[str | None], licences: LicenceResolver) -> None:
    columns = [("license", "VARCHAR")] + [(t, "BOOLEAN") for t in LICENCE_COLUMNS]
    rows = [[expr, *licence_values(licences, expr)] for expr in expressions if expr is not None]
    _create(con, ITEM_LICENCES_TABLE, columns, rows)
