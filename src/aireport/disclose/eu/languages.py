"""Language names for template section 1.3 (v), and the 24 official languages of the European Union.

The EU official languages are those of Council Regulation No 1/1958 as amended (24 since Irish became a full
official language in 2022). Names come from CLDR (``aireport.models.languages``), with the script and region of
the tag; a tag whose language CLDR does not name is shown as the tag itself.
"""

from __future__ import annotations

from typing import Final

from aireport.models.base import Bilingual
from aireport.models.languages import language_names, primary

EU_OFFICIAL: Final = frozenset(
    {"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr"}
    | {"hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"}
)


def language_name(tag: str) -> Bilingual:
    """The language's name in English and Chinese, with the script and region in parentheses."""
    names = language_names(tag)
    return Bilingual(en=names["en"], zh=names["zh"])


def is_eu_official(tag: str) -> bool:
    return primary(tag) in EU_OFFICIAL
