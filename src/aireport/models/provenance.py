"""Provenance: the dataset manifest, the source inventory and the item-manifest column contract.

These models describe *what a provider states* about its training data. They hold no I/O; the
``load`` layer fills them from files. Names follow design brief §4 and the field tables in
``shared/reference`` (EU template sections 1-3, TC260-003 §5 and §9, filing form §7.3).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from aireport.models.base import Count, FileName, Strict
from aireport.models.languages import bcp47_problem


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
    url: str | None = Field(
        None, description="Link to the model's public documentation, e.g. its model card (EU template 1.2 (i))."
    )
    base_model_summaries: list[str] = Field(
        default_factory=list,
        description="Links to the public training-content Summaries of the base models, in the order of "
        "base_models (EU template 1.2 (ii)).",
    )
    open_source: bool | None = Field(
        None,
        description="Released under a free and open-source licence with public weights (AI Act Art. 53(2): "
        "exempts points (a) and (b) only, never the copyright policy (c) or the Summary (d)).",
    )


class SizeBin(StrEnum):
    """The three size ranges of EU template section 1.3 (their labels differ per modality)."""

    LESS_THAN = "less_than"  # e.g. "Less than 1 billion tokens"
    BETWEEN = "between"  # e.g. "1billion to 10 trillions tokens"
    MORE_THAN = "more_than"  # e.g. "More than 10 trillions tokens"


class SectionComments(Strict):
    """The optional "Additional comments" rows of the EU template, as the provider words them."""

    general: str | None = Field(
        None,
        description="1.3 (vii): e.g. the tokenizer or compression behind the size figures, audio/video sampling rates.",
    )
    public_datasets: str | None = Field(None, description="2.1 (e).")
    licensed: str | None = Field(None, description="2.2.1 (c), shown only when filled.")
    third_party_private: str | None = Field(
        None, description="2.2.2 (e): e.g. the period of data collection, size of the datasets and further details."
    )
    crawled: str | None = Field(None, description="2.3 (i): e.g. domain names, URLs and the sources of works.")
    user_data: str | None = Field(None, description="2.4 (e): e.g. the opt-out controls offered to users.")
    synthetic: str | None = Field(None, description="2.5 (e).")
    other_sources: str | None = Field(None, description="2.6 (c).")
    tdm: str | None = Field(None, description="3.1 (c): e.g. a link to or summary of the copyright policy.")


class SummaryMeta(Strict):
    version: str | None = None
    last_update: dt.date | None = None
    previous_versions: list[str] = Field(default_factory=list, description="Links to earlier summaries.")
    url: str | None = Field(None, description="Where this Summary is published (its authoritative location).")
    update_notice: str | None = Field(
        None, description="Where notice of updates to the Summary is given (e.g. a changelog page or feed)."
    )
    other_characteristics: str | None = Field(
        None,
        description="EU template 1.3 (vi): other relevant characteristics of the overall training data, e.g. "
        "national, regional or demographic specificities.",
    )
    other_processing: str | None = Field(
        None,
        description="EU template 3.3 (optional): other data processing, e.g. personal-data removal, "
        "deduplication, anti-memorisation measures.",
    )
    declared_size_text: SizeBin | None = Field(
        None, description="Size range the provider states for text (checked against the measured tokens)."
    )
    declared_size_image: SizeBin | None = Field(
        None, description="Size range the provider states for images (checked against the measured image count)."
    )
    declared_size_audio: SizeBin | None = Field(
        None, description="Size range the provider states for audio (checked against the measured hours)."
    )
    declared_size_video: SizeBin | None = Field(
        None, description="Size range the provider states for video (checked against the measured hours)."
    )
    comments: SectionComments | None = Field(None, description="The template's optional additional comments.")


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
    continuous_training: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="The model keeps being trained on new or dynamic data after the latest collection date "
        "(EU template 1.3 (iv)).",
    )
    aup_prohibits_infringement: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="The acceptable-use policy or terms prohibit copyright-infringing uses of the model "
        "(GPAI Code of Practice, Copyright Measure 1.4).",
    )
    used_public_datasets: Tri = Field(
        Tri.TO_BE_PROVIDED, description="EU template 2.1 (a): publicly available datasets were used to train the model."
    )
    used_licensed_data: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="EU template 2.2.1 (a): transactional commercial licensing agreements with rightsholders "
        "or their representatives were concluded.",
    )
    used_third_party_private_data: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="EU template 2.2.2 (a): private datasets were obtained from other third parties.",
    )
    used_crawlers: Tri = Field(
        Tri.TO_BE_PROVIDED, description="EU template 2.3 (a): crawlers were used by the provider or on its behalf."
    )
    used_user_model_data: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="EU template 2.4 (a): data from user interactions with the model was used for training.",
    )
    used_user_service_data: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="EU template 2.4 (b): data from user interactions with the provider's other services or "
        "products was used for training.",
    )
    used_synthetic_data: Tri = Field(
        Tri.TO_BE_PROVIDED,
        description="EU template 2.5 (a): synthetic AI-generated data was created by or for the provider.",
    )
    used_other_sources: Tri = Field(
        Tri.TO_BE_PROVIDED, description="EU template 2.6 (a): data sources other than those of 2.1 to 2.5 were used."
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
    sample_size: Count
    qualified: Count
    corpus_size: Count | None = Field(None, description="Items in the corpus the sample was drawn from.")

    @model_validator(mode="after")
    def _qualified_within_sample(self) -> Assessment:
        if self.qualified > self.sample_size:
            raise ValueError(f"qualified ({self.qualified}) exceeds sample_size ({self.sample_size})")
        return self


class DataSplit(StrEnum):
    TRAINING = "training"
    VALIDATION = "validation"
    TESTING = "testing"


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
    declared_items: Count | None = None
    declared_tokens: Count | None = None
    declared_bytes: Count | None = None
    declared_hours: float | None = Field(None, ge=0)
    safety_sample_size: Count | None = Field(None, description="Items sampled in the source's safety check.")
    safety_sample_flagged: Count | None = Field(None, description="Sampled items found illegal or unhealthy.")
    used_in_training: bool = True
    description: str | None = Field(
        None,
        description="General description of the source: nature of the content, where it comes from, its scope "
        "(EU template 2.1 (d), 2.2.2 (d), 2.3 (f), 2.6 (b); Annex XI 2(c) scope and main characteristics).",
    )
    content_types: list[str] = Field(
        default_factory=list,
        description="Types of content, e.g. photography, illustrations, fiction, source code (EU template 1.3 (iii)).",
    )
    modality_detail: str | None = Field(
        None, description="For modality other: what the content is, e.g. 3D meshes or sensor time series."
    )
    audio_is_video_track: bool | None = Field(
        None,
        description="The audio is the sound track of video: counted under video, not audio (EU template 1.3, "
        "audio footnote).",
    )
    is_dynamic: bool | None = Field(
        None, description="A dynamic dataset that keeps changing; the template allows leaving it out of the size."
    )
    subset_selection: str | None = Field(
        None, description="If only part of the dataset was used: how that subset was selected (EU template 2.1 (c))."
    )
    crawler_circumvents_paywalls: bool | None = Field(
        None, description="The crawler bypassed paywalls or subscription restrictions (CoP Copyright Measure 1.2 (a))."
    )
    crawler_circumvents_captchas: bool | None = Field(
        None, description="The crawler solved or bypassed captchas (CoP Copyright Measure 1.2 (a))."
    )
    crawler_uses_logins: bool | None = Field(
        None, description="The crawler fetched content behind logins or passwords (CoP Copyright Measure 1.2 (a))."
    )
    service_description: str | None = Field(
        None,
        description="For user data: the provider's service or product the data was collected from "
        "(EU template 2.4 (c)).",
    )
    generator_on_eu_market: bool | None = Field(
        None,
        description="The model that generated synthetic data is available on the Union market (EU template 2.5 (c)).",
    )
    generator_summary_url: str | None = Field(
        None, description="Link to the generating model's own public Summary, where one exists (EU template 2.5 (c))."
    )
    generator_description: str | None = Field(
        None,
        description="For a generator not on the market: what it is and, if known, its training data "
        "(EU template 2.5 (d)).",
    )
    optout_evidence: str | None = Field(
        None,
        description="For third-party datasets: evidence that TDM opt-outs were respected by the third party or "
        "filtered retroactively (EU template 3.1 (b); DSM Directive Art. 4(3)).",
    )
    splits: list[DataSplit] = Field(
        default_factory=list,
        description="Where the source is used: training, validation, testing; empty means training (Annex XI 2(c)).",
    )
    curation_methods: list[str] = Field(
        default_factory=list,
        description="Curation methodologies, e.g. cleaning, filtering, deduplication (Annex XI 2(c), Annex XII 2(c)).",
    )
    selection_method: str | None = Field(None, description="How the data was selected (Annex XI Section 1 point 2(c)).")
    unsuitability_detection: str | None = Field(
        None, description="Measures to detect the unsuitability of the data source (Annex XI Section 1 point 2(c))."
    )
    bias_detection: str | None = Field(
        None, description="Methods to detect identifiable biases (Annex XI Section 1 point 2(c))."
    )
    counterparty_public: bool | None = Field(
        None,
        description="The counterparty of this source (licensor, supplier) and its contract references may be named "
        "in public and downstream documents. Empty or false: they are withheld there (licensed data needs only "
        "limited disclosure, Explanatory Notice point 19) and shown only to authorities and in annotated editions.",
    )
    name_zh: str | None = Field(None, description="The source's name in Chinese, for the Chinese editions.")
    origin_countries: list[str] = Field(
        default_factory=list,
        description="Where the content comes from, as ISO 3166-1 alpha-2 codes (DE;FR;US): the EU documents say "
        "EU or non-EU from these (origin is the PRC filing's domestic/foreign).",
    )

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, tags: list[str]) -> list[str]:
        """Each tag registered in BCP 47 (langcodes): a typo such as "eng-UK" is an error at the door."""
        problems = [p for p in (bcp47_problem(tag) for tag in tags) if p]
        if problems:
            raise ValueError("; ".join(problems))
        return tags

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.collection_start and self.collection_end and self.collection_start > self.collection_end:
            raise ValueError(
                f"collection_start {self.collection_start} is after collection_end {self.collection_end}; "
                "a period starts on or before its end"
            )
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


class ItemFiles(Strict):
    """An item-manifest entry written as a mapping, for what a plain name never means: a pattern, or folders
    whose names are column values."""

    path: FileName | None = Field(
        None, min_length=1, description="A file or folder, read literally: a '*' in a name is a '*'."
    )
    glob: FileName | None = Field(
        None,
        min_length=1,
        description="A pattern: * and ? within a name, [...] a set of characters, ** any number of folders.",
    )
    hive: bool = Field(
        False,
        description="Folders named key=value below the path (or below the pattern's fixed folders) give the "
        "column key the value for every file inside: a hive-partitioned dataset.",
    )

    @model_validator(mode="after")
    def _one_place(self) -> ItemFiles:
        if (self.path is None) == (self.glob is None):
            raise ValueError("give either path (a file or folder) or glob (a pattern), not both and not neither")
        return self


class DatasetManifest(Strict):
    """The top-level input: who, what model, which sources, which item manifests."""

    schema_version: Literal[1] = 1
    dataset: str = Field(min_length=1, description="Name of the training dataset or corpus.")
    dataset_zh: str | None = Field(None, description="The dataset's name in Chinese, for the Chinese editions.")
    provider: Provider
    models: list[ModelInfo] = Field(min_length=1)
    summary: SummaryMeta = Field(default_factory=SummaryMeta)
    attestations: Attestations = Field(default_factory=Attestations)
    service: Service = Field(default_factory=Service)
    assessments: list[Assessment] = Field(default_factory=list)
    sources: Annotated[
        Annotated[FileName, Tag("file")] | Annotated[list[Source], Tag("inline")],
        Discriminator(lambda v: "file" if isinstance(v, str) else "inline"),
    ] = Field(description="Path to a source inventory file, or the sources inline.")
    items: list[
        Annotated[
            Annotated[FileName, Tag("path")] | Annotated[ItemFiles, Tag("entry")],
            Discriminator(lambda v: "path" if isinstance(v, str) else "entry"),
        ]
    ] = Field(
        default_factory=list,
        description="Item manifests, relative to the manifest: a file or folder name (read literally), or "
        "{glob: PATTERN} for a pattern and {path: FOLDER, hive: true} for a hive-partitioned dataset.",
    )
    licences: dict[str, LicenceDeclaration] = Field(
        default_factory=dict,
        description="Terms of the custom LicenseRef-* licences used in this dataset.",
    )
    time_zone: str = Field(
        "UTC",
        description="IANA time zone (e.g. Europe/Berlin) in which instants are reported: timestamps stored with a "
        "zone (Parquet timestamps adjusted to UTC, text with an offset such as +08:00 or Z) are converted to it "
        "before months and dates are taken. Timestamps without a zone are read as written, whatever this says. "
        "Default UTC; never the machine's zone.",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Names of the IANA database (DuckDB and Spark know the same); "localtime" is not one: it would make
        # the outputs depend on the machine.
        if value != "UTC" and (value in {"localtime", "Factory"} or value not in zoneinfo.available_timezones()):
            raise ValueError(f"unknown time zone {value!r}; write an IANA name such as UTC or Europe/Berlin")
        return value


# The item-manifest column contract. Only ``item_id`` and ``source_id`` are required; a rule that
# needs an absent column reports "not evaluable - missing evidence" instead of passing.
ItemColumnType = Literal["VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP"]


RELEASE_STATES: tuple[str, ...] = ("unlimited", "limited", "none", "not_applicable")
"""Model and property release states, IPTC PLUS vocabulary (plus:ModelReleaseStatus / PropertyReleaseStatus)."""

DATA_MINING_STATES: dict[str, str] = {
    "allowed": "DMI-ALLOWED; CAWG/C2PA use allowed",
    "unspecified": "DMI-UNSPECIFIED, or no reservation in the metadata that was read",
    "prohibited_ai_training": "DMI-PROHIBITED-AIMLTRAINING; cawg.ai_training notAllowed",
    "prohibited_genai_training": "DMI-PROHIBITED-GENAIMLTRAINING; cawg.ai_generative_training notAllowed",
    "prohibited_except_search": "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING",
    "prohibited": "DMI-PROHIBITED; cawg.data_mining notAllowed",
    "constrained": "DMI-PROHIBITED-SEECONSTRAINT, -SEEEMBEDDEDRIGHTSEXPR, -SEELINKEDRIGHTSEXPR; CAWG constrained",
}
"""The asset's own data-mining reservation, IPTC plus:DataMining and CAWG training-mining mapped to one vocabulary."""

