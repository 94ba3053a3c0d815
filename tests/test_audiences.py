"""What each audience sees: the public Summary, the authority's Annex XI and Chinese report, the downstream Annex XII.

Over the Lumen example (examples/lumen: a licensed stock library under contract LUM-LEG-2024-117 with Meridian
Imagery, a crawl with planted robots.txt refusals, a CC-BY-4.0 dataset with planted non-commercial items), built
in both editions and rendered to HTML. The clean edition of a public or downstream document carries no rule id,
digest, verification tag, provenance badge, counterparty or contract; the annotated edition carries them; the
Chinese report carries no English word outside proper names and ids.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from aireport.disclose.registry import build_document
from aireport.engine.config import EngineConfig
from aireport.example import write_example
from aireport.models.cn.assessment import CnAssessmentDocument
from aireport.models.documents import Document
from aireport.models.eu.summary import AnnexDocument, AnnexXiiDocument, EuSummaryDocument
from aireport.models.run import Run
from aireport.pipeline import RunRequest, run
from aireport.render.html import render_html

N = 3000
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lumen"
HEX64 = re.compile(r"\b[0-9a-f]{64}\b")
CONTRACT = "LUM-LEG-2024-117"


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> Run:
    manifest = write_example(tmp_path_factory.mktemp("lumen"), N)
    request = RunRequest(
        manifest=manifest,
        packs=("eu-ai-act", "cn-genai"),
        document_date="2026-11-24",
        engine=EngineConfig(threads=1),
        assessment_date=dt.date(2025, 10, 31),
        statements=EXAMPLE / "cn-statements.yaml",
    )
    return run(request)


def visible(page: str) -> str:
    """The text a reader sees: no head, no styles, no tags."""
    body = page[page.index("<body") :]
    body = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _page(doc: Document, lang: str) -> str:
    """The page, without the break opportunities (<wbr>) that long addresses and digests carry."""
    return render_html(doc, (lang,)).replace("<wbr>", "")


# --- the public Summary ----------------------------------------------------------------------------------------------


def test_the_demo_summary_is_a_draft_with_its_reasons(lumen: Run) -> None:
    doc = build_document("eu-training-summary", lumen, "clean")
    assert isinstance(doc, EuSummaryDocument)
    assert (doc.audience, doc.edition, doc.status) == ("public", "clean", "draft")
    fields = {r.field for r in doc.draft_reasons}
    assert {"2.3 (d); 3.1 (b)", "2.1 (c)", "3.2"} <= fields  # robots and TDM, the NC licences, the filter
    assert all(r.finding is None for r in doc.draft_reasons)  # ids only in the annotated edition


def test_the_public_summary_carries_nothing_internal(lumen: Run) -> None:
    doc = build_document("eu-training-summary", lumen, "clean")
    for lang in ("en", "zh"):
        page = _page(doc, lang)
        text = visible(page)
        assert not re.search(r"\b(EU|CN|RES)-[A-Z]{2,}", text), "a rule id"
        assert not HEX64.search(page), "a digest"
        for tag in ("[S]", "[T]", "[P]", "UNVERIFIED", "V1", "V2"):
            assert tag not in text, tag
        assert 'class="prov ' not in page  # no provenance badges
        assert CONTRACT not in page  # the licence contract
        assert "Meridian" not in page  # the licensor
        assert "aireport" not in text  # the tool is named in the metadata only
    json_text = doc.model_dump_json()
    assert CONTRACT not in json_text
    assert not HEX64.search(json_text)


def test_the_annotated_summary_keeps_the_workings(lumen: Run) -> None:
    doc = build_document("eu-training-summary", lumen, "annotated")
    page = _page(doc, "en")
    assert "EU-CONS-ROBOTS" in page
    assert HEX64.search(page)
    assert 'class="prov ' in page
    assert CONTRACT in page  # withheld evidence, shown to the provider


def test_the_template_to_the_letter(lumen: Run) -> None:
    doc = build_document("eu-training-summary", lumen, "clean")
    assert isinstance(doc, EuSummaryDocument)
    page = _page(doc, "en")
    # 1.3 as the template's three-column table
    assert re.search(r'<table class="modalities">.*?Modality.*?Training data size.*?Types of content', page, re.S)
    # tick-boxes for Yes/No, the postal address, clickable links
    assert page.count('class="yesno') >= 9
    assert "Rosenthaler Strasse 40" in page
    assert '<a class="url" href="https://lumen-imaging.example/ai/lumen-canvas-2/training-summary/1.0">' in page
    assert '<a class="url" href="mailto:ai-transparency@lumen-imaging.example">' in page
    # the domain list printed in 2.3 and named as a dated, versioned file
    domains = doc.sources.crawled.domains
    assert page.count("<li value=") == domains.printed == domains.listed > 0
    assert domains.attachment == "eu-training-summary-domains-v1.1-2026-09-30.csv"
    # one date format per language, no "53(1)(D)"
    assert "30/09/2026" in page
    assert "2026-09-30" not in visible(page).replace(domains.attachment, "")
    assert "2026年9月30日" in _page(doc, "zh")
    assert "53(1)(d)" in page
    assert "text-transform: uppercase" not in page.split(".kicker {")[-1][:80]


def test_the_chinese_edition_says_it_is_an_unofficial_translation(lumen: Run) -> None:
    doc = build_document("eu-training-summary", lumen, "clean")
    assert "本中文版为非官方译文" in _page(doc, "zh")
    assert "非官方译文" not in _page(doc, "en")


# --- Annex XI and XII ----------------------------------------------------------------------------------------------


def test_annex_xi_for_authorities(lumen: Run) -> None:
    doc = build_document("eu-annex-xi-data", lumen, "clean")
    assert isinstance(doc, AnnexDocument)
    assert doc.audience == "authority"
    assert [g.split for g in doc.splits] == ["training", "validation", "testing"]
    assert doc.splits[1].datasets == doc.splits[2].datasets == []  # stated as none, not left out
    assert [c.training_flop for c in doc.compute] == [2.4e23]
    stock = next(d for d in doc.datasets if d.source_id == "meridian-stock")
    assert stock.agreement is not None
    assert CONTRACT in stock.agreement  # the AI Office may see the contract
    assert stock.acquisition.en.startswith("Licensed from the rightsholder")
    app = next(d for d in doc.datasets if d.source_id == "app-uploads")
    assert app.origin.en == "outside the EU (CN)"  # never the PRC filing's "domestic"
    crawl = next(d for d in doc.datasets if d.source_id == "lumenbot-crawl")
    assert crawl.acquisition_detail.value == "LumenBot"  # the crawler, not its user-agent string
    page = _page(doc, "en")
    assert "2.4 × 10²³ FLOP" in page
    assert "domestic" not in visible(page)


def test_annex_xii_for_downstream_providers_has_no_contract_details(lumen: Run) -> None:
    doc = build_document("eu-annex-xii-data", lumen, "clean")
    assert isinstance(doc, AnnexXiiDocument)
    assert doc.audience == "downstream"
    stock = next(d for d in doc.datasets if d.category == "licensed")
    assert (stock.named, stock.label.en, stock.licence) == (False, "Commercially licensed dataset (image)", None)
    assert stock.label.zh == "商业许可数据集（图像）"
    page = _page(doc, "en")
    assert CONTRACT not in page
    assert "Meridian" not in page
    assert "LicenseRef" not in page
    assert "supplier" not in visible(page).lower()


# --- the Chinese report ----------------------------------------------------------------------------------------------


ALLOWED_TERMS = {"robots", "AIGC", "SHA-256", "GB/T", "TC260-003", "K", "N"}
"""Terms the standard's own Chinese text uses (robots协议, AIGC), ids and symbols."""


