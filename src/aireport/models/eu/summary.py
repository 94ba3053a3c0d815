"""The EU Public Summary of Training Content (AI Act Art. 53(1)(d)) as a document model. Pydantic only, no I/O.

The model mirrors the Commission's template (Explanatory Notice and Template, C(2025) 5235 final, re-adopted as
C(2025) 8311 final) section by section and field by field: header, 1.1-1.3, 2.1-2.6, 3.1-3.3. Field labels are
the template's own words (message catalogue ``eu.*``); the size bins keep the template's odd spacing and are
carried here as data. Every value says where it comes from (:class:`~aireport.models.results.Provenance`):
*measured* from the item manifests, *declared* in the source inventory, *attested* by a person in the dataset
manifest, or *missing*. Answers only a person can give are tri-state and never inferred.

Field references follow reference notes §1.3 (``shared/reference/eu-ai-act.md``); the sub-field letters are the
CycloneDX numbering, the template itself does not number sub-fields.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from pydantic import Field

from aireport.models.base import Bilingual
from aireport.models.doc_parts import Doc, InputRow, PackRow, Released, annotated_only
from aireport.models.provenance import SizeBin, Tri
from aireport.models.results import Outcome, Provenance
from aireport.models.rules import Citation, Severity

EU_SUMMARY_DOCUMENT: Final = "eu-training-summary"
EU_ANNEX_DOCUMENT: Final = "eu-annex-xi-data"
EU_ANNEX_XII_DOCUMENT: Final = "eu-annex-xii-data"
EU_DOMAINS_CSV: Final = "eu-training-summary-domains.csv"
"""The attachment that always holds the complete top-domain list (columns rank, domain, bytes)."""

DOMAINS_INLINE_LIMIT: Final = 1000
"""Up to this many domains are printed in 2.3 of the Summary itself (four columns, about 240 a page); the CSV
beside it and inside the PDF always has them all."""


class TemplateModality(StrEnum):
    """The modalities the template offers (section 1.3 (i)); code counts as text, audio of video as video."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    OTHER = "other"


SizeUnit = Literal["tokens", "images", "hours"]

BIN_LABELS: Final[dict[TemplateModality, tuple[str, str, str]]] = {
    # The template's exact strings, odd spacing included [T] (reference notes §1.4).
    TemplateModality.TEXT: (
        "Less than 1 billion tokens",
        "1billion to 10 trillions tokens",
        "More than 10 trillions tokens",
    ),
    TemplateModality.IMAGE: ("Less than 1 million images", "1Million to1 billion images", "More than 1 billion images"),
    TemplateModality.AUDIO: ("Less than 10 000 hours", "10 000 to1 million hours", "More than 1 million hours"),
    TemplateModality.VIDEO: ("Less than 10 000 hours", "10 000 to1 million hours", "More than 1 million hours"),
}

BIN_EDGES: Final[dict[TemplateModality, tuple[int, int]]] = {
    TemplateModality.TEXT: (10**9, 10**13),
    TemplateModality.IMAGE: (10**6, 10**9),
    TemplateModality.AUDIO: (10**4, 10**6),
    TemplateModality.VIDEO: (10**4, 10**6),
}
"""Lower and upper edge of the middle bin. A value exactly on an edge goes to the middle bin (UNVERIFIED: the
template does not say)."""

BIN_UNITS: Final[dict[TemplateModality, SizeUnit]] = {
    TemplateModality.TEXT: "tokens",
    TemplateModality.IMAGE: "images",
    TemplateModality.AUDIO: "hours",
    TemplateModality.VIDEO: "hours",
}

EDGE_WARNING_FRACTION: Final = "0.05"
"""A size within this fraction of a bin edge (either side) is flagged: the bin could flip with a small error."""


class RowAccount(Doc):
    """Rows read = rows evaluated + rows rejected, always."""

    read: int = Field(ge=0, description="Item rows read.")
    evaluated: int = Field(ge=0, description="Item rows accepted (they keep the column contract).")
    rejected: int = Field(ge=0, description="Item rows set aside because they break the column contract.")
    not_in_training: int = Field(
        0,
        ge=0,
        description="Of the evaluated rows, those of items or sources marked not used in training: left out of every "
        "figure of the document.",
    )


