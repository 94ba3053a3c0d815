"""The EU AI Act documents."""

from __future__ import annotations

from aireport.disclose.eu.annex import build_eu_annex, build_eu_annex_xii
from aireport.disclose.eu.summary import build_eu_summary
from aireport.disclose.registry import DocumentSpec

DOCUMENTS = (
    DocumentSpec("eu-training-summary", build_eu_summary, "the Public Summary of Training Content (Art. 53(1)(d))"),
    DocumentSpec("eu-annex-xi-data", build_eu_annex, "the training-data section of Annex XI, for authorities"),
    DocumentSpec(
        "eu-annex-xii-data", build_eu_annex_xii, "the training data as Annex XII gives it to downstream providers"
    ),
)
