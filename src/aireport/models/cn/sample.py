"""The reviewer's sample: how it is drawn, what was drawn, what the reviewer said, and the rates.

Pure models. Drawing is done by ``aireport.engine.sampling`` (DuckDB), reading a reviewed file by
``aireport.load.cn.review``, the rates by ``aireport.disclose.cn.review``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from aireport.models.base import Bilingual

SAMPLE_METHOD_ID = "aireport-bottom-k-sha256-v1"


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SampleKind(StrEnum):
    PER_SOURCE = "per_source"  # K items of every source (TC260-003 §5.1 a), draft-derived size)
    CORPUS = "corpus"  # N items of the whole corpus (TC260-003 §9.2 a))


class ReviewVerdict(StrEnum):
    QUALIFIED = "qualified"  # 合格: contains none of the 31 Appendix A risks
    UNQUALIFIED = "unqualified"  # 不合格: contains at least one


VERDICT_ALIASES: dict[str, ReviewVerdict] = {
    "qualified": ReviewVerdict.QUALIFIED,
    "unqualified": ReviewVerdict.UNQUALIFIED,
    "合格": ReviewVerdict.QUALIFIED,
    "不合格": ReviewVerdict.UNQUALIFIED,
}
"""What a reviewer may type in the verdict column (case-insensitive)."""


class SampleSpec(Frozen):
    seed: int = Field(ge=0, le=2**63 - 1, description="The seed; the sample is a function of it and the item ids.")
    per_source: int = Field(ge=0, description="K: items drawn from every source (0 = none).")
    corpus: int = Field(ge=0, description="N: items drawn from the whole corpus (0 = none).")
    method: str = SAMPLE_METHOD_ID


METHOD_TEXT = Bilingual(
    en=(
        "Bottom-k sampling by a seeded hash. For every item of the sampling frame the key is the first 16 hex "
        "digits of SHA-256(UTF-8(decimal seed + U+0000 + item_id)); items are ordered by (key, item_id). "
        "per_source: the K first items of every source; corpus: the N first items over all sources. The frame is "
        "every item row with a non-empty item_id and source_id whose source is used in training (source inventory) "
        "and whose used_in_training column, if present, is not false. The same seed and items give the same "
        "sample whatever the order or split of the files; anyone can re-derive it with any SHA-256 tool."
    ),
    zh=(
        "基于带种子哈希的 bottom-k 抽样。抽样框中每条语料的排序键为"
        " SHA-256（UTF-8 编码的“十进制种子 + U+0000 + item_id”）的前16位十六进制数；"
        "按（排序键，item_id）升序排列。per_source：每个来源取前 K 条；"
        "corpus：全部来源合并后取前 N 条。抽样框为 item_id 与 source_id 均非空、"
        "其来源在来源清单中用于训练、且 used_in_training 列（如有）不为 false 的全部语料行。"
        "相同的种子和语料得到相同的样本，与文件顺序和拆分无关；"
        "任何人均可使用任意 SHA-256 工具复现。"
    ),
)


class SampleRow(Frozen):
    item_id: str
    source_id: str
    sample: SampleKind
    rank: int = Field(ge=1, description="1-based position in its sample (per source, or over the corpus).")
    hash_key: str = Field(pattern=r"^[0-9a-f]{16}$")


class SourceFrame(Frozen):
    source_id: str
    rows_read: int = Field(ge=0)
    in_frame: int = Field(ge=0, description="Rows of this source in the sampling frame.")
    drawn: int = Field(ge=0, description="Items of this source in its per-source sample.")


class DrawnSample(Frozen):
    spec: SampleSpec
    rows: list[SampleRow] = Field(description="per_source rows by source then rank, then corpus rows by rank.")
    sources: list[SourceFrame]
    rows_read: int
    rows_in_frame: int
    rows_outside_frame: dict[str, int] = Field(description="Rows read but not sampled from, by reason.")


class ReviewedRow(Frozen):
    """One row of a reviewed sample file, with where it was found."""

    item_id: str
    source_id: str
    sample: SampleKind
    verdict: ReviewVerdict
    risk_codes: list[str]
    line: int | None = None
    row: int | None = None


class RateEstimate(Frozen):
    """A qualified rate: the point estimate the standard uses, and a Wilson 95% interval that it does not."""

    n: int = Field(ge=0, description="Items reviewed.")
    qualified: int = Field(ge=0)
    unqualified: int = Field(ge=0)
    rate: str = Field(description="qualified / n as an exact fraction, e.g. 3902/4000.")
    rate_percent: float | None = Field(description="qualified / n x 100, rounded to 2 decimals; null when n = 0.")
    wilson_low_percent: float | None = Field(description="Lower end of the Wilson score 95% interval, in %.")
    wilson_high_percent: float | None = Field(description="Upper end of the Wilson score 95% interval, in %.")
    interval_note: Bilingual = Field(
        Bilingual(
            en="Wilson score 95% interval: extra-regulatory; the standard uses the point estimate only.",
            zh="Wilson 95% 置信区间：非监管要求，标准仅使用点估计。",
        )
    )


class SourceReview(Frozen):
    source_id: str
    estimate: RateEstimate
    frame_items: int = Field(ge=0, description="Items of the source in the sampling frame.")
    complete: bool = Field(description="The sample is the whole source (it has at most K items).")


class RiskCount(Frozen):
    code: str
    name: Bilingual
    items: int = Field(ge=1)


class ReviewResult(Frozen):
    """What the reviewed sample file says, checked against a re-draw of the sample."""

    spec: SampleSpec
    file: str = Field(description="The reviewed file, as given.")
    sha256: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the reviewed file. Annotated edition only.",
        json_schema_extra={"edition": "annotated"},
    )
    per_source: list[SourceReview] = Field(description="By source id; empty when K = 0.")
    corpus: RateEstimate | None = Field(description="The corpus sample; null when N = 0.")
    corpus_frame_items: int = Field(ge=0, description="Items in the sampling frame (the corpus size N_total).")
    risks: list[RiskCount] = Field(description="Unqualified items per Appendix A risk code, over both samples.")