class Traceability(Doc):
    """What the document was computed from, and with which tool (the findings document's shape)."""

    tool: str = Field(description="The program that computed the figures.")
    tool_version: str = Field(description="Its version.")
    result_schema_version: str = Field(description="Schema version of the evaluation result it is built from.")
    inputs: list[InputRow] = Field(description="Every input file, by role then path.")
    packs: list[PackRow] = Field(description="Every rule pack, in the order they were selected.")
    rows: RowAccount = Field(description="The accounting of item rows.")
    time_zone: str = Field("UTC", description="The zone instants were reported in (months and dates use it).")


class Fact(Doc):
    """One value of the Summary and where it comes from."""

    value: str | None = Field(description="The value as written in the Summary; null when missing.")
    provenance: Provenance = Field(description="measured, declared, attested or missing.")
    basis: str | None = annotated_only(description="The input field or measure the value was taken from.")


class DateFact(Doc):
    """A date of the Summary."""

    iso: str | None = Field(description="ISO 8601 date (YYYY-MM-DD) or month (YYYY-MM); null when missing.")
    display: str | None = Field(description="As written in the Summary: DD/MM/YYYY for days, MM/YYYY for months.")
    provenance: Provenance = Field(description="measured, declared, attested or missing.")
    basis: str | None = annotated_only(description="The input field or measure the date was taken from.")


class Answer(Doc):
    """A Yes/No answer that only a responsible person can give; never inferred by the tool."""

    value: Tri = Field(description="yes, no, or to_be_provided while nobody has answered.")
    provenance: Provenance = Field(description="attested when answered, missing while to_be_provided.")
    basis: str | None = annotated_only(description="The manifest field holding the answer.")


class Gate(Doc):
    """A Yes/No question of section 2 that opens its section's conditional fields."""

    answer: Answer = Field(description="The provider's attested answer.")
    inventory_sources: int = Field(
        ge=0, description="Sources of this category used in training, as the source inventory declares them."
    )
    consistent: bool | None = Field(
        description="The answer agrees with the inventory (Yes iff at least one such source); null while unanswered."
    )
    open: bool = Field(description="The conditional fields are shown: the answer is Yes, or the inventory has sources.")


class Modalities(Doc):
    """A set of ticked modality boxes."""

    selected: list[TemplateModality] = Field(description="Ticked boxes, in the template's order.")
    provenance: Provenance = Field(description="declared (inventory), measured (items) or missing.")


# --- header ---------------------------------------------------------------------------------------------------


class VersionLink(Doc):
    version: str | None = Field(description="Version of the earlier Summary, when known.")
    url: str = Field(description="Where the earlier Summary is published.")


class SourceChange(Doc):
    """Sources of one template category that appeared or disappeared between two versions."""

    category: str = Field(description="Template section of the category, e.g. 2.1.")
    before: int = Field(ge=0, description="Sources of the category in the previous version.")
    after: int = Field(ge=0, description="Sources of the category in this version.")
    added: list[str] = Field(description="Names of added sources, where the Summary names them.")
    removed: list[str] = Field(description="Names of removed sources, where the Summary names them.")


class BinChange(Doc):
    modality: TemplateModality
    before: str | None = Field(description="Bin label in the previous version (null: modality absent or no size).")
    after: str | None = Field(description="Bin label in this version.")


class VersionChanges(Doc):
    """What changed since the previous version of the Summary (``--previous``)."""

    previous_version: str | None = Field(description="The previous Summary's version.")
    previous_last_update: str | None = Field(description="Its last update, ISO date.")
    previous_url: str | None = Field(description="Where it is published, when it says.")
    previous_sha256: str | None = annotated_only(description="SHA-256 of the previous JSON document.")
    sources: list[SourceChange] = Field(description="Categories whose sources changed, in template order.")
    modalities_added: list[TemplateModality]
    modalities_removed: list[TemplateModality]
    bins: list[BinChange] = Field(description="Modalities whose size bin changed.")
    latest_collection_before: str | None = Field(description="Previous latest collection month, MM/YYYY.")
    latest_collection_after: str | None = Field(description="This version's latest collection month, MM/YYYY.")
    languages_added: list[str] = Field(description="Language tags new in this version.")
    languages_removed: list[str] = Field(description="Language tags no longer present.")
    domains_before: int = Field(ge=0, description="Domains listed in section 2.3 (h) of the previous version.")
    domains_after: int = Field(ge=0, description="Domains listed in this version.")
    domains_added: list[str] = Field(description="Domains newly listed, in this version's rank order.")
    domains_removed: list[str] = Field(description="Domains no longer listed, in the previous version's order.")
    material: bool = Field(description="Sources, modalities, bins or listed domains changed.")


