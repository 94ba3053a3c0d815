"""The eu-ai-act pack's built-in checks: what the rule language cannot express about the Summary and Annex XI.

They compare figures with each other (a declared size range with the measured size, the latest collection date
with the inventory), with the document date (the deadline, the six-month update cadence) or with the previous
version. A contradiction is a failing check, never an exception. Each is declared, with its citation and
severity, in ``rules/eu-ai-act/<ID>.yaml`` (``implementation: python``); ids follow the candidate rules of the
reference notes (§4), ``EU-TS-07`` is TS-07 and so on.

Every check reads one :class:`EuContext`, built once per run: the Summary's figures are computed once and
read by the checks and, later, by the Summary itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from aireport.disclose.checks import CheckSet, Found
from aireport.disclose.eu.annex import annex_datasets, annex_xii_datasets, exempt
from aireport.disclose.eu.common import MODALITY_ZH, EuInputs, eu_inputs, month
from aireport.disclose.eu.figures import SourceFigures, bin_label, source_figures
from aireport.disclose.eu.sections import of
from aireport.disclose.eu.summary import draft_summary
from aireport.models.eu.summary import AnnexDataset, AnnexXiiDataset, EuSummaryDocument
from aireport.models.provenance import EuCategory
from aireport.models.results import Counts, Outcome, Provenance
from aireport.models.run import Run

GPAI_APPLICATION = dt.date(2025, 8, 2)
LEGACY_DEADLINE = dt.date(2027, 8, 2)
UPDATE_DAYS = 183

PASS, FAIL, MISSING, NOT_APPLICABLE = Outcome.PASS, Outcome.FAIL, Outcome.NOT_EVALUABLE, Outcome.NOT_APPLICABLE
MEASURED, DECLARED, ATTESTED = Provenance.MEASURED, Provenance.DECLARED, Provenance.ATTESTED


@dataclass
class EuContext:
    """The EU documents' inputs and figures, computed once for every check of a run."""

    inputs: EuInputs
    run: Run

    @cached_property
    def figures(self) -> SourceFigures:
        return source_figures(self.inputs)

    @cached_property
    def draft(self) -> EuSummaryDocument:
        """The Summary as the figures make it, before its checks are attached; the domain list's figures without
        its rows, which no check reads (the comparison with a previous version has them)."""
        return draft_summary(self.inputs, self.run.previous_summary, domain_rows=False)

    @cached_property
    def datasets(self) -> list[AnnexDataset]:
        return annex_datasets(self.inputs)

    @cached_property
    def xii_datasets(self) -> list[AnnexXiiDataset]:
        return annex_xii_datasets(self.inputs)


def _context(run: Run) -> EuContext:
    return EuContext(inputs=eu_inputs(run), run=run)


CHECKS: CheckSet[EuContext] = CheckSet(_context)


def _num(value: float | int) -> str:
    return f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"


# --- scope and timeline ----------------------------------------------------------------------------------------


@CHECKS.register("EU-SCOPE-04")
def open_source(ctx: EuContext) -> Found:
    models = [m.name for m in ctx.inputs.manifest.models if m.open_source]
    systemic = [m.name for m in ctx.inputs.manifest.models if m.open_source and (m.training_flop or 0) > 1e25]
    if not models:
        return Found(NOT_APPLICABLE, "No model is declared open-source.", "没有模型被声明为开源模型。", DECLARED)
    en = (
        f"{', '.join(models)}: released as open source, which exempts points (a) and (b) of Art. 53(1) only; "
        "this Summary (d) and the copyright policy (c) remain required."
    )
    zh = f"{'、'.join(models)}：以开源方式发布，仅豁免第53条第1款(a)(b)项；本摘要（(d)项）和版权政策（(c)项）仍须提供。"
    if systemic:
        en += f" {', '.join(systemic)} exceed 10^25 FLOP (presumed systemic risk): no exemption applies."
        zh += f"{'、'.join(systemic)} 训练算力超过 10^25 FLOP（推定具有系统性风险），不适用任何豁免。"
    return Found(PASS, en, zh, DECLARED)


