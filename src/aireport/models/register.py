"""The issue register: findings grouped into problems (``rules/problems.yaml``). Pydantic only, no I/O."""

from __future__ import annotations

from pydantic import Field

from aireport.models.base import Bilingual, Strict


class ProblemDef(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Bilingual
    findings: list[str] = Field(min_length=1, description="Finding ids (rules and checks of any pack).")


class ProblemCatalogue(Strict):
    problems: list[ProblemDef]

    def of(self, rule_id: str) -> ProblemDef | None:
        return next((p for p in self.problems if rule_id in p.findings), None)
