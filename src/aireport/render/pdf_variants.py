"""The PDF variants aireport writes (named apart from the renderer, so options are checked without WeasyPrint)."""

from __future__ import annotations

from typing import Literal

PdfVariant = Literal["pdf/a-3b", "pdf/ua-1"]
PDF_VARIANTS: tuple[PdfVariant, ...] = ("pdf/a-3b", "pdf/ua-1")
