"""The delivery Merkle tree: one SHA-256 root over (item id, content hash), whatever the file order or split.

Scheme ``aireport-merkle-sha256-v1`` (also in ``docs/merkle.md``, with a reference implementation that needs only
``hashlib``). The tree is RFC 6962 / RFC 9162 section 2.1 (Certificate Transparency) with aireport's leaf encoding.

Items
    Each delivered item contributes one leaf: its *id* (a non-empty Unicode string, encoded as UTF-8, no
    normalisation of any kind) and its *content hash* (the SHA-256 of the item's bytes). Accepted spellings of a
    content hash: 64 hexadecimal digits, in either case, optionally prefixed ``sha256:`` (lowercase). The leaf uses
    the 32 decoded bytes, so case and prefix never change the root. Anything else (another length, another
    algorithm prefix such as ``md5:``, non-hex characters, surrounding spaces) is an error.

Order
    Leaves are ordered by the id's UTF-8 bytes, compared as unsigned bytes (memcmp; the order of Python ``str``,
    of DuckDB's default ``VARCHAR`` collation and of ``LC_ALL=C sort``). Two items with the same id are an error.
    So the same delivered set gives the same root however it was split into files or ordered inside them.

Hashes (``||`` is concatenation, ``u32be(x)`` four bytes big-endian)::

    leaf(id, h)  = SHA-256(0x00 || u32be(len(id)) || id || u32be(32) || h)     # id: UTF-8 bytes, h: 32 bytes
    node(l, r)   = SHA-256(0x01 || l || r)                                     # l, r: 32 bytes each

    MTH([])      = SHA-256("")                                                 # the empty delivery
    MTH([d0])    = leaf(d0)
    MTH(D[0:n])  = node(MTH(D[0:k]), MTH(D[k:n]))   for n > 1, k the largest power of two smaller than n

The 0x00 / 0x01 prefixes keep a leaf from ever being read as an inner node (second-preimage safety); the length
prefixes make the leaf encoding injective. The largest-power-of-two split is RFC 6962's: equivalently, build the
tree level by level, hashing neighbours in pairs and carrying an odd last node up unchanged (never duplicated).

Inclusion proofs are RFC 9162 section 2.1.3 audit paths: the leaf's index, the tree size and the sibling hashes
from the leaf up; anyone can check one with :func:`verify_inclusion` (or the 20 lines in ``docs/merkle.md``)
without the item list. Roots and path hashes are written as 64 lowercase hex digits.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from aireport.models.certificate import MERKLE_SCHEME, InclusionProof

__all__ = [
    "EMPTY_ROOT",
    "MERKLE_SCHEME",
    "ChunkIndex",
    "Difference",
    "HashError",
    "MerkleBuilder",
    "OrderError",
    "audit_ranges",
    "content_digest",
    "diff_listings",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "prove",
    "prove_from_leaf_hashes",
    "prove_with_index",
    "root_from_path",
    "root_of_leaf_hashes",
    "verify_inclusion",
    "verify_proof",
]

_LEAF = b"\x00"
_NODE = b"\x01"
_DIGEST_LEN = b"\x00\x00\x00\x20"  # u32be(32)
_MAX_ID_BYTES = 0xFFFFFFFF
_HASH_RE = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


class HashError(ValueError):
    """A content hash that is not a SHA-256 in an accepted spelling."""


class OrderError(ValueError):
    """Leaves handed to a streaming function out of id order, or an id given twice."""


def content_digest(value: str | bytes) -> bytes:
    """The 32 bytes of a content hash: ``<64 hex>`` or ``sha256:<64 hex>`` (either case), or 32 raw bytes."""
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        if len(raw) != 32:
            raise HashError(f"a raw SHA-256 content hash is 32 bytes; found {len(raw)} bytes")
        return raw
    match = _HASH_RE.fullmatch(value)
    if match is None:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise HashError(
            f"content hash {shown!r} ({len(value)} characters) is not a SHA-256; "
            "allowed: 64 hexadecimal digits, optionally prefixed 'sha256:'"
        )
    return bytes.fromhex(match.group(1))


def _id_bytes(item_id: str) -> bytes:
    if not isinstance(item_id, str):
        raise TypeError(f"an item id is a string; found {type(item_id).__name__}")
    if not item_id:
        raise ValueError("an item id is a non-empty string")
    try:
        raw = item_id.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"item id {item_id!r} is not valid Unicode (lone surrogate)") from exc
    if len(raw) > _MAX_ID_BYTES:
        raise ValueError("an item id is at most 4 GiB of UTF-8")
    return raw


def _leaf(id_raw: bytes, digest: bytes) -> bytes:
    return _sha256(_LEAF + len(id_raw).to_bytes(4, "big") + id_raw + _DIGEST_LEN + digest).digest()


def leaf_hash(item_id: str, content_hash: str | bytes) -> bytes:
    """``SHA-256(0x00 || u32be(len(id)) || id || u32be(32) || digest)``, 32 bytes."""
    return _leaf(_id_bytes(item_id), content_digest(content_hash))


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``, 32 bytes."""
    return _sha256(_NODE + left + right).digest()


