"""The Merkle scheme of docs/merkle.md, checked against roots computed here with plain hashlib from the spec."""

from __future__ import annotations

import hashlib
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aireport.attest.merkle import (
    EMPTY_ROOT,
    HashError,
    MerkleBuilder,
    OrderError,
    audit_ranges,
    content_digest,
    diff_listings,
    leaf_hash,
    merkle_root,
    node_hash,
    prove,
    prove_from_leaf_hashes,
    verify_inclusion,
    verify_proof,
)


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def spec_leaf(item_id: str, hex_hash: str) -> bytes:
    raw = item_id.encode("utf-8")
    return sha(b"\x00" + struct.pack(">I", len(raw)) + raw + struct.pack(">I", 32) + bytes.fromhex(hex_hash))


def spec_node(left: bytes, right: bytes) -> bytes:
    return sha(b"\x01" + left + right)


def spec_mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, written out independently of the implementation."""
    n = len(leaves)
    if n == 0:
        return sha(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return spec_node(spec_mth(leaves[:k]), spec_mth(leaves[k:]))


def items(n: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(f"item-{i:04d}", rng.randbytes(32).hex()) for i in range(n)]


def test_leaf_bytes_are_the_documented_layout() -> None:
    digest = bytes(range(32))
    expected_input = b"\x00" + b"\x00\x00\x00\x03" + b"a\xc3\xa9" + b"\x00\x00\x00\x20" + digest
    assert leaf_hash("aé", digest.hex()) == sha(expected_input)
    assert node_hash(b"L" * 32, b"R" * 32) == sha(b"\x01" + b"L" * 32 + b"R" * 32)


def test_empty_tree_is_sha256_of_nothing() -> None:
    assert (
        merkle_root([])
        == EMPTY_ROOT
        == bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    )


def test_hand_built_trees_of_1_2_3_4_5_7_leaves() -> None:
    data = items(7)
    lf = [spec_leaf(i, h) for i, h in data]
    n = spec_node
    expected = {
        1: lf[0],
        2: n(lf[0], lf[1]),
        3: n(n(lf[0], lf[1]), lf[2]),
        4: n(n(lf[0], lf[1]), n(lf[2], lf[3])),
        5: n(n(n(lf[0], lf[1]), n(lf[2], lf[3])), lf[4]),
        7: n(n(n(lf[0], lf[1]), n(lf[2], lf[3])), n(n(lf[4], lf[5]), lf[6])),
    }
    for size, root in expected.items():
        assert merkle_root(data[:size]) == root, size
        assert spec_mth(lf[:size]) == root, size  # the test's own reference agrees with the hand-built trees


def test_a_worked_example_with_fixed_values() -> None:
    """The example printed in docs/merkle.md; its root was computed by hand with hashlib (see the doc)."""
    data = [("img-001", "a" * 64), ("img-002", "b" * 64), ("img-003", "c" * 64)]
    lf = [spec_leaf(i, h) for i, h in data]
    assert merkle_root(data) == spec_node(spec_node(lf[0], lf[1]), lf[2])
    assert merkle_root(data).hex() == "0521371a2e26bd5bb33202e8eb1e16c8a8bc60bbe9b7e78a298c56abeabd968c"


@pytest.mark.parametrize("size", [*range(1, 40), 64, 65, 100, 127, 128, 129])
def test_streaming_root_matches_the_recursive_definition(size: int) -> None:
    data = items(size, seed=size)
    assert merkle_root(data) == spec_mth([spec_leaf(i, h) for i, h in data])


def test_content_hash_spellings() -> None:
    hex_lower = "ab" * 32
    digest = bytes.fromhex(hex_lower)
    for spelling in (hex_lower, hex_lower.upper(), "sha256:" + hex_lower, "sha256:" + hex_lower.upper(), digest):
        assert content_digest(spelling) == digest
    roots = {merkle_root([("x", s)]) for s in (hex_lower, hex_lower.upper(), "sha256:" + hex_lower)}
    assert len(roots) == 1


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ab" * 31,
        "ab" * 33,
        "g" * 64,
        " " + "ab" * 32,
        "ab" * 32 + "\n",
        "md5:" + "ab" * 16,
        "SHA256:" + "ab" * 32,
        "sha1:" + "ab" * 32,
        "sha256-" + "ab" * 32,
    ],
)
def test_other_content_hashes_are_rejected_with_what_is_allowed(bad: str) -> None:
    with pytest.raises(HashError, match=r"allowed: 64 hexadecimal digits, optionally prefixed 'sha256:'"):
        content_digest(bad)
    with pytest.raises(HashError):
        merkle_root([("x", bad)])


def test_raw_digest_must_be_32_bytes() -> None:
    with pytest.raises(HashError, match=r"32 bytes; found 20"):
        content_digest(b"\x00" * 20)


def test_ids_out_of_order_or_twice_are_errors_naming_the_id() -> None:
    h = "00" * 32
    with pytest.raises(OrderError, match=r"'b' given twice"):
        merkle_root([("a", h), ("b", h), ("b", h)])
    with pytest.raises(OrderError, match=r"'a' comes after 'b'"):
        merkle_root([("b", h), ("a", h)])
    with pytest.raises(ValueError, match=r"non-empty"):
        merkle_root([("", h)])
    with pytest.raises(ValueError, match=r"lone surrogate"):
        merkle_root([("\ud800", h)])


def test_order_is_utf8_byte_order() -> None:
    ids = ["Z", "a", "é", "z", "\uffff", "\U0001f600", "a\x00", "ab", "~", "ä"]
    by_bytes = sorted(ids, key=lambda s: s.encode("utf-8"))
    assert sorted(ids) == by_bytes  # Python's str order is the UTF-8 byte order
    h = "00" * 32
    merkle_root((i, h) for i in by_bytes)  # accepted as sorted
    with pytest.raises(OrderError):
        merkle_root((i, h) for i in ["a", "Z"])


def test_shuffled_and_resplit_inputs_give_the_same_root() -> None:
    data = items(300, seed=7)
    root = merkle_root(data)
    rng = random.Random(1)
    for _ in range(5):
        shuffled = data[:]
        rng.shuffle(shuffled)
        cuts = sorted(rng.sample(range(1, len(shuffled)), 3))
        files = [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(shuffled)], strict=True)]
        rng.shuffle(files)
        merged = sorted((row for f in files for row in f), key=lambda r: r[0].encode("utf-8"))
        assert merkle_root(merged) == root


def test_one_flipped_byte_changes_the_root() -> None:
    data = items(50, seed=3)
    root = merkle_root(data)
    for position in (0, 17, 49):
        item_id, h = data[position]
        raw = bytearray(bytes.fromhex(h))
        raw[position % 32] ^= 0x01
        changed = [*data[:position], (item_id, raw.hex()), *data[position + 1 :]]
        assert merkle_root(changed) != root
    renamed = [(data[0][0] + "x", data[0][1]), *data[1:]]
    assert merkle_root(renamed) != root


def test_builder_with_aligned_subtrees_matches_leaf_by_leaf() -> None:
    data = items(77, seed=5)
    leaves = [spec_leaf(i, h) for i, h in data]
    builder = MerkleBuilder()
    builder.add_subtree(5, spec_mth(leaves[0:32]))
    builder.add_subtree(4, spec_mth(leaves[32:48]))
    builder.add_subtree(4, spec_mth(leaves[48:64]))
    for leaf in leaves[64:]:
        builder.add_leaf_hash(leaf)
    assert builder.count == 77
    assert builder.root() == spec_mth(leaves)
    with pytest.raises(ValueError, match=r"not aligned"):
        builder.add_subtree(3, leaves[0])


def test_audit_ranges_of_rfc9162_example() -> None:
    # RFC 9162 2.1.5: in a tree of 7 leaves the path of d0 is [b, h, l] = leaf 1, leaves 2-3, leaves 4-6.
    assert audit_ranges(0, 7) == [(1, 2), (2, 4), (4, 7)]
    assert audit_ranges(3, 7) == [(2, 3), (0, 2), (4, 7)]
    assert audit_ranges(4, 7) == [(5, 6), (6, 7), (0, 4)]
    assert audit_ranges(6, 7) == [(4, 6), (0, 4)]
    assert audit_ranges(0, 1) == []


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33])
def test_every_leaf_proof_verifies_and_forgeries_fail(size: int) -> None:
    data = items(size, seed=size)
    root = spec_mth([spec_leaf(i, h) for i, h in data])
    for index, (item_id, h) in enumerate(data):
        proof = prove(data, item_id)
        assert proof.leaf_index == index
        assert proof.tree_size == size
        assert proof.root == root.hex()
        assert verify_proof(proof)
        assert verify_proof(proof, root=root)
        assert verify_inclusion(item_id, h, index, size, proof.path, root)
        # wrong content hash, wrong index, wrong size, wrong root
        other = "ff" * 32 if h != "ff" * 32 else "00" * 32
        assert not verify_inclusion(item_id, other, index, size, proof.path, root)
        assert not verify_inclusion(item_id + "x", h, index, size, proof.path, root)
        if size > 1:
            assert not verify_inclusion(item_id, h, (index + 1) % size, size, proof.path, root)
            forged = list(proof.path)
            forged[0] = ("00" if forged[0][:2] != "00" else "11") + forged[0][2:]
            assert not verify_inclusion(item_id, h, index, size, forged, root)
            assert not verify_inclusion(item_id, h, index, size, proof.path[:-1], root)
        assert not verify_proof(proof, root=root, size=size + 1)  # the certificate's signed size is checked too
        assert not verify_inclusion(item_id, h, index, size, [*proof.path, "00" * 32], root)
        assert not verify_proof(proof, root=sha(b"another root"))
        assert not verify_inclusion(item_id, h, index, size, proof.path, sha(root))


def test_a_proof_of_an_item_not_delivered_fails() -> None:
    data = items(8)
    proof = prove(data, data[3][0])
    assert not verify_inclusion("item-9999", data[3][1], 3, 8, proof.path, proof.root)
    with pytest.raises(KeyError, match=r"item-9999"):
        prove(data, "item-9999")


def test_prove_streams_a_source_twice() -> None:
    data = items(21, seed=2)
    calls = 0

    def source() -> list[tuple[str, str]]:
        nonlocal calls
        calls += 1
        return data

    proof = prove(source, data[13][0])
    assert calls == 2
    assert verify_proof(proof, root=merkle_root(data))


def test_prove_from_leaf_hashes_counts_the_leaves() -> None:
    leaves = [spec_leaf(i, h) for i, h in items(5)]
    with pytest.raises(ValueError, match=r"expected 6 leaves, found 5"):
        prove_from_leaf_hashes(iter(leaves), 2, 6)


def test_diff_names_changed_missing_and_extra_items() -> None:
    certified = [("a", "00" * 32), ("b", "11" * 32), ("c", "22" * 32), ("e", "44" * 32)]
    delivered = [("a", "00" * 32), ("b", "1f" + "11" * 31), ("d", "33" * 32), ("e", "sha256:" + "44" * 32)]
    found = [(d.item_id, d.kind) for d in diff_listings(certified, delivered)]
    assert found == [("b", "changed"), ("c", "missing"), ("d", "extra")]


hex_hashes = st.binary(min_size=32, max_size=32).map(bytes.hex)
item_ids = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=6)
listings = st.dictionaries(item_ids, hex_hashes, max_size=40)


@settings(max_examples=60, deadline=None)
@given(listing=listings, seed=st.integers(0, 2**32))
def test_root_is_independent_of_input_order(listing: dict[str, str], seed: int) -> None:
    rows = list(listing.items())
    random.Random(seed).shuffle(rows)
    ordered = sorted(rows, key=lambda r: r[0].encode("utf-8"))
    expected = spec_mth([spec_leaf(k, v) for k, v in ordered])
    assert merkle_root(ordered) == expected
    again = rows[::-1]
    assert merkle_root(sorted(again, key=lambda r: r[0].encode("utf-8"))) == expected


@settings(max_examples=40, deadline=None)
@given(listing=listings)
def test_every_leaf_has_a_verifying_proof(listing: dict[str, str]) -> None:
    rows = sorted(listing.items(), key=lambda r: r[0].encode("utf-8"))
    if not rows:
        return
    root = merkle_root(rows)
    leaves = [spec_leaf(k, v) for k, v in rows]
    for index, (item_id, h) in enumerate(rows):
        path = prove_from_leaf_hashes(iter(leaves), index, len(rows))
        assert verify_inclusion(item_id, h, index, len(rows), path, root)
