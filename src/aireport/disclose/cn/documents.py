"""The Chinese generative-AI documents."""

from __future__ import annotations

from aireport.disclose.cn.assessment import build_cn_assessment, build_cn_summary
from aireport.disclose.registry import DocumentSpec

DOCUMENTS = (
    DocumentSpec("cn-assessment", build_cn_assessment, "the corpus-security self-assessment report (语料安全)"),
    DocumentSpec(
        "cn-corpus-summary",
        lambda run: build_cn_summary(build_cn_assessment(run)),
        "a short bilingual corpus summary for model cards",
    ),
)
