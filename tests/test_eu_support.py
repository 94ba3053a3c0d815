"""Small hand-made datasets for the EU tests: a manifest with inline sources and a CSV item manifest.

``good_manifest()`` is a dataset every eu-ai-act rule passes on (tests/test_eu_rules.py checks it); a test
changes one thing and computes by hand what must follow. No test lives here.
"""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from aireport.disclose.eu.summary import build_eu_summary
from aireport.engine.config import EngineConfig
from aireport.models.eu.summary import EuSummaryDocument
from aireport.models.results import EvaluationResult
from aireport.models.run import DEFAULT_LARGE_THRESHOLD, PreviousSummary, Run
from aireport.pipeline import RunRequest, check_dataset, run, with_checks

DATE = "2026-03-01"

ITEM_COLUMNS = (
    "item_id",
    "source_id",
    "modality",
    "url",
    "domain",
    "size_bytes",
    "size_tokens",
    "duration_seconds",
    "collected_at",
    "language",
    "robots_allowed",
    "tdm_reserved",
    "license",
    "used_in_training",
    "safety_label",
)

ANNEX = {
    "curation_methods": ["deduplication", "quality filter"],
    "selection_method": "All records that pass the quality filter",
    "unsuitability_detection": "Keyword filter and classifier for illegal content",
    "bias_detection": "Language and region mix compared with the target population",
    "splits": ["training"],
}


def _source(source_id: str, category: str, modality: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "name": f"Source {source_id}",
        "eu_category": category,
        "modality": modality,
        "content_types": [f"{source_id} content"],
        "description": f"What {source_id} holds",
        "languages": ["en"],
        "collection_start": "2024-01-01",
        "collection_end": "2025-01-31",
        **ANNEX,
        **extra,
    }


def good_sources() -> list[dict[str, Any]]:
    return [
        _source(
            "pub",
            "public_dataset",
            "text",
            url="https://data.example/pub",
            version="1.0",
            license="CC-BY-4.0",
            optout_evidence="Curators filtered reserved pages",
        ),
        _source(
            "lic",
            "licensed",
            "image",
            license="LicenseRef-Good",
            agreement="contract 1",
            optout_evidence="Licensed by the rightsholder",
        ),
        _source(
            "crawl",
            "crawled",
            "text",
            crawler_name="GoodBot",
            crawler_user_agent="GoodBot/1.0",
            crawler_purpose="Collect text for training",
            crawler_behaviour="Obeys robots.txt and TDMRep",
            optout_protocols=["robots.txt", "TDMRep"],
            crawler_circumvents_paywalls=False,
            crawler_circumvents_captchas=False,
            crawler_uses_logins=False,
        ),
        _source(
            "syn",
            "synthetic",
            "text",
            generator_model="Gen 1",
            generator_on_eu_market=True,
            generator_summary_url="https://gen.example/summary",
        ),
        _source("usr", "user_other_services", "image", service_description="Photo app uploads"),
    ]


def good_manifest(sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "dataset": "good corpus",
        "provider": {
            "legal_name": "Good AI SE",
            "contact": "transparency@good.example",
            "established_in_eu": True,
            "is_sme": False,
        },
        "models": [
            {
                "name": "Good",
                "version": "1",
                "eu_placement_date": "2025-09-01",
                "training_flop": 1e24,
                "url": "https://good.example/model",
            }
        ],
        "summary": {
            "version": "2.0",
            "last_update": "2026-01-15",
            "previous_versions": ["https://good.example/summary/1.0"],
            "url": "https://good.example/summary/2.0",
        },
        "attestations": {
            "cop_signatory": "yes",
            "copyright_policy": "Good copyright policy",
            "copyright_policy_owner": "General Counsel",
            "copyright_policy_date": "2025-06-01",
            "tdm_optout_measures": "GoodBot follows robots.txt (RFC 9309) and TDMRep.",
            "illegal_content_measures": "Blocklists and classifiers.",
            "no_tpm_circumvention": "yes",
            "piracy_denylist": "Denylist 2025",
            "complaint_channel": "https://good.example/complaints",
            "continuous_training": "no",
            "aup_prohibits_infringement": "yes",
            "used_public_datasets": "yes",
            "used_licensed_data": "yes",
            "used_third_party_private_data": "no",
            "used_crawlers": "yes",
            "used_user_model_data": "no",
            "used_user_service_data": "yes",
            "used_synthetic_data": "yes",
            "used_other_sources": "no",
        },
        "sources": good_sources() if sources is None else sources,
        "items": ["items.csv"],
        "licences": {
            "LicenseRef-Good": {"commercial_use": True, "ai_training": True, "redistribution": False},
        },
    }