class Header(Doc):
    version: Fact = Field(description="Version of the Summary.")
    last_update: DateFact = Field(description="Last update (DD/MM/YYYY; the template's format is UNVERIFIED).")
    previous_versions: list[VersionLink] = Field(description="Links to previous versions, newest first as given.")
    url: Fact = Field(description="Where this Summary is published.")
    update_notice: Fact = Field(description="Where notice of updates is given.")
    changes: VersionChanges | None = Field(description="Changes since the previous version, when it was given.")


# --- section 1 --------------------------------------------------------------------------------------------------


class ProviderSection(Doc):
    """1.1 Provider identification."""

    name: Fact = Field(description="1.1 (i) Provider name.")
    contact: Fact = Field(description="1.1 (i) Contact details.")
    address: Fact = Field(description="1.1 (i) Postal address (part of the contact details).")
    established_in_eu: bool | None = Field(description="Whether the provider is established in the Union.")
    representative_required: bool | None = Field(
        description="An authorised representative is required (not established in the EU, Art. 54); null: unknown."
    )
    representative: Fact = Field(description="1.1 (ii) Authorised representative name.")
    representative_contact: Fact = Field(description="1.1 (ii) Authorised representative contact details.")


class ModelEntry(Doc):
    name: str = Field(description="Model name.")
    version: Fact = Field(description="Version; name and version form the versioned model name.")
    versioned_name: str = Field(description="Name and version as one identifier.")
    url: Fact = Field(description="Link to the model's public documentation (optional).")
    placement_date: DateFact = Field(description="1.2 (iii) Date of placement on the Union market.")


class Dependency(Doc):
    model: str = Field(description="The versioned model that depends on the base model.")
    base_model: str = Field(description="The base model it modifies or fine-tunes.")
    summary_url: str | None = Field(description="Link to the base model's own Summary, if given.")


class ModelSection(Doc):
    """1.2 Model identification."""

    models: list[ModelEntry] = Field(description="1.2 (i) Versioned model name(s), with 1.2 (iii) per version.")
    dependencies: list[Dependency] = Field(description="1.2 (ii) Model dependencies; empty means N/A.")


class BinOption(Doc):
    bin: SizeBin
    label: str = Field(description="The template's exact label (spacing as printed).")
    selected: bool


class EdgeWarning(Doc):
    edge: int = Field(description="The bin edge the size is close to, in the modality's unit.")
    distance_percent: float = Field(description="(size - edge) / edge x 100, rounded to 2 decimals.")


class ModalitySize(Doc):
    """1.3 (ii) Training data size of one modality, after pre-processing."""

    modality: TemplateModality
    unit: SizeUnit | None = Field(description="tokens, images or hours; null for other.")
    value: int | float | None = Field(
        description="Size in the unit: a whole number of tokens or images, hours to 2 decimals. Null when unknown."
    )
    provenance: Provenance = Field(description="measured (items), declared (inventory) or missing.")
    basis: str | None = annotated_only(description="The measure or inventory column the size comes from.")
    options: list[BinOption] = Field(description="The template's three ranges, the selected one marked.")
    selected: SizeBin | None = Field(description="The range the size falls in; null when the size is unknown.")
    edge_warning: EdgeWarning | None = Field(description="Set when the size lies within 5% of a bin edge.")
    declared: SizeBin | None = Field(description="The range the provider declared, if any (checked, TS-07).")
    items: int | None = Field(description="Items of the modality (measured).")
    bytes: int | None = Field(
        description="Bytes of the modality after pre-processing (measured): the size in a different unit the "
        "template allows when the template unit is unknown, and the approximate size for other."
    )
    detail: str | None = Field(description="For other: what the modality is (from the inventory).")
    sources: int = Field(ge=0, description="Sources counted (the public Summary does not name them all).")
    excluded_dynamic: int = Field(ge=0, description="Dynamic sources left out of the size (the template allows it).")
    items_without_size: int | None = Field(
        None,
        ge=0,
        description="Measured items of the modality with no size in its unit (tokens for text, seconds for audio and "
        "video, bytes for other): the size leaves them out, so it is a lower bound. Null where not measured or "
        "the unit is a count (images).",
    )


