"""The delivery statement and the creators' own statements, from the signed certificate and the ledgers.

Pure functions of models: every figure is the certificate's or the ledger's, so the JSON says exactly what the
signed certificate and the ledger files say.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aireport import __version__
from aireport.models.base import Bilingual
from aireport.models.certificate import MERKLE_SCHEME, DeliveryCertificate
from aireport.models.delivery import (
    STATEMENT_LINES,
    Amount,
    ClearanceFigures,
    CreatorStatementDocument,
    DeliveryStatementDocument,
    DeliveryTraceability,
    FileRow,
    LedgerSection,
    ReasonCount,
    Seal,
    StatementLine,
)
from aireport.models.doc_parts import InputRow, PackRow
from aireport.models.ledger import Ledger, LedgerLine, fraction_text
from aireport.models.results import InputFile
from aireport.models.rules import RulePack


def _reasons(counts: Mapping[str, int], pack: RulePack) -> list[ReasonCount]:
    titles = {r.id: r.title for r in pack.rules}
    unknown = Bilingual(en="(not a rule of the pack)", zh="（非该规则包中的规则）")
    return [ReasonCount(code=c, title=titles.get(c, unknown), items=n) for c, n in sorted(counts.items())]


def _line(line: LedgerLine) -> StatementLine:
    t = line.totals
    return StatementLine(
        key=line.key,
        items=t.items,
        bytes=t.bytes,
        cleared_items=t.cleared_items,
        not_cleared_items=t.not_cleared_items,
        unknown_items=t.unknown_items,
        share_count=fraction_text(line.share_count),
        share_bytes=fraction_text(line.share_bytes),
        share_weight=fraction_text(line.share_weight),
        allocation=line.allocation.text() if line.allocation else None,
        allocation_minor_units=line.allocation.minor if line.allocation else None,
    )


def _amount(ledger: Ledger) -> Amount | None:
    if ledger.amount is None or ledger.basis is None:
        return None
    return Amount(
        amount=ledger.amount.text(),
        currency=ledger.amount.currency,
        minor_units=ledger.amount.minor,
        basis=ledger.basis,
    )


def _leading(ledger: Ledger) -> list[LedgerLine]:
    def rank(line: LedgerLine) -> tuple[int, int, bytes]:
        figure = line.allocation.minor if line.allocation else line.totals.cleared_items
        return (-figure, line.key is None, (line.key or "").encode("utf-8"))

    return sorted(ledger.lines, key=rank)[:STATEMENT_LINES]


def _section(ledger: Ledger, files: Mapping[str, bytes], prefix: str) -> LedgerSection:
    lines = [_line(x) for x in _leading(ledger)]
    return LedgerSection(
        key=ledger.key,
        lines_total=len(ledger.lines),
        lines=lines,
        lines_more=len(ledger.lines) - len(lines),
        files=[
            FileRow(name=name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
            for name, data in sorted(files.items())
            if name.startswith(prefix)
        ],
    )


def _traceability(pack: RulePack, inputs: Sequence[InputFile]) -> DeliveryTraceability:
    return DeliveryTraceability(
        tool="aireport",
        tool_version=__version__,
        inputs=[InputRow(role=f.role, path=f.path, bytes=f.bytes, sha256=f.sha256) for f in inputs],
        packs=[PackRow(id=pack.manifest.id, version=pack.manifest.version, rules=len(pack.rules), sha256=pack.digest)],
    )


def build_statement(
    certificate: DeliveryCertificate,
    envelope: Mapping[str, Any],
    payload_sha256: str,
    creators: Ledger,
    rights_holders: Ledger,
    pack: RulePack,
    inputs: Sequence[InputFile],
    files: Mapping[str, bytes],
    dataset: str,
) -> DeliveryStatementDocument:
    c = certificate.clearance
    return DeliveryStatementDocument(
        document_date=certificate.date.isoformat(),
        delivery_id=certificate.delivery.id,
        supplier=certificate.supplier.name,
        buyer=certificate.buyer.name,
        dataset=dataset,
        merkle_scheme=MERKLE_SCHEME,
        merkle_root=certificate.merkle.root,
        territory=list(c.territory),
        clearance=ClearanceFigures(
            items=certificate.items.delivered,
            bytes=certificate.items.bytes,
            cleared=c.cleared,
            not_cleared=c.not_cleared,
            unknown=c.unknown,
            not_cleared_by_reason=_reasons(c.not_cleared_by_reason, pack),
            unknown_by_reason=_reasons(c.unknown_by_reason, pack),
        ),
        amount=_amount(creators),
        creators=_section(creators, files, "ledger-creators."),
        rights_holders=_section(rights_holders, files, "ledger-rights-holders."),
        seal=Seal(
            payload_sha256=payload_sha256,
            key_ids=[s["keyid"] for s in envelope.get("signatures", []) if s.get("keyid")],
            envelope=dict(envelope),
        ),
        traceability=_traceability(pack, inputs),
    )


def build_creator_statement(
    certificate: DeliveryCertificate, payload_sha256: str, creators: Ledger, creator: str, pack: RulePack
) -> CreatorStatementDocument | None:
    """The statement of ``creator``, or None when the delivery holds nothing of theirs."""
    line = next((x for x in creators.lines if x.key == creator), None)
    if line is None:
        return None
    return CreatorStatementDocument(
        document_date=certificate.date.isoformat(),
        delivery_id=certificate.delivery.id,
        supplier=certificate.supplier.name,
        buyer=certificate.buyer.name,
        merkle_root=certificate.merkle.root,
        certificate_sha256=payload_sha256,
        creator=creator,
        line=_line(line),
        not_cleared_by_reason=_reasons(line.totals.not_cleared_by_reason, pack),
        unknown_by_reason=_reasons(line.totals.unknown_by_reason, pack),
        amount=_amount(creators),
        traceability=_traceability(pack, ()),
    )


def creator_file_stem(creator: str) -> str:
    """A safe, stable file name for a creator: the id's safe characters and 8 hex digits of its SHA-256."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", creator).strip("._")[:48] or "creator"
    return f"{safe}-{hashlib.sha256(creator.encode('utf-8')).hexdigest()[:8]}"
