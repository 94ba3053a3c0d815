"""The corpus as the Chinese filing form sees it: per-source facts from the measures, else from the inventory.

Measured figures come from the cn-genai pack's measures (item manifests); declared ones from the source
inventory. Only sources used in training count. Nothing here decides compliance: see ``aireport.disclose.cn.clauses``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aireport.models.base import Bilingual
from aireport.models.provenance import CnAcquisition, Source
from aireport.models.results import EvaluationResult, Provenance

PACK = "cn-genai"

ACQUISITION_LABELS: dict[str, Bilingual] = {
    CnAcquisition.OPEN_SOURCE.value: Bilingual(zh="开源语料", en="open-source corpus"),
    CnAcquisition.SELF_COLLECTED.value: Bilingual(zh="自采语料", en="self-collected corpus"),
    CnAcquisition.COMMERCIAL.value: Bilingual(zh="商业语料", en="commercial corpus"),
    CnAcquisition.USER_INPUT.value: Bilingual(zh="使用者输入信息", en="user input"),
    CnAcquisition.SYNTHETIC.value: Bilingual(zh="合成语料", en="synthetic corpus"),
}

MODALITY_LABELS: dict[str, Bilingual] = {
    "text": Bilingual(zh="文本", en="text"),
    "image": Bilingual(zh="图片", en="image"),
    "audio": Bilingual(zh="音频", en="audio"),
    "video": Bilingual(zh="视频", en="video"),
    "code": Bilingual(zh="代码", en="code"),
    "other": Bilingual(zh="其他", en="other"),
}

MeasureValues = dict[tuple[str | None, str | None], Any]


def measure(result: EvaluationResult, measure_id: str) -> MeasureValues | None:
    """(source, group) -> value of a measure of the cn-genai pack; None when it could not be measured."""
    for m in result.measures:
        if m.pack == PACK and m.measure_id == measure_id:
            if m.provenance is not Provenance.MEASURED:
                return None
            return {(v.source_id, v.group): v.value for v in m.values}
    return None


def language_key(tag: str) -> str:
    """BCP-47 primary subtag, lower case: zh-Hans-CN -> zh."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class SourceFacts:
    source: Source
    items: int | None  # measured
    bytes: int | None
    tokens: int | None
    modalities: dict[str, int] = field(default_factory=dict)  # measured items per modality
    modality_bytes: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)  # measured items per primary language
    aigc: dict[str, int] = field(default_factory=dict)  # measured AIGC-labelled items per modality

    @property
    def measured(self) -> bool:
        return self.items is not None

    @property
    def item_count(self) -> tuple[int | None, Provenance]:
        if self.items is not None:
            return self.items, Provenance.MEASURED
        if self.source.declared_items is not None:
            return self.source.declared_items, Provenance.DECLARED
        return None, Provenance.MISSING

    @property
    def byte_count(self) -> tuple[int | None, Provenance]:
        if self.bytes is not None:
            return self.bytes, Provenance.MEASURED
        if self.source.declared_bytes is not None:
            return self.source.declared_bytes, Provenance.DECLARED
        return None, Provenance.MISSING

    @property
    def token_count(self) -> tuple[int | None, Provenance]:
        if self.tokens is not None:
            return self.tokens, Provenance.MEASURED
        if self.source.declared_tokens is not None:
            return self.source.declared_tokens, Provenance.DECLARED
        return None, Provenance.MISSING

    def modality_items(self) -> dict[str, int | None]:
        """Items per modality: measured, else all of the declared items under the declared modality."""
        if self.modalities:
            return dict(self.modalities)
        if self.measured:
            return {self.source.modality.value: self.items}
        return {self.source.modality.value: self.source.declared_items}

    def language_set(self) -> tuple[set[str], Provenance]:
        """Languages of the source: measured from item languages when the items carry them, else declared."""
        if self.languages:
            return set(self.languages), Provenance.MEASURED
        declared = {language_key(tag) for tag in self.source.languages if tag.strip()}
        return declared, Provenance.DECLARED if declared else Provenance.MISSING


