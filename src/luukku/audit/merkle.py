"""RFC 9162 Merkle tree hashing, inclusion proofs and consistency proofs.

The audit log is an append-only list of entries whose integrity is committed to by
the Merkle Tree Hash (MTH) of RFC 9162 section 2.1.1, which uses the same hashing
as RFC 6962 (Certificate Transparency v1):

* a leaf is hashed as ``SHA-256(0x00 || data)``;
* an interior node is hashed as ``SHA-256(0x01 || left || right)``;
* a tree of ``n > 1`` leaves is split at ``k``, the largest power of two smaller
  than ``n``, into a left subtree of ``k`` leaves and a right subtree of the rest;
* the empty tree hashes to ``SHA-256(b"")``.

Proof generation works on a sequence of leaf hashes (see :func:`leaf_hash`).
Verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2 and matches the
semantics of the transparency-dev/merkle verifier: every malformed or mismatching
input raises :class:`ProofError`, including proofs of the wrong length and hashes
of the wrong size.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "ProofError",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_leaf_hashes",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
"""Size in bytes of every hash in the tree (SHA-256)."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()
"""The Merkle Tree Hash of the empty tree: ``SHA-256(b"")``."""


class ProofError(ValueError):
    """An inclusion or consistency proof failed to verify or was malformed."""


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


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Build the audit path (RFC 9162 section 2.1.3.1 ``PATH``) for one leaf.

    Args:
        leaf_hashes: Leaf hashes of the whole tree, in log order.
        index: Zero-based index of the leaf to prove.

    Returns:
        Sibling subtree hashes ordered from the leaf up to the root.

    Raises:
        ValueError: If ``index`` is not in ``range(len(leaf_hashes))``.
    """
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    path: list[bytes] = []
    start, end = 0, size
    m = index
    while end - start > 1:
        k = _split_point(end - start)
        if m < k:
            path.append(_subtree_root(leaf_hashes, start + k, end))
            end = start + k
        else:
            path.append(_subtree_root(leaf_hashes, start, start + k))
            start += k
            m -= k
    path.reverse()
    return path


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """Build a consistency proof (RFC 9162 section 2.1.4.1 ``PROOF``).

    The proof shows that the tree of the first ``old_size`` leaves is a prefix of the
    tree of all ``leaf_hashes``.

    Args:
        leaf_hashes: Leaf hashes of the newer, larger tree, in log order.
        old_size: Size of the older tree; ``0 < old_size <= len(leaf_hashes)``.

    Returns:
        The proof hashes, ordered from the bottom of the tree up; empty when
        ``old_size == len(leaf_hashes)``.

    Raises:
        ValueError: If ``old_size`` is not in ``range(1, len(leaf_hashes) + 1)``.
    """
    size = len(leaf_hashes)
    if not 0 < old_size <= size:
        raise ValueError(f"old size {old_size} is outside 1..{size}")
    proof: list[bytes] = []
    start, end = 0, size
    m = old_size
    complete = True  # The SUBPROOF flag b: is the old tree's root this very subtree?
    while m != end - start:
        k = _split_point(end - start)
        if m <= k:
            proof.append(_subtree_root(leaf_hashes, start + k, end))
            end = start + k
        else:
            proof.append(_subtree_root(leaf_hashes, start, start + k))
            start += k
            m -= k
            complete = False
    if not complete:
        proof.append(_subtree_root(leaf_hashes, start, end))
    proof.reverse()
    return proof


def _check_hashes(what: str, hashes: Sequence[bytes]) -> None:
    """Raise :class:`ProofError` unless every hash has exactly :data:`HASH_SIZE` bytes."""
    for position, value in enumerate(hashes):
        if len(value) != HASH_SIZE:
            raise ProofError(f"{what}[{position}] has {len(value)} bytes, expected {HASH_SIZE}")


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
) -> None:
    """Verify an inclusion proof (RFC 9162 section 2.1.3.2).

    Args:
        leaf_hash: Hash of the leaf claimed to be in the tree.
        index: Zero-based index of that leaf.
        tree_size: Number of leaves in the tree whose root is ``root``.
        proof: Audit path as produced by :func:`inclusion_proof`.
        root: Trusted root hash of the tree of ``tree_size`` leaves.

    Raises:
        ProofError: If the inputs are malformed, the proof has the wrong length, or
            the root computed from the proof differs from ``root``.
    """
    if index < 0 or tree_size < 0:
        raise ProofError("leaf index and tree size must not be negative")
    if index >= tree_size:
        raise ProofError(f"leaf index {index} is not below tree size {tree_size}")
    if len(leaf_hash) != HASH_SIZE:
        raise ProofError(f"leaf hash has {len(leaf_hash)} bytes, expected {HASH_SIZE}")
    _check_hashes("proof", proof)

    fn = index
    sn = tree_size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    if not hmac.compare_digest(r, root):
        raise ProofError("inclusion proof does not lead to the expected root")


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Verify a consistency proof between two tree sizes (RFC 9162 section 2.1.4.2).

    Matches the transparency-dev/merkle verifier: equal sizes need an empty proof and
    equal roots; a proof from the empty tree (``old_size == 0``) is always rejected,
    since it proves nothing.

    Args:
        old_size: Size of the older tree.
        new_size: Size of the newer tree.
        old_root: Trusted root hash of the older tree.
        new_root: Root hash of the newer tree.
        proof: Proof as produced by :func:`consistency_proof`.

    Raises:
        ProofError: If the inputs are malformed, the proof has the wrong length, or
            either root cannot be reconstructed from the proof.
    """
    if old_size < 0 or new_size < 0:
        raise ProofError("tree sizes must not be negative")
    if old_size == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if new_size < old_size:
        raise ProofError(f"new size {new_size} is smaller than old size {old_size}")
    if old_size == new_size:
        if proof:
            raise ProofError("sizes are equal but the consistency proof is not empty")
        if not hmac.compare_digest(old_root, new_root):
            raise ProofError("sizes are equal but the roots differ")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    for name, root in (("old root", old_root), ("new root", new_root)):
        if len(root) != HASH_SIZE:
            raise ProofError(f"{name} has {len(root)} bytes, expected {HASH_SIZE}")
    _check_hashes("proof", proof)

    path = list(proof)
    if old_size & (old_size - 1) == 0:  # The old tree is a complete subtree.
        path.insert(0, old_root)
    fn = old_size - 1
    sn = new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if not hmac.compare_digest(fr, old_root):
        raise ProofError("consistency proof does not lead to the old root")
    if not hmac.compare_digest(sr, new_root):
        raise ProofError("consistency proof does not lead to the new root")
