"""Parts every document model shares: the frozen base, who the document is for and whether it may be released,
and the traceability rows of inputs and packs."""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from aireport.models.base import Bilingual
from aireport.models.results import InputRole

Audience = Literal["public", "authority", "downstream", "internal", "buyer", "creator"]
"""Who a document is for: the public (the EU Summary), an authority (Annex XI for the AI Office, the Chinese
filing report), downstream providers (Annex XII), or the provider itself (the findings)."""

Edition = Literal["clean", "annotated"]
"""clean: what the audience may see, nothing more; annotated: the same document with the tool's workings (rule
ids, provenance of every value, verification tags, input digests), for the provider's own review."""

Status = Literal["draft", "final"]

ANNOTATED_ONLY: Final[dict[str, Any]] = {"edition": "annotated"}
"""Marks a field the clean edition empties (``aireport.disclose.editions``)."""


def annotated_only(default: Any = None, *, description: str) -> Any:
    """A field only the annotated edition carries: null (or an empty list) in the clean edition."""
    return Field(default, description=f"{description} Annotated edition only.", json_schema_extra=ANNOTATED_ONLY)


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class DraftReason(Doc):
    """Why a document is a draft: a statement it makes is contradicted by the evidence, and no waiver covers it."""

    finding: str | None = annotated_only(description="The finding (rule or check id) behind the reason.")
    field: str = Field(description="Where the contradicted statement stands, e.g. 3.1 (b) or §5.2 a).")
    text: Bilingual = Field(description="The contradiction, with its figures, in words the audience reads.")


class Released(Doc):
    """Who a document is for, which edition this is, and whether it may be released (evidence governs it)."""

    audience: Audience = Field(description="public, authority, downstream, internal, buyer or creator.")
    edition: Edition = Field("annotated", description="clean (for the audience) or annotated (for the provider).")
    status: Status = Field(
        "final",
        description="draft while an attested statement of the document is contradicted by measured evidence "
        "and no recorded waiver covers it; final otherwise.",
    )
    draft_reasons: list[DraftReason] = Field(default_factory=list, description="Why it is a draft; empty when final.")


class InputRow(Doc):
    """One input file, so that a reader can check the document was made from it."""

    role: InputRole = Field(description="What the file is: manifest, sources, items, pack or licences.")
    path: str = Field(description="Path relative to the manifest's folder, with forward slashes.")
    bytes: int = Field(ge=0, description="Size of the file in bytes.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file's bytes, hex.")


class PackRow(Doc):
    """One rule pack that was evaluated."""

    id: str = Field(description="Pack id.")
    version: str = Field(description="Pack version.")
    rules: int = Field(ge=0, description="Number of rules in the pack.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Digest of the pack's files.")
