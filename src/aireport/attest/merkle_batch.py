"""The same Merkle root as :mod:`aireport.attest.merkle`, over Arrow record batches, for 100M-700M items.

Where the time goes (``benchmarks/results/merkle.md``): a tree over n items costs 2n - 1 SHA-256 calls, and in
CPython each ``hashlib`` call costs about a microsecond of interpreter and OpenSSL set-up, far more than the
hashing itself. So this module

* takes the leaf hashes from DuckDB when it can: :func:`leaf_hash_sql` is a SQL expression the engine puts in its
  ``SELECT ... ORDER BY id`` query, so the n leaf hashes are computed by DuckDB's threads while it sorts;
  otherwise it builds every leaf's input bytes for a whole batch with numpy and only loops over ``sha256``;
* hashes inner nodes chunk by chunk: leaves are cut into aligned chunks of ``2**chunk_bits``; each chunk is a
  perfect subtree whose root is computed level by level over one contiguous buffer, then pushed onto the
  O(log n) stack of :class:`~aireport.attest.merkle.MerkleBuilder` (a chunk starting at a multiple of its size
  is exactly one subtree of the RFC 6962 tree, so the root is the same);
* optionally spreads chunks over worker processes (``workers=2`` on a two-core machine), results taken in order.

Memory: one Arrow batch, plus ``2 * workers + 1`` chunks of ``32 * 2**chunk_bits`` bytes (2 MiB each by default).

Ordering and validity are checked per batch, vectorised: ids strictly increasing in UTF-8 byte order across
batches (pyarrow compares strings bytewise, like DuckDB's default collation), no null or empty id, and every
content hash accepted by :func:`~aireport.attest.merkle.content_digest`; the first offence raises with the item id.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aireport.attest.merkle import (
    EMPTY_ROOT,
    MERKLE_SCHEME,
    ChunkIndex,
    HashError,
    MerkleBuilder,
    OrderError,
    content_digest,
)

__all__ = [
    "BatchMerkle",
    "TreeResult",
    "index_from_table",
    "index_table",
    "leaf_hash_sql",
    "root_of_batches",
]

_sha256 = hashlib.sha256
_HEX = np.full(256, 255, dtype=np.uint8)
_HEX[np.frombuffer(b"0123456789abcdef", dtype=np.uint8)] = np.arange(16, dtype=np.uint8)
_HEX[np.frombuffer(b"ABCDEF", dtype=np.uint8)] = np.arange(10, 16, dtype=np.uint8)
_HASH_PATTERN = "(sha256:)?[0-9a-fA-F]{64}"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _quote(column: str) -> str:
    return column if _IDENT.fullmatch(column) else '"' + column.replace('"', '""') + '"'


def leaf_hash_sql(id_column: str = "id", hash_column: str = "content_hash") -> str:
    """A DuckDB expression for the leaf hash (64 lowercase hex), NULL where the content hash is not accepted.

    ``encode`` turns the id into its UTF-8 bytes without interpreting escapes (a ``::BLOB`` cast would read
    ``\\x41`` as one byte); ``right(h, 64)`` drops an optional ``sha256:`` prefix; ``unhex`` reads either case.
    """
    i, h = _quote(id_column), _quote(hash_column)
    return (
        f"CASE WHEN regexp_full_match({h}, '{_HASH_PATTERN}') AND octet_length(encode({i})) > 0 THEN "
        f"sha256(unhex('00' || printf('%08x', octet_length(encode({i})))) || encode({i}) "
        f"|| unhex('00000020' || right({h}, 64))) END"
    )


def _hex_rows(array: pa.Array, what: str) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """(m, 32) bytes from a column of 64-hex-digit strings (no nulls, checked by the caller)."""
    if pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    m = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=m + 1, offset=array.offset * 4)
    if not np.all(np.diff(offsets) == 64):
        raise HashError(f"{what}: every value must be 64 hexadecimal digits")
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8, count=64 * m, offset=int(offsets[0]))
    nibbles = _HEX[data].reshape(m, 64)
    if (nibbles == 255).any():
        raise HashError(f"{what}: a value holds characters that are not hexadecimal digits")
    out = ((nibbles[:, 0::2] << 4) | nibbles[:, 1::2]).astype(np.uint8)
    return out


def _binary_rows(array: pa.Array, what: str) -> np.ndarray[Any, np.dtype[np.uint8]]:
    if pa.types.is_fixed_size_binary(array.type):
        if array.type.byte_width != 32:
            raise HashError(f"{what}: expected 32-byte values, found {array.type.byte_width}-byte ones")
        m = len(array)
        return np.frombuffer(array.buffers()[1], dtype=np.uint8, count=32 * m, offset=array.offset * 32).reshape(m, 32)
    if pa.types.is_large_binary(array.type):
        array = array.cast(pa.binary())
    m = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=m + 1, offset=array.offset * 4)
    if not np.all(np.diff(offsets) == 32):
        raise HashError(f"{what}: every value must be 32 bytes")
    return np.frombuffer(array.buffers()[2], dtype=np.uint8, count=32 * m, offset=int(offsets[0])).reshape(m, 32)


def _digests(array: pa.Array, ids: pa.Array, what: str) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """(m, 32) digests from a column of 32-byte binaries or of hex strings (``sha256:`` prefix allowed)."""
    if array.null_count:
        first = pc.index(pc.is_null(array), True).as_py()
        raise HashError(f"item id {ids[first].as_py()!r}: {what} is empty")
    if (
        pa.types.is_binary(array.type)
        or pa.types.is_large_binary(array.type)
        or pa.types.is_fixed_size_binary(array.type)
    ):
        return _binary_rows(array, what)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        raise HashError(f"{what}: expected strings or 32-byte binaries, found {array.type}")
    ok = pc.match_substring_regex(array, f"^{_HASH_PATTERN}$")
    if not pc.all(ok).as_py():
        first = pc.index(ok, False).as_py()
        content_digest(array[first].as_py())  # raises the standard message
    stripped = pc.utf8_slice_codeunits(array, start=-64)
    return _hex_rows(stripped, what)


def _check_ids(ids: pa.Array, last: bytes | None) -> bytes:
    """Raise on a null, empty, repeated or out-of-order id; return the batch's last id as UTF-8 bytes."""
    if ids.null_count:
        first = pc.index(pc.is_null(ids), True).as_py()
        previous = ids[first - 1].as_py() if first else None
        raise ValueError(f"an item id is empty (the row after {previous!r})")
    if pa.types.is_large_string(ids.type):
        ids = ids.cast(pa.string())
    if not pa.types.is_string(ids.type):
        raise TypeError(f"item ids are strings; found {ids.type}")
    if len(ids) and not pc.all(pc.greater(pc.binary_length(ids), 0)).as_py():
        first = pc.index(pc.binary_length(ids), 0).as_py()
        raise ValueError(f"an item id is empty (row {first + 1} of the batch)")
    first_id = ids[0].as_py().encode("utf-8")
    if last is not None and first_id <= last:
        _order_error(first_id, last)
    if len(ids) > 1:
        bad = pc.less_equal(ids[1:], ids[:-1])
        if pc.any(bad).as_py():
            k = pc.index(bad, True).as_py()
            _order_error(ids[k + 1].as_py().encode("utf-8"), ids[k].as_py().encode("utf-8"))
    return str(ids[len(ids) - 1].as_py()).encode("utf-8")