class MerkleBuilder:
    """The root of an RFC 6962 tree built left to right in O(log n) memory: a stack of perfect-subtree roots.

    Each new leaf is pushed as a subtree of height 0; while the two topmost subtrees have the same height they
    are merged into one of the next height. At the end the stack (strictly decreasing heights, the binary digits
    of the leaf count) is folded from the right, which is exactly RFC 6962's largest-power-of-two split.
    """

    __slots__ = ("_count", "_last_id", "_stack")

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []
        self._count = 0
        self._last_id: bytes | None = None

    @property
    def count(self) -> int:
        """Leaves added so far."""
        return self._count

    def add(self, item_id: str, content_hash: str | bytes) -> bytes:
        """Add one item; ids must come in strictly increasing UTF-8 byte order. Returns the leaf hash."""
        id_raw = _id_bytes(item_id)
        last = self._last_id
        if last is not None and id_raw <= last:
            what = "given twice" if id_raw == last else f"comes after {last.decode('utf-8')!r}"
            raise OrderError(f"item id {item_id!r} {what}: leaves must be in strictly increasing id order")
        self._last_id = id_raw
        leaf = _leaf(id_raw, content_digest(content_hash))
        self.add_leaf_hash(leaf)
        return leaf

    def add_leaf_hash(self, leaf: bytes) -> None:
        """Add a leaf already hashed with :func:`leaf_hash` (the caller answers for its order)."""
        stack = self._stack
        height = 0
        node = leaf
        while stack and stack[-1][0] == height:
            node = _sha256(_NODE + stack.pop()[1] + node).digest()
            height += 1
        stack.append((height, node))
        self._count += 1

    def add_subtree(self, height: int, root: bytes) -> None:
        """Add the root of a perfect subtree of ``2**height`` leaves that starts at a multiple of ``2**height``."""
        if height < 0 or self._count % (1 << height):
            raise ValueError(f"a subtree of height {height} cannot start at leaf {self._count}: not aligned")
        self._count += 1 << height
        stack = self._stack
        node = root
        while stack and stack[-1][0] == height:
            node = _sha256(_NODE + stack.pop()[1] + node).digest()
            height += 1
        stack.append((height, node))

    def root(self) -> bytes:
        """The root of the leaves added so far (``SHA-256("")`` for none); the builder stays usable."""
        if not self._stack:
            return EMPTY_ROOT
        stack = self._stack
        node = stack[-1][1]
        for _, left in reversed(stack[:-1]):
            node = _sha256(_NODE + left + node).digest()
        return node


def merkle_root(items: Iterable[tuple[str, str | bytes]]) -> bytes:
    """The root over (id, content hash) pairs already sorted by id; raises :class:`OrderError` otherwise."""
    builder = MerkleBuilder()
    for item_id, content_hash in items:
        builder.add(item_id, content_hash)
    return builder.root()


def root_of_leaf_hashes(leaves: Iterable[bytes]) -> bytes:
    """The root over leaf hashes in tree order."""
    builder = MerkleBuilder()
    for leaf in leaves:
        builder.add_leaf_hash(leaf)
    return builder.root()


# --- inclusion proofs (RFC 9162 section 2.1.3) ---------------------------------------------------------------


def audit_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges ``[lo, hi)`` whose subtree roots form the audit path of ``index``, leaf to root order.

    RFC 9162: PATH(m, D[0:n]) is empty for n = 1; otherwise, with k the largest power of two below n,
    PATH(m, D[0:k]) + [MTH(D[k:n])] when m < k, and PATH(m - k, D[k:n]) + [MTH(D[0:k])] when m >= k.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo = lo + k
    ranges.reverse()
    return ranges


