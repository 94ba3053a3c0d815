"""The vectorised root over Arrow batches and DuckDB's leaf hashes equals the reference root of the spec."""

from __future__ import annotations

import hashlib
import random
import struct
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aireport.attest.merkle import (
    EMPTY_ROOT,
    HashError,
    OrderError,
    leaf_hash,
    merkle_root,
    prove,
    prove_with_index,
    verify_proof,
)
from aireport.attest.merkle_batch import BatchMerkle, index_from_table, index_table, leaf_hash_sql, root_of_batches

TRICKY_IDS = ["a", "a\\x41", "a'b", 'q"uote', "é", "z", "Z", "\uffff", "\U0001f600", "a b", "a\x00b", "日本語/画像-1"]


def spec_leaf(item_id: str, digest: bytes) -> bytes:
    raw = item_id.encode("utf-8")
    return hashlib.sha256(b"\x00" + struct.pack(">I", len(raw)) + raw + struct.pack(">I", 32) + digest).digest()


def listing(n: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = [(f"img-{rng.randrange(10**9):09d}-{i}", rng.randbytes(32).hex()) for i in range(n)]
    return sorted(rows, key=lambda r: r[0].encode("utf-8"))


def batches(rows: list[tuple[str, str]], sizes: list[int]) -> list[pa.RecordBatch]:
    out = []
    pos = 0
    for size in sizes:
        part = rows[pos : pos + size]
        pos += size
        out.append(pa.record_batch({"id": [r[0] for r in part], "content_hash": [r[1] for r in part]}))
    assert pos == len(rows)
    return out


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 7, 8, 9, 31, 100, 257])
@pytest.mark.parametrize("chunk_bits", [1, 2, 3, 16])
def test_batches_give_the_reference_root(n: int, chunk_bits: int) -> None:
    rows = listing(n, seed=n)
    expected = merkle_root(rows)
    rng = random.Random(n * 31 + chunk_bits)
    cuts = sorted(rng.sample(range(n + 1), min(4, n + 1))) if n else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    root, count, _ = root_of_batches(batches(rows, sizes), chunk_bits=chunk_bits)
    assert (root, count) == (expected, n)


def test_sliced_arrays_binary_and_prefixed_hashes() -> None:
    rows = listing(40, seed=4)
    ids = pa.array(["pad", *[r[0] for r in rows]])[1:]  # an array with a non-zero offset
    binary = pa.array([bytes.fromhex(r[1]) for r in rows], type=pa.binary(32))
    prefixed = pa.array(["sha256:" + r[1].upper() for r in rows])
    for hashes in (binary, prefixed, binary.cast(pa.binary()), pa.array([r[1] for r in rows], pa.large_string())):
        tree = BatchMerkle(chunk_bits=3)
        tree.add_items(ids.slice(0, 17), hashes.slice(0, 17))
        tree.add_items(ids.slice(17), hashes.slice(17))
        assert tree.root() == merkle_root(rows)


def test_unicode_and_awkward_ids() -> None:
    ids = sorted(TRICKY_IDS, key=lambda s: s.encode("utf-8"))
    rows = [(i, hashlib.sha256(i.encode()).hexdigest()) for i in ids]
    root, _, _ = root_of_batches([pa.record_batch({"id": ids, "content_hash": [r[1] for r in rows]})], chunk_bits=2)
    assert root == merkle_root(rows)


@pytest.mark.slow
def test_two_worker_processes_give_the_same_root() -> None:
    rows = listing(3000, seed=9)
    root, count, index = root_of_batches(batches(rows, [1000, 1500, 500]), chunk_bits=8, workers=2)
    assert (root, count) == (merkle_root(rows), 3000)
    assert index.root() == root
    assert index.first_ids[1] == rows[256][0]
    tree = BatchMerkle(chunk_bits=6, workers=2)
    leaves = [spec_leaf(i, bytes.fromhex(h)) for i, h in rows]
    tree.add_leaves(pa.array([r[0] for r in rows]), pa.array([x.hex() for x in leaves]))
    assert tree.root() == merkle_root(rows)


def test_order_and_hash_errors_name_the_item() -> None:
    h = "00" * 32
    with pytest.raises(OrderError, match=r"'b' given twice"):
        root_of_batches(
            [
                pa.record_batch({"id": ["a", "b"], "content_hash": [h, h]}),
                pa.record_batch({"id": ["b"], "content_hash": [h]}),
            ]
        )
    with pytest.raises(OrderError, match=r"'a' comes after 'é'"):
        root_of_batches([pa.record_batch({"id": ["é", "a"], "content_hash": [h, h]})])
    with pytest.raises(HashError, match=r"'md5:00' \(6 characters\) is not a SHA-256"):
        root_of_batches([pa.record_batch({"id": ["a", "b"], "content_hash": [h, "md5:00"]})])
    with pytest.raises(HashError, match=r"item id 'b': content hash is empty"):
        root_of_batches([pa.record_batch({"id": ["a", "b"], "content_hash": [h, None]})])
    with pytest.raises(ValueError, match=r"an item id is empty"):
        root_of_batches([pa.record_batch({"id": ["a", None], "content_hash": [h, h]})])
    with pytest.raises(ValueError, match=r"an item id is empty"):
        root_of_batches([pa.record_batch({"id": ["", "a"], "content_hash": [h, h]})])


def test_empty_input() -> None:
    assert root_of_batches([])[:2] == (EMPTY_ROOT, 0)