def deadline_of(placement: dt.date) -> dt.date:
    """Art. 111(3): models placed before 2 Aug 2025 by 2 Aug 2027; otherwise at placement (UNVERIFIED)."""
    return LEGACY_DEADLINE if placement < GPAI_APPLICATION else placement


@dataclass(frozen=True)
class _Deadlines:
    missing: list[str]
    overdue: list[str]
    late: list[str]
    en: list[str]
    zh: list[str]


def _deadlines(ctx: EuContext) -> _Deadlines:
    date = dt.date.fromisoformat(ctx.inputs.result.document_date)
    summary = ctx.inputs.manifest.summary
    out = _Deadlines([], [], [], [], [])
    for m in ctx.inputs.manifest.models:
        if m.eu_placement_date is None:
            out.missing.append(m.name)
            continue
        due = deadline_of(m.eu_placement_date)
        basis_en = "Art. 111(3)" if m.eu_placement_date < GPAI_APPLICATION else "placement date, UNVERIFIED"
        basis_zh = "第111条第3款" if m.eu_placement_date < GPAI_APPLICATION else "投放日期，未经核实"
        out.en.append(f"{m.name}: due by {due.isoformat()} ({basis_en})")
        out.zh.append(f"{m.name}：截止日期 {due.isoformat()}（{basis_zh}）")
        if date > due and summary.last_update is None:
            out.overdue.append(m.name)
        elif summary.last_update is not None and summary.last_update > due and not summary.previous_versions:
            out.late.append(m.name)
    return out


@CHECKS.register("EU-SCOPE-05")
def deadline(ctx: EuContext) -> Found:
    d = _deadlines(ctx)
    if d.overdue:
        return Found(
            FAIL,
            f"The deadline has passed and the Summary has no last-update date: {'; '.join(d.en)}.",
            f"截止日期已过，但摘要没有最后更新日期：{'；'.join(d.zh)}。",
            ATTESTED,
        )
    if d.missing:
        return Found(
            MISSING,
            f"No date of placement on the Union market for {', '.join(d.missing)}: the deadline cannot be computed.",
            f"{'、'.join(d.missing)} 缺少欧盟市场投放日期，无法计算截止日期。",
            Provenance.MISSING,
            missing=["models.eu_placement_date"],
        )
    return Found(PASS, "; ".join(d.en) + ".", "；".join(d.zh) + "。", ATTESTED)


@CHECKS.register("EU-SCOPE-05-LATE")
def late_first_version(ctx: EuContext) -> Found:
    d = _deadlines(ctx)
    last = ctx.inputs.manifest.summary.last_update
    if d.late:
        return Found(
            FAIL,
            f"The Summary's last update ({last}) is after the deadline of {', '.join(d.late)} and no earlier version "
            "is linked. If an earlier version was published in time, link it under previous versions.",
            f"摘要最后更新日期（{last}）晚于 {'、'.join(d.late)} 的截止日期，且未链接更早版本。"
            "如曾按时发布过更早版本，请在历史版本中链接。",
            ATTESTED,
        )
    if last is None or not d.en:
        return Found(
            NOT_APPLICABLE, "No last update or no deadline to compare.", "无最后更新日期或截止日期可比较。", ATTESTED
        )
    return Found(
        PASS,
        "The last update is not after any deadline, or earlier versions are linked.",
        "最后更新日期不晚于截止日期，或已链接更早版本。",
        ATTESTED,
    )


# --- section 1.3 ------------------------------------------------------------------------------------------------


@CHECKS.register("EU-TS-05")
def modality_consistency(ctx: EuContext) -> Found:
    figures = ctx.figures
    if not figures.modalities_measured:
        return Found(
            MISSING,
            "The item manifests have no modality column: the declared modality of each source is used.",
            "条目清单没有 modality 列，采用各来源声明的模态。",
            Provenance.MISSING,
            missing=["modality"],
        )
    if figures.mismatched:
        pairs = sorted(set(figures.mismatched))
        listed = ", ".join(f"{sid} has {m} items" for sid, m in pairs)
        listed_zh = "，".join(f"{sid} 含有{MODALITY_ZH.get(m, m)}条目" for sid, m in pairs)
        return Found(
            FAIL,
            f"Items of another modality than their source declares: {listed}. They are counted under their own "
            "modality; correct the inventory or the items.",
            f"存在与来源声明不同模态的条目：{listed_zh}。这些条目按其自身模态计入；请更正来源清单或条目。",
            MEASURED,
            evidence=sorted({sid for sid, _ in pairs}),
        )
    return Found(
        PASS, "Every item has its source's modality (or none).", "所有条目的模态均与其来源一致（或为空）。", MEASURED
    )