class ContentTypes(Doc):
    """1.3 (iii) Types of content of one modality."""

    modality: TemplateModality
    types: list[str] = Field(description="Types of content, as declared per source, in first-seen order.")
    provenance: Provenance = Field(description="declared or missing.")


class Language(Doc):
    tag: str = Field(description="BCP 47 tag as found.")
    name: Bilingual = Field(description="Language name (the tag itself when unknown).")
    eu_official: bool = Field(description="One of the 24 official languages of the EU.")
    items: int | None = Field(description="Items in this language (measured); null when declared only.")
    share_percent: float | None = Field(description="Share of the items with a language, in percent.")


class Languages(Doc):
    """1.3 (v) Linguistic characteristics of the overall training data."""

    languages: list[Language] = Field(description="Languages, most items first (declared: by tag).")
    provenance: Provenance = Field(description="measured (items), declared (inventory) or missing.")
    eu_official: list[str] = Field(description="Tags of the EU official languages covered.")
    eu_official_count: int = Field(ge=0, le=24, description="How many of the 24 EU official languages are covered.")
    items_without_language: int | None = Field(description="Measured items with no language tag.")


class CollectionSection(Doc):
    """1.3 (iv) Latest date of data acquisition/collection for model training."""

    latest: DateFact = Field(description="Month of the latest collection, MM/YYYY.")
    declared_latest: DateFact = Field(description="Latest collection_end of the inventory, for comparison.")
    continuous_training: Answer = Field(description="Whether the model keeps training on new data after it.")


class GeneralSection(Doc):
    """1.3 Modalities, overall training data size and other characteristics."""

    modalities: Modalities = Field(description="1.3 (i) Modality.")
    sizes: list[ModalitySize] = Field(description="1.3 (ii) Training data size, per selected modality.")
    content_types: list[ContentTypes] = Field(description="1.3 (iii) Types of content, per selected modality.")
    collection: CollectionSection = Field(description="1.3 (iv).")
    languages: Languages = Field(description="1.3 (v).")
    other_characteristics: Fact = Field(description="1.3 (vi) Other relevant characteristics.")
    comments: Fact = Field(description="1.3 (vii) Additional comments (optional).")


# --- section 2 --------------------------------------------------------------------------------------------------


class SourceSketch(Doc):
    """What the Summary says about one source in a general description."""

    name: str | None = Field(description="Name; null where the Summary does not name the source.")
    url: str | None = Field(description="Link, where the Summary names the source.")
    modality: TemplateModality
    content_types: list[str]
    languages: list[str] = Field(description="BCP 47 tags, as declared.")
    collection_start: str | None = Field(description="MM/YYYY.")
    collection_end: str | None = Field(description="MM/YYYY.")
    description: str | None
    provenance: Provenance = Field(description="declared, or missing when the inventory says nothing of it.")


class ModalityShare(Doc):
    modality: TemplateModality
    unit: str = Field(description="tokens, images, hours, or bytes for other.")
    value: float | None = Field(description="The dataset's size in that unit.")
    share_percent: float | None = Field(description="Share of all public data of the modality, rounded to 2 decimals.")
    provenance: Provenance


class PublicDataset(Doc):
    name: str
    url: str | None
    version: str | None
    subset_selection: str | None = Field(description="How a subset was selected, if only part was used.")
    shares: list[ModalityShare]
    large: bool = Field(description="Share above the threshold in some modality, or share unknown (listed anyway).")