def _allowlist(run_: Run) -> set[str]:
    m = run_.manifest
    words = {w for text in (m.provider.legal_name, *(f"{x.name} {x.version}" for x in m.models)) for w in text.split()}
    words |= {s.source_id for s in run_.sources} | {s.license for s in run_.sources if s.license}
    words |= {s.crawler_name for s in run_.sources if s.crawler_name}
    return words | ALLOWED_TERMS


def latin_words(text: str, allowed: set[str]) -> list[str]:
    """Latin-script words (two letters or more) that are not proper names, ids or the standard's own terms; an id is
    a token with a digit or a capitalised hyphenated code (LUM-ANN-023, TC260-003, CC-BY-4.0)."""
    found = []
    for found_token in re.findall(r"[A-Za-z][A-Za-z0-9./\-]*[A-Za-z0-9]|[A-Za-z]", text):
        token = found_token.rstrip(".")
        if (
            token in allowed
            or len(token) < 2
            or re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9.]+)+|[A-Za-z.\-]*\d[A-Za-z0-9.\-]*", token)
        ):
            continue
        found.append(token)
    return found


def test_the_chinese_report_has_no_english(lumen: Run) -> None:
    doc = build_document("cn-assessment", lumen, "clean")
    assert isinstance(doc, CnAssessmentDocument)
    text = visible(_page(doc, "zh"))
    assert latin_words(text, _allowlist(lumen)) == []
    # the standard's own term, and one meaning of 声明 (a signed statement)
    assert "容差" not in text
    assert "阈值" in text
    assert "used_in_training" not in text
    assert "public_facing_cn" not in text


