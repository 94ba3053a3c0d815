"""The cn-genai pack's consistency checks (CN-CONS-*): the provider's statements against the corpus records.

Each is a Blocker: a contradiction keeps the self-assessment report a draft until the corpus and the statement
agree or a recorded waiver covers it. The counting is shared with the EU pack (``aireport.disclose.
consistency``); this module words it for the report and registers it on the pack's CHECKS (imported at the end
of ``aireport.disclose.cn.checks``).
"""

from __future__ import annotations

from aireport.disclose import consistency as c
from aireport.disclose.checks import Found
from aireport.disclose.cn.checks import CHECKS
from aireport.disclose.cn.clauses import ClauseContext
from aireport.models.provenance import Source


def _sources(ctx: ClauseContext) -> list[Source]:
    return [f.source for f in ctx.facts.sources]


@CHECKS.register("CN-CONS-ROBOTS")
def robots(ctx: ClauseContext) -> Found:
    tally = c.optouts(ctx.result, ctx.manifest, _sources(ctx), "robots", rule_id="CN-TC-5.1-C2-ROBOTS")
    return c.to_found(
        tally,
        c.Wording(
            "The provider states that the robots protocol is honoured, yet {n:,} items the robots protocol refused "
            "at collection time are used for training: {sources}.",
            "提供者称遵守 robots 协议，但有 {n:,} 条采集时被 robots 协议拒绝的语料用于训练：{sources}。",
            "Every item of the {k} sources stated to honour the robots protocol was allowed by it when collected.",
            "声称遵守 robots 协议的 {k} 个来源中，全部语料在采集时均为 robots 协议所允许。",
            " {unknown:,} items have no robots protocol result recorded.",
            "另有 {unknown:,} 条语料未记录 robots 协议检查结果。",
            unit_zh="条",
            none_en="No source states that the robots protocol is honoured.",
            none_zh="没有来源声称遵守 robots 协议。",
        ),
    )


@CHECKS.register("CN-CONS-LICENCE")
def licence(ctx: ClauseContext) -> Found:
    return c.to_found(
        c.licences(ctx.result, _sources(ctx), rule_id="CN-IM07-2"),
        c.Wording(
            "{n:,} items carry another licence than the one their source declares: {sources}.",
            "有 {n:,} 条语料所载许可与其来源申报的许可不同：{sources}。",
            "The items of the {k} sources with a declared licence carry that licence (or none).",
            "申报了许可的 {k} 个来源中，语料均载有该许可（或未载许可）。",
            unit_zh="条",
            none_en="No source declares a licence.",
            none_zh="没有来源申报许可。",
        ),
    )


@CHECKS.register("CN-CONS-FILTER")
def filtering(ctx: ClauseContext) -> Found:
    a = ctx.manifest.attestations
    statement = " ".join([*a.filtering_methods, a.illegal_content_measures or ""]).strip()
    tally = c.filtering(ctx.result, ctx.manifest, _sources(ctx), statement)
    flagged, unscreened = tally.extra.get("flagged", 0), tally.extra.get("unscreened", 0)
    fail_en = (
        f"The manifest states that the corpus is filtered, yet {flagged:,} items the filter flagged as illegal or "
        "unhealthy information are used for training"
    )
    fail_zh = f"清单载明已对语料进行过滤，但有 {flagged:,} 条被标记为含违法不良信息的语料用于训练"
    if tally.extra.get("universal") and unscreened:
        fail_en += f", and {unscreened:,} items were never screened although the statement covers the whole corpus"
        fail_zh += f"，且在声明覆盖全部语料的情况下有 {unscreened:,} 条语料从未经核验"
    both = bool(tally.extra.get("universal")) and unscreened > 0 and flagged > 0
    return c.to_found(
        tally,
        c.Wording(
            fail_en + ": {sources}" + (" (flagged + never screened)." if both else "."),
            fail_zh + "：{sources}" + ("（已标记 + 未经筛查）。" if both else "。"),
            "No item the filter flagged is used for training.",
            "没有被标记为含违法不良信息的语料用于训练。",
            " {unknown:,} items have no content-safety result.",
            "另有 {unknown:,} 条语料没有内容安全核验结果。",
            unit_zh="条",
            none_en="The manifest states no filtering.",
            none_zh="清单未说明过滤措施。",
        ),
    )


@CHECKS.register("CN-CONS-PI")
def personal_information(ctx: ClauseContext) -> Found:
    return c.to_found(
        c.personal_data(ctx.result, _sources(ctx)),
        c.Wording(
            "{n:,} items contain personal (or sensitive personal) information in sources declared free of it: "
            "{sources}.",
            "有 {n:,} 条语料含有其来源申报不含的个人信息（或敏感个人信息）：{sources}。",
            "The items agree with what the {k} sources declare about personal information.",
            "{k} 个来源关于个人信息的申报与其语料一致。",
            unit_zh="条",
            none_en="No source is declared free of personal information.",
            none_zh="没有来源申报不含个人信息。",
        ),
    )
