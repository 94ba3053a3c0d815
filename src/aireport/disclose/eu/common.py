"""What the EU documents share: the inputs of a build, measure look-ups, modality and category mapping, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from aireport.errors import InputError, Problem
from aireport.models.doc_parts import InputRow, PackRow
from aireport.models.eu.summary import (
    Answer,
    Check,
    DateFact,
    Fact,
    RowAccount,
    TemplateModality,
    Traceability,
)
from aireport.models.provenance import DatasetManifest, EuCategory, Modality, Source, Tri
from aireport.models.results import INPUT_ROLES, EvaluationResult, MeasureResult, Outcome, Provenance
from aireport.models.run import DEFAULT_LARGE_THRESHOLD, Run

EU_PACK: Final = "eu-ai-act"


SECTION_OF: Final[dict[EuCategory, str]] = {
    EuCategory.PUBLIC_DATASET: "2.1",
    EuCategory.LICENSED: "2.2.1",
    EuCategory.THIRD_PARTY_PRIVATE: "2.2.2",
    EuCategory.CRAWLED: "2.3",
    EuCategory.USER_MODEL_INTERACTIONS: "2.4 (a)",
    EuCategory.USER_OTHER_SERVICES: "2.4 (b)",
    EuCategory.SYNTHETIC: "2.5",
    EuCategory.OTHER: "2.6",
}

MODALITY_ORDER: Final = tuple(TemplateModality)
MODALITY_ZH: Final = {"text": "文本", "image": "图像", "audio": "音频", "video": "视频", "other": "其他"}


@dataclass(frozen=True)
class EuInputs:
    """Everything an EU document is built from: the evaluation result and the provenance it evaluated."""

    result: EvaluationResult
    manifest: DatasetManifest
    sources: tuple[Source, ...]
    large_threshold: Decimal = DEFAULT_LARGE_THRESHOLD
    _measures: dict[str, MeasureResult] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for m in self.result.measures:
            if m.pack == EU_PACK:
                self._measures.setdefault(m.measure_id, m)

    @property
    def used(self) -> tuple[Source, ...]:
        """Sources used in training, in inventory order: the Summary covers these only."""
        return tuple(s for s in self.sources if s.used_in_training)

    def measure(self, measure_id: str) -> MeasureResult | None:
        """The eu-ai-act measure, or None when the pack was not evaluated or evidence is missing."""
        m = self._measures.get(measure_id)
        return m if m is not None and m.provenance is Provenance.MEASURED else None

    def per_source(self, measure_id: str) -> dict[str, dict[str | None, Any]] | None:
        """source id -> group (None for ungrouped measures or empty groups) -> value."""
        m = self.measure(measure_id)
        if m is None:
            return None
        out: dict[str, dict[str | None, Any]] = {}
        for v in m.values:
            if v.source_id is not None:
                out.setdefault(v.source_id, {})[v.group] = v.value
        return out


def template_modality(source: Source, item_modality: str | None = None) -> TemplateModality:
    """Code is text for the template; audio that is a video's sound track is video (template 1.3, audio footnote)."""
    value = item_modality or source.modality.value
    if value == Modality.CODE.value:
        return TemplateModality.TEXT
    if value == Modality.AUDIO.value and source.audio_is_video_track:
        return TemplateModality.VIDEO
    return TemplateModality(value)


def ordered(modalities: Iterable[TemplateModality]) -> list[TemplateModality]:
    present = set(modalities)
    return [m for m in MODALITY_ORDER if m in present]


