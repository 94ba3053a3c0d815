"""Spreadsheet cells that stay text: no cell aireport writes is a formula when someone opens the file.

A spreadsheet program evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, by some
programs, a tab, a carriage return or NUL) as a formula: an item id or a domain from a stranger's data could
fetch a URL or run a command on the reviewer's machine. Following OWASP's CSV-injection guidance (ASVS 5.0
requirement 1.2.10), such a cell is written with a leading apostrophe, which spreadsheet programs read as
"this is text" and do not show. A text that itself starts with an apostrophe gets one more, so that
:func:`from_inert` gives back exactly what was written.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def _quoted(text: str) -> bool:
    """Whether :func:`inert` prefixes ``text``: it could start a formula, or it starts with an apostrophe
    followed by something that would be read back as a prefix."""
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and (text[1:2] == "'" or _quoted(text[1:])))


def inert(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates."""
    return "'" + text if _quoted(text) else text


def from_inert(text: str) -> str:
    """The text :func:`inert` was given (a reviewer's file read back)."""
    return text[1:] if text.startswith("'") and _quoted(text[1:]) else text
