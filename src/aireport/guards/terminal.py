"""Text for a terminal: control characters shown as escapes, never obeyed.

A value from a manifest, an item file or a rule pack may hold ESC sequences that retitle or clear the
terminal, move the cursor and overwrite what was printed (a fake "OK"), or bidirectional-override
characters that reorder what is shown. rich's markup escaping does not touch them and rich removes only a
few. Every C0 and C1 control, DEL, and the Unicode line separators and bidirectional controls are written
as ``\\xNN`` / ``\\uNNNN`` instead; printable text, Chinese included, is unchanged.
"""

from __future__ import annotations

_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_UNICODE = [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
_TABLE = {code: f"\\x{code:02x}" for code in _CONTROLS} | {code: f"\\u{code:04x}" for code in _UNICODE}


def printable(text: str) -> str:
    """``text`` with every control character escaped (a newline too: a value never adds a line)."""
    return text.translate(_TABLE)
