"""Checks the rule language cannot express, made while building the Summary: each is a finding with a citation.

They compare figures with each other (a declared size range with the measured size, the latest collection date
with the inventory), with the document date (the deadline, the six-month update cadence) or with the previous
version. A contradiction is a failing check, never an exception. Ids follow the candidate rules of the
reference notes (§4); ``EU-TS-07`` is TS-07 and so on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aireport.disclose.eu.common import EuInputs
from aireport.disclose.eu.general import SourceFigures, bin_label
from aireport.models.base import Bilingual
from aireport.models.eu.summary import (
    Check,
    DomainList,
    EuSummaryDocument,
    GeneralSection,
    PublicSection,
)
from aireport.models.results import Outcome, Provenance
from aireport.models.rules import Citation, Severity, Verification

TEMPLATE = "Explanatory Notice and Template for the Public Summary of Training Content, C(2025) 5235 final"
AI_ACT = "Regulation (EU) 2024/1689 (AI Act)"
GPAI_APPLICATION = dt.date(2025, 8, 2)
LEGACY_DEADLINE = dt.date(2027, 8, 2)
UPDATE_DAYS = 183

_MODALITY_ZH = {"text": "文本", "image": "图像", "audio": "音频", "video": "视频", "other": "其他"}


def cite(citation: str, provision: str, verification: Verification, tag: str, note: str | None = None) -> Citation:
    return Citation(instrument=citation, provision=provision, verification=verification, reference_tag=tag, note=note)


def make_check(
    check_id: str,
    field: str,
    severity: Severity,
    outcome: Outcome,
    title: tuple[str, str],
    message: tuple[str, str],
    citation: Citation,
) -> Check:
    return Check(
        check_id=check_id,
        field=field,
        severity=severity,
        outcome=outcome,
        title=Bilingual(en=title[0], zh=title[1]),
        message=Bilingual(en=message[0], zh=message[1]),
        citation=citation,
    )


def _num(value: float | int) -> str:
    return f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"


# --- scope and timeline ----------------------------------------------------------------------------------------


def open_source(inputs: EuInputs) -> Check:
    models = [m.name for m in inputs.manifest.models if m.open_source]
    systemic = [m.name for m in inputs.manifest.models if m.open_source and (m.training_flop or 0) > 1e25]
    title = (
        "The open-source exemption does not cover the Summary or the copyright policy",
        "开源豁免不涵盖训练内容公开摘要和版权政策",
    )
    citation = cite(
        AI_ACT,
        "Art. 53(2); Art. 53(1)(c)-(d)",
        Verification.PRIMARY,
        "[P]",
        "Art. 53(2) exempts free and open-source models from points (a) and (b) only, and never models with "
        "systemic risk.",
    )
    if not models:
        message = ("No model is declared open-source.", "没有模型被声明为开源模型。")
        return make_check("EU-SCOPE-04", "Scope", Severity.INFO, Outcome.NOT_APPLICABLE, title, message, citation)
    en = (
        f"{', '.join(models)}: released as open source, which exempts points (a) and (b) of Art. 53(1) only; "
        "this Summary (d) and the copyright policy (c) remain required."
    )
    zh = f"{'、'.join(models)}：以开源方式发布，仅豁免第53条第1款(a)(b)项；本摘要（(d)项）和版权政策（(c)项）仍须提供。"
    if systemic:
        en += f" {', '.join(systemic)} exceed 10^25 FLOP (presumed systemic risk): no exemption applies."
        zh += f"{'、'.join(systemic)} 训练算力超过 10^25 FLOP（推定具有系统性风险），不适用任何豁免。"
    return make_check("EU-SCOPE-04", "Scope", Severity.INFO, Outcome.PASS, title, (en, zh), citation)


def deadline_of(placement: dt.date) -> dt.date:
    """Art. 111(3): models placed before 2 Aug 2025 by 2 Aug 2027; otherwise at placement (UNVERIFIED)."""
    return LEGACY_DEADLINE if placement < GPAI_APPLICATION else placement


def timeline(inputs: EuInputs) -> list[Check]:
    date = dt.date.fromisoformat(inputs.result.document_date)
    summary = inputs.manifest.summary
    citation = cite(
        AI_ACT,
        "Art. 53(1)(d); Art. 111(3); Art. 113(3)(b)",
        Verification.PRIMARY,
        "[P]",
        "Chapter V applies from 2 August 2025; models placed on the market before that date comply by 2 August "
        "2027 (Art. 111(3)). That a model placed later must publish its Summary when it is placed on the market "
        "is UNVERIFIED (secondary sources).",
    )
    title = ("The Summary is published by its deadline", "训练内容公开摘要在截止日期前发布")
    late_title = ("The Summary's first known version is not later than the deadline", "摘要已知最早版本不晚于截止日期")
    missing, overdue, late, notes_en, notes_zh = [], [], [], [], []
    for m in inputs.manifest.models:
        if m.eu_placement_date is None:
            missing.append(m.name)
            continue
        due = deadline_of(m.eu_placement_date)
        basis_en = "Art. 111(3)" if m.eu_placement_date < GPAI_APPLICATION else "placement date, UNVERIFIED"
        basis_zh = "第111条第3款" if m.eu_placement_date < GPAI_APPLICATION else "投放日期，未经核实"
        notes_en.append(f"{m.name}: due by {due.isoformat()} ({basis_en})")
        notes_zh.append(f"{m.name}：截止日期 {due.isoformat()}（{basis_zh}）")
        if date > due and summary.last_update is None:
            overdue.append(m.name)
        elif summary.last_update is not None and summary.last_update > due and not summary.previous_versions:
            late.append(m.name)
    checks = []
    if overdue:
        en = f"The deadline has passed and the Summary has no last-update date: {'; '.join(notes_en)}."
        zh = f"截止日期已过，但摘要没有最后更新日期：{'；'.join(notes_zh)}。"
        checks.append(make_check("EU-SCOPE-05", "Header", Severity.BLOCKER, Outcome.FAIL, title, (en, zh), citation))
    elif missing:
        en = f"No date of placement on the Union market for {', '.join(missing)}: the deadline cannot be computed."
        zh = f"{'、'.join(missing)} 缺少欧盟市场投放日期，无法计算截止日期。"
        outcome = Outcome.NOT_EVALUABLE
        checks.append(make_check("EU-SCOPE-05", "1.2 (iii)", Severity.BLOCKER, outcome, title, (en, zh), citation))
    else:
        en, zh = "; ".join(notes_en) + ".", "；".join(notes_zh) + "。"
        checks.append(make_check("EU-SCOPE-05", "Header", Severity.BLOCKER, Outcome.PASS, title, (en, zh), citation))
    if late:
        en = (
            f"The Summary's last update ({summary.last_update}) is after the deadline of {', '.join(late)} and no "
            "earlier version is linked. If an earlier version was published in time, link it under previous versions."
        )
        zh = (
            f"摘要最后更新日期（{summary.last_update}）晚于 {'、'.join(late)} 的截止日期，且未链接更早版本。"
            "如曾按时发布过更早版本，请在历史版本中链接。"
        )
        checks.append(
            make_check("EU-SCOPE-05-LATE", "Header", Severity.WARNING, Outcome.FAIL, late_title, (en, zh), citation)
        )
    return checks


# --- section 1.3 ------------------------------------------------------------------------------------------------

_TEMPLATE_13 = cite(TEMPLATE, "Template section 1.3", Verification.SECONDARY, "[T]")


def modality_consistency(inputs: EuInputs, figures: SourceFigures) -> Check:
    title = (
        "Item modalities agree with the modality each source declares",
        "条目模态与各来源声明的模态一致",
    )
    citation = cite(TEMPLATE, "Template section 1.3 (i)", Verification.SECONDARY, "[T]")
    if not figures.modalities_measured:
        message = (
            "The item manifests have no modality column: the declared modality of each source is used.",
            "条目清单没有 modality 列，采用各来源声明的模态。",
        )
        return make_check("EU-TS-05", "1.3 (i)", Severity.WARNING, Outcome.NOT_EVALUABLE, title, message, citation)
    if figures.mismatched:
        pairs = sorted(set(figures.mismatched))
        listed = ", ".join(f"{sid} has {m} items" for sid, m in pairs)
        listed_zh = "，".join(f"{sid} 含有{_MODALITY_ZH.get(m, m)}条目" for sid, m in pairs)
        message = (
            f"Items of another modality than their source declares: {listed}. They are counted under their own "
            "modality; correct the inventory or the items.",
            f"存在与来源声明不同模态的条目：{listed_zh}。这些条目按其自身模态计入；请更正来源清单或条目。",
        )
        return make_check("EU-TS-05", "1.3 (i)", Severity.WARNING, Outcome.FAIL, title, message, citation)
    message = ("Every item has its source's modality (or none).", "所有条目的模态均与其来源一致（或为空）。")
    return make_check("EU-TS-05", "1.3 (i)", Severity.WARNING, Outcome.PASS, title, message, citation)


def sizes(general: GeneralSection) -> list[Check]:
    """TS-06 (a size per modality), TS-07 (declared bin = measured bin), TS-07 edge warnings."""
    title6 = ("Every selected modality has a training data size", "每个所选模态均有训练数据规模")
    title7 = ("The declared size range matches the measured size", "声明的规模区间与实测规模一致")
    title7e = ("No size lies within 5% of a bin edge", "数据规模均不在区间边界的 5% 范围内")
    c6 = cite(TEMPLATE, "Template section 1.3 (ii)", Verification.SECONDARY, "[T]")
    c7 = cite(
        TEMPLATE,
        "Template section 1.3 (ii), size ranges",
        Verification.SECONDARY,
        "[T]",
        "The range labels are the template's [T]. A value exactly on an edge is put in the middle range: the "
        "template does not say (UNVERIFIED).",
    )
    unknown = [s for s in general.sizes if s.value is None and s.bytes is None and s.items is None]
    no_bin = [s for s in general.sizes if s.value is None and s not in unknown]
    if not general.sizes:
        r6 = (Outcome.NOT_EVALUABLE, "No modality is known, so no size can be given.", "模态未知，无法给出规模。")
    elif unknown:
        names = ", ".join(s.modality.value for s in unknown)
        names_zh = "、".join(_MODALITY_ZH[s.modality.value] for s in unknown)
        r6 = (
            Outcome.FAIL,
            f"No size is measured or declared for: {names}.",
            f"以下模态既无实测规模也无声明规模：{names_zh}。",
        )
    else:
        extra_en = (
            f" For {', '.join(s.modality.value for s in no_bin)} only the size in bytes is known: it is given as an "
            "approximate size in a different unit."
            if no_bin
            else ""
        )
        extra_zh = (
            f"{'、'.join(_MODALITY_ZH[s.modality.value] for s in no_bin)} 仅知字节数，以其他计量单位给出近似规模。"
            if no_bin
            else ""
        )
        r6 = (Outcome.PASS, "Every selected modality has a size." + extra_en, "每个所选模态均有规模。" + extra_zh)
    checks = [make_check("EU-TS-06", "1.3 (ii)", Severity.BLOCKER, r6[0], title6, (r6[1], r6[2]), c6)]

    declared = [s for s in general.sizes if s.declared is not None]
    wrong = [s for s in declared if s.selected is not None and s.selected is not s.declared]
    cannot = [s for s in declared if s.selected is None]
    if wrong:
        en = "; ".join(
            f"{s.modality.value}: declared '{bin_label(s.modality, s.declared)}', measured {_num(s.value or 0)} "
            f"{s.unit} is '{bin_label(s.modality, s.selected)}'"
            for s in wrong
        )
        zh = "；".join(
            f"{_MODALITY_ZH[s.modality.value]}：声明为“{bin_label(s.modality, s.declared)}”，实测 {_num(s.value or 0)} "
            f"{s.unit} 属于“{bin_label(s.modality, s.selected)}”"
            for s in wrong
        )
        r7 = (Outcome.FAIL, en + ".", zh + "。")
    elif cannot:
        names = ", ".join(s.modality.value for s in cannot)
        r7 = (
            Outcome.NOT_EVALUABLE,
            f"A range is declared for {names} but the size is unknown.",
            f"{names} 已声明规模区间，但规模未知。",
        )
    elif declared:
        r7 = (Outcome.PASS, "Every declared range matches the measured size.", "所有声明区间均与实测规模一致。")
    else:
        r7 = (
            Outcome.NOT_APPLICABLE,
            "No size range is declared; the Summary shows the measured one.",
            "未声明规模区间；摘要采用实测区间。",
        )
    checks.append(make_check("EU-TS-07", "1.3 (ii)", Severity.ERROR, r7[0], title7, (r7[1], r7[2]), c7))

    near = [s for s in general.sizes if s.edge_warning is not None]
    if near:
        en = "; ".join(
            f"{s.modality.value}: {_num(s.value or 0)} {s.unit} is {s.edge_warning.distance_percent:+.2f}% from the "
            f"edge {s.edge_warning.edge:,}"
            for s in near
            if s.edge_warning is not None
        )
        zh = "；".join(
            f"{_MODALITY_ZH[s.modality.value]}：{_num(s.value or 0)} {s.unit} 距边界 {s.edge_warning.edge:,} 为 "
            f"{s.edge_warning.distance_percent:+.2f}%"
            for s in near
            if s.edge_warning is not None
        )
        r7e = (
            Outcome.FAIL,
            en + ". A small counting or tokenisation difference could change the range; state the method in the "
            "additional comments.",
            zh + "。计数或分词方法的细微差异可能改变所属区间；请在补充说明中说明计量方法。",
        )
    else:
        r7e = (Outcome.PASS, "No size is near a range edge.", "没有规模接近区间边界。")
    checks.append(make_check("EU-TS-07-EDGE", "1.3 (ii)", Severity.WARNING, r7e[0], title7e, (r7e[1], r7e[2]), c7))
    return checks


def content_and_dates(inputs: EuInputs, general: GeneralSection) -> list[Check]:
    checks = []
    empty = [c.modality for c in general.content_types if not c.types]
    title = ("Types of content are described for every selected modality", "每个所选模态均说明了内容类型")
    cit = cite(TEMPLATE, "Template section 1.3 (iii)", Verification.SECONDARY, "[T]")
    if empty:
        names = ", ".join(m.value for m in empty)
        msg = (
            f"No types of content are declared for: {names}. Fill content_types in the inventory.",
            f"以下模态未声明内容类型：{'、'.join(_MODALITY_ZH[m.value] for m in empty)}。"
            "请在来源清单中填写 content_types。",
        )
        checks.append(make_check("EU-TS-09", "1.3 (iii)", Severity.BLOCKER, Outcome.FAIL, title, msg, cit))
    else:
        msg = ("Every selected modality has types of content.", "每个所选模态均有内容类型。")
        outcome = Outcome.PASS if general.content_types else Outcome.NOT_EVALUABLE
        checks.append(make_check("EU-TS-09", "1.3 (iii)", Severity.BLOCKER, outcome, title, msg, cit))

    latest = general.collection.latest
    declared = general.collection.declared_latest
    title = ("The latest date of data collection is known", "已知数据采集的最晚日期")
    cit = cite(
        TEMPLATE,
        "Template section 1.3 (iv)",
        Verification.SECONDARY,
        "[T]",
        "Written MM/YYYY, the exact month (AIAL F1.3.d.2) [S].",
    )
    if latest.display is None:
        msg = (
            "No collection date is measured (collected_at) or declared (collection_end).",
            "既无实测采集时间（collected_at）也无声明的采集结束日期（collection_end）。",
        )
        checks.append(make_check("EU-TS-10", "1.3 (iv)", Severity.BLOCKER, Outcome.FAIL, title, msg, cit))
    else:
        msg = (f"Latest collection: {latest.display} ({latest.provenance.value}).", f"最晚采集：{latest.display}。")
        checks.append(make_check("EU-TS-10", "1.3 (iv)", Severity.BLOCKER, Outcome.PASS, title, msg, cit))
    title = (
        "Items were not collected after the collection end the inventory declares",
        "条目采集时间不晚于来源清单声明的采集结束日期",
    )
    if latest.provenance is Provenance.MEASURED and declared.iso and latest.iso and latest.iso > declared.iso:
        msg = (
            f"Items were collected up to {latest.display}, later than the latest collection_end of the inventory "
            f"({declared.display}). The Summary states the measured month; correct the inventory.",
            f"条目采集至 {latest.display}，晚于来源清单中最晚的 collection_end（{declared.display}）。"
            "摘要采用实测月份；请更正来源清单。",
        )
        checks.append(make_check("EU-TS-10-DECLARED", "1.3 (iv)", Severity.WARNING, Outcome.FAIL, title, msg, cit))
    elif latest.provenance is Provenance.MEASURED and declared.iso:
        msg = ("Measured and declared collection dates agree.", "实测与声明的采集日期一致。")
        checks.append(make_check("EU-TS-10-DECLARED", "1.3 (iv)", Severity.WARNING, Outcome.PASS, title, msg, cit))

    langs = general.languages
    title = ("The languages of the training data are described", "已说明训练数据的语言")
    cit = cite(
        TEMPLATE,
        "Template section 1.3 (v)",
        Verification.SECONDARY,
        "[T]",
        "Best practice: name the languages and the EU official languages covered (AIAL F1.3.e) [S].",
    )
    if not langs.languages:
        msg = (
            "No language is measured (item column language) or declared (inventory languages).",
            "既无实测语言（条目 language 列）也无声明语言（来源清单 languages）。",
        )
        checks.append(make_check("EU-TS-11", "1.3 (v)", Severity.BLOCKER, Outcome.FAIL, title, msg, cit))
    else:
        msg = (
            f"{len(langs.languages)} languages, {langs.eu_official_count} of the 24 EU official languages.",
            f"共 {len(langs.languages)} 种语言，涵盖欧盟 24 种官方语言中的 {langs.eu_official_count} 种。",
        )
        checks.append(make_check("EU-TS-11", "1.3 (v)", Severity.BLOCKER, Outcome.PASS, title, msg, cit))
    return checks


# --- section 2 ---------------------------------------------------------------------------------------------------


def public_datasets(public: PublicSection) -> list[Check]:
    title = ("Large public datasets are identified by name and link", "大型公开数据集均注明名称和链接")
    cit = public.threshold_citation
    checks = []
    if public.used.inventory_sources == 0:
        msg = ("No public dataset is used.", "未使用公开数据集。")
        return [make_check("EU-TS-13-LARGE", "2.1 (c)", Severity.ERROR, Outcome.NOT_APPLICABLE, title, msg, cit)]
    unlinked = [d.name for d in public.large if not d.url]
    threshold = f"{public.threshold_percent:g}%"
    if unlinked:
        msg = (
            f"Listed as large (share above {threshold} or unknown) but without a link: {', '.join(unlinked)}.",
            f"被列为大型数据集（占比超过 {threshold} 或未知）但缺少链接：{'、'.join(unlinked)}。",
        )
        outcome = Outcome.FAIL
    elif not public.shares_complete:
        msg = (
            "The size of some public datasets is unknown, so their shares cannot be computed: every public dataset "
            "of such a modality is listed as large.",
            "部分公开数据集规模未知，无法计算占比：该模态的所有公开数据集均按大型数据集列出。",
        )
        outcome = Outcome.NOT_EVALUABLE
    else:
        msg = (
            f"{len(public.large)} of {public.used.inventory_sources} public datasets exceed {threshold} of the "
            "public data of their modality and are listed with their links.",
            f"{public.used.inventory_sources} 个公开数据集中有 {len(public.large)} 个超过其模态公开数据的 {threshold}，"
            "已连同链接列出。",
        )
        outcome = Outcome.PASS
    checks.append(make_check("EU-TS-13-LARGE", "2.1 (c)", Severity.ERROR, outcome, title, msg, cit))

    title = (
        "The other public datasets are described by modality, content, languages and period",
        "其他公开数据集已按模态、内容、语言和采集期间加以说明",
    )
    cit = cite(
        TEMPLATE,
        "Template section 2.1 (d)",
        Verification.SECONDARY,
        "[T]",
        "Expected content per AIAL F2.1.d.3-6 [S].",
    )
    vague = [o.name or "?" for o in public.others if not (o.content_types and o.languages and o.collection_end)]
    if not public.others:
        msg = ("Every public dataset is listed by name in 2.1 (c).", "所有公开数据集均已在 2.1 (c) 中列名。")
        checks.append(make_check("EU-TS-14", "2.1 (d)", Severity.WARNING, Outcome.NOT_APPLICABLE, title, msg, cit))
    elif vague:
        msg = (
            f"Content types, languages or collection period missing for: {', '.join(vague)}.",
            f"以下数据集缺少内容类型、语言或采集期间：{'、'.join(vague)}。",
        )
        checks.append(make_check("EU-TS-14", "2.1 (d)", Severity.WARNING, Outcome.FAIL, title, msg, cit))
    else:
        msg = ("Every other public dataset is described.", "其他公开数据集均已说明。")
        checks.append(make_check("EU-TS-14", "2.1 (d)", Severity.WARNING, Outcome.PASS, title, msg, cit))
    return checks


def domains(domains: DomainList, crawled_sources: int) -> list[Check]:
    title = (
        "The most relevant crawled domains are listed by the template's rule",
        "按模板规则列出了最相关的爬取域名",
    )
    cit = domains.citation
    if crawled_sources == 0:
        msg = ("The provider did not crawl.", "提供者未进行爬取。")
        return [make_check("EU-TS-18", "2.3 (h)", Severity.BLOCKER, Outcome.NOT_APPLICABLE, title, msg, cit)]
    checks = []
    if domains.provenance is Provenance.MISSING:
        msg = (
            "The item manifests of crawled sources lack the domain or size_bytes column, so the domain list cannot "
            "be computed; a description of domain categories does not meet the requirement.",
            "爬取来源的条目清单缺少 domain 或 size_bytes 列，无法计算域名清单；仅描述域名类别不符合要求。",
        )
        checks.append(make_check("EU-TS-18", "2.3 (h)", Severity.BLOCKER, Outcome.NOT_EVALUABLE, title, msg, cit))
    elif domains.distinct == 0:
        msg = (
            "No crawled item has a domain (item column domain is empty), so the domain list cannot be computed.",
            "没有爬取条目带有域名（条目 domain 列为空），无法计算域名清单。",
        )
        checks.append(make_check("EU-TS-18", "2.3 (h)", Severity.BLOCKER, Outcome.NOT_EVALUABLE, title, msg, cit))
    else:
        rule_en = "min(ceil(5% of N), 1000) for SMEs" if domains.sme else "ceil(10% of N)"
        rule_zh = "中小企业取 min(ceil(N×5%), 1000)" if domains.sme else "ceil(N×10%)"
        msg = (
            f"{domains.listed:,} of N = {domains.distinct:,} registrable domains listed ({rule_en}), "
            f"{domains.listed_bytes:,} of {domains.total_bytes:,} bytes crawled.",
            f"共 N = {domains.distinct:,} 个可注册域名，列出 {domains.listed:,} 个（{rule_zh}），"
            f"覆盖爬取字节 {domains.listed_bytes:,} / {domains.total_bytes:,}。",
        )
        checks.append(make_check("EU-TS-18", "2.3 (h)", Severity.BLOCKER, Outcome.PASS, title, msg, cit))
    title = ("The provider's SME status is known", "已知提供者是否为中小企业")
    if domains.sme is None:
        msg = (
            "provider.is_sme is not set: the general rule (top 10%) is applied, which lists at least as many "
            "domains as the SME rule.",
            "未填写 provider.is_sme：采用一般规则（前 10%），其列出的域名不少于中小企业规则。",
        )
        checks.append(make_check("EU-TS-18-SME", "2.3 (h)", Severity.WARNING, Outcome.FAIL, title, msg, cit))
    return checks


# --- versions and cadence -----------------------------------------------------------------------------------------


def cadence(inputs: EuInputs, doc: EuSummaryDocument) -> list[Check]:
    summary = inputs.manifest.summary
    date = dt.date.fromisoformat(inputs.result.document_date)
    title = ("The Summary was updated within the last six months", "摘要在过去六个月内已更新")
    cit = cite(
        TEMPLATE,
        "Explanatory Notice point 29 (update at least every six months, or on a material change)",
        Verification.SECONDARY,
        "[S]",
        f"Six months taken as {UPDATE_DAYS} days.",
    )
    checks = []
    if summary.last_update is None:
        msg = ("summary.last_update is not set.", "未填写 summary.last_update。")
        checks.append(make_check("EU-TS-26", "Header", Severity.WARNING, Outcome.NOT_EVALUABLE, title, msg, cit))
    else:
        age = (date - summary.last_update).days
        if age > UPDATE_DAYS:
            msg = (
                f"Last update {summary.last_update.isoformat()} is {age} days before the document date "
                f"{date.isoformat()} (more than {UPDATE_DAYS}).",
                f"最后更新日期 {summary.last_update.isoformat()} 早于文件日期 {date.isoformat()} {age} 天"
                f"（超过 {UPDATE_DAYS} 天）。",
            )
            checks.append(make_check("EU-TS-26", "Header", Severity.WARNING, Outcome.FAIL, title, msg, cit))
        else:
            msg = (
                f"Last update {summary.last_update.isoformat()}, {age} days before the document date.",
                f"最后更新日期 {summary.last_update.isoformat()}，距文件日期 {age} 天。",
            )
            checks.append(make_check("EU-TS-26", "Header", Severity.WARNING, Outcome.PASS, title, msg, cit))
    changes = doc.header.changes
    if changes is None:
        return checks
    title = ("A material change comes with a new version", "重大变更时发布了新版本")
    same = changes.previous_version is not None and changes.previous_version == summary.version
    if changes.material and same:
        msg = (
            f"Sources, modalities, size ranges or listed domains changed since version {changes.previous_version}, "
            "but the version is unchanged.",
            f"自版本 {changes.previous_version} 以来，来源、模态、规模区间或所列域名已有变化，但版本号未变。",
        )
        checks.append(make_check("EU-TS-26-CHANGE", "Header", Severity.WARNING, Outcome.FAIL, title, msg, cit))
    else:
        msg = ("The version changed, or nothing material did.", "版本号已更新，或无重大变更。")
        checks.append(make_check("EU-TS-26-CHANGE", "Header", Severity.WARNING, Outcome.PASS, title, msg, cit))
    title = ("The previous version is linked", "已链接上一版本")
    cit = cite(
        TEMPLATE,
        "Template header (Version of the Summary, links to previous versions)",
        Verification.SECONDARY,
        "[S]",
        "AIAL D23-D27 [S].",
    )
    linked = changes.previous_url is not None and changes.previous_url in summary.previous_versions
    if linked:
        msg = (f"Version {changes.previous_version} is linked.", f"已链接版本 {changes.previous_version}。")
        checks.append(make_check("EU-TS-27-PREV", "Header", Severity.WARNING, Outcome.PASS, title, msg, cit))
    else:
        where = changes.previous_url or "its URL (summary.url of the previous manifest) is unknown"
        msg = (
            f"The previous version ({changes.previous_version}) is not among summary.previous_versions: {where}.",
            f"上一版本（{changes.previous_version}）不在 summary.previous_versions 中：{where}。",
        )
        checks.append(make_check("EU-TS-27-PREV", "Header", Severity.WARNING, Outcome.FAIL, title, msg, cit))
    return checks


def unused_items(inputs: EuInputs) -> list[Check]:
    measure = inputs.measure("items_not_in_training")
    if measure is None:
        return []
    total = next((v.value for v in measure.values if v.source_id is None), 0) or 0
    if not total:
        return []
    title = ("Sizes count only items used in training", "规模仅统计用于训练的条目")
    msg = (
        f"{int(total):,} items are marked used_in_training = false, yet the sizes, languages and domains count them "
        "(the engine cannot yet leave them out). Remove them from the item manifests before publishing.",
        f"有 {int(total):,} 个条目标记为 used_in_training = false，但规模、语言和域名统计仍包含它们。"
        "发布前请将其从条目清单中移除。",
    )
    cit = cite(
        TEMPLATE, "Template section 1.3 (data after pre-processing, before training)", Verification.SECONDARY, "[T]"
    )
    return [make_check("EU-ITEMS-UNUSED", "1.3", Severity.WARNING, Outcome.FAIL, title, msg, cit)]


_ORDER = {Outcome.FAIL: 0, Outcome.NOT_EVALUABLE: 1, Outcome.PASS: 2, Outcome.NOT_APPLICABLE: 3}


def sort_checks(checks: Sequence[Check]) -> list[Check]:
    """Failing first, then missing evidence, passes, not applicable; most severe first; then by id."""
    return sorted(checks, key=lambda c: (_ORDER[c.outcome], -c.severity.rank, c.check_id))
