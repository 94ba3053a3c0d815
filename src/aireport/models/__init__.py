"""Pydantic models, no I/O: provenance inputs, rule packs, evaluation results."""
