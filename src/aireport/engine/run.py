"""The whole check in one call: load every input, evaluate every selected pack."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aireport.engine.evaluate import EngineConfig, EvaluationInputs, ProgressFn, evaluate
from aireport.load.items import open_item_scan
from aireport.load.licences import load_licence_table
from aireport.load.manifest import load_manifest
from aireport.load.rulepack import load_packs
from aireport.models.results import EvaluationResult
from aireport.resources import data_dir


def check_dataset(
    manifest_path: Path,
    pack_names: Sequence[str],
    config: EngineConfig,
    document_date: str,
    progress: ProgressFn | None = None,
) -> EvaluationResult:
    packs = load_packs(pack_names)  # packs first: a broken pack should not wait for a long scan
    loaded = load_manifest(manifest_path)
    licence_file = data_dir("rules") / "licences.yaml"
    licences = load_licence_table(licence_file, loaded.manifest.licences, declared_in=str(manifest_path))
    items = open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display)
    inputs = EvaluationInputs(
        loaded=loaded,
        packs=packs,
        items=items,
        licences=licences,
        licence_file=licence_file,
        document_date=document_date,
    )
    return evaluate(inputs, config, progress)
