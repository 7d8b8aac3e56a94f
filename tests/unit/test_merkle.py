"""RFC 9162 hashing and proofs (:mod:`luukku.audit.merkle`, :mod:`luukku.audit.tree`), checked
by the SDK's verifier (``luukku.client.verify_*``), which shares no code with them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luukku.audit import tree
from luukku.audit.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
)
from luukku.client import VerificationError as ProofError
from luukku.client import verify_consistency, verify_inclusion

# Vendored in tests/vectors (Apache-2.0 test data of transparency-dev/merkle).
VECTORS_DIR = Path(__file__).resolve().parents[1] / "vectors" / "rfc6962"
INCLUSION_VECTORS = sorted((VECTORS_DIR / "inclusion").rglob("*.json"))
CONSISTENCY_VECTORS = sorted((VECTORS_DIR / "consistency").rglob("*.json"))


def test_the_vendored_vectors_are_all_there():
    assert len(INCLUSION_VECTORS) >= 40
    assert len(CONSISTENCY_VECTORS) >= 40


# The 8-leaf reference tree from RFC 6962 test code, as used by transparency-dev/merkle.
REFERENCE_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
REFERENCE_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def _vector_id(path: Path) -> str:
    return path.relative_to(VECTORS_DIR).as_posix()


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def _proof(value: list[str] | None) -> list[bytes]:
    return [_b64(item) for item in value or []]


def _flip_bit(proof: list[bytes], element: int, bit: int) -> list[bytes]:
    tampered = list(proof)
    value = bytearray(tampered[element])
    value[bit // 8] ^= 1 << (bit % 8)
    tampered[element] = bytes(value)
    return tampered


def _tree(leaf_count: int, salt: bytes = b"") -> list[bytes]:
    return [leaf_hash(salt + i.to_bytes(4, "big")) for i in range(leaf_count)]


@pytest.mark.parametrize("path", INCLUSION_VECTORS, ids=_vector_id)
def test_inclusion_verifier_accepts_exactly_the_valid_vectors(path: Path) -> None:
    vector = _load(path)

    def verify() -> None:
        verify_inclusion(
            _b64(vector["leafHash"]),
            vector["leafIdx"],
            vector["treeSize"],
            _proof(vector["proof"]),
            _b64(vector["root"]),
        )

    if vector["wantErr"]:
        with pytest.raises(ProofError):
            verify()
    else:
        verify()


@pytest.mark.parametrize("path", CONSISTENCY_VECTORS, ids=_vector_id)
def test_consistency_verifier_accepts_exactly_the_valid_vectors(path: Path) -> None:
    vector = _load(path)

    def verify() -> None:
        verify_consistency(
            vector["size1"],
            vector["size2"],
            _b64(vector["root1"]),
            _b64(vector["root2"]),
            _proof(vector["proof"]),
        )

    if vector["wantErr"]:
        with pytest.raises(ProofError):
            verify()
    else:
        verify()


def test_the_vector_folders_are_not_empty() -> None:
    assert len(INCLUSION_VECTORS) > 50
    assert len(CONSISTENCY_VECTORS) > 50


@pytest.mark.parametrize("size", range(1, len(REFERENCE_LEAVES) + 1))
def test_roots_of_the_reference_tree_match_the_known_values(size: int) -> None:
    hashes = [leaf_hash(data) for data in REFERENCE_LEAVES[:size]]
    assert root_from_leaf_hashes(hashes).hex() == REFERENCE_ROOTS[size - 1]


def test_the_empty_tree_hashes_to_the_sha256_of_nothing() -> None:
    sha256_of_nothing = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT.hex() == sha256_of_nothing
    assert root_from_leaf_hashes([]) == EMPTY_ROOT


def test_leaf_and_node_hashes_use_distinct_domain_prefixes() -> None:
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert leaf_hash(left + right) != node_hash(left, right)
    assert root_from_leaf_hashes([left, right]) == node_hash(left, right)


def test_a_three_leaf_tree_splits_after_two_leaves() -> None:
    a, b, c = _tree(3)
    assert root_from_leaf_hashes([a, b, c]) == node_hash(node_hash(a, b), c)


def test_proofs_in_the_reference_tree_verify_against_the_reference_roots() -> None:
    hashes = [leaf_hash(data) for data in REFERENCE_LEAVES]
    root = bytes.fromhex(REFERENCE_ROOTS[-1])
    for index, value in enumerate(hashes):
        verify_inclusion(value, index, len(hashes), inclusion_proof(hashes, index), root)
    for old_size in range(1, len(hashes) + 1):
        old_root = bytes.fromhex(REFERENCE_ROOTS[old_size - 1])
        proof = consistency_proof(hashes, old_size)
        verify_consistency(old_size, len(hashes), old_root, root, proof)


def test_a_hundred_thousand_leaves_are_hashed_and_proved() -> None:
    hashes = _tree(100_000)
    root = root_from_leaf_hashes(hashes)
    for index in (0, 1, 65_535, 65_536, 99_999):
        verify_inclusion(hashes[index], index, len(hashes), inclusion_proof(hashes, index), root)
    for old_size in (1, 65_536, 99_999, 100_000):
        old_root = root_from_leaf_hashes(hashes[:old_size])
        proof = consistency_proof(hashes, old_size)
        verify_consistency(old_size, len(hashes), old_root, root, proof)


def test_a_consistency_proof_to_the_same_size_is_empty() -> None:
    hashes = _tree(5)
    assert consistency_proof(hashes, 5) == []


@pytest.mark.parametrize("index", [-1, 3, 4])
def test_an_inclusion_proof_for_a_missing_leaf_is_refused(index: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(_tree(3), index)


@pytest.mark.parametrize("old_size", [-1, 0, 4])
def test_a_consistency_proof_from_an_invalid_size_is_refused(old_size: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        consistency_proof(_tree(3), old_size)


def test_a_verifier_rejects_proof_elements_of_the_wrong_length() -> None:
    hashes = _tree(4)
    root = root_from_leaf_hashes(hashes)
    proof = inclusion_proof(hashes, 0)
    # Moving one byte between adjacent elements keeps the concatenation the same.
    shifted = [proof[0] + proof[1][:1], proof[1][1:]]
    with pytest.raises(ProofError):
        verify_inclusion(hashes[0], 0, 4, shifted, root)


def test_a_consistency_verifier_rejects_a_malformed_old_root() -> None:
    hashes = _tree(4)
    with pytest.raises(ProofError):
        verify_consistency(
            2, 4, b"short", root_from_leaf_hashes(hashes), consistency_proof(hashes, 2)
        )


leaf_lists = st.integers(min_value=1, max_value=64).flatmap(
    lambda n: st.lists(st.binary(max_size=16), min_size=n, max_size=n)
)


@settings(max_examples=50, deadline=None)
@given(leaves=leaf_lists)
def test_every_inclusion_proof_verifies_against_the_root(leaves: list[bytes]) -> None:
    hashes = [leaf_hash(data) for data in leaves]
    root = root_from_leaf_hashes(hashes)
    for index, value in enumerate(hashes):
        verify_inclusion(value, index, len(hashes), inclusion_proof(hashes, index), root)


@settings(max_examples=50, deadline=None)
@given(leaves=leaf_lists)
def test_an_inclusion_proof_fails_for_a_forged_leaf(leaves: list[bytes]) -> None:
    hashes = [leaf_hash(data) for data in leaves]
    root = root_from_leaf_hashes(hashes)
    for index, data in enumerate(leaves):
        forged = leaf_hash(b"forged:" + data)
        with pytest.raises(ProofError):
            verify_inclusion(forged, index, len(hashes), inclusion_proof(hashes, index), root)


@settings(max_examples=100, deadline=None)
@given(leaves=leaf_lists, data=st.data())
def test_an_inclusion_proof_with_any_flipped_bit_fails(
    leaves: list[bytes], data: st.DataObject
) -> None:
    hashes = [leaf_hash(item) for item in leaves]
    root = root_from_leaf_hashes(hashes)
    index = data.draw(st.integers(min_value=0, max_value=len(hashes) - 1), label="index")
    proof = inclusion_proof(hashes, index)
    if not proof:  # A single-leaf tree has nothing to tamper with but the leaf itself.
        bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
        with pytest.raises(ProofError):
            verify_inclusion(_flip_bit([hashes[0]], 0, bit)[0], 0, 1, proof, root)
        return
    element = data.draw(st.integers(min_value=0, max_value=len(proof) - 1), label="element")
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    with pytest.raises(ProofError):
        verify_inclusion(hashes[index], index, len(hashes), _flip_bit(proof, element, bit), root)


@settings(max_examples=50, deadline=None)
@given(leaves=leaf_lists)
def test_every_consistency_proof_verifies_between_old_and_full_size(
    leaves: list[bytes],
) -> None:
    hashes = [leaf_hash(data) for data in leaves]
    size = len(hashes)
    root = root_from_leaf_hashes(hashes)
    for old_size in range(1, size + 1):
        old_root = root_from_leaf_hashes(hashes[:old_size])
        proof = consistency_proof(hashes, old_size)
        verify_consistency(old_size, size, old_root, root, proof)


@settings(max_examples=100, deadline=None)
@given(leaves=leaf_lists, data=st.data())
def test_a_consistency_proof_with_any_flipped_bit_fails(
    leaves: list[bytes], data: st.DataObject
) -> None:
    hashes = [leaf_hash(item) for item in leaves]
    size = len(hashes)
    root = root_from_leaf_hashes(hashes)
    old_size = data.draw(st.integers(min_value=1, max_value=size), label="old_size")
    old_root = root_from_leaf_hashes(hashes[:old_size])
    proof = consistency_proof(hashes, old_size)
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    if not proof:  # Equal sizes: only the roots can be tampered with.
        with pytest.raises(ProofError):
            verify_consistency(old_size, size, old_root, _flip_bit([root], 0, bit)[0], proof)
        return
    element = data.draw(st.integers(min_value=0, max_value=len(proof) - 1), label="element")
    with pytest.raises(ProofError):
        verify_consistency(old_size, size, old_root, root, _flip_bit(proof, element, bit))


@settings(max_examples=50, deadline=None)
@given(leaves=leaf_lists, data=st.data())
def test_a_consistency_proof_fails_against_a_rewritten_history(
    leaves: list[bytes], data: st.DataObject
) -> None:
    hashes = [leaf_hash(item) for item in leaves]
    size = len(hashes)
    old_size = data.draw(st.integers(min_value=1, max_value=size), label="old_size")
    changed = data.draw(st.integers(min_value=0, max_value=old_size - 1), label="changed")
    old_root = root_from_leaf_hashes(hashes[:old_size])
    rewritten = list(hashes)
    rewritten[changed] = leaf_hash(b"forged:" + leaves[changed])
    with pytest.raises(ProofError):
        verify_consistency(
            old_size,
            size,
            old_root,
            root_from_leaf_hashes(rewritten),
            consistency_proof(rewritten, old_size),
        )


def _stored(hashes: list[bytes]) -> dict[tree.Node, bytes]:
    nodes: dict[tree.Node, bytes] = {}
    for index, value in enumerate(hashes):
        siblings = {node: nodes[node] for node in tree.completed_by(index)}
        nodes.update(tree.appended(index, value, siblings))
    return nodes


def test_proofs_from_stored_nodes_equal_those_from_the_leaves_for_every_size_to_130() -> None:
    hashes = _tree(130)
    nodes = _stored(hashes)

    def fetch(wanted: object) -> dict[tree.Node, bytes]:
        return {node: nodes[node] for node in wanted}  # type: ignore[attr-defined]

    frontier = Frontier()
    for size in range(1, 131):
        frontier.append(hashes[size - 1])
        assert tree.root(size, fetch) == root_from_leaf_hashes(hashes[:size]) == frontier.root()
        for index in range(size):
            assert tree.inclusion(index, size, fetch) == inclusion_proof(hashes[:size], index)
        assert tree.consistency(size, 130, fetch) == consistency_proof(hashes, size)


def test_appending_a_leaf_stores_one_node_per_subtree_it_completes() -> None:
    nodes = _stored(_tree(8))

    assert sorted(nodes) == [
        *[(0, i) for i in range(8)],
        *[(1, i) for i in range(4)],
        (2, 0),
        (2, 1),
        (3, 0),
    ]
