"""The issue register's grouping of findings into problems: ``rules/problems.yaml``, shipped with the packs."""

from __future__ import annotations

from aireport.load.yamlfile import load_model
from aireport.models.register import ProblemCatalogue
from aireport.resources import data_dir


def load_problems() -> ProblemCatalogue:
    path = data_dir("rules") / "problems.yaml"
    return load_model(ProblemCatalogue, path, "aireport:rules/problems.yaml")
