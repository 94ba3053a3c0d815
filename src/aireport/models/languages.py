"""Language tags and names from maintained data, not hand tables: BCP 47 validity from ``langcodes`` (the IANA
subtag registry), names from CLDR through ``babel``, in every language the documents are written in.

Both libraries only read data files they ship, once; nothing here touches an input.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

DOCUMENT_LANGUAGES: Final = ("en", "zh")
"""The languages documents are written in; names are given in each."""


@cache
def _locale(lang: str) -> Any:
    from babel import Locale  # noqa: PLC0415  # imported on first use: every command loads this module

    return Locale.parse(lang)


def _parse(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, territory) of a tag: babel's parser, which reads no data (langcodes' would load its
    name tables, a fifth of a second, on every run that names a language)."""
    from babel.core import parse_locale  # noqa: PLC0415  # imported on first use, as above

    parts = parse_locale(tag.strip().replace("_", "-"), sep="-")  # (language, territory, script, variant, ...)
    return parts[0], parts[2], parts[1]


def bcp47_problem(tag: str) -> str | None:
    """Why ``tag`` is not a well-formed, registered BCP 47 tag; None when it is."""
    import langcodes  # noqa: PLC0415  # imported on first use, as above

    cleaned = tag.strip()
    if not cleaned:
        return "empty language tag"
    try:
        valid = langcodes.tag_is_valid(cleaned)
    except (ValueError, LookupError):
        valid = False
    if not valid:
        return f"{tag!r} is not a BCP 47 language tag (IANA registry); write e.g. en, de-AT, zh-Hans"
    return None


def primary(tag: str) -> str:
    """``en-GB`` -> ``en``; ``zh_Hans`` -> ``zh``."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def language_names(tag: str) -> dict[str, str]:
    """The tag's name in each document language, e.g. {"en": "English (United Kingdom)", "zh": "英语 (英国)"};
    the tag itself where CLDR has no name for its language."""
    try:
        language, script, territory = _parse(tag)
    except (ValueError, LookupError):
        return dict.fromkeys(DOCUMENT_LANGUAGES, tag)
    out: dict[str, str] = {}
    for lang in DOCUMENT_LANGUAGES:
        locale = _locale(lang)
        name = locale.languages.get(language)
        if name is None:
            out[lang] = tag
            continue
        extras = [locale.scripts.get(script, script) if script else None]
        extras.append(locale.territories.get(territory, territory) if territory else None)
        shown = ", ".join(e for e in extras if e)
        out[lang] = f"{name} ({shown})" if shown else name
    return out


def find_language(name: str) -> str | None:
    """The BCP 47 tag of a language written as an English name ("Chinese" -> "zh"); None when CLDR has no such
    name (or it is already a tag)."""
    import langcodes  # noqa: PLC0415  # imported on first use, as above

    try:
        return str(langcodes.find(name.strip()))
    except LookupError:
        return None