def _order_error(current: bytes, last: bytes) -> None:
    shown = current.decode("utf-8")
    what = "given twice" if current == last else f"comes after {last.decode('utf-8')!r}"
    raise OrderError(f"item id {shown!r} {what}: leaves must be in strictly increasing id order")


def _leaf_hashes(ids: pa.Array, digests: np.ndarray[Any, np.dtype[np.uint8]]) -> bytes:
    """Leaf hashes of a batch, concatenated: numpy lays out every leaf's input, Python only calls sha256."""
    m = len(ids)
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int32, count=m + 1, offset=ids.offset * 4).astype(np.int64)
    lengths = np.diff(offsets)
    id_data = np.frombuffer(
        ids.buffers()[2], dtype=np.uint8, count=int(offsets[-1] - offsets[0]), offset=int(offsets[0])
    )
    row_len = lengths + 41
    ends = np.cumsum(row_len)
    starts = ends - row_len
    out = np.zeros(int(ends[-1]), dtype=np.uint8)  # 0x00 prefix and the zero bytes of both u32 lengths
    for shift, col in ((24, 1), (16, 2), (8, 3), (0, 4)):
        out[starts + col] = (lengths >> shift) & 0xFF
    dest = np.arange(id_data.size, dtype=np.int64) + np.repeat(starts + 5 - (offsets[:-1] - offsets[0]), lengths)
    out[dest] = id_data
    tail = starts + 5 + lengths
    out[tail + 3] = 0x20
    out[(tail + 4)[:, None] + np.arange(32)] = digests
    mv = memoryview(out.data)
    sha = _sha256
    return b"".join([sha(mv[s:e]).digest() for s, e in zip(starts.tolist(), ends.tolist(), strict=True)])