@CHECKS.register("EU-TS-06")
def size_per_modality(ctx: EuContext) -> Found:
    sizes = ctx.draft.general.sizes
    unknown = [s for s in sizes if s.value is None and s.bytes is None and s.items is None]
    no_bin = [s for s in sizes if s.value is None and s not in unknown]
    if not sizes:
        return Found(
            MISSING, "No modality is known, so no size can be given.", "模态未知，无法给出规模。", Provenance.MISSING
        )
    if unknown:
        return Found(
            FAIL,
            f"No size is measured or declared for: {', '.join(s.modality.value for s in unknown)}.",
            f"以下模态既无实测规模也无声明规模：{'、'.join(MODALITY_ZH[s.modality.value] for s in unknown)}。",
            DECLARED,
        )
    extra_en = (
        f" For {', '.join(s.modality.value for s in no_bin)} only the size in bytes is known: it is given as an "
        "approximate size in a different unit."
        if no_bin
        else ""
    )
    extra_zh = (
        f"{'、'.join(MODALITY_ZH[s.modality.value] for s in no_bin)} 仅知字节数，以其他计量单位给出近似规模。"
        if no_bin
        else ""
    )
    lacking = [s for s in sizes if s.items_without_size]
    if lacking:
        extra_en += (
            " Items without a size, left out of it (a lower bound): "
            + ", ".join(f"{s.modality.value} {s.items_without_size:,}" for s in lacking)
            + "."
        )
        extra_zh += (
            "缺少规模、未计入的条目（规模为下限）："
            + "，".join(f"{MODALITY_ZH[s.modality.value]} {s.items_without_size:,} 个" for s in lacking)
            + "。"
        )
    basis = MEASURED if all(s.provenance is MEASURED for s in sizes) else DECLARED
    return Found(PASS, "Every selected modality has a size." + extra_en, "每个所选模态均有规模。" + extra_zh, basis)


@CHECKS.register("EU-TS-07")
def declared_bins(ctx: EuContext) -> Found:
    sizes = ctx.draft.general.sizes
    declared = [s for s in sizes if s.declared is not None]
    wrong = [s for s in declared if s.selected is not None and s.selected is not s.declared]
    cannot = [s for s in declared if s.selected is None]
    if wrong:
        en = "; ".join(
            f"{s.modality.value}: declared '{bin_label(s.modality, s.declared)}', measured {_num(s.value or 0)} "
            f"{s.unit} is '{bin_label(s.modality, s.selected)}'"
            for s in wrong
        )
        zh = "；".join(
            f"{MODALITY_ZH[s.modality.value]}：声明为“{bin_label(s.modality, s.declared)}”，实测 {_num(s.value or 0)} "
            f"{s.unit} 属于“{bin_label(s.modality, s.selected)}”"
            for s in wrong
        )
        return Found(FAIL, en + ".", zh + "。", MEASURED)
    if cannot:
        names = ", ".join(s.modality.value for s in cannot)
        return Found(
            MISSING,
            f"A range is declared for {names} but the size is unknown.",
            f"{names} 已声明规模区间，但规模未知。",
            Provenance.MISSING,
        )
    if declared:
        return Found(
            PASS, "Every declared range matches the measured size.", "所有声明区间均与实测规模一致。", MEASURED
        )
    return Found(
        NOT_APPLICABLE,
        "No size range is declared; the Summary shows the measured one.",
        "未声明规模区间；摘要采用实测区间。",
        MEASURED,
    )


