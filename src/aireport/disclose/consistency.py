"""Evidence governs statements: what the provider states, held against what its own item manifests measure.

A statement a measurement can contradict is never published over the contradiction. Each function here takes
one kind of statement (opt-out protocols honoured, a dataset's licence, content filtering, personal data,
synthetic data, languages, collection periods), finds where the provider makes it (the source inventory, the
dataset manifest's attestations) and counts, per source, the items that contradict it. The jurisdictions word
the result and cite their own provisions (``aireport.disclose.eu.consistency``, ``aireport.disclose.cn.
consistency``); a contradiction is a Blocker finding, and a document that carries the statement stays a draft
until the evidence and the statement agree or a recorded waiver covers it.

The figures are the packs' measures (same definitions in both packs, computed once per scan); example items are
the smallest failing id per source and the failing ids the matching item rule kept. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aireport.disclose.checks import Found
from aireport.models.provenance import DatasetManifest, EuCategory, Source, Tri
from aireport.models.results import Counts, EvaluationResult, Outcome, Provenance, RuleResult

EXAMPLES = 10
"""At most this many example item ids per finding: a sample for a reviewer, the full list is a per-item export."""

ROBOTS = re.compile(r"robots|rfc\s*9309", re.IGNORECASE)
TDM = re.compile(r"tdm|text.and.data.mining|reserv", re.IGNORECASE)
UNIVERSAL = re.compile(r"\b(all|every|each|whole|entire)\b|全部|所有|每个|每一", re.IGNORECASE)
"""Words by which a filtering statement claims to cover the whole corpus."""


Table = dict[str | None, dict[str | None, Any]]
"""source id (None: all sources) -> group (None: ungrouped) -> value."""


def measured(result: EvaluationResult, *measure_ids: str) -> Table | None:
    """The first of ``measure_ids`` that some pack measured, as a table; None when none could be measured."""
    for wanted in measure_ids:
        for m in result.measures:
            if m.measure_id == wanted:
                if m.provenance is not Provenance.MEASURED:
                    return None
                table: Table = {}
                for v in m.values:
                    table.setdefault(v.source_id, {})[v.group] = v.value
                return table
    return None


def count(table: Table | None, source_id: str) -> int:
    if table is None:
        return 0
    return int(sum(v or 0 for v in (table.get(source_id) or {}).values()))


def first(table: Table | None, source_id: str) -> str | None:
    value = (table or {}).get(source_id, {}).get(None)
    return None if value is None else str(value)


@dataclass(frozen=True)
class SourceTally:
    """One source that carries the statement: its items, the contradicting ones, those without evidence."""

    source: Source
    items: int
    contradicting: int
    unknown: int = 0
    detail: str = ""  # what contradicts, where a count alone does not say it (a licence, a month, a language)

    @property
    def counts(self) -> Counts:
        applicable = max(self.items, self.contradicting + self.unknown)
        return Counts(
            applicable=applicable,
            failed=self.contradicting,
            unknown=self.unknown,
            passed=max(0, applicable - self.contradicting - self.unknown),
        )


@dataclass(frozen=True)
class Tally:
    """A statement held against the evidence, over every source that carries it."""

    claimed: tuple[SourceTally, ...]  # the sources the statement covers
    evidence: tuple[str, ...] = ()  # example contradicting item ids
    missing: tuple[str, ...] = ()  # item columns the test needs and the manifests lack
    where: tuple[str, ...] = ()  # where the statement is made: "inventory", "attestations"
    extra: Mapping[str, int] = field(default_factory=dict)  # further figures a check words (never-screened items)

    @property
    def contradicting(self) -> int:
        return sum(t.contradicting for t in self.claimed)

    @property
    def unknown(self) -> int:
        return sum(t.unknown for t in self.claimed)

    @property
    def failing(self) -> tuple[SourceTally, ...]:
        return tuple(t for t in self.claimed if t.contradicting)

    @property
    def outcome(self) -> Outcome:
        if not self.claimed:
            return Outcome.NOT_APPLICABLE
        if self.missing:
            return Outcome.NOT_EVALUABLE
        if self.contradicting:
            return Outcome.FAIL
        if self.unknown and self.unknown >= sum(t.items for t in self.claimed):
            return Outcome.NOT_EVALUABLE  # nothing recorded at all: unknown is never a pass
        return Outcome.PASS

    @property
    def counts(self) -> Counts:
        total = Counts()
        for t in self.claimed:
            total = total + t.counts
        return total

    @property
    def per_source(self) -> dict[str, Counts]:
        return {t.source.source_id: t.counts for t in self.claimed}


def _used(sources: Sequence[Source]) -> list[Source]:
    return [s for s in sources if s.used_in_training]


def _examples(
    tables: Iterable[Table | None], sources: Iterable[Source], rules: Iterable[RuleResult | None]
) -> tuple[str, ...]:
    """The smallest contradicting id of each source, then the ids the item rules kept, unique, sorted."""
    wanted = {s.source_id for s in sources}
    ids = {first(t, sid) for t in tables for sid in wanted} - {None}
    for rule in rules:
        if rule is not None and rule.outcome is Outcome.FAIL:
            ids |= set(rule.evidence)
    return tuple(sorted(i for i in ids if i is not None)[:EXAMPLES])


def item_counts(result: EvaluationResult) -> Table | None:
    return measured(result, "items_count", "items_per_source")


def _rule(result: EvaluationResult, rule_id: str | None) -> RuleResult | None:
    return next((r for r in result.rules if r.rule_id == rule_id), None) if rule_id else None


# --- opt-outs: robots.txt and TDM reservations --------------------------------------------------------------------


def _states(source: Source, pattern: re.Pattern[str]) -> bool:
    texts = [*source.optout_protocols, source.crawler_behaviour or "", source.optout_evidence or ""]
    return any(pattern.search(t) for t in texts)


def optouts(
    result: EvaluationResult,
    manifest: DatasetManifest,
    sources: Sequence[Source],
    protocol: str,
    rule_id: str | None = None,
) -> Tally:
    """robots.txt (``protocol="robots"``) or TDM reservations (``"tdm"``) stated as honoured, against the items
    collected although the protocol refused them.

    A source states it in the inventory (opt-out protocols, crawler behaviour, opt-out evidence); the
    manifest's 3.1 (b) description states it for every crawled source (for TDM reservations any description
    does: that is what 3.1 (b) asks for; for robots.txt it must name robots.txt).
    """
    pattern = ROBOTS if protocol == "robots" else TDM
    text = (manifest.attestations.tdm_optout_measures or "").strip()
    by_text = bool(text) and (protocol == "tdm" or bool(pattern.search(text)))
    claimed = [s for s in _used(sources) if _states(s, pattern) or (by_text and s.eu_category is EuCategory.CRAWLED)]
    where = tuple(
        w
        for w, present in (("inventory", any(_states(s, pattern) for s in claimed)), ("attestations", by_text))
        if present
    )
    refused_id, unknown_id, first_id = (
        ("robots_refused_items", "robots_unrecorded_items", "first_robots_refused_item")
        if protocol == "robots"
        else ("tdm_reserved_items", "tdm_unrecorded_items", "first_tdm_reserved_item")
    )
    refused = measured(result, refused_id)
    if claimed and refused is None:
        column = "robots_allowed" if protocol == "robots" else "tdm_reserved"
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=(column,), where=where)
    unknown, items = measured(result, unknown_id), item_counts(result)
    tallies = tuple(
        SourceTally(s, count(items, s.source_id), count(refused, s.source_id), count(unknown, s.source_id))
        for s in claimed
    )
    failing = [t.source for t in tallies if t.contradicting]
    evidence = _examples([measured(result, first_id)], failing, [_rule(result, rule_id)]) if failing else ()
    return Tally(tallies, evidence=evidence, where=where)


# --- licences ------------------------------------------------------------------------------------------------------


def _licence_key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip()).upper()


def licences(result: EvaluationResult, sources: Sequence[Source], rule_id: str | None = None) -> Tally:
    """A source's declared licence (what the documents print for it) against the licences its items record.

    Items whose own licence is empty are not counted either way: the source's licence stands in for them.
    """
    claimed = [s for s in _used(sources) if s.license]
    if not claimed:
        return Tally(())
    table = measured(result, "items_by_licence")
    if table is None:
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=("license",), where=("inventory",))
    items = item_counts(result)
    tallies = []
    for s in claimed:
        declared = _licence_key(s.license or "")
        groups = table.get(s.source_id) or {}
        other = {str(k): int(v or 0) for k, v in groups.items() if k is not None and _licence_key(str(k)) != declared}
        listed = ", ".join(f"{k} {n:,}" for k, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
        tallies.append(SourceTally(s, count(items, s.source_id), sum(other.values()), detail=listed))
    failing = [t.source for t in tallies if t.contradicting]
    rule = _rule(result, rule_id)
    evidence = _examples([], failing, [rule]) if failing else ()
    return Tally(tuple(tallies), evidence=evidence, where=("inventory",))


# --- content filtering ------------------------------------------------------------------------------------------


def filtering(result: EvaluationResult, manifest: DatasetManifest, sources: Sequence[Source], statement: str) -> Tally:
    """A statement that illegal or unhealthy content is filtered out before training (``statement``: the text or
    the methods the manifest attests), against the items the filter flagged and still used, and, where the
    statement says it covers the whole corpus, the items it never screened."""
    if not statement.strip():
        return Tally(())
    claimed = _used(sources)
    flagged = measured(result, "safety_flagged_items")
    screened = measured(result, "safety_assessed_items")
    if flagged is None or screened is None:
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=("safety_label",), where=("attestations",))
    items = item_counts(result)
    universal = bool(UNIVERSAL.search(statement))
    tallies = []
    never = 0
    for s in claimed:
        total, bad = count(items, s.source_id), count(flagged, s.source_id)
        unscreened = max(0, total - count(screened, s.source_id))
        never += unscreened
        contradicting = bad + (unscreened if universal else 0)
        detail = f"{bad:,} + {unscreened:,}" if universal and bad and unscreened else ""
        tallies.append(SourceTally(s, total, contradicting, 0 if universal else unscreened, detail=detail))
    failing = [t.source for t in tallies if t.contradicting]
    firsts = [measured(result, "first_flagged_item")] + (
        [measured(result, "first_unscreened_item")] if universal else []
    )
    evidence = _examples(firsts, failing, []) if failing else ()
    return Tally(
        tuple(tallies),
        evidence=evidence,
        where=("attestations",),
        extra={
            "flagged": sum(count(flagged, s.source_id) for s in claimed),
            "unscreened": never,
            "universal": int(universal),
        },
    )


# --- personal data ----------------------------------------------------------------------------------------------


def personal_data(result: EvaluationResult, sources: Sequence[Source]) -> Tally:
    """A source declared free of personal (or sensitive personal) information, against items that carry it."""
    claimed = [s for s in _used(sources) if s.personal_data is False or s.sensitive_personal_data is False]
    if not claimed:
        return Tally(())
    personal = measured(result, "personal_data_items")
    sensitive = measured(result, "sensitive_personal_data_items")
    if personal is None and sensitive is None:
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=("personal_data",), where=("inventory",))
    items = item_counts(result)
    tallies = []
    for s in claimed:
        pi = count(personal, s.source_id) if s.personal_data is False else 0
        spi = (
            count(sensitive, s.source_id) if s.sensitive_personal_data is False and s.personal_data is not False else 0
        )
        tallies.append(SourceTally(s, count(items, s.source_id), pi + spi))
    failing = [t.source for t in tallies if t.contradicting]
    evidence = _examples([measured(result, "first_personal_data_item")], failing, []) if failing else ()
    return Tally(tuple(tallies), evidence=evidence, where=("inventory",))


# --- synthetic data ---------------------------------------------------------------------------------------------


def synthetic(result: EvaluationResult, manifest: DatasetManifest, sources: Sequence[Source]) -> Tally:
    """The answer "no synthetic data" against items carrying the AIGC implicit label (GB 45438-2025)."""
    if manifest.attestations.used_synthetic_data is not Tri.NO:
        return Tally(())
    claimed = _used(sources)
    labelled = measured(result, "aigc_labelled_items")
    if labelled is None:
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=("aigc_label",), where=("attestations",))
    items = item_counts(result)
    tallies = tuple(SourceTally(s, count(items, s.source_id), count(labelled, s.source_id)) for s in claimed)
    return Tally(tallies, where=("attestations",))


# --- languages and periods ------------------------------------------------------------------------------------


def language_key(tag: str) -> str:
    """BCP-47 primary subtag, lower case: zh-Hans-CN -> zh."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def languages(result: EvaluationResult, sources: Sequence[Source]) -> Tally:
    """The languages a source declares against the languages its items are tagged with."""
    claimed = [s for s in _used(sources) if s.languages]
    if not claimed:
        return Tally(())
    table = measured(result, "items_by_language")
    if table is None:
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=("language",), where=("inventory",))
    items = item_counts(result)
    tallies = []
    for s in claimed:
        declared = {language_key(t) for t in s.languages}
        other: dict[str, int] = {}
        for group, n in (table.get(s.source_id) or {}).items():
            if group is not None and language_key(str(group)) not in declared:
                key = language_key(str(group))
                other[key] = other.get(key, 0) + int(n or 0)
        listed = ", ".join(f"{k} {n:,}" for k, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
        tallies.append(SourceTally(s, count(items, s.source_id), sum(other.values()), detail=listed))
    return Tally(tuple(tallies), where=("inventory",))


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def periods(result: EvaluationResult, sources: Sequence[Source]) -> Tally:
    """The collection period a source declares against the earliest and latest collection of its items.

    Only the bounds are measured, so a source counts once (not its items) when its items fall outside.
    """
    claimed = [s for s in _used(sources) if s.collection_start or s.collection_end]
    if not claimed:
        return Tally(())
    earliest, latest = measured(result, "earliest_collection"), measured(result, "latest_collection")
    if earliest is None or latest is None:
        return Tally(tuple(SourceTally(s, 0, 0) for s in claimed), missing=("collected_at",), where=("inventory",))
    tallies = []
    for s in claimed:
        low, high = _day(first(earliest, s.source_id)), _day(first(latest, s.source_id))
        outside = []
        if low is not None and s.collection_start and low < s.collection_start:
            outside.append(f"{low.strftime('%m/%Y')} < {s.collection_start.strftime('%m/%Y')}")
        if high is not None and s.collection_end and high > s.collection_end:
            outside.append(f"{high.strftime('%m/%Y')} > {s.collection_end.strftime('%m/%Y')}")
        unknown = 1 if low is None and high is None else 0
        tallies.append(SourceTally(s, 1, 1 if outside else 0, unknown, detail="; ".join(outside)))
    return Tally(tuple(tallies), where=("inventory",))


# --- wording -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """How a jurisdiction words one consistency check. Placeholders: {n} contradicting, {sources} the failing
    sources with their counts, {unknown} items without evidence, {k} sources carrying the statement."""

    fail_en: str
    fail_zh: str
    pass_en: str
    pass_zh: str
    unknown_en: str = " {unknown:,} items have nothing recorded."
    unknown_zh: str = "另有 {unknown:,} 个条目无记录。"
    unit_zh: str = "个"
    none_en: str = "No source carries this statement."
    none_zh: str = "没有来源作出该陈述。"


def _source_list(tally: Tally, unit_zh: str) -> tuple[str, str]:
    def one(t: SourceTally, zh: bool) -> str:
        if t.detail:
            return f"{t.source.source_id}（{t.detail}）" if zh else f"{t.source.source_id} ({t.detail})"
        return f"{t.source.source_id} {t.contradicting:,}{unit_zh if zh else ''}"

    failing = tally.failing
    return "; ".join(one(t, False) for t in failing), "；".join(one(t, True) for t in failing)


def to_found(tally: Tally, wording: Wording) -> Found:
    """The check's finding: counts per source, example items, the statement and the evidence in words."""
    outcome = tally.outcome
    values = {"n": tally.contradicting, "unknown": tally.unknown, "k": len(tally.claimed)}
    if outcome is Outcome.NOT_APPLICABLE:
        return Found(outcome, wording.none_en, wording.none_zh, Provenance.DECLARED)
    if outcome is Outcome.NOT_EVALUABLE and tally.missing:
        fields = ", ".join(tally.missing)
        return Found(
            outcome,
            f"The statement cannot be checked: the item manifests have no {fields} column.",
            f"无法核对该陈述：条目清单缺少 {fields} 列。",
            Provenance.MISSING,
            counts=tally.counts,
            missing=list(tally.missing),
        )
    en_sources, zh_sources = _source_list(tally, wording.unit_zh)
    if outcome is Outcome.FAIL:
        en = wording.fail_en.format(sources=en_sources, **values)
        zh = wording.fail_zh.format(sources=zh_sources, **values)
    else:
        en = wording.pass_en.format(**values)
        zh = wording.pass_zh.format(**values)
    if tally.unknown:
        en += wording.unknown_en.format(**values)
        zh += wording.unknown_zh.format(**values)
    return Found(
        outcome,
        en,
        zh,
        Provenance.MEASURED,
        counts=tally.counts,
        evidence=list(tally.evidence),
        per_source=tally.per_source,
    )
