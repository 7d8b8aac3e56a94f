"""The audit log's Merkle tree as stored nodes: O(log n) to append, to prove and to root.

The store keeps the hash of every complete subtree: node ``(level, index)``
covers leaves ``index * 2**level`` up to ``(index + 1) * 2**level``. Any
subtree a proof needs is one such node, or (at the tree's right edge) the
hash of a few of them folded right to left, exactly as RFC 9162 splits a
tree at the largest power of two. Appending leaf ``n`` adds the leaf and
every node it completes: one per trailing one bit of ``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from luukku.audit.merkle import EMPTY_ROOT, Range, consistency_ranges, inclusion_ranges, node_hash

Node = tuple[int, int]
"""(level, index) of a complete subtree of ``2**level`` leaves."""

Fetch = Callable[[Iterable[Node]], Mapping[Node, bytes]]
"""Reads stored node hashes; a missing node is a broken tree (``KeyError``)."""


def covering(start: int, end: int) -> list[Node]:
    """The complete subtrees that make up leaves ``start..end``, left to right."""
    nodes: list[Node] = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def _fold(hashes: list[bytes]) -> bytes:
    """The hash of adjacent subtrees, largest first, as RFC 9162 pairs them: right to left."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def _hashes(ranges: list[Range], fetch: Fetch) -> list[bytes]:
    cover = [covering(a, b) for a, b in ranges]
    stored = fetch({node for nodes in cover for node in nodes})
    return [_fold([stored[node] for node in nodes]) for nodes in cover]


def root(size: int, fetch: Fetch) -> bytes:
    """The RFC 9162 root of the first ``size`` leaves."""
    return _hashes([(0, size)], fetch)[0] if size else EMPTY_ROOT


def inclusion(index: int, size: int, fetch: Fetch) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves."""
    return _hashes(inclusion_ranges(index, size), fetch)


def consistency(old_size: int, size: int, fetch: Fetch) -> list[bytes]:
    """The proof that the tree of ``old_size`` leaves is a prefix of that of ``size``."""
    return _hashes(consistency_ranges(old_size, size), fetch)


def completed_by(index: int) -> list[Node]:
    """The stored nodes appending leaf ``index`` needs: the left siblings it completes."""
    nodes: list[Node] = []
    level, position = 0, index
    while position & 1:
        nodes.append((level, position - 1))
        level, position = level + 1, position >> 1
    return nodes


def appended(index: int, leaf: bytes, siblings: Mapping[Node, bytes]) -> list[tuple[Node, bytes]]:
    """The nodes to store when leaf ``index`` (hash ``leaf``) is appended."""
    nodes = [((0, index), leaf)]
    level, position, current = 0, index, leaf
    while position & 1:
        current = node_hash(siblings[(level, position - 1)], current)
        level, position = level + 1, position >> 1
        nodes.append(((level, position), current))
    return nodes
