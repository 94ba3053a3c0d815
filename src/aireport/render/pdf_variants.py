"""The PDF variants aireport writes (named apart from the renderer, so options are checked without WeasyPrint)."""

from __future__ import annotations

from typing import Literal

PdfVariant = Literal["pdf/a-3a", "pdf/a-3b", "pdf/ua-1"]
PDF_VARIANTS: tuple[PdfVariant, ...] = ("pdf/a-3a", "pdf/a-3b", "pdf/ua-1")

AUTO = "auto"
"""The default: PDF/A-3a (archival and tagged, the JSON attached) for documents the public or downstream providers
read, PDF/A-3b for the others. WeasyPrint writes the structure tree and keeps the attachments in PDF/A-3a."""


def variant_for(requested: str, audience: str) -> PdfVariant:
    if requested == AUTO:
        return "pdf/a-3a" if audience in ("public", "downstream") else "pdf/a-3b"
    return requested  # type: ignore[return-value]  # checked against PDF_VARIANTS by RenderRequest