def _compact(ids: pa.Array) -> tuple[bytes, bytes]:
    """(UTF-8 data, int32 offsets from 0) of a string array, whatever its slice offset."""
    m = len(ids)
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int32, count=m + 1, offset=ids.offset * 4)
    start, end = int(offsets[0]), int(offsets[-1])
    data = ids.buffers()[2].to_pybytes()[start:end] if end > start else b""
    return data, (offsets - offsets[0]).astype(np.int32).tobytes()


def _perfect_root(level: bytes) -> bytes:
    """Root of a perfect subtree (2**k concatenated 32-byte nodes), level by level."""
    sha = _sha256
    while len(level) > 32:
        m = len(level) // 64
        rows = np.empty((m, 65), dtype=np.uint8)
        rows[:, 0] = 1
        rows[:, 1:] = np.frombuffer(level, dtype=np.uint8).reshape(m, 64)
        mv = memoryview(rows.data).cast("B")
        level = b"".join([sha(mv[i : i + 65]).digest() for i in range(0, 65 * m, 65)])
    return level


def _items_root(id_data: bytes, offsets: bytes, digests: bytes) -> bytes:
    """Worker task: the root of one aligned perfect chunk given as raw id and digest buffers."""
    m = len(digests) // 32
    ids = pa.StringArray.from_buffers(m, pa.py_buffer(offsets), pa.py_buffer(id_data))
    return _perfect_root(_leaf_hashes(ids, np.frombuffer(digests, dtype=np.uint8).reshape(m, 32)))


