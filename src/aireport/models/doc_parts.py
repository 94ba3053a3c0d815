"""Parts every document model shares: the frozen base and the traceability rows of inputs and packs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from aireport.models.results import InputRole


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
