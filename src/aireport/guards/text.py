"""Bytes to text: UTF-8 or a located error (the line of the first byte that is not)."""

from __future__ import annotations

from aireport.errors import InputError, Problem


def decode(data: bytes, display: str) -> str:
    """UTF-8 text (a leading byte-order mark kept for the parser to skip), or an InputError naming the line
    and the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            [
                Problem(
                    display,
                    f"not UTF-8 text (byte {exc.start:,} is 0x{data[exc.start]:02x}); save the file as UTF-8",
                    line=line,
                )
            ]
        ) from None
