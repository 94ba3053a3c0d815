"""Message catalogues: every word a template shows comes from ``templates/i18n/<lang>.yaml``.

A catalogue is a nested YAML mapping of strings, read with the safe loader under depth and alias bounds
(:mod:`aireport.guards.yaml`), only from inside its template folder, and flattened to dotted keys
(``outcome.fail``). Placeholders are ``{name}`` and nothing else: a catalogue a user supplies cannot reach
attributes or run code. A document rendered in ``en+zh`` shows both languages, English first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from aireport.errors import Problem, RenderError
from aireport.guards import yaml as guarded_yaml
from aireport.guards.paths import real_inside
from aireport.guards.text import decode

LANGUAGES = ("en", "zh")
"""The languages aireport writes documents in."""

LANGUAGE_CHOICES = ("en", "zh", "en+zh")
"""What --lang accepts: one language, or both in one document."""

HTML_LANG = {"en": "en", "zh": "zh-CN"}
"""BCP 47 tag of each language, as HTML, fontconfig and the PDF /Lang entry read it."""

BILINGUAL_SEPARATOR = " / "

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def parse_languages(spec: str) -> tuple[str, ...]:
    """``en`` -> (en,), ``en+zh`` -> (en, zh). Anything else is a RenderError naming what is allowed."""
    if spec not in LANGUAGE_CHOICES:
        raise RenderError([Problem("--lang", f"unknown language {spec!r}; allowed: {', '.join(LANGUAGE_CHOICES)}")])
    return tuple(spec.split("+"))


def _flatten(data: Any, prefix: str, out: dict[str, str], file: str) -> None:
    if not isinstance(data, Mapping):
        raise RenderError([Problem(file, "a message catalogue is a mapping of keys to texts", field=prefix or None)])
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            _flatten(value, name, out, file)
        elif isinstance(value, str):
            out[name] = value
        else:
            raise RenderError([Problem(file, f"expected a text, found {type(value).__name__}", field=name)])


def read_catalogue(path: Path) -> dict[str, str]:
    """One catalogue file as dotted key -> text."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise RenderError([Problem(str(path), f"cannot read message catalogue: {exc.strerror or exc}")]) from None
    return dict(_read_catalogue(path, stamp))


@lru_cache(maxsize=32)
def _read_catalogue(path: Path, stamp: int) -> dict[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError([Problem(str(path), f"cannot read message catalogue: {exc.strerror or exc}")]) from None
    parsed = guarded_yaml.load(decode(data, str(path)), str(path))  # bounded, tags refused, errors located
    out: dict[str, str] = {}
    _flatten(parsed or {}, "", out, str(path))
    return out


def load_messages(template_dirs: Sequence[Path], lang: str) -> dict[str, str]:
    """The catalogue of ``lang``: the packaged one, with keys of a user's template folder laid over it.

    A catalogue is read only from inside its template folder (by real path): a link out is refused."""
    messages: dict[str, str] = {}
    for folder in reversed(template_dirs):  # last = packaged; a user's folder comes first and wins
        path = folder / "i18n" / f"{lang}.yaml"
        if not path.is_file():
            continue
        if real_inside(path, folder) is None:
            raise RenderError(
                [Problem(str(path), f"is a link that leads outside the template folder {folder}; refused")]
            )
        messages.update(read_catalogue(path))
    if not messages:
        raise RenderError([Problem(str(template_dirs[-1] / "i18n"), f"no message catalogue for {lang!r}")])
    return messages


@dataclass(frozen=True)
class Translator:
    """``t(key)`` for the templates, in one language or in several."""

    langs: tuple[str, ...]
    messages: Mapping[str, Mapping[str, str]]  # lang -> key -> text

    @classmethod
    def load(cls, template_dirs: Sequence[Path], langs: Sequence[str]) -> Translator:
        return cls(tuple(langs), {lang: load_messages(template_dirs, lang) for lang in langs})

    def one(self, key: str, lang: str, **values: object) -> str:
        try:
            text = self.messages[lang][key]
        except KeyError:
            raise RenderError(
                [Problem(f"i18n/{lang}.yaml", f"no message {key!r} in the {lang} catalogue", field=key)]
            ) from None

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise RenderError([Problem(f"i18n/{lang}.yaml", f"message {key!r} needs a value for {{{name}}}")])
            return str(values[name])

        return _PLACEHOLDER.sub(fill, text)

    def __call__(self, key: str, lang: str | None = None, **values: object) -> str:
        """The message in ``lang``, or in every language of the document joined by " / "."""
        if lang is not None:
            return self.one(key, lang, **values)
        return BILINGUAL_SEPARATOR.join(self.one(key, code, **values) for code in self.langs)


def format_number(value: int | float) -> str:
    """1234567 -> 1,234,567 (the grouping both English and Chinese documents use)."""
    return f"{value:,}"


def format_percent(value: float) -> str:
    """A percentage with two decimals; never rounded to a misleading 0% or 100%."""
    if 0 < value < 0.005:
        return "<0.01%"
    if 99.995 <= value < 100:
        return ">99.99%"
    return f"{value:.2f}%"
