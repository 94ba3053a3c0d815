"""Loaders of the Chinese self-assessment's inputs: reference data, reviewed samples, signed statements."""