class PublicSection(Doc):
    """2.1 Publicly available datasets."""

    used: Gate = Field(description="2.1 (a).")
    modalities: Modalities = Field(description="2.1 (b).")
    threshold_percent: float = Field(description="A dataset is large above this share of its modality's public data.")
    threshold_citation: Citation | None = annotated_only(
        description="Where the threshold comes from (secondary-source only)."
    )
    large: list[PublicDataset] = Field(description="2.1 (c) List of large publicly available datasets.")
    others: list[SourceSketch] = Field(description="2.1 (d) The other publicly available datasets, described.")
    shares_complete: bool = Field(description="Every public dataset's share could be computed.")
    comments: Fact = Field(description="2.1 (e).")


class LicensedSection(Doc):
    """2.2.1 Datasets commercially licensed by rightsholders or their representatives."""

    used: Gate = Field(description="2.2.1 (a).")
    modalities: Modalities = Field(description="2.2.1 (b).")
    comments: Fact = Field(description="2.2.1 (c), optional; whether the template has it is UNVERIFIED.")


class NamedDataset(Doc):
    name: str
    url: str | None


class PrivateSection(Doc):
    """2.2.2 Private datasets obtained from other third parties."""

    used: Gate = Field(description="2.2.2 (a).")
    modalities: Modalities = Field(description="2.2.2 (b).")
    publicly_known: list[NamedDataset] = Field(description="2.2.2 (c) Publicly known private datasets.")
    not_publicly_known: list[SourceSketch] = Field(description="2.2.2 (d) General description of the others.")
    comments: Fact = Field(description="2.2.2 (e).")


class Crawler(Doc):
    """One crawler of section 2.3, gathered over the sources it collected."""

    name: str | None = Field(description="2.3 (b) Crawler name; null when the inventory does not name it.")
    user_agents: list[str] = Field(description="2.3 (b) User-agent identifiers.")
    purposes: list[str] = Field(description="2.3 (c) Purposes.")
    behaviour: list[str] = Field(description="2.3 (d) Behaviour descriptions.")
    honours: list[str] = Field(description="Opt-out protocols honoured (robots.txt, TDMRep, ...).")
    circumvents_paywalls: bool | None
    circumvents_captchas: bool | None
    uses_logins: bool | None
    period_start: DateFact = Field(description="2.3 (e) Start of collection, MM/YYYY.")
    period_end: DateFact = Field(description="2.3 (e) End of collection, MM/YYYY.")
    sources: int = Field(ge=1, description="Crawled sources collected by this crawler.")
    provenance: Provenance = Field(description="declared, or missing when nothing about the crawler is stated.")


class DomainEntry(Doc):
    rank: int = Field(ge=1)
    domain: str = Field(description="Registrable domain (top and second-level domain, by the Public Suffix List).")
    bytes: int = Field(ge=0, description="Bytes of crawled content from the domain.")


class DomainList(Doc):
    """2.3 (h) Summary of the most relevant domain names crawled."""

    provenance: Provenance = Field(description="measured, or missing without item-level domains and sizes.")
    sme: bool | None = Field(description="SME rule applied; null: SME status unknown, the general rule applied.")
    rule: Literal["top_10_percent", "sme_top_5_percent_max_1000"]
    distinct: int = Field(ge=0, description="N: distinct registrable domains crawled.")
    listed: int = Field(ge=0, description="Domains listed: ceil(10% N), or for SMEs min(ceil(5% N), 1000).")
    total_bytes: int = Field(ge=0, description="Bytes crawled from all domains, listed or not.")
    items_without_domain: int = Field(
        0, ge=0, description="Crawled items with neither a domain nor a URL host: in no domain, not in N."
    )
    items_without_size: int = Field(
        0,
        ge=0,
        description="Crawled items with a domain but no size_bytes: their domains count in N, their bytes are in no "
        "total (a domain's bytes are then a lower bound).",
    )
    domains_without_size: int = Field(0, ge=0, description="Domains with at least one item without size_bytes.")
    listed_bytes: int = Field(ge=0, description="Bytes from the listed domains.")
    measure: Literal["bytes"] = Field(description="What 'size of the content scraped' is measured in.")
    order: str = Field(description="How the list is ordered and ties broken.")
    domain_mapping: str | None = Field(description="How hosts became registrable domains (Public Suffix List).")
    inline: bool = Field(description="The whole list is printed in the Summary itself.")
    printed: int = Field(ge=0, description="Domains printed in the Summary (the first ones, rank order).")
    attachment: str = Field(description="File name of the CSV that always holds the complete list.")
    domains: list[DomainEntry] = Field(description="The complete list, rank order.")
    citation: Citation | None = annotated_only(description="Footnote 16 of the template, and how well it was verified.")


