"""A run: every loaded input together with the evaluation result, as the builders and checks read it.

The pipeline (``aireport.pipeline``) loads each input once and evaluates it once; everything downstream
(the built-in checks, every document) reads this object, so no command loads the manifest twice and no
builder opens a file. Models only: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from aireport.models.provenance import DatasetManifest, Source
from aireport.models.results import EvaluationResult, RejectedRow
from aireport.models.rules import RulePack

if TYPE_CHECKING:  # the jurisdictions' models load only when a run uses them
    from aireport.models.cn.profile import CnReference, Profile
    from aireport.models.cn.sample import DrawnSample, ReviewResult
    from aireport.models.cn.statements import CnStatements
    from aireport.models.eu.summary import EuSummaryDocument
    from aireport.models.register import ProblemCatalogue
    from aireport.models.resolutions import Resolutions

DEFAULT_LARGE_THRESHOLD: Final = Decimal("0.03")
"""EU Summary 2.1 (c): a public dataset is "large" above 3% of its modality's public data [S]."""


@dataclass(frozen=True)
class PreviousSummary:
    """The previous version of the EU Summary, and the SHA-256 of its JSON file."""

    document: EuSummaryDocument
    sha256: str


@dataclass(frozen=True)
class CnContext:
    """What the Chinese assessment reads beyond the provenance: the profile in force, review and statements."""

    reference: CnReference
    profile: Profile  # with any --param overrides applied
    default_profile: Profile  # as shipped, to show what was overridden
    assessment_date: dt.date
    review: ReviewResult | None = None
    statements: CnStatements | None = None
    purpose: str = "filing"  # filing: made for the generative AI service filing; review: an internal review


@dataclass
class CacheStats:
    """What a run did with ``--cache``: the item files it scanned and those it took from the cache (shown
    names). Not part of the result: a run from the cache gives the same result as one without."""

    scanned: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    hashed: list[str] = field(default_factory=list)  # files whose digest was computed (new or changed stat)
    rejected: list[str] = field(default_factory=list)  # entries that did not verify and were recomputed


@dataclass(frozen=True)
class Run:
    """The loaded inputs of one evaluation and its result (built-in checks included)."""

    manifest: DatasetManifest
    sources: tuple[Source, ...]
    packs: tuple[RulePack, ...]
    result: EvaluationResult
    previous_summary: PreviousSummary | None = None
    large_threshold: Decimal = DEFAULT_LARGE_THRESHOLD
    cn: CnContext | None = None
    sample: DrawnSample | None = None
    resolutions: Resolutions | None = None  # the waivers of --resolutions, as applied (or switched off)
    problems: ProblemCatalogue | None = None  # the issue register's grouping (rules/problems.yaml)
    rejected_rows: tuple[RejectedRow, ...] = ()  # every row accepted as rejected; the result lists the first 100
    cache: CacheStats | None = None  # with --cache

    def pack(self, pack_id: str) -> RulePack | None:
        return next((p for p in self.packs if p.manifest.id == pack_id), None)