TAKEDOWN_STATES: tuple[str, ...] = ("none", "requested", "upheld", "rejected")


class ItemColumn(Strict):
    name: str
    type: ItemColumnType
    required: bool = False
    allowed: tuple[str, ...] | None = None
    non_negative: bool = False  # a size or a duration: a negative value rejects the row
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
    ItemColumn(name="size_bytes", type="BIGINT", non_negative=True, description="Size in bytes after pre-processing."),
    ItemColumn(
        name="size_tokens", type="BIGINT", non_negative=True, description="Size in tokens (text) after pre-processing."
    ),
    ItemColumn(name="duration_seconds", type="DOUBLE", non_negative=True, description="Duration of audio or video."),
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
    # Clearance for commercial AI training and the creators' ledger (aireport clear / certify; docs/clearance.md).
    ItemColumn(
        name="creator",
        type="VARCHAR",
        description="Who made the work (photographer, illustrator, author): the creators' ledger accounts per "
        "creator. Distinct from rights_holder, the licensor.",
    ),
    ItemColumn(
        name="model_release",
        type="VARCHAR",
        allowed=RELEASE_STATES,
        description="Release of the people shown (IPTC plus:ModelReleaseStatus: unlimited = MR-UMR, limited = "
        "MR-LMR, none = MR-NON, not_applicable = MR-NAP); empty = not recorded.",
    ),
    ItemColumn(
        name="property_release",
        type="VARCHAR",
        allowed=RELEASE_STATES,
        description="Release of the property shown (IPTC plus:PropertyReleaseStatus: unlimited = PR-UPR, limited = "
        "PR-LPR, none = PR-NON, not_applicable = PR-NAP); empty = not recorded.",
    ),
    ItemColumn(
        name="license_territory",
        type="VARCHAR",
        description="Where the licence grants use: 'worldwide', or ISO 3166-1 alpha-2 codes separated by ';' "
        "(e.g. CN;HK); empty = not recorded.",
    ),
    ItemColumn(
        name="license_term_end",
        type="VARCHAR",
        description="Last day the licence grants use, YYYY-MM-DD, or 'perpetual'; empty = not recorded.",
    ),
    ItemColumn(
        name="data_mining",
        type="VARCHAR",
        allowed=tuple(DATA_MINING_STATES),
        description="The data-mining reservation in the asset's own metadata (IPTC plus:DataMining, C2PA/CAWG "
        "training-mining); empty = the metadata was not read. Values: "
        + "; ".join(f"{k} = {v}" for k, v in DATA_MINING_STATES.items())
        + ".",
    ),
    ItemColumn(
        name="takedown",
        type="VARCHAR",
        allowed=TAKEDOWN_STATES,
        description="Takedown state: none, requested (pending), upheld (the item must go), rejected (the request "
        "was dismissed); empty = not recorded.",
    ),
    ItemColumn(
        name="usage_weight",
        type="BIGINT",
        description="Usage weight for the creators' ledger (downloads, licence sales, ...): a whole number >= 0.",
    ),
)

ITEM_COLUMNS_BY_NAME: dict[str, ItemColumn] = {c.name: c for c in ITEM_COLUMNS}