@dataclass(frozen=True)
class CorpusFacts:
    sources: tuple[SourceFacts, ...]  # every source of the inventory, in inventory order
    measured: bool  # item manifests were read
    text_items: dict[str, int] | None  # measured text items per primary language
    text_bytes: dict[str, int] | None
    text_tokens: dict[str, int] | None
    modality_items: dict[str, int] | None  # measured totals per modality
    modality_bytes: dict[str, int] | None
    modality_tokens: dict[str, int] | None
    modality_seconds: dict[str, float] | None

    @property
    def used(self) -> tuple[SourceFacts, ...]:
        return tuple(f for f in self.sources if f.source.used_in_training)


def _per_source(values: MeasureValues | None, source_id: str) -> int | None:
    return None if values is None else _int(values.get((source_id, None)))


def _groups(values: MeasureValues | None, source_id: str | None, key: Any = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for (sid, group), value in (values or {}).items():
        if sid == source_id and group is not None and value:
            name = key(group) if key else str(group)
            out[name] = out.get(name, 0) + int(value)
    return out


def _totals(values: MeasureValues | None, used: set[str], key: Any = None) -> dict[str, int] | None:
    """Totals per group over the sources used in training (not the measure's own total over all sources)."""
    if values is None:
        return None
    out: dict[str, int] = {}
    for (sid, group), value in values.items():
        if sid is not None and sid in used and group is not None and value is not None:
            name = key(group) if key else str(group)
            out[name] = out.get(name, 0) + int(value)
    return out


def corpus_facts(result: EvaluationResult, sources: Sequence[Source]) -> CorpusFacts:
    items = measure(result, "items_per_source")
    size = measure(result, "bytes_per_source")
    tokens = measure(result, "tokens_per_source")
    by_modality = measure(result, "items_by_modality")
    bytes_by_modality = measure(result, "bytes_by_modality")
    by_language = measure(result, "items_by_language")
    aigc = measure(result, "aigc_labelled_items")
    facts = tuple(
        SourceFacts(
            source=s,
            items=_per_source(items, s.source_id) if items is not None else None,
            bytes=_per_source(size, s.source_id),
            tokens=_per_source(tokens, s.source_id),
            modalities=_groups(by_modality, s.source_id),
            modality_bytes=_groups(bytes_by_modality, s.source_id),
            languages=_groups(by_language, s.source_id, language_key),
            aigc=_groups(aigc, s.source_id),
        )
        for s in sources
    )
    # A source with no item in the manifests has no row in the measure: it holds 0 items, measured.
    if items is not None:
        facts = tuple(f if f.items is not None else _zero(f) for f in facts)
    used = {s.source_id for s in sources if s.used_in_training}
    seconds = measure(result, "seconds_by_modality")
    seconds_totals: dict[str, float] | None = None
    if seconds is not None:
        seconds_totals = {}
        for (sid, group), value in seconds.items():
            if sid in used and group is not None and value is not None:
                seconds_totals[str(group)] = seconds_totals.get(str(group), 0.0) + float(value)
    return CorpusFacts(
        sources=facts,
        measured=items is not None,
        text_items=_totals(measure(result, "text_items_by_language"), used, language_key),
        text_bytes=_totals(measure(result, "text_bytes_by_language"), used, language_key),
        text_tokens=_totals(measure(result, "text_tokens_by_language"), used, language_key),
        modality_items=_totals(by_modality, used),
        modality_bytes=_totals(bytes_by_modality, used),
        modality_tokens=_totals(measure(result, "tokens_by_modality"), used),
        modality_seconds=seconds_totals,
    )


def _zero(f: SourceFacts) -> SourceFacts:
    return SourceFacts(source=f.source, items=0, bytes=f.bytes, tokens=f.tokens)


def total(values: Sequence[tuple[int | None, Provenance]]) -> tuple[int | None, Provenance]:
    """Sum over sources: measured only if every part is, missing if any part is."""
    if not values or any(v is None for v, _ in values):
        return None, Provenance.MISSING
    basis = Provenance.MEASURED if all(b is Provenance.MEASURED for _, b in values) else Provenance.DECLARED
    return sum(v for v, _ in values if v is not None), basis
