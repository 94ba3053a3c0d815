"""Documents to standalone HTML: Jinja2 templates from ``templates/``, in a sandbox, strict and escaped.

Every template, ours and a user's, runs in an ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``
(a misspelt field is an error, not an empty cell) and autoescaping. Templates see the document as its JSON
data (exactly what the JSON file holds), the message catalogue as ``t``, and a few formatting filters; they
compute nothing. The page needs no other file: styles and charts are inline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from aireport import __version__
from aireport.errors import Problem, RenderError
from aireport.models.documents import Document, FindingsDocument
from aireport.render.breaks import breakable, format_date, format_flop, split_urls
from aireport.render.charts import fraction_chart, outcome_chart
from aireport.render.i18n import HTML_LANG, Translator, format_number, format_percent
from aireport.resources import data_dir


def template_dirs(user: Path | None = None) -> list[Path]:
    """Where templates are looked up: a user's folder first (it may replace any file), then ours."""
    ours = data_dir("templates")
    if user is None:
        return [ours]
    if not user.is_dir():
        raise RenderError([Problem(str(user), "--templates: not a folder")])
    return [user.resolve(), ours]


def has_template(document: str, user: Path | None = None) -> bool:
    """Whether a document has a page template (data-only documents have JSON alone)."""
    return any((d / document / "document.html.j2").is_file() for d in template_dirs(user))


def css_string(value: object) -> Markup:
    """A CSS string literal that can sit inside <style> (no quote, backslash or '<' survives raw)."""
    out = []
    for char in str(value):
        if char in "\"\\<>&'" or ord(char) < 0x20:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return Markup('"' + "".join(out) + '"')


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...]) -> ImmutableSandboxedEnvironment:
    """One environment per set of template folders: compiled templates are reused by every language."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # a template edited between two renders of one process is read again
    )
    env.filters.update(
        num=format_number,
        pct=format_percent,
        css_string=css_string,
        breakable=breakable,
        split_urls=split_urls,
        date=format_date,
        flop=format_flop,
    )
    return env


@dataclass(frozen=True)
class Bilingual:
    """``bi(text)`` in templates: a bilingual text in the document's language(s)."""

    translator: Translator

    def __call__(self, text: Mapping[str, str], lang: str | None = None) -> str:
        langs = (lang,) if lang else self.translator.langs
        return " / ".join(text[code] for code in langs)


def _findings_charts(doc: FindingsDocument, t: Translator) -> dict[str, Markup | None]:
    labels = {
        "failed": t("outcome.fail"),
        "not_evaluable": t("outcome.not_evaluable"),
        "passed": t("outcome.pass"),
        "not_applicable": t("outcome.not_applicable"),
        "tolerance": t("chart.tolerance"),
        **{f"severity.{row.severity.value}": t(f"severity.{row.severity.value}") for row in doc.summary.by_severity},
    }
    fractions = doc.item_fractions
    return {
        "outcomes": outcome_chart(doc.summary.by_severity, labels, t("chart.outcomes_title")),
        "fractions": fraction_chart(fractions, labels, t("chart.fractions_title")) if fractions else None,
    }


_CHARTS: dict[str, Callable[[Any, Translator], dict[str, Markup | None]]] = {"findings": _findings_charts}
"""Charts each document draws, by document name; a document without an entry draws none."""


def _location(exc: BaseException, dirs: Sequence[Path]) -> tuple[str, int | None]:
    """The template file and line an error comes from (Jinja rewrites tracebacks to point there)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name or "template", exc.lineno
    tb: TracebackType | None = exc.__traceback__
    where: tuple[str, int | None] = ("template", None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or any(filename.startswith(str(d)) for d in dirs):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def render_html(doc: Document, langs: Sequence[str], templates: Path | None = None) -> str:
    """The standalone HTML page of ``doc`` in ``langs`` (one language, or ("en", "zh") for both)."""
    dirs = template_dirs(templates)
    t = Translator.load(dirs, langs)
    name = f"{doc.document}/document.html.j2"
    try:
        template = _environment(tuple(dirs)).get_template(name)
        html = template.render(
            doc=doc.model_dump(mode="json"),
            langs=list(langs),
            html_lang=HTML_LANG[langs[0]],
            lang_tags=HTML_LANG,
            t=t,
            bi=Bilingual(t),
            charts=_CHARTS[doc.document](doc, t) if doc.document in _CHARTS else {},
            tool_version=__version__,  # the renderer, named in the page's metadata only
        )
    except RenderError as exc:  # a missing message: say which template asked for it
        file, line = _location(exc, dirs)
        if line is None:
            raise
        raise RenderError([Problem(file, f"{p.file}: {p.message}", line=line) for p in exc.problems]) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError([Problem(str(dirs[0]), f"template not found: {exc.name}")]) from None
    except Exception as exc:  # a template is data: any failure in it is the template's, shown located
        file, line = _location(exc, dirs)
        message = re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__
        raise RenderError([Problem(file, f"template error: {message}", line=line)]) from None
    return html