def test_duckdb_leaf_hash_expression_matches_the_spec() -> None:
    con = duckdb.connect()
    digest = bytes(range(32))
    for item_id in TRICKY_IDS:
        for spelling in (digest.hex(), digest.hex().upper(), "sha256:" + digest.hex()):
            sql = f"SELECT {leaf_hash_sql('i', 'h')} FROM (SELECT ? AS i, ? AS h)"
            row = con.execute(sql, [item_id, spelling]).fetchone()
            assert row == (spec_leaf(item_id, digest).hex(),), (item_id, spelling)
    for bad in ("md5:" + "00" * 16, "00" * 31, "g" * 64, "SHA256:" + "00" * 32, "00" * 32 + " "):
        row = con.execute(f"SELECT {leaf_hash_sql('i', 'h')} FROM (SELECT 'x' AS i, ? AS h)", [bad]).fetchone()
        assert row == (None,)
    quoted = leaf_hash_sql("item id", 'con"tent')
    assert '"item id"' in quoted
    assert '"con""tent"' in quoted


def test_shuffled_and_resplit_parquet_files_through_duckdb(tmp_path: Path) -> None:
    rows = listing(2000, seed=11) + [(i, hashlib.sha256(i.encode()).hexdigest()) for i in TRICKY_IDS]
    rows.sort(key=lambda r: r[0].encode("utf-8"))
    expected = merkle_root(rows)
    rng = random.Random(5)
    for layout in range(3):
        shuffled = rows[:]
        rng.shuffle(shuffled)
        folder = tmp_path / f"layout{layout}"
        folder.mkdir()
        cuts = sorted(rng.sample(range(1, len(shuffled)), 2 + layout))
        for k, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(shuffled)], strict=True)):
            part = shuffled[a:b]
            table = pa.table({"id": [r[0] for r in part], "content_hash": [r[1] for r in part]})
            pq.write_table(table, folder / f"part-{k}.parquet", row_group_size=97)
        con = duckdb.connect()
        query = f"SELECT id, {leaf_hash_sql()} AS leaf FROM read_parquet('{folder}/*.parquet') ORDER BY id"
        reader = con.sql(query).to_arrow_reader(batch_size=300)
        root, count, _ = root_of_batches(reader, leaf_column="leaf", chunk_bits=5)
        assert (root, count) == (expected, len(rows))
        reader = con.sql(f"SELECT id, content_hash FROM read_parquet('{folder}/*.parquet') ORDER BY id")
        assert root_of_batches(reader.to_arrow_reader(batch_size=512), chunk_bits=4).root == expected


def test_duckdb_invalid_hash_becomes_an_error_naming_the_item() -> None:
    con = duckdb.connect()
    delivered = pa.table({"id": ["a", "b", "c"], "content_hash": ["00" * 32, "not-a-hash", "11" * 32]})  # noqa: F841
    reader = con.sql(f"SELECT id, {leaf_hash_sql()} AS leaf FROM delivered ORDER BY id").to_arrow_reader()
    with pytest.raises(HashError, match=r"item id 'b': the content hash is not a SHA-256"):
        root_of_batches(reader, leaf_column="leaf")


def test_leaf_hash_of_one_row() -> None:
    assert leaf_hash("x", "ab" * 32) == spec_leaf("x", bytes.fromhex("ab" * 32))


@pytest.mark.parametrize("n", [1, 2, 5, 8, 9, 33, 64, 100])
@pytest.mark.parametrize("chunk_bits", [1, 2, 3, 4])
def test_proofs_from_the_chunk_index_equal_the_direct_proofs(n: int, chunk_bits: int) -> None:
    rows = listing(n, seed=n + 100)
    result = root_of_batches(batches(rows, [n // 2, n - n // 2]), chunk_bits=chunk_bits)
    index = index_from_table(index_table(result.chunks))
    assert index == result.chunks
    assert index.root() == result.root == merkle_root(rows)
    for item_id, _ in rows:
        j, low, high = index.chunk_of(item_id)
        chunk = [r for r in rows if r[0] >= low and (high is None or r[0] < high)]
        assert len(chunk) == index.chunk_size(j)
        proof = prove_with_index(index, chunk, item_id)
        assert proof == prove(rows, item_id)
        assert verify_proof(proof, root=result.root, size=n)


def test_index_refuses_a_changed_chunk_and_unknown_items() -> None:
    rows = listing(20, seed=1)
    result = root_of_batches(batches(rows, [20]), chunk_bits=2)
    j, low, high = result.chunks.chunk_of(rows[5][0])
    chunk = [r for r in rows if r[0] >= low and (high is None or r[0] < high)]
    changed = [(i, "00" * 32 if i == rows[5][0] else h) for i, h in chunk]
    with pytest.raises(ValueError, match=rf"chunk {j} does not hash to the indexed root"):
        prove_with_index(result.chunks, changed, rows[5][0])
    with pytest.raises(ValueError, match=r"holds 3 items; the index says 4"):
        prove_with_index(result.chunks, chunk[:3], rows[5][0])
    with pytest.raises(KeyError, match=r"sorts before the first id"):
        result.chunks.chunk_of("a")
    with pytest.raises(KeyError, match=r"not in the delivery"):
        prove_with_index(result.chunks, chunk, rows[5][0] + "x")
    with pytest.raises(ValueError, match=r"not an aireport Merkle index"):
        index_from_table(pa.table({"chunk": [0]}))
