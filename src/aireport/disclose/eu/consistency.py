"""The eu-ai-act pack's consistency checks (EU-CONS-*): the Summary's statements against the measured evidence.

Each is a Blocker: a contradiction keeps every EU document a draft until the items and the statement agree or a
recorded waiver covers it. The counting is shared with the Chinese pack (``aireport.disclose.consistency``);
this module words it for the Summary's fields and registers it on the pack's CHECKS (imported at the end of
``aireport.disclose.eu.checks``).
"""

from __future__ import annotations

from aireport.disclose import consistency as c
from aireport.disclose.checks import Found
from aireport.disclose.eu.checks import CHECKS, EuContext

_UNKNOWN_ROBOTS = (
    " {unknown:,} items have no robots.txt result recorded.",
    "另有 {unknown:,} 个条目未记录 robots.txt 检查结果。",
)


@CHECKS.register("EU-CONS-ROBOTS")
def robots(ctx: EuContext) -> Found:
    i = ctx.inputs
    tally = c.optouts(i.result, i.manifest, i.sources, "robots", rule_id="EU-CR-02")
    return c.to_found(
        tally,
        c.Wording(
            "The provider states that robots.txt is honoured, yet {n:,} items robots.txt refused at collection time "
            "are in the training data: {sources}.",
            "提供者称遵守 robots.txt，但训练数据中有 {n:,} 个采集时被 robots.txt 拒绝的条目：{sources}。",
            "Every item of the {k} sources stated to honour robots.txt was allowed by it when collected.",
            "声称遵守 robots.txt 的 {k} 个来源中，所有条目在采集时均为 robots.txt 所允许。",
            *_UNKNOWN_ROBOTS,
            none_en="No source states that robots.txt is honoured.",
            none_zh="没有来源声称遵守 robots.txt。",
        ),
    )


@CHECKS.register("EU-CONS-TDM")
def tdm(ctx: EuContext) -> Found:
    i = ctx.inputs
    tally = c.optouts(i.result, i.manifest, i.sources, "tdm", rule_id="EU-CR-03")
    return c.to_found(
        tally,
        c.Wording(
            "The provider describes measures that respect text-and-data-mining reservations, yet {n:,} items that "
            "carried a machine-readable reservation at collection time are in the training data: {sources}.",
            "提供者说明了尊重文本与数据挖掘权利保留的措施，但训练数据中有 {n:,} 个采集时带有机器可读权利保留的条目："
            "{sources}。",
            "No item of the {k} sources covered by the measures carried a reservation when collected.",
            "上述措施涵盖的 {k} 个来源中，没有条目在采集时带有权利保留。",
            " {unknown:,} items have no reservation state recorded.",
            "另有 {unknown:,} 个条目未记录权利保留状态。",
            none_en="No statement on text-and-data-mining reservations is made.",
            none_zh="未就文本与数据挖掘权利保留作出陈述。",
        ),
    )


@CHECKS.register("EU-CONS-LICENCE")
def licence(ctx: EuContext) -> Found:
    i = ctx.inputs
    return c.to_found(
        c.licences(i.result, i.sources, rule_id="EU-CR-LIC"),
        c.Wording(
            "{n:,} items carry another licence than the one their source is described under: {sources}.",
            "有 {n:,} 个条目所载许可与其来源申报的许可不同：{sources}。",
            "The items of the {k} sources with a declared licence carry that licence (or none).",
            "申报了许可的 {k} 个来源中，条目均载有该许可（或未载许可）。",
            none_en="No source declares a licence.",
            none_zh="没有来源申报许可。",
        ),
    )


@CHECKS.register("EU-CONS-FILTER")
def filtering(ctx: EuContext) -> Found:
    i = ctx.inputs
    statement = i.manifest.attestations.illegal_content_measures or ""
    tally = c.filtering(i.result, i.manifest, i.sources, statement)
    flagged, unscreened = tally.extra.get("flagged", 0), tally.extra.get("unscreened", 0)
    universal = bool(tally.extra.get("universal"))
    fail_en = (
        f"The Summary (3.2) states that illegal content is removed before training, yet {flagged:,} items the "
        "content-safety filter flagged are in the training data"
    )
    fail_zh = f"摘要（3.2）称训练前已去除违法内容，但训练数据中有 {flagged:,} 个被内容安全筛查标记的条目"
    if universal and unscreened:
        fail_en += f", and {unscreened:,} items were never screened although the statement covers all sources"
        fail_zh += f"，且在该陈述涵盖全部来源的情况下有 {unscreened:,} 个条目从未经筛查"
    both = bool(tally.extra.get("universal")) and unscreened > 0 and flagged > 0
    return c.to_found(
        tally,
        c.Wording(
            fail_en + ": {sources}" + (" (flagged + never screened)." if both else "."),
            fail_zh + "：{sources}" + ("（已标记 + 未经筛查）。" if both else "。"),
            "No item the content-safety filter flagged is in the training data.",
            "训练数据中没有被内容安全筛查标记的条目。",
            " {unknown:,} items have no content-safety result.",
            "另有 {unknown:,} 个条目没有内容安全筛查结果。",
            none_en="The Summary makes no statement on removing illegal content.",
            none_zh="摘要未就去除违法内容作出陈述。",
        ),
    )


@CHECKS.register("EU-CONS-SYNTHETIC")
def synthetic(ctx: EuContext) -> Found:
    i = ctx.inputs
    return c.to_found(
        c.synthetic(i.result, i.manifest, i.sources),
        c.Wording(
            "The Summary answers No to synthetic data (2.5 (a)), yet {n:,} items carry an AI-generated-content label: "
            "{sources}.",
            "摘要对合成数据（2.5 (a)）回答“否”，但有 {n:,} 个条目带有人工智能生成内容标识：{sources}。",
            "No item carries an AI-generated-content label.",
            "没有条目带有人工智能生成内容标识。",
            none_en="The Summary does not answer No to 2.5 (a).",
            none_zh="摘要对 2.5 (a) 的回答不是“否”。",
        ),
    )


@CHECKS.register("EU-CONS-LANGUAGES")
def languages(ctx: EuContext) -> Found:
    i = ctx.inputs
    return c.to_found(
        c.languages(i.result, i.sources),
        c.Wording(
            "{n:,} items are tagged with a language their source does not declare: {sources}.",
            "有 {n:,} 个条目标注的语种不在其来源申报的语种之中：{sources}。",
            "The items of the {k} sources with declared languages are in those languages (or untagged).",
            "申报了语种的 {k} 个来源中，条目均为所申报的语种（或未标注语种）。",
            none_en="No source declares its languages.",
            none_zh="没有来源申报语种。",
        ),
    )


@CHECKS.register("EU-CONS-PERIOD")
def period(ctx: EuContext) -> Found:
    i = ctx.inputs
    return c.to_found(
        c.periods(i.result, i.sources),
        c.Wording(
            "{n:,} sources have items collected outside their declared collection period: {sources}.",
            "有 {n:,} 个来源的条目采集时间超出其申报的采集期间：{sources}。",
            "The items of the {k} sources with a declared period were collected within it.",
            "申报了采集期间的 {k} 个来源中，条目均在该期间内采集。",
            " {unknown:,} sources have no collection date on their items.",
            "另有 {unknown:,} 个来源的条目没有采集时间。",
            none_en="No source declares a collection period.",
            none_zh="没有来源申报采集期间。",
        ),
    )