@CHECKS.register("EU-TS-07-EDGE")
def near_bin_edge(ctx: EuContext) -> Found:
    near = [s for s in ctx.draft.general.sizes if s.edge_warning is not None]
    if not near:
        return Found(PASS, "No size is near a range edge.", "没有规模接近区间边界。", MEASURED)
    en = "; ".join(
        f"{s.modality.value}: {_num(s.value or 0)} {s.unit} is {s.edge_warning.distance_percent:+.2f}% from the "
        f"edge {s.edge_warning.edge:,}"
        for s in near
        if s.edge_warning is not None
    )
    zh = "；".join(
        f"{MODALITY_ZH[s.modality.value]}：{_num(s.value or 0)} {s.unit} 距边界 {s.edge_warning.edge:,} 为 "
        f"{s.edge_warning.distance_percent:+.2f}%"
        for s in near
        if s.edge_warning is not None
    )
    return Found(
        FAIL,
        en + ". A small counting or tokenisation difference could change the range; state the method in the "
        "additional comments.",
        zh + "。计数或分词方法的细微差异可能改变所属区间；请在补充说明中说明计量方法。",
        MEASURED,
    )


@CHECKS.register("EU-TS-09-MODALITY")
def content_types_per_modality(ctx: EuContext) -> Found:
    content = ctx.draft.general.content_types
    empty = [c.modality for c in content if not c.types]
    if empty:
        return Found(
            FAIL,
            f"No types of content are declared for: {', '.join(m.value for m in empty)}. Fill content_types in the "
            "inventory.",
            f"以下模态未声明内容类型：{'、'.join(MODALITY_ZH[m.value] for m in empty)}。"
            "请在来源清单中填写 content_types。",
            DECLARED,
        )
    if not content:
        return Found(MISSING, "No modality is known.", "模态未知。", Provenance.MISSING)
    return Found(PASS, "Every selected modality has types of content.", "每个所选模态均有内容类型。", DECLARED)


@CHECKS.register("EU-TS-10")
def latest_collection(ctx: EuContext) -> Found:
    latest = ctx.draft.general.collection.latest
    if latest.display is None:
        return Found(
            FAIL,
            "No collection date is measured (collected_at) or declared (collection_end).",
            "既无实测采集时间（collected_at）也无声明的采集结束日期（collection_end）。",
            Provenance.MISSING,
        )
    return Found(
        PASS,
        f"Latest collection: {latest.display} ({latest.provenance.value}).",
        f"最晚采集：{latest.display}。",
        latest.provenance,
    )


@dataclass(frozen=True)
class _OutsidePeriod:
    source_id: str
    measured: str  # ISO timestamp of the latest (or earliest) item
    declared: dt.date  # the declared end (or start) it passes
    after: bool  # after the end; else before the start


def _outside_periods(ctx: EuContext) -> tuple[int, list[_OutsidePeriod]]:
    """Each used source's dated items against the period the inventory declares for that source: how many
    sources could be compared, and the ends that items pass (a date after the end, or before the start)."""
    latest = ctx.inputs.per_source("latest_collection") or {}
    earliest = ctx.inputs.per_source("earliest_collection") or {}
    compared = 0
    outside: list[_OutsidePeriod] = []
    for source in ctx.inputs.used:
        last = (latest.get(source.source_id) or {}).get(None)
        first = (earliest.get(source.source_id) or {}).get(None)
        if last is None or (source.collection_end is None and source.collection_start is None):
            continue
        compared += 1
        end, start = source.collection_end, source.collection_start
        if end is not None and str(last)[:10] > end.isoformat():
            outside.append(_OutsidePeriod(source.source_id, str(last), end, after=True))
        if start is not None and first is not None and str(first)[:10] < start.isoformat():
            outside.append(_OutsidePeriod(source.source_id, str(first), start, after=False))
    return compared, outside