def prove_from_leaf_hashes(leaves: Iterable[bytes], index: int, size: int) -> list[bytes]:
    """The audit path of leaf ``index`` in one pass over all ``size`` leaf hashes, in O(log n) memory."""
    ranges = audit_ranges(index, size)
    order = sorted(range(len(ranges)), key=lambda r: ranges[r][0])  # the ranges tile [0, size) minus the leaf
    path: list[bytes] = [b""] * len(ranges)
    j = 0
    builder = MerkleBuilder()
    seen = 0
    for i, leaf in enumerate(leaves):
        seen += 1
        if i == index or i >= size:
            continue
        lo, hi = ranges[order[j]]
        if i == lo:
            builder = MerkleBuilder()
        builder.add_leaf_hash(leaf)
        if i + 1 == hi:
            path[order[j]] = builder.root()
            j += 1
    if seen != size:
        raise ValueError(f"expected {size} leaves, found {seen}")
    return path


def prove(
    items: Callable[[], Iterable[tuple[str, str | bytes]]] | Iterable[tuple[str, str | bytes]],
    item_id: str,
) -> InclusionProof:
    """An inclusion proof for ``item_id``.

    ``items`` is either a sequence of (id, content hash) pairs in id order (read twice), or a callable returning a
    fresh iterator over them each time it is called (a file or query streamed twice: first to find the item's
    index and the tree size, then to hash the path). Memory is O(log n) with a callable.
    """

    def source() -> Iterable[tuple[str, str | bytes]]:
        return items() if callable(items) else items

    target = _id_bytes(item_id)
    index: int | None = None
    digest = b""
    builder = MerkleBuilder()  # first pass: order check, size, root
    for i, (iid, chash) in enumerate(source()):
        builder.add(iid, chash)
        if index is None and iid == item_id:
            index, digest = i, content_digest(chash)
    if index is None:
        raise KeyError(f"item id {target.decode('utf-8')!r} is not in the delivery")
    size = builder.count
    root = builder.root()

    def leaves() -> Iterator[bytes]:
        for iid, chash in source():
            yield leaf_hash(iid, chash)

    path = prove_from_leaf_hashes(leaves(), index, size)
    return InclusionProof(
        scheme=MERKLE_SCHEME,
        item_id=item_id,
        content_hash=digest.hex(),
        leaf_index=index,
        tree_size=size,
        path=[p.hex() for p in path],
        root=root.hex(),
    )


def root_from_path(leaf: bytes, index: int, size: int, path: Iterable[bytes]) -> bytes | None:
    """The root implied by a leaf hash and its audit path (RFC 9162 2.1.3.2), or None if the path's length is wrong."""
    if not 0 <= index < size:
        return None
    fn, sn = index, size - 1
    node = leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            node = _sha256(_NODE + sibling + node).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            node = _sha256(_NODE + node + sibling).digest()
        fn >>= 1
        sn >>= 1
    return node if sn == 0 else None


def verify_inclusion(
    item_id: str, content_hash: str | bytes, index: int, size: int, path: Iterable[str | bytes], root: str | bytes
) -> bool:
    """True when (item id, content hash) is leaf ``index`` of the tree of ``size`` leaves with this ``root``."""
    try:
        leaf = leaf_hash(item_id, content_hash)
        siblings = [_hash32(p) for p in path]
        expected = _hash32(root)
    except (HashError, ValueError, TypeError):
        return False
    return root_from_path(leaf, index, size, siblings) == expected


def verify_proof(proof: InclusionProof, root: str | bytes | None = None, size: int | None = None) -> bool:
    """Check an :class:`InclusionProof` against its own root, or against a certificate's ``root`` and ``size``.

    An audit path binds the leaf to the root; it does not always pin the tree size (leaf 0's path is the same
    in trees of 33 and 34 leaves), so a verifier compares ``tree_size`` with the size the certificate signs.
    """
    if proof.scheme != MERKLE_SCHEME:
        return False
    if size is not None and proof.tree_size != size:
        return False
    if root is not None:
        try:
            if _hash32(root) != _hash32(proof.root):
                return False
        except HashError:
            return False
    return verify_inclusion(
        proof.item_id, proof.content_hash, proof.leaf_index, proof.tree_size, proof.path, proof.root
    )


def _hash32(value: str | bytes) -> bytes:
    if isinstance(value, bytes):
        if len(value) != 32:
            raise HashError(f"a tree hash is 32 bytes; found {len(value)}")
        return value
    if len(value) != 64:
        raise HashError(f"a tree hash is 64 hex digits; found {len(value)} characters")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise HashError(f"a tree hash is 64 hex digits; found {value!r}") from exc


# --- a proof index: prove one item of 700M by reading one chunk ---------------------------------------------