class BatchMerkle:
    """The root over id-ordered Arrow batches. Feed :meth:`add_items` *or* :meth:`add_leaves`, then :meth:`root`."""

    def __init__(self, chunk_bits: int = 16, workers: int = 1) -> None:
        if not 1 <= chunk_bits <= 24:
            raise ValueError("chunk_bits is between 1 and 24")
        self._bits = chunk_bits
        self._chunk = 1 << chunk_bits
        self._builder = MerkleBuilder()
        self._last: bytes | None = None
        self._pending_leaves: list[bytes] = []  # leaf hashes not yet making a whole chunk
        self._pending_count = 0
        self._pending_items: list[tuple[pa.Array, np.ndarray[Any, np.dtype[np.uint8]]]] = []
        # spawn, not fork: the parent may be running DuckDB's threads.
        self._pool = (
            ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            if workers > 1
            else None
        )
        self._futures: deque[Future[bytes]] = deque()
        self._workers = workers
        self.count = 0
        self._first_ids: list[str] = []  # first id of every chunk, for the proof index
        self._chunk_roots: list[bytes] = []

    def __enter__(self) -> BatchMerkle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    # --- input -------------------------------------------------------------------------------------------------

    def add_items(self, ids: pa.Array | pa.ChunkedArray, content_hashes: pa.Array | pa.ChunkedArray) -> None:
        """A batch of (id, content hash); content hashes as 32-byte binaries or hex strings (``sha256:`` allowed)."""
        ids_a = _flat(ids)
        if len(ids_a) == 0:
            return
        self._last = _check_ids(ids_a, self._last)
        if pa.types.is_large_string(ids_a.type):
            ids_a = ids_a.cast(pa.string())
        digests = _digests(_flat(content_hashes), ids_a, "content hash")
        self._note_chunk_starts(ids_a)
        self._take_items(ids_a, digests)

    def add_leaves(self, ids: pa.Array | pa.ChunkedArray, leaves: pa.Array | pa.ChunkedArray) -> None:
        """A batch of (id, leaf hash) where the leaf hash came from :func:`leaf_hash_sql` (hex, NULL if invalid)."""
        ids_a = _flat(ids)
        if len(ids_a) == 0:
            return
        self._last = _check_ids(ids_a, self._last)
        leaves_a = _flat(leaves)
        if leaves_a.null_count:
            first = pc.index(pc.is_null(leaves_a), True).as_py()
            raise HashError(
                f"item id {ids_a[first].as_py()!r}: the content hash is not a SHA-256; "
                "allowed: 64 hexadecimal digits, optionally prefixed 'sha256:'"
            )
        if pa.types.is_string(leaves_a.type) or pa.types.is_large_string(leaves_a.type):
            rows = _hex_rows(leaves_a, "leaf hash")
        else:
            rows = _binary_rows(leaves_a, "leaf hash")
        self._note_chunk_starts(ids_a)
        self._take_leaves(rows.tobytes())

    def _note_chunk_starts(self, ids: pa.Array) -> None:
        """Remember the id opening each chunk (one in 2**chunk_bits leaves): the proof index."""
        first = (-self.count) % self._chunk  # position in this batch of the next chunk start
        for k in range(first, len(ids), self._chunk):
            self._first_ids.append(str(ids[k].as_py()))

    def _take_leaves(self, data: bytes) -> None:
        n = len(data) // 32
        self.count += n
        pos = 0
        while pos < n:
            room = self._chunk - self._pending_count
            take = min(room, n - pos)
            self._pending_leaves.append(data[32 * pos : 32 * (pos + take)])
            self._pending_count += take
            pos += take
            if self._pending_count == self._chunk:
                level = b"".join(self._pending_leaves)
                self._pending_leaves, self._pending_count = [], 0
                self._submit_level(level)

    def _take_items(self, ids: pa.Array, digests: np.ndarray[Any, np.dtype[np.uint8]]) -> None:
        n = len(ids)
        self.count += n
        pos = 0
        while pos < n:
            room = self._chunk - self._pending_count
            take = min(room, n - pos)
            self._pending_items.append((ids.slice(pos, take), digests[pos : pos + take]))
            self._pending_count += take
            pos += take
            if self._pending_count == self._chunk:
                parts, self._pending_items, self._pending_count = self._pending_items, [], 0
                chunk_ids = pa.concat_arrays([p[0] for p in parts])
                chunk_digests = np.concatenate([p[1] for p in parts])
                self._submit_items(chunk_ids, chunk_digests)

    # --- hashing -----------------------------------------------------------------------------------------------

    def _submit_level(self, level: bytes) -> None:
        if self._pool is None:
            self._chunk_done(_perfect_root(level))
            return
        self._queue(self._pool.submit(_perfect_root, level))

    def _submit_items(self, ids: pa.Array, digests: np.ndarray[Any, np.dtype[np.uint8]]) -> None:
        if self._pool is None:
            self._chunk_done(_perfect_root(_leaf_hashes(ids, digests)))
            return
        data, offsets = _compact(ids)
        self._queue(self._pool.submit(_items_root, data, offsets, np.ascontiguousarray(digests).tobytes()))

    def _queue(self, future: Future[bytes]) -> None:
        self._futures.append(future)
        while len(self._futures) > 2 * self._workers:
            self._chunk_done(self._futures.popleft().result())

    def _chunk_done(self, root: bytes) -> None:
        self._chunk_roots.append(root)
        self._builder.add_subtree(self._bits, root)

    def root(self) -> bytes:
        """The root of everything added; closes the worker pool."""
        while self._futures:
            self._chunk_done(self._futures.popleft().result())
        self.close()
        if self._pending_items:
            ids = pa.concat_arrays([p[0] for p in self._pending_items])
            digests = np.concatenate([p[1] for p in self._pending_items])
            tail = _leaf_hashes(ids, digests)
            self._pending_items = []
        else:
            tail = b"".join(self._pending_leaves)
            self._pending_leaves = []
        self._pending_count = 0
        # The tail (< one chunk) splits into aligned perfect subtrees of decreasing size.
        pos = 0
        remaining = len(tail) // 32
        tail_tree = MerkleBuilder()
        while remaining:
            height = remaining.bit_length() - 1
            size = 1 << height
            piece = _perfect_root(tail[32 * pos : 32 * (pos + size)])
            self._builder.add_subtree(height, piece)
            tail_tree.add_subtree(height, piece)
            pos += size
            remaining -= size
        if tail_tree.count:
            self._chunk_roots.append(tail_tree.root())
        if self._builder.count != self.count:  # pragma: no cover - internal consistency
            raise AssertionError(f"built {self._builder.count} leaves of {self.count}")
        return self._builder.root() if self.count else EMPTY_ROOT

    def index(self) -> ChunkIndex:
        """The proof index (chunk size, first id and root of every chunk); call after :meth:`root`."""
        if len(self._chunk_roots) != len(self._first_ids):
            raise RuntimeError("index() is available once root() has been called")
        return ChunkIndex(self._bits, self.count, tuple(self._first_ids), tuple(self._chunk_roots))