class CrawledSection(Doc):
    """2.3 Data crawled and scraped from online sources."""

    used: Gate = Field(description="2.3 (a).")
    crawlers: list[Crawler] = Field(description="2.3 (b)-(e), one entry per crawler.")
    content: list[SourceSketch] = Field(description="2.3 (f) Type of content and online sources crawled.")
    modalities: Modalities = Field(description="2.3 (g).")
    domains: DomainList = Field(description="2.3 (h).")
    comments: Fact = Field(description="2.3 (i).")


class ServiceEntry(Doc):
    category: Literal["model_interactions", "other_services"]
    description: str | None = Field(description="The provider's service or product the data was collected from.")
    provenance: Provenance


class UserDataSection(Doc):
    """2.4 User data."""

    model_interactions: Gate = Field(description="2.4 (a).")
    other_services: Gate = Field(description="2.4 (b).")
    services: list[ServiceEntry] = Field(description="2.4 (c).")
    modalities: Modalities = Field(description="2.4 (d).")
    comments: Fact = Field(description="2.4 (e).")


class Generator(Doc):
    name: str | None
    summary_url: str | None = Field(description="Link to the generator's own Summary, where available.")
    description: str | None = Field(description="For models not on the market: what it is and its training data.")
    on_eu_market: bool | None


class SyntheticSection(Doc):
    """2.5 Synthetic data."""

    used: Gate = Field(description="2.5 (a).")
    modalities: Modalities = Field(description="2.5 (b).")
    market_models: list[Generator] = Field(description="2.5 (c) General-purpose AI models on the market used.")
    other_models: list[Generator] = Field(description="2.5 (d) Other AI models, including the provider's own.")
    comments: Fact = Field(description="2.5 (e).")


class OtherSection(Doc):
    """2.6 Other sources of data."""

    used: Gate = Field(description="2.6 (a).")
    modalities: Modalities = Field(description="Modalities of the other sources (not a template field).")
    narrative: list[SourceSketch] = Field(description="2.6 (b) Narrative description of these sources.")
    comments: Fact = Field(description="2.6 (c).")


class SourcesSection(Doc):
    public: PublicSection
    licensed: LicensedSection
    private: PrivateSection
    crawled: CrawledSection
    user_data: UserDataSection
    synthetic: SyntheticSection
    other: OtherSection


# --- section 3 --------------------------------------------------------------------------------------------------


class ThirdPartyOptOut(Doc):
    category: str = Field(description="Template section of the dataset's category.")
    name: str | None = Field(description="The dataset, where the Summary names it.")
    evidence: str | None = Field(
        description="How opt-outs were respected by the third party or filtered after; null where it would name a "
        "counterparty or contract the manifest does not mark publishable."
    )
    withheld: bool = Field(
        False,
        description="Evidence is recorded but not published: licensed data, limited disclosure (Notice point 19).",
    )
    evidence_withheld: str | None = annotated_only(description="The withheld evidence, for the provider's review.")
    provenance: Provenance


class TdmSection(Doc):
    """3.1 Respect of reservation of rights from text and data mining exception or limitation."""

    signatory: Answer = Field(description="3.1 (a) Code-of-Practice signatory.")
    measures: Fact = Field(description="3.1 (b) Measures implemented before model training.")
    protocols: list[str] = Field(description="Opt-out protocols honoured by the provider's crawlers (declared).")
    third_party: list[ThirdPartyOptOut] = Field(description="Opt-out evidence for datasets from third parties.")
    copyright_policy: Fact = Field(description="The copyright policy (Art. 53(1)(c)), part of 3.1 (c).")
    comments: Fact = Field(description="3.1 (c) Additional comments.")


class ProcessingSection(Doc):
    tdm: TdmSection = Field(description="3.1.")
    illegal_content: Fact = Field(description="3.2 Removal of illegal content: general description of measures.")
    other: Fact = Field(description="3.3 Other information (optional).")


# --- checks -----------------------------------------------------------------------------------------------------