@CHECKS.register("EU-TS-10-DECLARED")
def collection_within_declared_period(ctx: EuContext) -> Found:
    if ctx.inputs.measure("latest_collection") is None:
        return Found(
            NOT_APPLICABLE,
            "The item manifests have no collected_at column: no item date to compare with the declared periods.",
            "条目清单没有 collected_at 列，无从与声明的采集期间比较。",
            DECLARED,
        )
    compared, outside = _outside_periods(ctx)
    if not compared:
        return Found(
            NOT_APPLICABLE,
            "No source used in training has both dated items and a declared collection period.",
            "没有用于训练的来源同时具有带日期的条目和声明的采集期间。",
            DECLARED,
        )
    sources = sorted({o.source_id for o in outside})
    counts = Counts(applicable=compared, failed=len(sources), passed=compared - len(sources))
    if outside:
        en = "; ".join(
            f"{o.source_id}: items collected in {month(o.measured)} ({o.measured[:10]}), "
            + (
                f"after its declared collection_end {o.declared.isoformat()}"
                if o.after
                else f"before its declared collection_start {o.declared.isoformat()}"
            )
            for o in outside
        )
        zh = "；".join(
            f"{o.source_id}：有条目采集于 {month(o.measured)}（{o.measured[:10]}），"
            + (
                f"晚于其声明的 collection_end {o.declared.isoformat()}"
                if o.after
                else f"早于其声明的 collection_start {o.declared.isoformat()}"
            )
            for o in outside
        )
        return Found(
            FAIL,
            f"{en}. The Summary states the measured months; correct the inventory or the items.",
            f"{zh}。摘要采用实测月份；请更正来源清单或条目。",
            MEASURED,
            counts=counts,
            evidence=sources,
        )
    return Found(
        PASS,
        f"The dated items of all {compared} compared sources lie within their declared collection periods.",
        f"全部 {compared} 个可比较来源的带日期条目均在其声明的采集期间之内。",
        MEASURED,
        counts=counts,
    )


@CHECKS.register("EU-TS-11-OVERALL")
def languages_described(ctx: EuContext) -> Found:
    langs = ctx.draft.general.languages
    if not langs.languages:
        return Found(
            FAIL,
            "No language is measured (item column language) or declared (inventory languages).",
            "既无实测语言（条目 language 列）也无声明语言（来源清单 languages）。",
            Provenance.MISSING,
        )
    return Found(
        PASS,
        f"{len(langs.languages)} languages, {langs.eu_official_count} of the 24 EU official languages.",
        f"共 {len(langs.languages)} 种语言，涵盖欧盟 24 种官方语言中的 {langs.eu_official_count} 种。",
        langs.provenance,
    )


# --- section 2 ---------------------------------------------------------------------------------------------------


@CHECKS.register("EU-TS-13-LARGE")
def large_public_datasets(ctx: EuContext) -> Found:
    public = ctx.draft.sources.public
    if public.used.inventory_sources == 0:
        return Found(NOT_APPLICABLE, "No public dataset is used.", "未使用公开数据集。", DECLARED)
    unlinked = [d.name for d in public.large if not d.url]
    threshold = f"{public.threshold_percent:g}%"
    if unlinked:
        return Found(
            FAIL,
            f"Listed as large (share above {threshold} or unknown) but without a link: {', '.join(unlinked)}.",
            f"被列为大型数据集（占比超过 {threshold} 或未知）但缺少链接：{'、'.join(unlinked)}。",
            DECLARED,
        )
    if not public.shares_complete:
        return Found(
            MISSING,
            "The size of some public datasets is unknown, so their shares cannot be computed: every public dataset "
            "of such a modality is listed as large.",
            "部分公开数据集规模未知，无法计算占比：该模态的所有公开数据集均按大型数据集列出。",
            Provenance.MISSING,
        )
    return Found(
        PASS,
        f"{len(public.large)} of {public.used.inventory_sources} public datasets exceed {threshold} of the public data "
        "of their modality and are listed with their links.",
        f"{public.used.inventory_sources} 个公开数据集中有 {len(public.large)} 个超过其模态公开数据的 {threshold}，"
        "已连同链接列出。",
        MEASURED,
    )


@CHECKS.register("EU-TS-14")
def other_public_datasets(ctx: EuContext) -> Found:
    public = ctx.draft.sources.public
    vague = [o.name or "?" for o in public.others if not (o.content_types and o.languages and o.collection_end)]
    if not public.others:
        return Found(
            NOT_APPLICABLE,
            "Every public dataset is listed by name in 2.1 (c).",
            "所有公开数据集均已在 2.1 (c) 中列名。",
            DECLARED,
        )
    if vague:
        return Found(
            FAIL,
            f"Content types, languages or collection period missing for: {', '.join(vague)}.",
            f"以下数据集缺少内容类型、语言或采集期间：{'、'.join(vague)}。",
            DECLARED,
        )
    return Found(PASS, "Every other public dataset is described.", "其他公开数据集均已说明。", DECLARED)


