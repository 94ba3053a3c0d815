"""The findings document, its schema, the catalogues and the templates, without rendering a PDF.

Expected figures are worked out by hand: from tests/fixtures/tiny (see tests/test_engine.py for the
derivation of every count) and from small results written out below.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator

from aireport.disclose.findings import build_findings, percent
from aireport.engine.config import EngineConfig
from aireport.errors import RenderError
from aireport.models.base import Bilingual
from aireport.models.cn.statements import ClauseResult
from aireport.models.documents import FindingsDocument
from aireport.models.resolutions import ResolutionStatus
from aireport.models.results import (
    INPUT_ROLES,
    Counts,
    EvaluationResult,
    Outcome,
    Provenance,
    RowAccounting,
    RuleResult,
    SourceCounts,
    Verdict,
)
from aireport.models.rules import Citation, Scope, Severity, Verification
from aireport.pipeline import check_dataset
from aireport.render.document_json import document_json, document_schema, read_document, schema_problems
from aireport.render.html import css_string, render_html
from aireport.render.i18n import Translator, format_percent, parse_languages, read_catalogue
from aireport.resources import data_dir
from tests.conftest import FIXTURES, TINY_PACK

TEMPLATES = data_dir("templates")


@pytest.fixture(scope="module")
def tiny_doc() -> FindingsDocument:
    result = check_dataset(FIXTURES / "tiny" / "manifest.yaml", [TINY_PACK], EngineConfig(), "2026-01-01")
    return build_findings(result)


def _rule(rule_id: str, severity: Severity, outcome: Outcome, **kw: Any) -> RuleResult:
    text = Bilingual(en="text", zh="文字")
    fields: dict[str, Any] = {
        "pack": "p",
        "rule_id": rule_id,
        "title": text,
        "citation": Citation(instrument="Act", provision="Art. 1", verification=Verification.PRIMARY),
        "severity": severity,
        "scope": Scope.DATASET,
        "outcome": outcome,
        "basis": Provenance.DECLARED,
        "counts": Counts(applicable=1, passed=int(outcome is Outcome.PASS), failed=int(outcome is Outcome.FAIL)),
        "failing_fraction": 0.0,
        "tolerance": "0",
        "tolerance_per": "overall",
        "message": text,
        "fix": text,
    }
    fields.update(kw)
    return RuleResult(**fields)


def _result(*rules: RuleResult) -> EvaluationResult:
    return EvaluationResult(
        tool_version="9.9.9",
        document_date="2026-03-04",
        dataset="d",
        inputs=[],
        packs=[],
        rows=RowAccounting(read=12, evaluated=10, rejected=2, rejected_by_reason={"type": 2}),
        verdict=Verdict(by_outcome={}, failures_by_severity={}, worst_failure=None),
        rules=list(rules),
        measures=[],
    )


# --- the builder ------------------------------------------------------------------------------


def test_summary_counts_rules_by_severity_and_outcome(tiny_doc: FindingsDocument) -> None:
    # Blockers T-AGREEMENT, T-ROBOTS fail; errors T-PLACEMENT, T-SAFETY, T-SAMPLE fail; warning
    # T-COMMERCIAL fails; info T-LANG lacks the rights_holder column.
    rows = {
        r.severity.value: (r.failed, r.not_evaluable, r.passed, r.not_applicable) for r in tiny_doc.summary.by_severity
    }
    assert rows == {"blocker": (2, 0, 0, 0), "error": (3, 0, 0, 0), "warning": (1, 0, 0, 0), "info": (0, 1, 0, 0)}
    assert [r.severity.value for r in tiny_doc.summary.by_severity] == ["blocker", "error", "warning", "info"]
    totals = tiny_doc.summary.totals
    assert (totals.failed, totals.not_evaluable, totals.passed, totals.not_applicable, totals.total) == (6, 1, 0, 0, 7)
    assert tiny_doc.summary.verdict == "fail"
    assert tiny_doc.summary.worst_failure is Severity.BLOCKER


def test_rules_are_grouped_by_outcome_most_severe_first(tiny_doc: FindingsDocument) -> None:
    assert [r.rule_id for r in tiny_doc.rules_failing] == [
        "T-AGREEMENT",
        "T-ROBOTS",
        "T-PLACEMENT",
        "T-SAFETY",
        "T-SAMPLE",
        "T-COMMERCIAL",
    ]
    assert [(r.rule_id, r.missing_fields) for r in tiny_doc.rules_missing_evidence] == [("T-LANG", ["rights_holder"])]
    assert tiny_doc.rules_passing == []
    assert tiny_doc.rules_not_applicable == []


def test_percentages_are_computed_in_the_document(tiny_doc: FindingsDocument) -> None:
    safety = next(r for r in tiny_doc.rules_failing if r.rule_id == "T-SAFETY")
    # 2 flagged of 9 assessed items; per source cc 1 of 3, web 1 of 4 (= the 25% tolerance), books 0 of 2.
    assert safety.failing_percent == 22.2222
    assert safety.tolerance_percent == 25.0
    assert [(s.source_id, s.failing_percent, s.outcome.value) for s in safety.per_source] == [
        ("books", 0.0, "pass"),
        ("cc", 33.3333, "fail"),
        ("web", 25.0, "pass"),
    ]


def test_item_fractions_cover_item_rules_with_applicable_rows(tiny_doc: FindingsDocument) -> None:
    # Item rules in the order of the failing section; T-LANG has no applicable row and no bar.
    assert [(f.rule_id, f.source_id, f.failed, f.applicable) for f in tiny_doc.item_fractions] == [
        ("T-ROBOTS", "web", 1, 4),
        ("T-SAFETY", "books", 0, 2),
        ("T-SAFETY", "cc", 1, 3),
        ("T-SAFETY", "web", 1, 4),
        ("T-COMMERCIAL", "books", 1, 3),
        ("T-COMMERCIAL", "cc", 1, 3),
    ]


def test_evidence_in_pages_is_a_sample_and_says_how_many_more() -> None:
    ids = [f"i{n:03d}" for n in range(15)]
    rule = _rule(
        "X-1",
        Severity.ERROR,
        Outcome.FAIL,
        scope=Scope.ITEM,
        counts=Counts(applicable=100, passed=60, failed=40),
        evidence=ids,
        per_source=[
            SourceCounts(source_id="s", counts=Counts(applicable=100, failed=40), failing_fraction=0.4, outcome="fail")
        ],
    )
    finding = build_findings(_result(rule)).rules_failing[0]
    assert finding.evidence == ids[:10]
    assert finding.evidence_more == 30
    assert finding.failing_percent == 40.0


def test_verdict_is_missing_evidence_when_nothing_fails_but_something_is_unknown() -> None:
    doc = build_findings(
        _result(_rule("A-1", Severity.INFO, Outcome.NOT_EVALUABLE), _rule("A-2", Severity.ERROR, Outcome.PASS))
    )
    assert (doc.summary.verdict, doc.summary.worst_failure) == ("missing_evidence", None)
    doc = build_findings(_result(_rule("A-2", Severity.ERROR, Outcome.PASS)))
    assert doc.summary.verdict == "pass"


def test_worst_failure_is_the_highest_severity_that_failed() -> None:
    doc = build_findings(
        _result(
            _rule("A-1", Severity.WARNING, Outcome.FAIL),
            _rule("A-2", Severity.ERROR, Outcome.FAIL),
            _rule("A-3", Severity.BLOCKER, Outcome.PASS),
        )
    )
    assert doc.summary.worst_failure is Severity.ERROR
    assert [r.rule_id for r in doc.rules_failing] == ["A-2", "A-1"]


def test_row_accounting_is_carried_over() -> None:
    rows = build_findings(_result()).traceability.rows
    assert (rows.read, rows.evaluated, rows.rejected) == (12, 10, 2)
    assert [(r.reason, r.rows) for r in rows.rejected_by_reason] == [("type", 2)]


def test_percent_rounds_to_four_decimals() -> None:
    assert (percent(1, 3), percent(2, 3), percent(0, 0), percent(5, 5)) == (33.3333, 66.6667, 0.0, 100.0)


def test_percent_formatting_never_shows_a_misleading_zero_or_hundred() -> None:
    assert [format_percent(v) for v in (0.0, 0.004, 0.3, 33.3333, 99.999, 100.0)] == [
        "0.00%",
        "<0.01%",
        "0.30%",
        "33.33%",
        ">99.99%",
        "100.00%",
    ]


# --- schema ------------------------------------------------------------------------------------


def test_document_validates_against_its_schema(tiny_doc: FindingsDocument) -> None:
    Draft202012Validator.check_schema(document_schema("findings"))
    data = json.loads(document_json(tiny_doc))
    Draft202012Validator(document_schema("findings")).validate(data)
    assert (data["schema_version"], data["document"]) == ("1.0", "findings")


def _properties(node: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((f"{path}.{name}", prop))
        for key, value in node.items():
            found += _properties(value, f"{path}.{key}")
    elif isinstance(node, list):
        for value in node:
            found += _properties(value, path)
    return found


def test_every_document_field_is_described() -> None:
    schema = document_schema("findings")
    # Citation and Bilingual come from the rule models; every field of the document models has a description.
    own = {name for name in schema["$defs"] if name not in {"Citation", "Bilingual"}}
    undocumented = [
        path
        for path, prop in _properties({k: v for k, v in schema.items() if k != "$defs"})
        + [p for name in own for p in _properties(schema["$defs"][name], name)]
        if "description" not in prop
    ]
    assert undocumented == []


def test_schema_mismatches_are_located(tiny_doc: FindingsDocument) -> None:
    data = json.loads(document_json(tiny_doc))
    bad = copy.deepcopy(data)
    bad["rules_failing"][1]["outcome"] = "maybe"
    bad["summary"]["extra"] = 1
    bad["schema_version"] = "2.0"
    fields = {p.field for p in schema_problems(bad, "f.json")}
    assert {"$.rules_failing[1].outcome", "$.summary", "$.schema_version"} <= fields
    assert schema_problems(data, "f.json") == []


def test_unknown_document_name_is_reported() -> None:
    problems = schema_problems({"document": "summary-eu"}, "x.json")
    assert len(problems) == 1
    assert "unknown document 'summary-eu'" in problems[0].message


def test_saved_document_reads_back_to_the_same_model(tiny_doc: FindingsDocument, tmp_path: Path) -> None:
    path = tmp_path / "findings.json"
    path.write_bytes(document_json(tiny_doc))
    assert read_document(path) == tiny_doc


def test_reading_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "document": "findings",\n  oops\n}')
    with pytest.raises(RenderError) as info:
        read_document(path)
    assert info.value.problems[0].line == 3


# --- catalogues and templates --------------------------------------------------------------------


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en = read_catalogue(TEMPLATES / "i18n" / "en.yaml")
    zh = read_catalogue(TEMPLATES / "i18n" / "zh.yaml")
    assert sorted(en) == sorted(zh)
    placeholder = re.compile(r"\{([a-z_]+)\}")
    assert {k: sorted(placeholder.findall(v)) for k, v in en.items()} == {
        k: sorted(placeholder.findall(v)) for k, v in zh.items()
    }
    # Nothing left in English: a Chinese message has Chinese in it, unless it is the same in both (SHA-256).
    assert [
        k for k, v in zh.items() if v != en[k] and not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", v)
    ] == []


def _template_sources() -> dict[str, str]:
    return {str(p.relative_to(TEMPLATES)): p.read_text() for p in TEMPLATES.rglob("*.j2")}


def test_every_message_a_template_asks_for_exists() -> None:
    en = read_catalogue(TEMPLATES / "i18n" / "en.yaml")
    static = re.compile(r"""\b(?:t|each)\(\s*'([a-z_.]+)'""")
    dynamic = re.compile(r"""'([a-z_.]+)'\s*~""")
    used = {key for text in _template_sources().values() for key in static.findall(text)}
    prefixes = {key for text in _template_sources().values() for key in dynamic.findall(text)}
    assert used
    assert prefixes
    static_keys = used - prefixes
    assert sorted(k for k in static_keys if k not in en) == []
    # Dynamic keys are a prefix and a value from a closed set: every value must have its message.
    values = {
        "outcome.": [o.value for o in Outcome],
        "severity.": [s.value for s in Severity],
        "scope.": [s.value for s in Scope],
        "verification.": [v.value for v in Verification],
        "role.": list(INPUT_ROLES),
        "register.failed_": ["item", "source"],
        "waivers.s_": list(get_args(ResolutionStatus)),
        "rule.tolerance_per_": ["source", "overall"],
        "cn.result.": [r.value for r in ClauseResult],
        "cn.provenance.": [p.value for p in Provenance],
        "cn.check_method.": ["manual", "technical"],
        "cn.origins.": ["domestic", "foreign"],
        "cn.modalities.": ["text", "image", "audio", "video", "code", "other"],
        "cn.unit.": ["bytes", "tokens", "items", "units", "hours"],
        "cn.purpose_": ["filing", "review"],
        "eu.annex.use.": ["training", "validation", "testing"],
    }
    assert prefixes == set(values)
    assert sorted(p + v for p, vs in values.items() for v in vs if p + v not in en) == []


# A label hidden in Jinja code: a Chinese, capitalised or several-word string literal.
_WORDS_IN_CODE = re.compile(r"[\u4e00-\u9fff]|[A-Z][a-z]|[A-Za-z]{2,}\s+[A-Za-z]{2,}")


def test_templates_hold_no_words_of_their_own() -> None:
    sources = _template_sources()
    assert {"findings/document.html.j2", "cn-assessment/document.html.j2", "cn-assessment/cn.css.j2"} <= set(sources)
    for name, text in sources.items():
        # Words in Jinja code are the template's own too: a table of labels ({'en': ..., 'zh': ...}), a string
        # printed as it is, or any literal that reads as language. Keys, field names and CSS classes remain.
        code = re.findall(r"\{%.*?%\}|\{\{.*?\}\}", re.sub(r"\{#.*?#\}", " ", text, flags=re.S), flags=re.S)
        literals = [a or b for c in code for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", c)]
        tables = [c for c in code if re.search(r"""['"](?:en|zh)['"]\s*:""", c)]
        printed = [c for c in code if re.fullmatch(r"""\{\{-?\s*(['"])[^'"]*[A-Za-z]{2,}[^'"]*\1\s*-?\}\}""", c)]
        assert (tables, printed, [q for q in literals if _WORDS_IN_CODE.search(q)]) == ([], [], []), name
        if name.endswith(".css.j2"):
            css = re.sub(r"\{\{.*?\}\}", "", text, flags=re.S)
            # CSS is not read by people except its content strings, which all come from the catalogue.
            strings = [q for decl in re.findall(r"content:([^;]*);", css) for q in re.findall(r'"([^"]*)"', decl)]
            assert strings, name
            assert [q for q in strings if re.search(r"[A-Za-z]{2,}", q)] == [], name
            continue
        stripped = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
        stripped = re.sub(r"<!DOCTYPE html>|<[^>]+>", " ", stripped)
        assert re.findall(r"[A-Za-z\u4e00-\u9fff]{2,}", stripped) == [], name