def test_the_latin_word_counter_counts(lumen: Run) -> None:
    """The test above can fail: English left in a Chinese sentence is found, ids and names are not."""
    allowed = _allowlist(lumen)
    assert latin_words("语料 covered by 4,000 samples（LUM-ANN-023，img-000000669，Lumen Imaging GmbH）", allowed) == [
        "covered",
        "by",
        "samples",
    ]


def test_the_report_states_its_scope_and_concludes_for_it(lumen: Run) -> None:
    doc = build_document("cn-assessment", lumen, "clean")
    assert isinstance(doc, CnAssessmentDocument)
    assert "语料安全部分" in doc.scope.zh
    assert "不在本报告范围内" in doc.scope.zh
    assert doc.conclusion.narrative.zh.endswith(f"语料安全部分的评估结论为：{doc.conclusion.result_zh}。")
    page = visible(_page(doc, "zh"))
    assert "整体评估结论" not in page
    assert "语料安全部分评估结论" in page
    assert "评估单位（盖章）" in page  # the seal line


def test_clauses_follow_the_standard_and_no_draft_is_a_clause(lumen: Run) -> None:
    doc = build_document("cn-assessment", lumen, "clean")
    assert isinstance(doc, CnAssessmentDocument)
    sections = list(dict.fromkeys(c.section_title.zh for c in doc.clauses))
    assert sections[:4] == ["5.1 语料来源安全要求", "5.2 语料内容安全要求", "5.3 语料标注安全要求", "9.2 语料安全评估"]
    standard = [
        c.provision.zh for c in doc.clauses if c.section.value in ("source", "content", "annotation", "assessment")
    ]
    assert standard[:3] == ["5.1 a) 1)", "5.1 a) 2)", "5.1 b)（来源多样性）"]
    for c in doc.clauses:
        if c.kind == "clause":
            assert "征求意见稿" not in c.provision.zh + c.instrument.zh
            assert "draft" not in c.provision.en.lower()
    assert not any("GB 45438" in c.instrument.zh for c in doc.clauses)  # the Labelling Measures stand alone


def test_filing_in_progress_for_an_assessment_made_for_the_filing(lumen: Run) -> None:
    doc = build_document("cn-assessment", lumen, "clean")
    assert isinstance(doc, CnAssessmentDocument)
    im17 = next(c for c in doc.clauses if c.clause_id == "IM-17")
    assert (im17.result.value, im17.result_zh) == ("in_progress", "备案办理中")
    assert doc.conclusion.deciding.in_progress == 1
    assert "IM-17" not in doc.conclusion.non_compliant_clauses


def test_the_remediation_plan_is_dated(lumen: Run) -> None:
    doc = build_document("cn-assessment", lumen, "clean")
    assert isinstance(doc, CnAssessmentDocument)
    assert {p.clause_id for p in doc.remediation} == set(doc.conclusion.non_compliant_clauses)
    robots = next(p for p in doc.remediation if p.clause_id == "TC-5.1-c-2")
    assert (robots.due, robots.owner and robots.owner.zh) == ("2025-11-30", "爬虫工程负责人")
