"""The complete top-domain list of Summary section 2.3 (h) as CSV: the attachment the Summary always refers to.

Columns ``rank,domain,bytes``; UTF-8, LF line endings, quoted where a cell needs it, a domain that could start a
spreadsheet formula written inert (:mod:`aireport.guards.cells`), in the Summary's rank order. A pure function of
the Summary document, so a saved JSON gives the same bytes.
"""

from __future__ import annotations

from aireport.guards.cells import inert
from aireport.models.documents import Document
from aireport.models.eu.summary import EU_DOMAINS_CSV, EuSummaryDocument

HEADER = "rank,domain,bytes"


def domains_csv(doc: EuSummaryDocument) -> bytes:
    lines = [HEADER]
    for entry in doc.sources.crawled.domains.domains:
        domain = inert(entry.domain)  # a domain comes from the item files: it never starts a formula
        if any(c in domain for c in ',"\r\n'):
            domain = '"' + domain.replace('"', '""') + '"'
        lines.append(f"{entry.rank},{domain},{entry.bytes}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def side_files(doc: Document) -> dict[str, bytes]:
    """The CSV beside every Summary, whatever the formats asked for."""
    if not isinstance(doc, EuSummaryDocument):
        return {}
    return {doc.sources.crawled.domains.attachment or EU_DOMAINS_CSV: domains_csv(doc)}
