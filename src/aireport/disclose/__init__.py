"""Disclose layer: pure functions from a dataset and an evaluation result to document models."""
