"""Waivers and resolutions: recorded decisions to accept a failing finding for a while (as ORT resolves rule
violations). Pydantic only, no I/O; ``aireport.load.resolutions`` reads the file and checks it against the
packs and the inventory, ``aireport.disclose.resolutions`` applies it to a run.

A resolution names one finding (a rule or built-in check id), what it covers (the whole finding, or some
sources and items), why, who approved it, when, and until when. It never hides anything: an applied resolution
is shown beside its finding and counted; an expired one no longer applies and is itself a finding, and so is
one that covers nothing that fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from aireport.models.base import Bilingual, Strict


class ResolutionScope(Strict):
    """What a resolution covers. Empty: the whole finding."""

    sources: list[str] = Field(
        default_factory=list, description="Source ids: the finding may fail only on these sources."
    )
    items: list[str] = Field(
        default_factory=list,
        description="Item ids: the finding may fail on no more items than these, and every failing item it "
        "records must be among them.",
    )


class Resolution(Strict):
    finding: str = Field(
        min_length=1,
        pattern=r"^([a-z][a-z0-9-]*/)?[A-Z][A-Z0-9]*(-[A-Z0-9.]+)+$",
        description="The finding's id (EU-CONS-ROBOTS), or pack/id where two packs use it.",
    )
    scope: ResolutionScope = Field(default_factory=ResolutionScope)
    reason: str = Field(min_length=1, description="Why the finding is accepted.")
    approved_by: str = Field(min_length=1, description="Who approved it (name and role).")
    date: dt.date = Field(description="When it was approved, YYYY-MM-DD.")
    expires: dt.date = Field(description="The last day it applies, YYYY-MM-DD.")

    @model_validator(mode="after")
    def _dates(self) -> Resolution:
        if self.expires < self.date:
            raise ValueError(f"expires {self.expires} is before date {self.date}")
        return self

    @property
    def rule_id(self) -> str:
        return self.finding.rsplit("/", 1)[-1]

    @property
    def pack(self) -> str | None:
        return self.finding.split("/", 1)[0] if "/" in self.finding else None

    def scope_text(self) -> Bilingual:
        """What the waiver covers, in words, for the documents."""
        en, zh = [], []
        if self.scope.sources:
            en.append("sources " + ", ".join(self.scope.sources))
            zh.append("来源 " + "、".join(self.scope.sources))
        if self.scope.items:
            en.append(f"{len(self.scope.items):,} items")
            zh.append(f"{len(self.scope.items):,} 个条目")
        return Bilingual(en="; ".join(en) or "the whole finding", zh="；".join(zh) or "整个检查发现")


class ResolutionsFile(Strict):
    schema_version: Literal[1] = 1
    resolutions: list[Resolution] = Field(min_length=1)


ResolutionStatus = Literal["applied", "expired", "unused", "not_yet_valid", "switched_off"]


class ResolutionUse(Strict):
    """What became of one resolution in a run."""

    index: int = Field(ge=1, description="Position in the file, from 1.")
    resolution: Resolution
    status: ResolutionStatus = Field(
        description="applied: it covers a failing finding; expired: past its expiry date; unused: it covers no "
        "failing finding; not_yet_valid: approved after the document date; switched_off: --no-resolutions."
    )
    finding: str | None = Field(None, description="pack/id of the finding it was applied to.")
    why_en: str = Field(description="Why it has this status, in English.")
    why_zh: str = Field(description="The same in Chinese.")


class Resolutions(Strict):
    """A resolutions file as a run used it."""

    file: str = Field(description="The file, as the command line named it.")
    enabled: bool = Field(description="False with --no-resolutions: a full audit, nothing waived.")
    uses: list[ResolutionUse]