def month(value: dt.date | str | None) -> str | None:
    """MM/YYYY from a date, a datetime or an ISO string."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return f"{text[5:7]}/{text[0:4]}"


def day(value: dt.date | None) -> str | None:
    """DD/MM/YYYY (the header date's format is UNVERIFIED; providers write it so)."""
    return None if value is None else value.strftime("%d/%m/%Y")


def fact(value: str | None, provenance: Provenance, basis: str) -> Fact:
    """A value, or a missing one when the text is empty."""
    text = value.strip() if isinstance(value, str) else None
    return Fact(value=text or None, provenance=provenance if text else Provenance.MISSING, basis=basis)


def attested(value: str | None, basis: str) -> Fact:
    return fact(value, Provenance.ATTESTED, f"manifest: {basis}")


def answer_of(value: Tri, basis: str) -> Answer:
    """A tri-state answer as given: attested when answered, missing while to be provided."""
    provenance = Provenance.MISSING if value is Tri.TO_BE_PROVIDED else Provenance.ATTESTED
    return Answer(value=value, provenance=provenance, basis=f"manifest: {basis}")


def date_fact(value: dt.date | None, basis: str, provenance: Provenance = Provenance.ATTESTED) -> DateFact:
    if value is None:
        return DateFact(iso=None, display=None, provenance=Provenance.MISSING, basis=basis)
    return DateFact(iso=value.isoformat(), display=day(value), provenance=provenance, basis=basis)


def month_fact(iso_month: str | None, provenance: Provenance, basis: str) -> DateFact:
    """A month given as YYYY-MM (or any ISO date or timestamp, cut to its month)."""
    if iso_month is None:
        return DateFact(iso=None, display=None, provenance=Provenance.MISSING, basis=basis)
    return DateFact(iso=iso_month[:7], display=month(iso_month), provenance=provenance, basis=basis)


def unique(values: Iterable[str | None]) -> list[str]:
    """Non-empty values in first-seen order, without repeats."""
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def weakest(provenances: Sequence[Provenance]) -> Provenance:
    """A figure built from parts is only as good as its weakest part: measured > declared > attested > missing."""
    rank = {Provenance.MEASURED: 0, Provenance.DECLARED: 1, Provenance.ATTESTED: 2, Provenance.MISSING: 3}
    return max(provenances, key=lambda p: rank[p]) if provenances else Provenance.MISSING


def traceability(result: EvaluationResult) -> Traceability:
    rows = result.rows
    return Traceability(
        tool=result.tool,
        tool_version=result.tool_version,
        result_schema_version=result.schema_version,
        inputs=[
            InputRow(role=i.role, path=i.path, bytes=i.bytes, sha256=i.sha256)
            for i in sorted(result.inputs, key=lambda i: (INPUT_ROLES.index(i.role), i.path))
        ],
        packs=[PackRow(id=p.id, version=p.version, rules=p.rules, sha256=p.sha256) for p in result.packs],
        rows=RowAccount(
            read=rows.read, evaluated=rows.evaluated, rejected=rows.rejected, not_in_training=rows.not_in_training
        ),
        time_zone=result.time_zone,
    )


def eu_inputs(run: Run) -> EuInputs:
    """The EU documents' inputs from a run; a run without the eu-ai-act pack is bad input for them."""
    if run.pack(EU_PACK) is None:
        raise InputError([Problem("--pack", f"the EU documents need the {EU_PACK} pack: add --pack {EU_PACK}")])
    return EuInputs(result=run.result, manifest=run.manifest, sources=run.sources, large_threshold=run.large_threshold)


_CHECK_ORDER = {Outcome.FAIL: 0, Outcome.NOT_EVALUABLE: 1, Outcome.PASS: 2, Outcome.NOT_APPLICABLE: 3}


def check_rows(result: EvaluationResult, section: Callable[[str], bool]) -> list[Check]:
    """The eu-ai-act built-in checks of the sections ``section`` accepts, as the documents list them: failing
    first, then missing evidence, passes, not applicable; most severe first; then by id."""
    rows = [
        Check(
            check_id=r.rule_id,
            field=r.section or "",
            severity=r.severity,
            outcome=r.outcome,
            title=r.title,
            message=r.detail or r.message,
            citation=r.citation,
        )
        for r in result.rules
        if r.pack == EU_PACK and r.kind == "check" and section(r.section or "")
    ]
    return sorted(rows, key=lambda c: (_CHECK_ORDER[c.outcome], -c.severity.rank, c.check_id))