def test_language_specs() -> None:
    assert [parse_languages(s) for s in ("en", "zh", "en+zh")] == [("en",), ("zh",), ("en", "zh")]
    with pytest.raises(RenderError, match="allowed: en, zh, en\\+zh"):
        parse_languages("fr")


def test_translator_fills_placeholders_and_joins_languages() -> None:
    t = Translator.load([TEMPLATES], ("en", "zh"))
    assert t("outcome.fail") == "Fail / 未通过"
    assert t("traceability.rows_equation", "en", read=3, evaluated=2, rejected=1) == (
        "Rows read (3) = rows evaluated (2) + rows rejected (1)."
    )
    with pytest.raises(RenderError, match="no message 'nope'"):
        t("nope", "en")


def test_css_strings_cannot_close_the_style_element() -> None:
    assert css_string('a"</style><b>') == '"a\\22 \\3c /style\\3e \\3c b\\3e "'


# --- HTML: escaped, strict, sandboxed --------------------------------------------------------------


def test_text_from_the_inputs_is_escaped(tiny_doc: FindingsDocument) -> None:
    doc = tiny_doc.model_copy(update={"dataset": "<script>alert(1)</script>"})
    html = render_html(doc, ("en",))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _user_templates(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    (folder / "findings").mkdir(parents=True)
    (folder / "findings" / "document.html.j2").write_text('{% extends "base.html.j2" %}\n{% block body %}\n' + body)
    return folder


def test_a_misspelt_field_is_a_located_template_error(tiny_doc: FindingsDocument, tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "<p>{{ doc.datset }}</p>\n{% endblock %}\n")
    with pytest.raises(RenderError) as info:
        render_html(tiny_doc, ("en",), folder)
    problem = info.value.problems[0]
    assert problem.file.endswith("document.html.j2")
    assert problem.line == 3
    assert "datset" in problem.message


def test_a_user_template_cannot_reach_python_internals(tiny_doc: FindingsDocument, tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "{{ t.__class__.__init__.__globals__ }}\n{% endblock %}\n")
    with pytest.raises(RenderError, match="unsafe"):
        render_html(tiny_doc, ("en",), folder)


def test_a_user_template_cannot_change_the_document(tiny_doc: FindingsDocument, tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "{{ doc.rules_failing.append(1) }}\n{% endblock %}\n")
    with pytest.raises(RenderError, match="template error"):
        render_html(tiny_doc, ("en",), folder)


def test_a_syntax_error_names_file_and_line(tiny_doc: FindingsDocument, tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "{% if %}\n{% endblock %}\n")
    with pytest.raises(RenderError) as info:
        render_html(tiny_doc, ("en",), folder)
    assert info.value.problems[0].line == 3


def test_a_user_catalogue_overrides_single_messages(tiny_doc: FindingsDocument, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "i18n").mkdir(parents=True)
    (folder / "i18n" / "en.yaml").write_text("findings:\n  title: Provenance findings\n")
    html = render_html(tiny_doc, ("en",), folder)
    assert ">Provenance findings<" in html
    assert "Failing rules" in html


def test_every_message_is_used() -> None:
    en = read_catalogue(TEMPLATES / "i18n" / "en.yaml")
    code = "".join(_template_sources().values())
    code += "".join(
        (Path(__file__).parents[1] / "src/aireport/render" / f).read_text() for f in ("html.py", "formats/pdf.py")
    )
    prefixes = set(re.findall(r"""['"]([a-z_.]+)['"]\s*~""", code)) | {"severity.", "chart."}
    unused = [k for k in en if f"'{k}'" not in code and f'"{k}"' not in code and not k.startswith(tuple(prefixes))]
    assert unused == []


def test_the_html_page_stands_alone(tiny_doc: FindingsDocument) -> None:
    html = render_html(tiny_doc, ("en", "zh"))
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html) + re.findall(r"url\(([^)]*)\)", html)
    assert links
    assert [link for link in links if not link.startswith("#")] == []
    assert "<script" not in html