@dataclass(frozen=True)
class ChunkIndex:
    """The roots of the aligned chunks of ``2**chunk_bits`` leaves, and each chunk's first id.

    A chunk starting at a multiple of its size is one subtree of the RFC 6962 tree, and the tree over the chunk
    roots (combined with ``node``, not re-hashed as leaves) has the same root as the whole delivery; so an audit
    path is the path inside the item's chunk followed by the chunk's path among the chunk roots. With this index
    (n / 65,536 entries: 11k for 700M items) ``prove`` reads one chunk, found by id range, not the whole delivery.
    """

    chunk_bits: int
    size: int
    first_ids: tuple[str, ...]
    roots: tuple[bytes, ...]

    def __post_init__(self) -> None:
        expected = -(-self.size // (1 << self.chunk_bits))
        if len(self.first_ids) != expected or len(self.roots) != expected:
            raise ValueError(f"{self.size} leaves make {expected} chunks; the index lists {len(self.roots)}")

    def root(self) -> bytes:
        return root_of_leaf_hashes(self.roots) if self.roots else EMPTY_ROOT

    def chunk_of(self, item_id: str) -> tuple[int, str, str | None]:
        """(chunk number, its first id, the next chunk's first id or None): the id range to read."""
        j = bisect.bisect_right(self.first_ids, item_id) - 1
        if j < 0:
            raise KeyError(f"item id {item_id!r} is not in the delivery (it sorts before the first id)")
        upper = self.first_ids[j + 1] if j + 1 < len(self.first_ids) else None
        return j, self.first_ids[j], upper

    def chunk_size(self, j: int) -> int:
        return min(1 << self.chunk_bits, self.size - (j << self.chunk_bits))


def prove_with_index(index: ChunkIndex, chunk_rows: Iterable[tuple[str, str | bytes]], item_id: str) -> InclusionProof:
    """An inclusion proof from the index and the id-ordered (id, content hash) rows of the item's chunk only.

    Raises KeyError when the item is not there, ValueError when the chunk no longer hashes to the indexed root.
    """
    j, _, _ = index.chunk_of(item_id)
    builder = MerkleBuilder()
    leaves: list[bytes] = []
    position: int | None = None
    digest = b""
    for iid, chash in chunk_rows:
        leaves.append(builder.add(iid, chash))
        if iid == item_id:
            position, digest = len(leaves) - 1, content_digest(chash)
    if len(leaves) != index.chunk_size(j):
        raise ValueError(f"chunk {j} holds {len(leaves)} items; the index says {index.chunk_size(j)}")
    if builder.root() != index.roots[j]:
        raise ValueError(f"chunk {j} does not hash to the indexed root: the items changed since the index was made")
    if position is None:
        raise KeyError(f"item id {item_id!r} is not in the delivery")
    inner = prove_from_leaf_hashes(leaves, position, len(leaves))
    outer = prove_from_leaf_hashes(index.roots, j, len(index.roots))
    return InclusionProof(
        scheme=MERKLE_SCHEME,
        item_id=item_id,
        content_hash=digest.hex(),
        leaf_index=(j << index.chunk_bits) + position,
        tree_size=index.size,
        path=[p.hex() for p in inner + outer],
        root=index.root().hex(),
    )


# --- comparing a delivered listing with a certified one -------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One item on which two id-sorted listings disagree."""

    item_id: str
    kind: str  # "changed" | "missing" (certified, not delivered) | "extra" (delivered, not certified)
    certified: str | None  # content hash, lowercase hex
    delivered: str | None


def diff_listings(
    certified: Iterable[tuple[str, str | bytes]], delivered: Iterable[tuple[str, str | bytes]]
) -> Iterator[Difference]:
    """Merge-join two id-sorted (id, content hash) streams; yields each difference in id order, O(1) memory."""
    left = iter(certified)
    right = iter(delivered)
    a = next(left, None)
    b = next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and _id_bytes(a[0]) < _id_bytes(b[0])):
            assert a is not None
            yield Difference(a[0], "missing", content_digest(a[1]).hex(), None)
            a = next(left, None)
        elif a is None or _id_bytes(b[0]) < _id_bytes(a[0]):
            yield Difference(b[0], "extra", None, content_digest(b[1]).hex())
            b = next(right, None)
        else:
            ca, cb = content_digest(a[1]), content_digest(b[1])
            if ca != cb:
                yield Difference(a[0], "changed", ca.hex(), cb.hex())
            a = next(left, None)
            b = next(right, None)