@CHECKS.register("EU-TS-18")
def domain_list(ctx: EuContext) -> Found:
    domains = ctx.draft.sources.crawled.domains
    if not of(ctx.inputs, EuCategory.CRAWLED):
        return Found(NOT_APPLICABLE, "The provider did not crawl.", "提供者未进行爬取。", DECLARED)
    if domains.provenance is Provenance.MISSING:
        return Found(
            MISSING,
            "The item manifests of crawled sources lack the domain or size_bytes column, so the domain list cannot "
            "be computed; a description of domain categories does not meet the requirement.",
            "爬取来源的条目清单缺少 domain 或 size_bytes 列，无法计算域名清单；仅描述域名类别不符合要求。",
            Provenance.MISSING,
            missing=["domain", "size_bytes"],
        )
    if domains.distinct == 0:
        return Found(
            MISSING,
            "No crawled item has a domain (item column domain is empty), so the domain list cannot be computed.",
            "没有爬取条目带有域名（条目 domain 列为空），无法计算域名清单。",
            Provenance.MISSING,
            missing=["domain"],
        )
    rule_en = "min(ceil(5% of N), 1000) for SMEs" if domains.sme else "ceil(10% of N)"
    rule_zh = "中小企业取 min(ceil(N×5%), 1000)" if domains.sme else "ceil(N×10%)"
    gaps_en = gaps_zh = ""
    if domains.items_without_domain or domains.items_without_size:
        gaps_en = (
            f" {domains.items_without_domain:,} crawled items have neither a domain nor a URL (not in N); "
            f"{domains.items_without_size:,} have no size (their {domains.domains_without_size:,} domains count in N "
            "with the bytes of their other items)."
        )
        gaps_zh = (
            f"有 {domains.items_without_domain:,} 个爬取条目既无域名也无 URL（不计入 N）；"
            f"{domains.items_without_size:,} 个条目无规模（其所属 {domains.domains_without_size:,} 个域名计入 N，"
            "字节数仅含其余条目）。"
        )
    return Found(
        PASS,
        f"{domains.listed:,} of N = {domains.distinct:,} registrable domains listed ({rule_en}), "
        f"{domains.listed_bytes:,} of {domains.total_bytes:,} bytes crawled." + gaps_en,
        f"共 N = {domains.distinct:,} 个可注册域名，列出 {domains.listed:,} 个（{rule_zh}），"
        f"覆盖爬取字节 {domains.listed_bytes:,} / {domains.total_bytes:,}。" + gaps_zh,
        MEASURED,
    )


@CHECKS.register("EU-TS-18-SME")
def sme_status(ctx: EuContext) -> Found:
    if not of(ctx.inputs, EuCategory.CRAWLED):
        return Found(NOT_APPLICABLE, "The provider did not crawl.", "提供者未进行爬取。", DECLARED)
    if ctx.inputs.manifest.provider.is_sme is None:
        return Found(
            FAIL,
            "provider.is_sme is not set: the general rule (top 10%) is applied, which lists at least as many "
            "domains as the SME rule.",
            "未填写 provider.is_sme：采用一般规则（前 10%），其列出的域名不少于中小企业规则。",
            Provenance.MISSING,
        )
    return Found(PASS, "The provider's SME status is stated.", "已说明提供者是否为中小企业。", ATTESTED)


# --- versions and cadence -----------------------------------------------------------------------------------------


