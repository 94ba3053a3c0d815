"""Editions and release status: what a document's audience may see, and whether it may be released at all.

Every document is built once, annotated (the tool's workings included: rule ids, the input field behind every
value, verification tags, input digests). The *clean* edition is the same document with every field marked
annotated-only (``aireport.models.doc_parts.annotated_only``) emptied, so the two can never say different
things. A document is a *draft* while a consistency finding of its pack (an attested statement contradicted by
measured evidence, ``*-CONS-*``) fails and no waiver covers it; the reasons are stated in the audience's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from aireport.models.base import Bilingual
from aireport.models.doc_parts import ANNOTATED_ONLY, DraftReason, Edition
from aireport.models.results import EvaluationResult, Outcome, RuleResult

M = TypeVar("M", bound=BaseModel)

CONSISTENCY = "-CONS-"
"""The id part that marks a consistency check: a statement held against the evidence (EU-CONS-ROBOTS)."""


def _annotated_only(model: type[BaseModel], name: str) -> bool:
    extra = model.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and all(extra.get(k) == v for k, v in ANNOTATED_ONLY.items())


def _clean(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return clean(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def clean(model: M) -> M:
    """The clean edition of ``model``: annotated-only fields emptied (null, or [] for lists), recursively."""
    updates: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if _annotated_only(type(model), name):
            updates[name] = [] if isinstance(value, list) else None
        else:
            cleaned = _clean(value)
            if cleaned is not value:
                updates[name] = cleaned
    if "edition" in type(model).model_fields:
        updates["edition"] = "clean"
    return model.model_copy(update=updates) if updates else model


def edition(model: M, which: Edition) -> M:
    return clean(model) if which == "clean" else model


def is_consistency(rule: RuleResult) -> bool:
    return CONSISTENCY in rule.rule_id


def _count_text(rule: RuleResult) -> tuple[str, str]:
    n = rule.counts.failed
    if rule.rule_id.endswith("-PERIOD"):
        return f"{n:,} source{'s' if n != 1 else ''} concerned", f"涉及 {n:,} 个来源"
    return f"{n:,} item{'s' if n != 1 else ''} concerned", f"涉及 {n:,} 个条目"


def draft_reasons(result: EvaluationResult, packs: Sequence[str]) -> list[DraftReason]:
    """Why a document of ``packs`` is a draft: every unwaived failing consistency finding, most severe first."""
    failing = sorted(
        (
            r
            for r in result.rules
            if r.pack in packs and is_consistency(r) and r.outcome is Outcome.FAIL and not r.waived
        ),
        key=lambda r: (-r.severity.rank, r.rule_id),
    )
    out = []
    for r in failing:
        en, zh = _count_text(r)
        out.append(
            DraftReason(
                finding=r.rule_id,
                field=r.section or "",
                text=Bilingual(en=f"{r.message.en} ({en}.)", zh=f"{r.message.zh}（{zh}。）"),
            )
        )
    return out


def release(result: EvaluationResult, packs: Sequence[str]) -> dict[str, Any]:
    """The status fields of a document of ``packs``: draft with its reasons, or final."""
    reasons = draft_reasons(result, packs)
    return {"status": "draft" if reasons else "final", "draft_reasons": reasons}
