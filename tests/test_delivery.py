"""Clearance, the creators' ledger, the signed certificate and the buyer's verify, on tests/fixtures/delivery.

Every expected value below is worked out by hand from the fixture (clearance date 2026-11-24, territory worldwide;
the clearance rules in id order: DATA-MINING, LICENCE-COMMERCIAL, LICENCE-TRAINING, MODEL-RELEASE,
PROPERTY-RELEASE, ROBOTS, TAKEDOWN, TDM-RESERVED, TERM, TERRITORY):

    item  source  creator  bytes weight  what is planted                             verdict  reasons
    a1    stock   alice    100   5       all good (licence from the source)          yes
    a2    stock   alice    200   1       model_release none                          no       MODEL-RELEASE
    a3    stock   alice    300   1       term ended 2026-01-31; data_mining empty    no       TERM (the unknown is moot)
    b1    stock   bob      400   3       all good                                    yes
    b2    stock   bob      500   4       CC-BY-NC-4.0 and takedown upheld            no       LICENCE-COMMERCIAL,
                                                                                          TAKEDOWN
    c1    stock   carol    600   1       territory CN;HK                             no       TERRITORY
    c2    stock   (none)   50    2       data_mining empty                           unknown  DATA-MINING
    t1    words   carol    10    7       text (releases do not apply), CC-BY-4.0     yes
    w1    crawl   dave     70    0       no licence anywhere; robots disallowed      no       ROBOTS (the unknown
                                                                                          licence is moot)

Cleared: a1, b1, t1 (3 items, 510 bytes, weight 15). Shares by weight: alice 5/15 = 1/3, bob 3/15 = 1/5,
carol 7/15; 100.00 CNY = 10,000 fen by weight: quotas 3333 r 5, 2000 r 0, 4666 r 10, one fen left goes to the
largest remainder (carol): 3333 + 2000 + 4667 = 10,000. By count: 3333 r 1 each, the tie goes to alice (key order).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import math
import shutil
import struct
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from aireport.cli import main
from aireport.disclose.delivery.ledger import allocate, parse_amount
from aireport.errors import InputError
from tests.conftest import FIXTURES

DATE = "2026-11-24"
EXPECTED = {
    "a1": ("yes", []),
    "a2": ("no", ["CLR-MODEL-RELEASE"]),
    "a3": ("no", ["CLR-TERM"]),
    "b1": ("yes", []),
    "b2": ("no", ["CLR-LICENCE-COMMERCIAL", "CLR-TAKEDOWN"]),
    "c1": ("no", ["CLR-TERRITORY"]),
    "c2": ("unknown", ["CLR-DATA-MINING"]),
    "t1": ("yes", []),
    "w1": ("no", ["CLR-ROBOTS"]),
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    target = tmp_path / "delivery"
    shutil.copytree(FIXTURES / "delivery", target)
    return target / "manifest.yaml"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("keys")
    assert run("keygen", folder / "supplier.key.pem").exit_code == 0
    return folder / "supplier.key.pem", folder / "supplier.pub.pem"


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory, keys: tuple[Path, Path]) -> Path:
    """The fixture certified as delivery D-1 (the folder with the certificate, listing, index and ledgers)."""
    out = tmp_path_factory.mktemp("certified")
    result = run(
        "certify", FIXTURES / "delivery" / "manifest.yaml", "--delivery", "D-1", "--buyer", "Buyer AI Ltd.",
        "--key", keys[0], "--out", out, "--date", DATE, "--amount", "100", "--currency", "CNY", "--basis", "weight",
        "--creator-statement", "bob", "--format", "json,pdf",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def listing(folder: Path) -> dict[str, dict[str, object]]:
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{folder / 'clearance.parquet'}')").fetchall()
    names = [
        d[0] for d in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{folder / 'clearance.parquet'}')").fetchall()
    ]
    return {str(r[0]): dict(zip(names, r, strict=True)) for r in rows}


def ledger(path: Path) -> dict[str, dict[str, str]]:
    return {row[next(iter(row))]: row for row in csv.DictReader(io.StringIO(path.read_text()))}


# --- the reference implementation of docs/merkle.md, hashlib only -------------------------------------------------


def leaf(item_id: str, content_hash: str) -> bytes:
    digest = bytes.fromhex(content_hash.removeprefix("sha256:"))
    raw = item_id.encode("utf-8")
    return hashlib.sha256(b"\x00" + struct.pack(">I", len(raw)) + raw + struct.pack(">I", 32) + digest).digest()


def reference_root(items: list[tuple[str, str]]) -> str:
    ordered = sorted(items, key=lambda item: item[0].encode("utf-8"))
    level = [leaf(i, h) for i, h in ordered]
    while len(level) > 1:
        level = [
            hashlib.sha256(b"\x01" + level[k] + level[k + 1]).digest() if k + 1 < len(level) else level[k]
            for k in range(0, len(level), 2)
        ]
    return level[0].hex()


def fixture_items() -> list[tuple[str, str]]:
    rows = csv.DictReader((FIXTURES / "delivery" / "items.csv").open())
    return [(r["item_id"], r["content_hash"]) for r in rows]


# --- clearance -----------------------------------------------------------------------------------------------------


def test_every_item_gets_the_hand_derived_verdict_and_reasons(dataset: Path, tmp_path: Path) -> None:
    result = run("clear", dataset, "--out", tmp_path / "out", "--date", DATE, "--quiet")
    assert result.exit_code == 0, result.output
    rows = listing(tmp_path / "out")
    assert {k: (v["cleared"], v["reasons"]) for k, v in rows.items()} == EXPECTED
    # The resolved licence and its class verdicts: the source's licence stands in for an item without one.
    verdicts = ("licence", "commercial_use", "ai_training", "redistribution", "attribution")
    assert [rows["a1"][k] for k in verdicts] == ["LicenseRef-Stock", True, True, False, False]
    assert [rows["b2"][k] for k in verdicts] == ["CC-BY-NC-4.0", False, True, True, True]
    assert [rows["t1"][k] for k in verdicts] == ["CC-BY-4.0", True, True, True, True]
    assert [rows["w1"][k] for k in verdicts] == [None, None, None, None, None]
    assert rows["c2"]["creator"] is None
    assert rows["a1"]["content_hash"] == hashlib.sha256(b"a1").hexdigest()


def test_the_territory_of_the_delivery_decides_the_territory_rule(dataset: Path, tmp_path: Path) -> None:
    assert run("clear", dataset, "--out", tmp_path, "--date", DATE, "--territory", "CN", "-q").exit_code == 0
    assert listing(tmp_path)["c1"]["cleared"] == "yes"
    assert run("clear", dataset, "--out", tmp_path, "--date", DATE, "--territory", "CN,US", "-q").exit_code == 0
    assert listing(tmp_path)["c1"]["reasons"] == ["CLR-TERRITORY"]


def test_a_licence_in_term_on_its_last_day_is_cleared(dataset: Path, tmp_path: Path) -> None:
    assert run("clear", dataset, "--out", tmp_path, "--date", "2026-01-31", "-q").exit_code == 0
    assert listing(tmp_path)["a3"]["cleared"] == "unknown"  # in term; the empty data_mining now decides


def test_ledger_lines_and_allocation_by_weight(delivered: Path) -> None:
    creators = ledger(delivered / "ledger-creators.csv")
    assert list(creators) == ["alice", "bob", "carol", "dave", "", "*"]  # key order, no creator last, totals
    wanted = {  # creator: items, bytes, cleared, cleared bytes, cleared weight, not cleared, unknown
        "alice": ("3", "600", "1", "100", "5", "2", "0"),
        "bob": ("2", "900", "1", "400", "3", "1", "0"),
        "carol": ("2", "610", "1", "10", "7", "1", "0"),
        "dave": ("1", "70", "0", "0", "0", "1", "0"),
        "": ("1", "50", "0", "0", "0", "0", "1"),
        "*": ("9", "2230", "3", "510", "15", "5", "1"),
    }
    columns = ("items", "bytes", "cleared_items", "cleared_bytes", "cleared_weight", "not_cleared_items")
    for key, figures in wanted.items():
        assert tuple(creators[key][c] for c in (*columns, "unknown_items")) == figures, key
    assert creators["alice"]["not_cleared_by_reason"] == "CLR-MODEL-RELEASE=1;CLR-TERM=1"
    assert creators["bob"]["not_cleared_by_reason"] == "CLR-LICENCE-COMMERCIAL=1;CLR-TAKEDOWN=1"
    assert creators[""]["unknown_by_reason"] == "CLR-DATA-MINING=1"
    shares = {k: (v["share_count"], v["share_bytes"], v["share_weight"]) for k, v in creators.items()}
    assert shares["alice"] == ("1/3", "10/51", "1/3")
    assert shares["bob"] == ("1/3", "40/51", "1/5")
    assert shares["carol"] == ("1/3", "1/51", "7/15")
    assert shares["dave"] == ("0", "0", "0")
    allocations = {k: v["allocation_minor"] for k, v in creators.items()}
    assert allocations == {"alice": "3333", "bob": "2000", "carol": "4667", "dave": "0", "": "0", "*": "10000"}
    assert creators["carol"]["allocation"] == "46.67"
    assert creators["*"]["currency"] == "CNY"


def test_rights_holder_ledger(delivered: Path) -> None:
    holders = ledger(delivered / "ledger-rights-holders.csv")
    assert list(holders) == ["Agency", "Bob Studio", "", "*"]
    assert holders["Agency"]["share_weight"] == "8/15"
    assert holders[""]["share_weight"] == "7/15"
    assert holders["Bob Studio"]["share_weight"] == "0"
    assert [holders[k]["allocation_minor"] for k in ("Agency", "Bob Studio", "")] == ["5333", "0", "4667"]


def test_allocation_by_count_breaks_ties_by_creator(dataset: Path, tmp_path: Path) -> None:
    args = ("--date", DATE, "--amount", "100", "--currency", "CNY", "--basis", "count", "-q")
    assert run("clear", dataset, "--out", tmp_path, *args).exit_code == 0
    creators = ledger(tmp_path / "ledger-creators.csv")
    assert [creators[k]["allocation_minor"] for k in ("alice", "bob", "carol")] == ["3334", "3333", "3333"]


@settings(deadline=None)  # the machine is shared: a slow example is not a failure
@given(
    minor=st.integers(1, 10**15),
    weights=st.dictionaries(st.text(max_size=5) | st.none(), st.integers(0, 10**12), min_size=1, max_size=30),
)
def test_allocations_sum_exactly_and_stay_within_one_unit_of_the_exact_share(
    minor: int, weights: dict[str | None, int]
) -> None:
    if sum(weights.values()) == 0:
        with pytest.raises(ValueError, match="every weight is zero"):
            allocate(minor, weights)
        return
    out = allocate(minor, weights)
    assert sum(out.values()) == minor
    whole = sum(weights.values())
    for key, weight in weights.items():
        exact = Fraction(minor * weight, whole)
        assert math.floor(exact) <= out[key] <= math.ceil(exact)


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("1000000", "CNY", 100_000_000), ("0.01", "cny", 1), ("1000", "JPY", 1000), ("1.005", "BHD", 1005)],
)
def test_amounts_in_minor_units(amount: str, currency: str, minor: int) -> None:
    assert parse_amount(amount, currency).minor == minor


@pytest.mark.parametrize(
    ("amount", "currency", "says"),
    [
        ("10.005", "CNY", "2 decimal place"),
        ("1.5", "JPY", "0 decimal place"),
        ("-5", "CNY", "positive decimal"),
        ("0", "CNY", "positive decimal"),
        ("abc", "CNY", "positive decimal"),
        ("NaN", "CNY", "positive decimal"),
        ("10", "XYZ", "ISO 4217"),
        ("10", "XAU", "no minor unit"),
    ],
)
def test_bad_amounts_are_named(amount: str, currency: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_amount(amount, currency)


def test_bad_amount_on_the_command_line_exits_2_and_writes_nothing(dataset: Path, tmp_path: Path) -> None:
    result = run("clear", dataset, "--out", tmp_path / "out", "--amount", "1e3x", "--currency", "CNY")
    assert result.exit_code == 2
    assert "--amount" in result.output
    assert "'1e3x'" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _edit(dataset: Path, item: str, column: str, value: str) -> None:
    path = dataset.parent / "items.csv"
    rows = list(csv.DictReader(path.open()))
    for row in rows:
        if row["item_id"] == item:
            row[column] = value
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("usage_weight", "-3", "value -3 is negative"),
        ("license_term_end", "31/01/2026", "value '31/01/2026' cannot be read; allowed: YYYY-MM-DD or perpetual"),
        ("license_territory", "world", "value 'world' cannot be read; allowed: worldwide or ISO 3166-1"),
        ("model_release", "yes", "value 'yes' is not allowed; allowed: unlimited, limited, none, not_applicable"),
        ("source_id", "nowhere", "source 'nowhere' is not in the source inventory"),
    ],
)
def test_bad_rows_name_file_row_field_and_value(
    dataset: Path, tmp_path: Path, column: str, value: str, says: str
) -> None:
    _edit(dataset, "b1", column, value)
    result = run("clear", dataset, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"items.csv: row 4: {column}: {says}" in result.output.replace("\n", " ")
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


# --- the certificate ------------------------------------------------------------------------------------------------


def certificate(folder: Path) -> dict[str, object]:
    envelope = json.loads((folder / "certificate.dsse.json").read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert statement["predicateType"] == "https://aireport.dev/delivery-certificate/v1"
    return dict(statement["predicate"])


def test_certificate_states_root_counts_and_clearance(delivered: Path) -> None:
    cert = certificate(delivered)
    assert cert["merkle"] == {"root": reference_root(fixture_items()), "scheme": "aireport-merkle-sha256-v1", "size": 9}
    assert cert["items"] == {"delivered": 9, "bytes": 2230}
    assert cert["clearance"] == {
        "cleared": 3,
        "not_cleared": 5,
        "unknown": 1,
        "not_cleared_by_reason": {
            "CLR-LICENCE-COMMERCIAL": 1,
            "CLR-MODEL-RELEASE": 1,
            "CLR-ROBOTS": 1,
            "CLR-TAKEDOWN": 1,
            "CLR-TERM": 1,
            "CLR-TERRITORY": 1,
        },
        "unknown_by_reason": {"CLR-DATA-MINING": 1},
        "territory": ["worldwide"],
    }
    assert cert["supplier"] == {"name": "Fixture Stock Ltd."}
    assert cert["buyer"] == {"name": "Buyer AI Ltd."}
    assert [p["id"] for p in cert["packs"]] == ["clearance"]  # type: ignore[attr-defined]
    assert {i["role"] for i in cert["inputs"]} == {"manifest", "sources", "items", "licences"}  # type: ignore[attr-defined]


def delivered_csv(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "delivered.csv"
    path.write_text("item_id,content_hash\n" + "".join(f"{i},{h}\n" for i, h in rows))
    return path


def verify(delivered: Path, items: Path, *extra: str | Path) -> Result:
    return run("verify", delivered / "certificate.dsse.json", "--items", items, *extra)


def test_the_delivered_data_verifies(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    result = verify(delivered, delivered_csv(tmp_path, fixture_items()), "--public-key", keys[1])
    assert result.exit_code == 0, result.output
    assert "root matches" in result.output
    assert "signature: valid" in result.output


def test_shuffled_and_re_split_files_give_the_same_root(
    delivered: Path, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    items = fixture_items()
    shuffled = [items[k] for k in (8, 3, 0, 6, 1, 5, 2, 7, 4)]
    delivered_csv(tmp_path / "a", shuffled[:2])
    delivered_csv(tmp_path / "b", shuffled[2:7])
    delivered_csv(tmp_path / "c", [(i, "sha256:" + h.upper()) for i, h in shuffled[7:]])  # spelling never matters
    result = run(
        "verify", delivered / "certificate.dsse.json",
        *[arg for name in "cab" for arg in ("--items", str(tmp_path / name / "delivered.csv"))],  # any order
        "--public-key", keys[1],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_one_flipped_byte_names_that_item(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    items = fixture_items()
    item, good = items[4]
    flipped = good[:10] + ("0" if good[10] != "0" else "1") + good[11:]
    items[4] = (item, flipped)
    result = verify(delivered, delivered_csv(tmp_path, items), "--public-key", keys[1])
    assert result.exit_code == 1
    text = result.output.replace("\n", " ")
    assert f"item {item}: content hash differs: certified {good}, delivered {flipped}" in text
    assert "1 changed, 0 missing, 0 extra items" in text


def test_a_removed_and_an_added_item_are_named(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    items = [p for p in fixture_items() if p[0] != "c1"] + [("z9", hashlib.sha256(b"z9").hexdigest())]
    result = verify(delivered, delivered_csv(tmp_path, items), "--public-key", keys[1])
    assert result.exit_code == 1
    text = result.output.replace("\n", " ")
    assert "item c1: certified but not delivered" in text
    assert "item z9: delivered but not certified" in text
    assert "0 changed, 1 missing, 1 extra items" in text


def test_a_tampered_signature_fails(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    envelope = json.loads((delivered / "certificate.dsse.json").read_text())
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[0] ^= 1
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    folder = tmp_path / "tampered"
    shutil.copytree(delivered, folder)
    (folder / "certificate.dsse.json").write_text(json.dumps(envelope))
    result = verify(folder, delivered_csv(tmp_path, fixture_items()), "--public-key", keys[1])
    assert result.exit_code == 1
    assert "signature" in result.output


def test_another_suppliers_key_fails_and_no_key_is_not_a_pass(
    delivered: Path, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    assert run("keygen", tmp_path / "other.key.pem").exit_code == 0
    items = delivered_csv(tmp_path, fixture_items())
    assert verify(delivered, items, "--public-key", tmp_path / "other.pub.pem").exit_code == 1
    unpinned = verify(delivered, items)
    assert unpinned.exit_code == 1
    assert "signature not checked" in unpinned.output


def test_a_key_that_is_not_ed25519_is_named(delivered: Path, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pem = tmp_path / "rsa.pub.pem"
    pem.write_bytes(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    result = verify(delivered, delivered_csv(tmp_path, fixture_items()), "--public-key", pem)
    assert result.exit_code == 2
    assert "rsa.pub.pem" in result.output
    assert "Ed25519" in result.output


def test_unreadable_delivered_data_exits_2(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    bad = tmp_path / "no-hash.csv"
    bad.write_text("item_id,other\na1,x\n")
    result = verify(delivered, bad, "--public-key", keys[1])
    assert result.exit_code == 2
    assert "no-hash.csv: content_hash: the delivered data needs this column" in result.output


# --- proofs and addenda ---------------------------------------------------------------------------------------------


def test_an_inclusion_proof_checks_and_a_forged_one_does_not(
    delivered: Path, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    proof_file = tmp_path / "proof.json"
    assert run("prove", delivered / "certificate.dsse.json", "c2", "--out", proof_file).exit_code == 0
    proof = json.loads(proof_file.read_text())
    # Checked with the docs' hashlib-only algorithm, against the root computed here independently.
    fn, sn, r = proof["leaf_index"], proof["tree_size"] - 1, leaf(proof["item_id"], proof["content_hash"])
    for sibling in map(bytes.fromhex, proof["path"]):
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + sibling + r).digest()
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + sibling).digest()
        fn, sn = fn >> 1, sn >> 1
    assert sn == 0
    assert r.hex() == reference_root(fixture_items())
    cert = delivered / "certificate.dsse.json"
    assert run("verify", proof_file, "--certificate", cert, "--public-key", keys[1]).exit_code == 0
    forged = dict(proof, content_hash=hashlib.sha256(b"something else").hexdigest())
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    result = run("verify", tmp_path / "forged.json", "--certificate", cert, "--public-key", keys[1])
    assert result.exit_code == 1
    assert "does not prove item 'c2'" in result.output
    assert run("prove", cert, "nope").exit_code == 2


def test_a_takedown_after_delivery_is_reported(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    cert = delivered / "certificate.dsse.json"
    addendum = tmp_path / "addendum-1.json"
    result = run("takedown", cert, "a1", "--key", keys[0], "--out", addendum, "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    # Still holding the item: verified, and told to delete it.
    full = delivered_csv(tmp_path / "full", fixture_items())
    result = verify(delivered, full, "--public-key", keys[1], "--addendum", addendum)
    assert result.exit_code == 0, result.output
    assert "withdrawn: item a1 (takedown_request, addendum 1): delete it" in result.output
    # Already deleted: the certified items less the withdrawn one still verify, with the addendum.
    less = delivered_csv(tmp_path / "less", [p for p in fixture_items() if p[0] != "a1"])
    assert verify(delivered, less, "--public-key", keys[1], "--addendum", addendum).exit_code == 0
    # ... even without the certified listing: the addendum's certified hash completes the root.
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(delivered / "certificate.dsse.json", alone)
    result = verify(alone, less, "--public-key", keys[1], "--addendum", addendum)
    assert result.exit_code == 0, result.output
    assert "re-derived with the addenda's hashes" in result.output.replace("\n", " ")
    missing = verify(delivered, less, "--public-key", keys[1])
    assert missing.exit_code == 1
    assert "item a1: certified but not delivered" in missing.output
    assert run("takedown", cert, "zz", "--key", keys[0], "--out", tmp_path / "x.json").exit_code == 2


def test_only_the_certificates_signer_may_amend_it(delivered: Path, tmp_path: Path) -> None:
    assert run("keygen", tmp_path / "other.key.pem").exit_code == 0
    result = run("takedown", delivered / "certificate.dsse.json", "a1", "--key", tmp_path / "other.key.pem",
                 "--out", tmp_path / "a.json")  # fmt: skip
    assert result.exit_code == 2
    assert "did not sign this certificate" in result.output


def test_recheck_clears_the_delivered_data_again(delivered: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    copy = tmp_path / "delivered"
    shutil.copytree(FIXTURES / "delivery", copy)
    result = verify(delivered, copy / "manifest.yaml", "--public-key", keys[1], "--recheck")
    assert result.exit_code == 0, result.output
    assert "recheck: 3 cleared, 5 not cleared, 1 unknown, as certified" in result.output
    _edit(copy / "manifest.yaml", "b1", "takedown", "upheld")  # same ids and hashes, other clearance
    result = verify(delivered, copy / "manifest.yaml", "--public-key", keys[1], "--recheck")
    assert result.exit_code == 1
    text = result.output.replace("\n", " ")
    assert "clearance.cleared: re-cleared: 2; the certificate states 3" in text
    assert "clearance.not_cleared_by_reason.CLR-TAKEDOWN: re-cleared: 2; the certificate states 1" in text


# --- the documents of a delivery --------------------------------------------------------------------------------------


def test_the_delivery_statement_carries_the_signed_certificate(delivered: Path) -> None:
    doc = json.loads((delivered / "delivery-statement.json").read_text())
    assert doc["document"] == "delivery-statement"
    assert doc["merkle_root"] == reference_root(fixture_items())
    assert doc["seal"]["envelope"] == json.loads((delivered / "certificate.dsse.json").read_text())
    assert (doc["clearance"]["cleared"], doc["clearance"]["not_cleared"], doc["clearance"]["unknown"]) == (3, 5, 1)
    reasons = {r["code"]: r["items"] for r in doc["clearance"]["not_cleared_by_reason"]}
    assert reasons == {
        "CLR-LICENCE-COMMERCIAL": 1, "CLR-MODEL-RELEASE": 1, "CLR-ROBOTS": 1, "CLR-TAKEDOWN": 1, "CLR-TERM": 1,
        "CLR-TERRITORY": 1,
    }  # fmt: skip
    # Leading lines by allocation: carol 46.67, alice 33.33, bob 20.00, then dave and the unattributed items.
    assert [(x["key"], x["allocation"]) for x in doc["creators"]["lines"]] == [
        ("carol", "46.67"), ("alice", "33.33"), ("bob", "20.00"), ("dave", "0.00"), (None, "0.00"),
    ]  # fmt: skip
    assert doc["amount"] == {"amount": "100.00", "currency": "CNY", "minor_units": 10000, "basis": "weight"}
    files = {f["name"]: f["sha256"] for f in doc["creators"]["files"]}
    assert files["ledger-creators.csv"] == hashlib.sha256((delivered / "ledger-creators.csv").read_bytes()).hexdigest()
    attached = PdfReader(delivered / "delivery-statement.en.pdf").attachments["delivery-statement.json"][0]
    assert json.loads(attached) == doc  # the PDF/A-3 carries the document, the signed envelope inside


def test_a_creator_statement_carries_no_other_creators_data(delivered: Path) -> None:
    path = next(delivered.glob("creator-bob-*.json"))
    text = path.read_text()
    doc = json.loads(text)
    assert doc["creator"] == "bob"
    line = doc["line"]
    assert (line["key"], line["items"], line["cleared_items"], line["share_weight"], line["allocation"]) == (
        "bob", 2, 1, "1/5", "20.00",
    )  # fmt: skip
    assert [r["code"] for r in doc["not_cleared_by_reason"]] == ["CLR-LICENCE-COMMERCIAL", "CLR-TAKEDOWN"]
    values = set(_scalars(doc))
    others = {"alice", "carol", "dave", "Agency", "Bob Studio", *(i for i, _ in fixture_items())}
    assert values & others == set()
    assert values & {"46.67", "33.33", "3333", "4667", 3333, 4667, "10/51", "7/15"} == set()  # others' figures
    assert "item_id" not in text
    assert "content_hash" not in text
    assert run("render", path, "--format", "pdf", "--out", path.parent / "again").exit_code == 0


def _scalars(value: object) -> list[object]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _scalars(v)]
    if isinstance(value, list):
        return [x for v in value for x in _scalars(v)]
    return [value]


def test_a_creator_without_items_gets_no_statement(dataset: Path, keys: tuple[Path, Path], tmp_path: Path) -> None:
    result = run(
        "certify", dataset, "--delivery", "D", "--buyer", "B", "--key", keys[0], "--out", tmp_path / "out",
        "--creator-statement", "nobody", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "creator 'nobody' has no item in this delivery" in result.output
    assert not (tmp_path / "out" / "certificate.dsse.json").exists()


def test_a_clearance_pack_with_a_rule_it_cannot_apply_per_item_is_refused(dataset: Path, tmp_path: Path) -> None:
    pack = tmp_path / "my-clearance"
    shutil.copytree(Path(__file__).parents[1] / "rules" / "clearance", pack)
    (pack / "CLR-SOURCE.yaml").write_text(
        (pack / "CLR-TERM.yaml")
        .read_text()
        .replace("id: CLR-TERM", "id: CLR-SOURCE")
        .replace("scope: item", "scope: source")
        .replace("is_true: delivery.licence_in_term", "not_null: license")
        .replace("evidence: [license_term_end, license]", "evidence: [license]")
    )
    result = run("clear", dataset, "--out", tmp_path / "out", "--pack", pack)
    assert result.exit_code == 2, result.output
    assert "rule CLR-SOURCE is not an item condition" in result.output