@CHECKS.register("EU-TS-26")
def update_cadence(ctx: EuContext) -> Found:
    summary = ctx.inputs.manifest.summary
    date = dt.date.fromisoformat(ctx.inputs.result.document_date)
    if summary.last_update is None:
        return Found(
            MISSING,
            "summary.last_update is not set.",
            "未填写 summary.last_update。",
            Provenance.MISSING,
            missing=["summary.last_update"],
        )
    age = (date - summary.last_update).days
    if age > UPDATE_DAYS:
        return Found(
            FAIL,
            f"Last update {summary.last_update.isoformat()} is {age} days before the document date "
            f"{date.isoformat()} (more than {UPDATE_DAYS}).",
            f"最后更新日期 {summary.last_update.isoformat()} 早于文件日期 {date.isoformat()} {age} 天"
            f"（超过 {UPDATE_DAYS} 天）。",
            ATTESTED,
        )
    return Found(
        PASS,
        f"Last update {summary.last_update.isoformat()}, {age} days before the document date.",
        f"最后更新日期 {summary.last_update.isoformat()}，距文件日期 {age} 天。",
        ATTESTED,
    )


_NO_PREVIOUS = ("No previous version was given (--previous).", "未提供上一版本（--previous）。")


@CHECKS.register("EU-TS-26-CHANGE")
def version_on_change(ctx: EuContext) -> Found:
    changes = ctx.draft.header.changes
    if changes is None:
        return Found(NOT_APPLICABLE, *_NO_PREVIOUS, ATTESTED)
    same = changes.previous_version is not None and changes.previous_version == ctx.inputs.manifest.summary.version
    if changes.material and same:
        return Found(
            FAIL,
            f"Sources, modalities, size ranges or listed domains changed since version {changes.previous_version}, "
            "but the version is unchanged.",
            f"自版本 {changes.previous_version} 以来，来源、模态、规模区间或所列域名已有变化，但版本号未变。",
            MEASURED,
        )
    return Found(PASS, "The version changed, or nothing material did.", "版本号已更新，或无重大变更。", MEASURED)


@CHECKS.register("EU-TS-27-PREV")
def previous_linked(ctx: EuContext) -> Found:
    changes = ctx.draft.header.changes
    if changes is None:
        return Found(NOT_APPLICABLE, *_NO_PREVIOUS, ATTESTED)
    if changes.previous_url is not None and changes.previous_url in ctx.inputs.manifest.summary.previous_versions:
        return Found(
            PASS, f"Version {changes.previous_version} is linked.", f"已链接版本 {changes.previous_version}。", ATTESTED
        )
    where = changes.previous_url or "its URL (summary.url of the previous manifest) is unknown"
    return Found(
        FAIL,
        f"The previous version ({changes.previous_version}) is not among summary.previous_versions: {where}.",
        f"上一版本（{changes.previous_version}）不在 summary.previous_versions 中：{where}。",
        ATTESTED,
    )


# --- Annex XI and XII ----------------------------------------------------------------------------------------------


def _documented(ctx: EuContext, datasets: list[AnnexDataset] | list[AnnexXiiDataset]) -> Found:
    gaps = [(d.source_id or "", d.missing) for d in datasets if d.missing]
    counts = Counts(applicable=len(datasets), failed=len(gaps), passed=len(datasets) - len(gaps))
    if exempt(ctx.inputs):
        return Found(
            NOT_APPLICABLE,
            "Every model is open source without systemic risk: Art. 53(2) exempts this documentation.",
            "所有模型均为无系统性风险的开源模型：依第53条第2款豁免该文档。",
            DECLARED,
        )
    if gaps:
        listed = "; ".join(f"{sid}: {', '.join(missing)}" for sid, missing in gaps)
        return Found(
            FAIL, f"Missing: {listed}.", f"缺少：{listed}。", DECLARED, counts=counts, evidence=[sid for sid, _ in gaps]
        )
    return Found(
        PASS,
        f"All {len(datasets)} datasets are documented.",
        f"全部 {len(datasets)} 个数据集均已记录。",
        DECLARED,
        counts=counts,
    )


@CHECKS.register("EU-TD-01")
def annex_xi_documented(ctx: EuContext) -> Found:
    return _documented(ctx, ctx.datasets)


@CHECKS.register("EU-TD-02")
def annex_xii_documented(ctx: EuContext) -> Found:
    return _documented(ctx, ctx.xii_datasets)


# The consistency checks (EU-CONS-*) register on the same CHECKS in their own module.
from aireport.disclose.eu import consistency as _consistency  # noqa: E402, F401
