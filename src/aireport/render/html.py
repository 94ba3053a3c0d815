"""Documents to standalone HTML: Jinja2 templates from ``templates/``, in a sandbox, strict and escaped.

Every template, ours and a user's, runs in an ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``
(a misspelt field is an error, not an empty cell) and autoescaping, read only from inside its folder (by
real path: a symbolic link out is refused), and rendered in a child process under a time and a size limit.
Templates see the document as its JSON data (exactly what the JSON file holds), the message catalogue as
``t``, and a few formatting filters; they compute nothing. The page needs no other file: styles and charts are inline.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from aireport import __version__
from aireport.errors import InputError, Problem, RenderError
from aireport.guards.paths import real_inside
from aireport.guards.text import decode
from aireport.models.documents import Document, FindingsDocument
from aireport.render.bounded import run_bounded
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


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from one folder, each read only if its real path is inside the folder's real path: a link
    out of the folder (to a file or to a folder) is refused, not followed. Text must be UTF-8."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.root.joinpath(*split_template_path(template))  # refuses '..'
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        real = real_inside(path, self.root)
        if real is None:
            raise RenderError(
                [Problem(str(path), f"is a link that leads outside the template folder {self.root}; refused")]
            )
        try:
            source = decode(real.read_bytes(), str(path))
        except InputError as exc:
            raise RenderError(exc.problems) from None
        stamp = real.stat().st_mtime_ns

        def current() -> bool:
            try:
                return real.stat().st_mtime_ns == stamp
            except OSError:
                return False

        return source, str(path), current


class _Sandbox(ImmutableSandboxedEnvironment):
    def handle_exception(self, source: str | None = None) -> NoReturn:
        # Rewriting the traceback compiles code, which under the render's memory ceiling fails with a
        # misleading SyntaxError: an allocation failure is passed on as what it is.
        error = sys.exc_info()[1]
        if isinstance(error, MemoryError):
            raise error
        super().handle_exception(source)


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...]) -> ImmutableSandboxedEnvironment:
    """One environment per set of template folders: compiled templates are reused by every language."""
    env = _Sandbox(
        loader=jinja2.ChoiceLoader([ConfinedLoader(d) for d in dirs]),
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


RENDER_SECONDS = 20.0
"""Time one page may take to render; ours take well under a second."""

RENDER_CHARACTERS = 64 << 20
"""Characters one page may hold (64 Mi); ours hold a few hundred thousand (per-item listings go to files)."""


def render_html(doc: Document, langs: Sequence[str], templates: Path | None = None) -> str:
    """The standalone HTML page of ``doc`` in ``langs`` (one language, or ("en", "zh") for both), rendered
    under :data:`RENDER_SECONDS` and :data:`RENDER_CHARACTERS` (:mod:`aireport.render.bounded`).

    A user's template is compiled in the bounded child too: Jinja evaluates constant expressions while
    compiling (``{{ 'x' | center(4000000000) }}`` is four gigabytes before anything renders). Ours are
    compiled here, once, with the templates they import, so every render reuses them."""
    dirs = template_dirs(templates)
    t = Translator.load(dirs, langs)
    name = f"{doc.document}/document.html.j2"
    context = {
        "doc": doc.model_dump(mode="json"),
        "langs": list(langs),
        "html_lang": HTML_LANG[langs[0]],
        "lang_tags": HTML_LANG,
        "t": t,
        "bi": Bilingual(t),
        "charts": _CHARTS[doc.document](doc, t) if doc.document in _CHARTS else {},
        "tool_version": __version__,  # the renderer, named in the page's metadata only
    }
    env = _environment(tuple(dirs))
    with _located(dirs):
        _compile_ours(env, tuple(dirs), name)
    where = str(_source_path(dirs, name) or name)
    return run_bounded(lambda: _generate(env, name, context, dirs), RENDER_SECONDS, where)


def _source_path(dirs: Sequence[Path], name: str) -> Path | None:
    """The file a template name resolves to: the first folder holding it."""
    for folder in dirs:
        path = folder.joinpath(*split_template_path(name))
        if path.is_file():
            return path
    return None


_COMPILED: dict[tuple[Path, ...], set[str]] = {}


def _compile_ours(env: jinja2.Environment, dirs: tuple[Path, ...], name: str) -> None:
    """Compile ``name`` and what it imports, includes or extends, when the file is a packaged one (the
    user's folder, searched first, does not replace it); a user's file is left to the bounded child."""
    seen = _COMPILED.setdefault(dirs, set())
    if name in seen:
        return
    seen.add(name)
    path = _source_path(dirs, name)
    if path is None or (len(dirs) > 1 and path.is_relative_to(dirs[0])):
        return
    env.get_template(name)
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    for imported in meta.find_referenced_templates(env.parse(source)):
        if imported is not None:
            _compile_ours(env, dirs, imported)


def _generate(env: jinja2.Environment, name: str, context: dict[str, Any], dirs: Sequence[Path]) -> str:
    """The page, piece by piece, stopped once it holds more than :data:`RENDER_CHARACTERS`."""
    parts: list[str] = []
    size = 0
    with _located(dirs):
        template = env.get_template(name)
        for part in template.generate(**context):
            size += len(part)
            if size > RENDER_CHARACTERS:
                raise RenderError(
                    [
                        Problem(
                            template.filename or name,
                            f"the page grows beyond {RENDER_CHARACTERS:,} characters (the size limit)",
                        )
                    ]
                )
            parts.append(part)
    return "".join(parts)


@contextmanager
def _located(dirs: Sequence[Path]) -> Iterator[None]:
    """Any failure inside a template becomes a RenderError naming the template file and line."""
    try:
        yield
    except RenderError as exc:  # a missing message, a refused file: say which template asked for it
        file, line = _location(exc, dirs)
        if line is None or any(p.file == file and p.line == line for p in exc.problems):
            raise
        raise RenderError([Problem(file, f"{p.file}: {p.message}", line=line) for p in exc.problems]) from None
    except jinja2.TemplateNotFound as exc:
        file, line = _location(exc, dirs)
        if line is None:
            raise RenderError([Problem(str(dirs[0]), f"template not found: {exc.name}")]) from None
        folders = " or ".join(str(d) for d in dirs)
        raise RenderError([Problem(file, f"template {exc.name!r} not found in {folders}", line=line)]) from None
    except MemoryError:
        raise  # the bounded render reports it with its limit
    except Exception as exc:  # a template is data: any failure in it is the template's, shown located
        file, line = _location(exc, dirs)
        message = re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__
        raise RenderError([Problem(file, f"template error: {message}", line=line)]) from None