def item(item_id: str, source_id: str, **values: Any) -> dict[str, Any]:
    return {"item_id": item_id, "source_id": source_id, **values}


def good_items() -> list[dict[str, Any]]:
    """Two items per source, every figure a round number (sums worked out in the tests)."""
    rows = []
    for sid, modality, lic in (
        ("pub", "text", "CC-BY-4.0"),
        ("lic", "image", "LicenseRef-Good"),
        ("crawl", "text", None),
        ("syn", "text", None),
        ("usr", "image", None),
    ):
        for k in (1, 2):
            row = item(
                f"{sid}-{k}",
                sid,
                modality=modality,
                size_bytes=1000 * k,
                size_tokens=100 * k if modality == "text" else None,
                collected_at=f"2025-01-{10 + k} 12:00:00",
                language="en",
                license=lic,
                used_in_training=True,
                safety_label="pass",
            )
            if sid == "crawl":
                row |= {
                    "url": f"https://www.site{k}.example.com/page",
                    "domain": f"www.site{k}.example.com",
                    "robots_allowed": True,
                    "tdm_reserved": False,
                }
            rows.append(row)
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_dataset(
    folder: Path,
    manifest: Mapping[str, Any],
    items: Iterable[Mapping[str, Any]],
    columns: tuple[str, ...] = ITEM_COLUMNS,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "items.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in items:
            writer.writerow([_cell(row.get(c)) for c in columns])
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return path


def evaluate(path: Path, date: str = DATE) -> EvaluationResult:
    return check_dataset(path, ["eu-ai-act"], EngineConfig(threads=1), date)


def run_of(
    path: Path,
    date: str = DATE,
    threshold: Decimal = DEFAULT_LARGE_THRESHOLD,
    previous: tuple[EuSummaryDocument, str] | None = None,
) -> Run:
    """The eu-ai-act pack over a dataset through the pipeline, as ``aireport report`` runs it."""
    request = RunRequest(
        manifest=path,
        packs=("eu-ai-act",),
        document_date=date,
        engine=EngineConfig(threads=1),
        large_threshold=threshold,
    )
    done = run(request)
    if previous is not None:  # a previous version changes the checks that read it
        done = with_checks(replace(done, previous_summary=PreviousSummary(*previous)))
    return done


def summary_of(
    folder: Path,
    manifest: Mapping[str, Any] | None = None,
    items: Iterable[Mapping[str, Any]] | None = None,
    date: str = DATE,
    **kwargs: Any,
) -> EuSummaryDocument:
    threshold = kwargs.pop("threshold", DEFAULT_LARGE_THRESHOLD)
    columns = kwargs.pop("columns", ITEM_COLUMNS)
    previous = kwargs.pop("previous", None)
    path = write_dataset(
        folder,
        good_manifest() if manifest is None else manifest,
        good_items() if items is None else items,
        columns,
    )
    return build_eu_summary(run_of(path, date, threshold, previous), **kwargs)


def variant(change: Any) -> dict[str, Any]:
    """A deep copy of the good manifest with ``change(manifest)`` applied."""
    manifest = copy.deepcopy(good_manifest())
    change(manifest)
    return manifest


def source_in(manifest: dict[str, Any], source_id: str) -> dict[str, Any]:
    return next(s for s in manifest["sources"] if s["source_id"] == source_id)


def check(doc: Any, check_id: str) -> Any:
    return next(c for c in doc.checks if c.check_id == check_id)
