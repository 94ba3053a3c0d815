"""Internal consistency of a received document: the counts and fractions it states must agree with each other.

A document can match its schema and still contradict itself (an edited total, a percentage copied from another
version). These checks recompute what a document derives from its own figures, wherever a figure appears:

* rows read = rows evaluated + rows rejected, and the rejections per reason add up;
* passed + failed + unknown = applicable, and failing_percent = failed / applicable x 100 (4 decimals);
* findings: the summary's totals are the column sums of its severity rows, each total counts its list, and
  each finding sits in the list of its outcome;
* the EU Summary's domain list: ranks 1..n, ``listed`` domains, ``listed_bytes`` their sum, no more bytes listed
  than crawled; its count of EU official languages.

Pure functions of the JSON value; each problem names the path of the figure that disagrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aireport.errors import Problem

_COUNTS = ("failed", "not_evaluable", "passed", "not_applicable")
_LISTS = {
    "rules_failing": "fail",
    "rules_missing_evidence": "not_evaluable",
    "rules_passing": "pass",
    "rules_not_applicable": "not_applicable",
}
_TOTAL_OF = {"rules_failing": "failed", "rules_missing_evidence": "not_evaluable", "rules_passing": "passed"}


def _objects(value: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _objects(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _objects(item, f"{path}[{i}]")


def _ints(obj: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(obj.get(k), int) and not isinstance(obj.get(k), bool) for k in keys)


def _percent(part: int, whole: int) -> float:
    if whole <= 0:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN))


def _generic(path: str, obj: dict[str, Any], file: str) -> Iterator[Problem]:
    if _ints(obj, "read", "evaluated", "rejected") and obj["read"] != obj["evaluated"] + obj["rejected"]:
        yield Problem(
            file, f"read {obj['read']} != evaluated {obj['evaluated']} + rejected {obj['rejected']}", field=path
        )
    reasons = obj.get("rejected_by_reason")
    if _ints(obj, "rejected") and isinstance(reasons, list):
        total = sum(r.get("rows", 0) for r in reasons if isinstance(r, dict))
        if total != obj["rejected"]:
            yield Problem(file, f"rejected {obj['rejected']} != {total}, the sum per reason", field=path)
    if _ints(obj, "applicable", "passed", "failed", "unknown"):
        parts = obj["passed"] + obj["failed"] + obj["unknown"]
        if parts != obj["applicable"]:
            yield Problem(
                file,
                f"passed {obj['passed']} + failed {obj['failed']} + unknown {obj['unknown']} = {parts}, "
                f"not applicable {obj['applicable']}",
                field=path,
            )
    if _ints(obj, "failed", "applicable") and isinstance(obj.get("failing_percent"), int | float):
        expected = _percent(obj["failed"], obj["applicable"])
        if abs(obj["failing_percent"] - expected) > 5e-5:
            yield Problem(
                file,
                f"failing_percent {obj['failing_percent']} is not failed / applicable x 100 = {expected}",
                field=f"{path}.failing_percent",
            )


def _findings(doc: dict[str, Any], file: str) -> Iterator[Problem]:
    summary = doc.get("summary") or {}
    rows = summary.get("by_severity") or []
    totals = summary.get("totals") or {}
    for key in (*_COUNTS, "total"):
        column = sum(r.get(key, 0) for r in rows)
        if totals.get(key) != column:
            yield Problem(
                file, f"{key} {totals.get(key)} != {column}, the sum over severities", field=f"$.summary.totals.{key}"
            )
    for row_path, row in [
        ("$.summary.totals", totals),
        *((f"$.summary.by_severity[{i}]", r) for i, r in enumerate(rows)),
    ]:
        if _ints(row, *_COUNTS, "total") and row["total"] != sum(row[k] for k in _COUNTS):
            yield Problem(file, f"total {row['total']} != the sum of its outcomes", field=f"{row_path}.total")
    for name, outcome in _LISTS.items():
        items = doc.get(name) or []
        count_key = _TOTAL_OF.get(name, "not_applicable")
        if totals.get(count_key) != len(items):
            yield Problem(
                file, f"{len(items)} findings, but totals.{count_key} is {totals.get(count_key)}", field=f"$.{name}"
            )
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("outcome") != outcome:
                yield Problem(file, f"outcome {item.get('outcome')!r} in the list of {outcome}", field=f"$.{name}[{i}]")


def _summary(doc: dict[str, Any], file: str) -> Iterator[Problem]:
    domains = (((doc.get("sources") or {}).get("crawled") or {}).get("domains")) or {}
    entries = domains.get("domains") or []
    where = "$.sources.crawled.domains"
    if [e.get("rank") for e in entries] != list(range(1, len(entries) + 1)):
        yield Problem(file, "ranks are not 1, 2, ... in order", field=f"{where}.domains")
    if domains.get("listed") is not None and domains["listed"] != len(entries):
        yield Problem(file, f"listed {domains['listed']} but {len(entries)} domains", field=f"{where}.listed")
    listed_bytes = sum(e.get("bytes", 0) for e in entries)
    if domains.get("listed_bytes") is not None and domains["listed_bytes"] != listed_bytes:
        yield Problem(
            file, f"listed_bytes {domains['listed_bytes']} != {listed_bytes}, their sum", field=f"{where}.listed_bytes"
        )
    if _ints(domains, "listed_bytes", "total_bytes") and domains["listed_bytes"] > domains["total_bytes"]:
        yield Problem(file, "more bytes listed than crawled", field=f"{where}.total_bytes")
    languages = ((doc.get("general") or {}).get("languages")) or {}
    if "eu_official" in languages and languages.get("eu_official_count") != len(languages["eu_official"]):
        yield Problem(file, "eu_official_count is not the number of eu_official tags", field="$.general.languages")


def consistency_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    """Every figure of ``doc`` that disagrees with the others (empty when the document is consistent)."""
    problems = [p for path, obj in _objects(doc) for p in _generic(path, obj, file)]
    if doc.get("document") == "findings":
        problems += _findings(doc, file)
    if doc.get("document") == "eu-training-summary":
        problems += _summary(doc, file)
    return problems