class Check(Doc):
    """A check the Summary builder made (what the rule language cannot express), with its citation."""

    check_id: str = Field(description="Stable id, after the reference notes' candidate rules (e.g. EU-TS-07).")
    field: str = Field(description="The template field or section concerned, e.g. 1.3 (ii).")
    severity: Severity
    outcome: Outcome = Field(description="pass, fail, not_evaluable (missing evidence) or not_applicable.")
    title: Bilingual = Field(description="What is checked.")
    message: Bilingual = Field(description="What was found, with the figures.")
    citation: Citation = Field(description="The provision, and how well it was verified.")


class PackRuleRow(Doc):
    """An eu-ai-act rule that failed or lacked evidence (details in the findings document)."""

    rule_id: str
    severity: Severity
    outcome: Outcome
    title: Bilingual


class EuSummaryDocument(Released):
    """The Public Summary of Training Content, template C(2025) 5235 / C(2025) 8311, sections 1 to 3."""

    schema_version: Literal["1.0"] = Field("1.0", description="Version of this document schema.")
    document: Literal["eu-training-summary"] = Field(EU_SUMMARY_DOCUMENT, description="Which document this is.")
    audience: Literal["public"] = Field("public", description="Published by the provider (Art. 53(1)(d)).")
    dataset: str = Field(min_length=1, description="The training dataset the Summary is about.")
    document_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date the document was made.")
    template: str = Field(description="The template this Summary follows.")
    header: Header
    provider: ProviderSection = Field(description="1.1.")
    model: ModelSection = Field(description="1.2.")
    general: GeneralSection = Field(description="1.3.")
    sources: SourcesSection = Field(description="Section 2: list of data sources.")
    processing: ProcessingSection = Field(description="Section 3: data processing aspects.")
    checks: list[Check] = annotated_only([], description="Checks made while building the Summary, failing first.")
    pack_rules: list[PackRuleRow] = annotated_only([], description="eu-ai-act rules that failed or lacked evidence.")
    inventory: list[InventoryEntry] = Field(
        description="Every source used in training, by category; named only where the Summary names it. "
        "Used to state what changed between versions."
    )
    traceability: Traceability | None = annotated_only(description="Inputs with their digests, packs, tool.")


class InventoryEntry(Doc):
    category: str = Field(description="Template section of the source's category, e.g. 2.1.")
    name: str | None = Field(description="The source's name where the Summary names it, else null.")


# --- Annex XI / XII ---------------------------------------------------------------------------------------------


class Figure(Doc):
    """A size figure of one dataset."""

    unit: Literal["items", "tokens", "bytes", "hours"]
    value: float | None = Field(description="Hours rounded to 2 decimals; null when unknown.")
    provenance: Provenance = Field(description="measured (items), declared (inventory) or missing.")


Split = Literal["training", "validation", "testing"]


class AnnexDataset(Doc):
    """Annex XI Section 1 point 2(c) for one dataset (for the AI Office and national authorities, on request)."""

    source_id: str
    name: str
    splits: list[Split] = Field(description="training, validation, testing.")
    category: str = Field(description="EU source category (provenance.EuCategory value).")
    section: str = Field(description="The Summary section of the category, e.g. 2.1.")
    modalities: list[TemplateModality] = Field(description="Type of data: modalities.")
    content_types: list[str] = Field(description="Type of data: types of content (declared).")
    origin: Bilingual = Field(
        description="Where the content comes from, seen from the Union: EU or non-EU countries where the inventory "
        "gives them; the inventory's domestic/foreign is the PRC filing's view and is translated, never copied."
    )
    rights_holders: str | None
    url: str | None
    licence: str | None = Field(description="SPDX licence expression of the source.")
    agreement: str | None = Field(description="The licence agreement or contract (authorities only).")
    curation: list[str] = Field(description="Curation methodologies (cleaning, filtering, ...), declared.")
    data_points: Figure = Field(description="Number of data points (items).")
    sizes: list[Figure] = Field(description="Size after pre-processing in tokens, bytes and hours, where known.")
    description: Fact = Field(description="Scope and main characteristics.")
    languages: list[str] = Field(description="BCP 47 tags, as declared.")
    collection_start: str | None = Field(description="ISO month YYYY-MM.")
    collection_end: str | None = Field(description="ISO month YYYY-MM.")
    acquisition: Bilingual = Field(description="How the data was obtained: the method, in words.")
    acquisition_detail: Fact = Field(description="The crawler, generator, service or agreement behind it.")
    selection: Fact = Field(description="How the data was selected.")
    unsuitability: Fact = Field(description="Measures to detect the unsuitability of the data source.")
    safety_sample_size: int | None = Field(description="Items sampled in the source's safety check (declared).")
    safety_sample_flagged: int | None = Field(description="Sampled items found unsuitable (declared).")
    bias: Fact = Field(description="Methods to detect identifiable biases.")
    missing: list[str] = annotated_only([], description="Annex XI 2(c) elements not given (inventory fields).")


