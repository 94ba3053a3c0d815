"""Provenance: the dataset manifest, the source inventory and the item-manifest column contract.

These models describe *what a provider states* about its training data. They hold no I/O; the
``load`` layer fills them from files. Names follow design brief §4 and the field tables in
``shared/reference`` (EU template sections 1-3, TC260-003 §5 and §9, filing form §7.3).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from aireport.models.base import Strict


class Tri(StrEnum):
    """A human answer: never inferred by the tool. ``to_be_provided`` is the honest default."""

    YES = "yes"
    NO = "no"
    TO_BE_PROVIDED = "to_be_provided"


class Modality(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    CODE = "code"
    OTHER = "other"


class EuCategory(StrEnum):
    """The source categories of the EU template, sections 2.1 to 2.6."""

    PUBLIC_DATASET = "public_dataset"  # 2.1
    LICENSED = "licensed"  # 2.2.1 commercially licensed from rights holders
    THIRD_PARTY_PRIVATE = "third_party_private"  # 2.2.2 other private non-public data
    CRAWLED = "crawled"  # 2.3 crawled by or on behalf of the provider
    USER_MODEL_INTERACTIONS = "user_model_interactions"  # 2.4 (a)
    USER_OTHER_SERVICES = "user_other_services"  # 2.4 (b)
    SYNTHETIC = "synthetic"  # 2.5
    OTHER = "other"  # 2.6


class CnAcquisition(StrEnum):
    """How a source was acquired, in the vocabulary of TC260-003 §5.1 c)."""

    OPEN_SOURCE = "open_source"
    SELF_COLLECTED = "self_collected"
    COMMERCIAL = "commercial"
    USER_INPUT = "user_input"
    SYNTHETIC = "synthetic"


class Origin(StrEnum):
    DOMESTIC = "domestic"
    FOREIGN = "foreign"


class PiLegalBasis(StrEnum):
    """Legal basis for personal information (PIPL Art. 13, 29; GDPR Art. 6 mapped where it fits)."""

    CONSENT = "consent"
    SEPARATE_CONSENT = "separate_consent"  # PIPL Art. 29, required for sensitive PI
    PUBLICLY_AVAILABLE = "publicly_available"  # PIPL Art. 13(6), within a reasonable scope
    CONTRACT = "contract"
    STATUTORY = "statutory"  # another basis laid down by law or administrative regulation
    NONE = "none"


class SafetyLabel(StrEnum):
    """Result of the content-safety filter for one item (TC260-003 §5.2 a))."""

    PASS = "pass"
    FLAGGED = "flagged"  # contains illegal or unhealthy information (违法不良信息)


class Provider(Strict):
    legal_name: str = Field(min_length=1, description="Registered legal name of the provider.")
    contact: str | None = Field(None, description="Contact address (e-mail or URL) for the summary.")
    address: str | None = None
    established_in_eu: bool | None = Field(None, description="Whether the provider is established in the Union.")
    authorised_representative: str | None = Field(
        None,
        description="Name of the authorised representative (Art. 54), if not established in the EU.",
    )
    authorised_representative_contact: str | None = None
    is_sme: bool | None = Field(None, description="SME or start-up (changes the EU domain-list rule).")


class ModelInfo(Strict):
    name: str = Field(min_length=1)
    version: str | None = Field(None, description="Versioned model name as placed on the market.")
    base_models: list[str] = Field(default_factory=list, description="Upstream models this one modifies.")
    eu_placement_date: dt.date | None = Field(None, description="Date first placed on the Union market.")
    output_modalities: list[Modality] = Field(default_factory=list)
    training_flop: float | None = Field(None, ge=0)
    knowledge_cutoff: str | None = None


class SummaryMeta(Strict):
    version: str | None = None
    last_update: dt.date | None = None
    previous_versions: list[str] = Field(default_factory=list, description="Links to earlier summaries.")


class Attestations(Strict):
    """Statements only a responsible person can make. The tool reports them, never infers them."""

    cop_signatory: Tri = Field(Tri.TO_BE_PROVIDED, description="Signatory of the GPAI Code of Practice.")
    copyright_policy: str | None = Field(None, description="Reference to the copyright policy (Art. 53(1)(c)).")
    copyright_policy_owner: str | None = None
    copyright_policy_date: dt.date | None = None
    tdm_optout_measures: str | None = Field(
        None, description="Measures to honour text-and-data-mining reservations (template 3.1)."
    )
    illegal_content_measures: str | None = Field(None, description="Measures against illegal content (template 3.2).")
    no_tpm_circumvention: Tri = Field(
        Tri.TO_BE_PROVIDED, description="Crawlers did not circumvent paywalls, logins or captchas."
    )
    piracy_denylist: str | None = Field(None, description="Identifier and version of the piracy-domain denylist.")
    complaint_channel: str | None = Field(None, description="Rights-holder contact and complaint mechanism.")
    ip_owner: str | None = Field(None, description="Person responsible for corpus IP (TC260-003 §5.2 b) 1)).")
    annotation_rules: str | None = Field(
        None, description="Reference to the annotation rules (Interim Measures Art. 8)."
    )
    quality_measures: str | None = Field(
        None, description="Training-data quality measures (Interim Measures Art. 7(4))."
    )
    filtering_methods: list[Literal["keyword", "classifier", "manual"]] = Field(
        default_factory=list, description="Corpus filtering methods used (TC260-003 §5.2 a))."
    )


class Service(Strict):
    """Deployment facts that decide which Chinese rules apply."""

    public_facing_cn: bool | None = Field(
        None, description="Offered to the public in the PRC (Interim Measures Art. 2)."
    )
    public_opinion_attribute: bool | None = Field(None, description="Has public-opinion attributes (Art. 17).")
    algorithm_filing_number: str | None = None
    genai_filing_number: str | None = None


class Assessment(Strict):
    """A whole-corpus sampled safety assessment (TC260-003 §9.2)."""

    method: Literal["manual", "technical"]
    date: dt.date
    sample_size: int = Field(ge=0)
    qualified: int = Field(ge=0)
    corpus_size: int | None = Field(None, ge=0, description="Items in the corpus the sample was drawn from.")

    @model_validator(mode="after")
    def _qualified_within_sample(self) -> Assessment:
        if self.qualified > self.sample_size:
            raise ValueError(f"qualified ({self.qualified}) exceeds sample_size ({self.sample_size})")
        return self


class Source(Strict):
    """One row of the source inventory."""

    source_id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    name: str = Field(min_length=1)
    eu_category: EuCategory
    cn_acquisition: CnAcquisition | None = None
    modality: Modality
    url: str | None = None
    version: str | None = None
    license: str | None = Field(None, description="SPDX licence expression for the source as a whole.")
    license_document: str | None = Field(None, description="Reference to the licence or authorisation document.")
    agreement: str | None = Field(None, description="Reference to the licence agreement or contract.")
    supplier_commitment: str | None = Field(
        None,
        description="Supplier's commitment on source, quality and security (TC260-003 §5.1 c) 3)).",
    )
    rights_holders: str | None = None
    publicly_known: bool | None = None
    languages: list[str] = Field(default_factory=list, description="BCP-47 language tags.")
    origin: Origin | None = None
    collection_start: dt.date | None = None
    collection_end: dt.date | None = None
    crawler_name: str | None = None
    crawler_user_agent: str | None = None
    crawler_purpose: str | None = None
    crawler_behaviour: str | None = None
    optout_protocols: list[str] = Field(
        default_factory=list, description="Opt-out protocols honoured (robots.txt, TDMRep...)."
    )
    personal_data: bool | None = None
    sensitive_personal_data: bool | None = None
    pi_legal_basis: PiLegalBasis | None = None
    user_authorisation: str | None = Field(None, description="Reference to user authorisation records.")
    collection_records: str | None = Field(None, description="Reference to collection records (self-collected data).")
    generator_model: str | None = Field(None, description="Model that generated synthetic data.")
    declared_items: int | None = Field(None, ge=0)
    declared_tokens: int | None = Field(None, ge=0)
    declared_bytes: int | None = Field(None, ge=0)
    declared_hours: float | None = Field(None, ge=0)
    safety_sample_size: int | None = Field(None, ge=0, description="Items sampled in the source's safety check.")
    safety_sample_flagged: int | None = Field(None, ge=0, description="Sampled items found illegal or unhealthy.")
    used_in_training: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.collection_start and self.collection_end and self.collection_start > self.collection_end:
            raise ValueError(f"collection_start {self.collection_start} is after collection_end {self.collection_end}")
        if (
            self.safety_sample_size is not None
            and self.safety_sample_flagged is not None
            and self.safety_sample_flagged > self.safety_sample_size
        ):
            raise ValueError("safety_sample_flagged exceeds safety_sample_size")
        return self


class LicenceDeclaration(Strict):
    """Terms of a custom licence (``LicenseRef-*``) that only the provider can state."""

    commercial_use: bool
    ai_training: bool
    redistribution: bool
    attribution: bool = False
    share_alike: bool = False
    title: str | None = None


class DatasetManifest(Strict):
    """The top-level input: who, what model, which sources, which item manifests."""

    schema_version: Literal[1] = 1
    dataset: str = Field(min_length=1, description="Name of the training dataset or corpus.")
    provider: Provider
    models: list[ModelInfo] = Field(min_length=1)
    summary: SummaryMeta = Field(default_factory=SummaryMeta)
    attestations: Attestations = Field(default_factory=Attestations)
    service: Service = Field(default_factory=Service)
    assessments: list[Assessment] = Field(default_factory=list)
    sources: str | list[Source] = Field(description="Path to a source inventory file, or the sources inline.")
    items: list[str] = Field(
        default_factory=list,
        description="Item manifests: files, directories or globs (relative to the manifest).",
    )
    licences: dict[str, LicenceDeclaration] = Field(
        default_factory=dict,
        description="Terms of the custom LicenseRef-* licences used in this dataset.",
    )


# The item-manifest column contract. Only ``item_id`` and ``source_id`` are required; a rule that
# needs an absent column reports "not evaluable - missing evidence" instead of passing.
ItemColumnType = Literal["VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP"]


class ItemColumn(Strict):
    name: str
    type: ItemColumnType
    required: bool = False
    allowed: tuple[str, ...] | None = None
    description: str


ITEM_COLUMNS: tuple[ItemColumn, ...] = (
    ItemColumn(name="item_id", type="VARCHAR", required=True, description="Stable identifier of the item."),
    ItemColumn(
        name="source_id",
        type="VARCHAR",
        required=True,
        description="Source the item came from (inventory id).",
    ),
    ItemColumn(name="url", type="VARCHAR", description="Where the item was fetched from."),
    ItemColumn(name="domain", type="VARCHAR", description="Host or registrable domain of the URL."),
    ItemColumn(
        name="modality",
        type="VARCHAR",
        allowed=tuple(m.value for m in Modality),
        description="Kind of content.",
    ),
    ItemColumn(name="size_bytes", type="BIGINT", description="Size in bytes after pre-processing."),
    ItemColumn(name="size_tokens", type="BIGINT", description="Size in tokens (text) after pre-processing."),
    ItemColumn(name="duration_seconds", type="DOUBLE", description="Duration of audio or video."),
    ItemColumn(name="license", type="VARCHAR", description="SPDX licence expression of the item."),
    ItemColumn(name="rights_holder", type="VARCHAR", description="Rights holder of the item."),
    ItemColumn(name="collected_at", type="TIMESTAMP", description="When the item was collected."),
    ItemColumn(name="language", type="VARCHAR", description="BCP-47 language tag."),
    ItemColumn(
        name="robots_allowed",
        type="BOOLEAN",
        description="robots.txt (RFC 9309) allowed the crawler's user agent at collection time; empty = not checked.",
    ),
    ItemColumn(
        name="tdm_reserved",
        type="BOOLEAN",
        description="A machine-readable TDM reservation (TDMRep, meta tag, header) was present at collection time.",
    ),
    ItemColumn(name="personal_data", type="BOOLEAN", description="The item contains personal information."),
    ItemColumn(
        name="sensitive_personal_data",
        type="BOOLEAN",
        description="The item contains sensitive PI (PIPL Art. 28).",
    ),
    ItemColumn(
        name="pi_legal_basis",
        type="VARCHAR",
        allowed=tuple(b.value for b in PiLegalBasis),
        description="Legal basis recorded for the personal information.",
    ),
    ItemColumn(
        name="aigc_label",
        type="BOOLEAN",
        description="Carries the implicit AIGC label (GB 45438-2025).",
    ),
    ItemColumn(name="content_hash", type="VARCHAR", description="Hash of the content (hex)."),
    ItemColumn(
        name="safety_label",
        type="VARCHAR",
        allowed=tuple(s.value for s in SafetyLabel),
        description="Result of the content-safety filter; empty = not assessed.",
    ),
    ItemColumn(name="used_in_training", type="BOOLEAN", description="The item was used to train the model."),
)

ITEM_COLUMNS_BY_NAME: dict[str, ItemColumn] = {c.name: c for c in ITEM_COLUMNS}
