"""RFC 9162 Merkle tree hashing, inclusion proofs and consistency proofs.

The audit log is an append-only list of entries whose integrity is committed to by
the Merkle Tree Hash (MTH) of RFC 9162 section 2.1.1, which uses the same hashing
as RFC 6962 (Certificate Transparency v1):

* a leaf is hashed as ``SHA-256(0x00 || data)``;
* an interior node is hashed as ``SHA-256(0x01 || left || right)``;
* a tree of ``n > 1`` leaves is split at ``k``, the largest power of two smaller
  than ``n``, into a left subtree of ``k`` leaves and a right subtree of the rest;
* the empty tree hashes to ``SHA-256(b"")``.

A proof is a list of subtree hashes; which subtrees (as leaf ranges) is fixed
by the sizes alone (:func:`inclusion_ranges`, :func:`consistency_ranges`), so
the same proof is built from a list of leaf hashes here and from the stored
interior nodes of :mod:`luukku.audit.tree`. Verification lives in
:mod:`luukku.verify.transparency_log` (shipped with the SDK, used by the broker's
``luukku audit verify`` too), written from the RFC without this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Frontier",
    "consistency_proof",
    "consistency_ranges",
    "inclusion_proof",
    "inclusion_ranges",
    "leaf_hash",
    "node_hash",
    "root_from_leaf_hashes",
]

HASH_SIZE = 32
"""Size in bytes of every hash in the tree (SHA-256)."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()
"""The Merkle Tree Hash of the empty tree: ``SHA-256(b"")``."""


def leaf_hash(data: bytes) -> bytes:
    """Hash one log entry as a Merkle tree leaf.

    Args:
        data: The serialised entry.

    Returns:
        ``SHA-256(0x00 || data)``.
    """
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two child hashes into their parent node's hash.

    Args:
        left: Hash of the left subtree.
        right: Hash of the right subtree.

    Returns:
        ``SHA-256(0x01 || left || right)``.
    """
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split_point(n: int) -> int:
    """Return the largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """Compute the MTH of ``leaf_hashes[start:end]`` without recursion.

    Hashing level by level, pairing neighbours and carrying an unpaired last node up
    unchanged, yields exactly the RFC 9162 tree shape (split at the largest power of
    two smaller than the size), because every complete left subtree is a power of two.

    Args:
        leaf_hashes: All leaf hashes.
        start: First leaf of the subtree (inclusive).
        end: End of the subtree (exclusive).

    Returns:
        The subtree's Merkle Tree Hash, or :data:`EMPTY_ROOT` when it is empty.
    """
    if start >= end:
        return EMPTY_ROOT
    level = list(leaf_hashes[start:end])
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """Compute the Merkle Tree Hash (RFC 9162 section 2.1.1) of a list of leaves.

    Runs in linear time and constant stack depth.

    Args:
        leaf_hashes: Leaf hashes in log order, each produced by :func:`leaf_hash`.

    Returns:
        The 32-byte root hash; :data:`EMPTY_ROOT` for an empty list.
    """
    return _subtree_root(leaf_hashes, 0, len(leaf_hashes))


Range = tuple[int, int]
"""Leaves ``start`` (inclusive) to ``end`` (exclusive) of one subtree."""


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees whose hashes make the audit path (RFC 9162 section 2.1.3.1 ``PATH``).

    Args:
        index: Zero-based index of the leaf to prove.
        size: Number of leaves in the tree.

    Returns:
        Leaf ranges ordered from the leaf up to the root.

    Raises:
        ValueError: If ``index`` is not in ``range(size)``.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    ranges: list[Range] = []
    start, end = 0, size
    m = index
    while end - start > 1:
        k = _split_point(end - start)
        if m < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            m -= k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, size: int) -> list[Range]:
    """The subtrees whose hashes make a consistency proof (RFC 9162 section 2.1.4.1 ``PROOF``).

    Args:
        old_size: Size of the older tree; ``0 < old_size <= size``.
        size: Size of the newer tree.

    Returns:
        Leaf ranges ordered from the bottom of the tree up; empty when the sizes are equal.

    Raises:
        ValueError: If ``old_size`` is not in ``range(1, size + 1)``.
    """
    if not 0 < old_size <= size:
        raise ValueError(f"old size {old_size} is outside 1..{size}")
    ranges: list[Range] = []
    start, end = 0, size
    m = old_size
    complete = True  # The SUBPROOF flag b: is the old tree's root this very subtree?
    while m != end - start:
        k = _split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            m -= k
            complete = False
    if not complete:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of all ``leaf_hashes``."""
    return [_subtree_root(leaf_hashes, a, b) for a, b in inclusion_ranges(index, len(leaf_hashes))]


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """The proof that the tree of the first ``old_size`` leaves is a prefix of the whole."""
    ranges = consistency_ranges(old_size, len(leaf_hashes))
    return [_subtree_root(leaf_hashes, a, b) for a, b in ranges]


class Frontier:
    """The roots of the complete subtrees of a growing tree: its root at every size, in O(log n).

    Appending a leaf merges equal-sized neighbours as RFC 9162 pairs them; the
    root folds what remains right to left.
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []
        self.size = 0

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash."""
        level, current = 0, leaf
        while self._stack and self._stack[-1][0] == level:
            current = node_hash(self._stack.pop()[1], current)
            level += 1
        self._stack.append((level, current))
        self.size += 1

    def root(self) -> bytes:
        """The Merkle Tree Hash of the leaves so far."""
        if not self._stack:
            return EMPTY_ROOT
        result = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            result = node_hash(left, result)
        return result