class SplitGroup(Doc):
    """The datasets of one use: training, validation or testing data (Annex XI 2(c), XII 2(c))."""

    split: Split
    datasets: list[str] = Field(description="Source ids (Annex XI) or dataset labels (Annex XII) of this use.")


class ModelCompute(Doc):
    """Annex XI Section 1 point 2(d)-(e): computational resources, training time and energy of one model."""

    model: str
    training_flop: float | None = Field(description="Training compute in FLOP, as the manifest states it.")
    provenance: Provenance = Field(description="attested (manifest) or missing.")


class AnnexDocument(Released):
    """The training-data section of the technical documentation, AI Act Annex XI Section 1 point 2(c)-(e): kept
    for and given to the AI Office and national authorities on request (Art. 53(1)(a))."""

    schema_version: Literal["1.0"] = Field("1.0", description="Version of this document schema.")
    document: Literal["eu-annex-xi-data"] = Field(EU_ANNEX_DOCUMENT, description="Which document this is.")
    audience: Literal["authority"] = Field("authority", description="The AI Office and national authorities.")
    dataset: str = Field(min_length=1)
    document_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    provider: str = Field(description="Provider's legal name.")
    models: list[str] = Field(description="Versioned model names.")
    compute: list[ModelCompute] = Field(description="Annex XI 2(d): training compute per model.")
    splits: list[SplitGroup] = Field(description="Training, validation and testing data, always all three.")
    datasets: list[AnnexDataset] = Field(description="Every source of the inventory, by source id.")
    checks: list[Check] = annotated_only([], description="Completeness per dataset (TD-01) and consistency.")
    traceability: Traceability | None = annotated_only(description="Inputs with their digests, packs, tool.")


class AnnexXiiDataset(Doc):
    """Annex XII point 2(c) for one dataset: type, provenance and curation, without contract details."""

    label: Bilingual = Field(
        description="The dataset's name where it may be named (public datasets, publicly known private ones, the "
        "provider's own data, counterparties marked public); otherwise its kind, e.g. a licensed image collection."
    )
    named: bool = Field(description="label is the dataset's own name.")
    source_id: str | None = annotated_only(description="The source id of the inventory.")
    splits: list[Split]
    category: str
    section: str
    modalities: list[TemplateModality]
    content_types: list[str]
    origin: Bilingual
    licence: str | None = Field(description="SPDX id where it names no counterparty; null for custom terms.")
    curation: list[str]
    acquisition: Bilingual
    missing: list[str] = annotated_only([], description="Annex XII 2(c) elements not given.")


class AnnexXiiDocument(Released):
    """Information on the training data for downstream providers, AI Act Annex XII point 2(c) (Art. 53(1)(b))."""

    schema_version: Literal["1.0"] = Field("1.0", description="Version of this document schema.")
    document: Literal["eu-annex-xii-data"] = Field(EU_ANNEX_XII_DOCUMENT, description="Which document this is.")
    audience: Literal["downstream"] = Field("downstream", description="Providers of AI systems built on the model.")
    dataset: str = Field(min_length=1)
    document_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    provider: str
    models: list[str]
    splits: list[SplitGroup]
    datasets: list[AnnexXiiDataset]
    checks: list[Check] = annotated_only([], description="Completeness per dataset (TD-02) and consistency.")
    traceability: Traceability | None = annotated_only(description="Inputs with their digests, packs, tool.")


EuSummaryDocument.model_rebuild()