def index_table(index: ChunkIndex) -> pa.Table:
    """The proof index as a table (chunk, first_id, root) with the chunk size and leaf count in its metadata."""
    table = pa.table(
        {
            "chunk": pa.array(range(len(index.roots)), pa.int64()),
            "first_id": pa.array(index.first_ids, pa.string()),
            "root": pa.array(index.roots, pa.binary(32)),
        }
    )
    meta = {
        b"aireport.merkle.scheme": MERKLE_SCHEME.encode(),
        b"aireport.merkle.chunk_bits": str(index.chunk_bits).encode(),
        b"aireport.merkle.size": str(index.size).encode(),
    }
    return table.replace_schema_metadata(meta)


def index_from_table(table: pa.Table) -> ChunkIndex:
    """Read :func:`index_table`'s table back; ValueError if it is not one."""
    meta = table.schema.metadata or {}
    try:
        if meta[b"aireport.merkle.scheme"].decode() != MERKLE_SCHEME:
            raise ValueError(f"the index is not of scheme {MERKLE_SCHEME}")
        bits = int(meta[b"aireport.merkle.chunk_bits"])
        size = int(meta[b"aireport.merkle.size"])
    except KeyError as exc:
        raise ValueError(f"not an aireport Merkle index: no {exc.args[0].decode()} metadata") from exc
    table = table.sort_by("chunk")
    return ChunkIndex(bits, size, tuple(table.column("first_id").to_pylist()), tuple(table.column("root").to_pylist()))


def _flat(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array


class TreeResult(NamedTuple):
    root: bytes
    size: int  # leaves
    chunks: ChunkIndex  # the proof index, for prove_with_index: n / 2**chunk_bits entries


def root_of_batches(
    batches: Iterable[pa.RecordBatch],
    *,
    id_column: str = "id",
    hash_column: str | None = "content_hash",
    leaf_column: str | None = None,
    chunk_bits: int = 16,
    workers: int = 1,
) -> TreeResult:
    """Root, leaf count and proof index over record batches already ordered by id.

    Give ``leaf_column`` when the batches carry :func:`leaf_hash_sql` results, else ``hash_column``.
    """
    with BatchMerkle(chunk_bits=chunk_bits, workers=workers) as tree:
        for batch in batches:
            if leaf_column is not None:
                tree.add_leaves(batch.column(id_column), batch.column(leaf_column))
            elif hash_column is not None:
                tree.add_items(batch.column(id_column), batch.column(hash_column))
            else:
                raise ValueError("give hash_column or leaf_column")
        root = tree.root()
        return TreeResult(root, tree.count, tree.index())
