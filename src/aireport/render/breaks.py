"""Text shaped for pages: where long addresses and digests may break, links in free text, dates per language.

A URL or a SHA-256 digest has no space, so a narrow column either overflows or (with ``overflow-wrap: anywhere``)
breaks it at an arbitrary character. Here a break opportunity (``<wbr>``) follows each separator of a URL and
every eighth character of a long hexadecimal run, so lines end where a reader expects. Templates call these as
filters (``breakable``, ``split_urls``, ``date``); they compute nothing a document does not already hold.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

_AFTER = frozenset("/.-_?&=@:#;,")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")
_URL = re.compile(r"https?://[^\s<>\"'）)，。；]+[^\s<>\"'）)，。；.,;:]")


def breakable(value: Any) -> Markup:
    """``value`` escaped, with a break opportunity after URL separators and every 8 characters of a digest."""
    text = str(value)
    hex_breaks = {m.start() + k for m in _HEX_RUN.finditer(text) for k in range(8, m.end() - m.start(), 8)}
    out = []
    for i, char in enumerate(text):
        if i in hex_breaks:
            out.append("<wbr>")
        out.append(str(escape(char)))
        if char in _AFTER and i + 1 < len(text) and text[i + 1] not in _AFTER:
            out.append("<wbr>")
    return Markup("".join(out))


def split_urls(value: Any) -> list[dict[str, Any]]:
    """Free text cut into plain parts and web addresses: [{"text": ..., "url": bool}, ...]."""
    text = str(value)
    parts: list[dict[str, Any]] = []
    at = 0
    for m in _URL.finditer(text):
        if m.start() > at:
            parts.append({"text": text[at : m.start()], "url": False})
        parts.append({"text": m.group(0), "url": True})
        at = m.end()
    if at < len(text):
        parts.append({"text": text[at:], "url": False})
    return parts


def format_date(iso: Any, lang: str) -> str:
    """An ISO date or month in the one format of each language: 30/09/2026 and 09/2026; 2026年9月30日 and 2026年9月."""
    if iso is None:
        return ""
    text = str(iso)
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text[:10] if len(text) >= 10 and text[7:8] == "-" else text[:7])
    if m is None:
        return text
    year, month, day = m.group(1), m.group(2), m.group(3)
    if lang == "zh":
        return f"{year}年{int(month)}月{int(day)}日" if day else f"{year}年{int(month)}月"
    return f"{day}/{month}/{year}" if day else f"{month}/{year}"


def format_flop(value: Any) -> str:
    """Training compute as people write it: 2.4 × 10²³ FLOP (the value exactly as the manifest gives it)."""
    mantissa, _, exponent = f"{float(value):.6e}".partition("e")
    digits = mantissa.rstrip("0").rstrip(".")
    power = int(exponent)
    superscript = str(power).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{digits} × 10{superscript} FLOP"
