"""Checking the audit log without trusting the broker: RFC 9162 proofs and C2SP checkpoints.

Nothing here uses the broker's code: a verifier in another language follows
the same steps (see "Verifying the audit log" in the README).

* A leaf hash is SHA-256(0x00 || leaf bytes); an interior node SHA-256(0x01 || left || right).
* Inclusion and consistency proofs are verified as in RFC 9162 sections 2.1.3.2
  and 2.1.4.2, with the semantics of the transparency-dev/merkle verifier.
* A checkpoint is a C2SP ``tlog-checkpoint`` (origin, tree size, base64 root)
  in a C2SP ``signed-note`` signed with Ed25519 (signature type 0x01).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HASH_SIZE = 32


class VerificationError(ValueError):
    """A proof, checkpoint or key failed to verify or was malformed."""


def leaf_hash(leaf: bytes) -> bytes:
    """The RFC 9162 hash of a leaf: SHA-256(0x00 || leaf bytes)."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _check_hashes(what: str, hashes: Sequence[bytes]) -> None:
    """Raise :class:`VerificationError` unless every hash has exactly :data:`HASH_SIZE` bytes."""
    for position, value in enumerate(hashes):
        if len(value) != HASH_SIZE:
            raise VerificationError(
                f"{what}[{position}] has {len(value)} bytes, expected {HASH_SIZE}"
            )


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
) -> None:
    """Verify an inclusion proof (RFC 9162 section 2.1.3.2); raise unless it holds.

    Args:
        leaf_hash: Hash of the leaf claimed to be in the tree.
        index: Zero-based index of that leaf.
        tree_size: Number of leaves in the tree whose root is ``root``.
        proof: Audit path from GetInclusionProof.
        root: Trusted root hash of the tree of ``tree_size`` leaves.

    Raises:
        VerificationError: If the inputs are malformed, the proof has the wrong length, or
            the root computed from the proof differs from ``root``.
    """
    if index < 0 or tree_size < 0:
        raise VerificationError("leaf index and tree size must not be negative")
    if index >= tree_size:
        raise VerificationError(f"leaf index {index} is not below tree size {tree_size}")
    if len(leaf_hash) != HASH_SIZE:
        raise VerificationError(f"leaf hash has {len(leaf_hash)} bytes, expected {HASH_SIZE}")
    _check_hashes("proof", proof)

    fn = index
    sn = tree_size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise VerificationError("inclusion proof is longer than the tree is deep")
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
        raise VerificationError("inclusion proof is too short")
    if not hmac.compare_digest(r, root):
        raise VerificationError("inclusion proof does not lead to the expected root")


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
        proof: Proof from GetConsistencyProof.

    Raises:
        VerificationError: If the inputs are malformed, the proof has the wrong length, or
            either root cannot be reconstructed from the proof.
    """
    if old_size < 0 or new_size < 0:
        raise VerificationError("tree sizes must not be negative")
    if old_size == 0:
        raise VerificationError("a consistency proof from the empty tree is meaningless")
    if new_size < old_size:
        raise VerificationError(f"new size {new_size} is smaller than old size {old_size}")
    if old_size == new_size:
        if proof:
            raise VerificationError("sizes are equal but the consistency proof is not empty")
        if not hmac.compare_digest(old_root, new_root):
            raise VerificationError("sizes are equal but the roots differ")
        return
    if not proof:
        raise VerificationError("consistency proof is empty")
    for name, root in (("old root", old_root), ("new root", new_root)):
        if len(root) != HASH_SIZE:
            raise VerificationError(f"{name} has {len(root)} bytes, expected {HASH_SIZE}")
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
            raise VerificationError("consistency proof is too long")
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
        raise VerificationError("consistency proof is too short")
    if not hmac.compare_digest(fr, old_root):
        raise VerificationError("consistency proof does not lead to the old root")
    if not hmac.compare_digest(sr, new_root):
        raise VerificationError("consistency proof does not lead to the new root")


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint: the log it is of, how many leaves, and their root."""

    origin: str
    """The log's name: the checkpoint's first line, also the signing key's name."""
    size: int
    """Number of leaves (audit events) in the tree."""
    root: bytes
    """RFC 9162 root hash of those leaves."""
    note: str
    """The signed note exactly as verified: keep it to check later checkpoints against."""


def _b64decode(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError(f"{what} is not base64") from exc


def _parse_verifier_key(verifier_key: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """(name, key id, public key) of a note verifier key ``name+keyid+base64(0x01||key)``."""
    parts = verifier_key.strip().split("+", 2)
    if len(parts) != 3:
        raise VerificationError("a verifier key is name+keyid+key")
    name, id_hex, encoded = parts
    raw = _b64decode(encoded, "the verifier key")
    if len(raw) != 33 or raw[0] != 0x01:
        raise VerificationError("the verifier key is not an Ed25519 note key")
    public = raw[1:]
    key_id = hashlib.sha256(name.encode() + b"\n" + raw[:1] + public).digest()[:4]
    if key_id.hex() != id_hex.lower():
        raise VerificationError("the verifier key's id does not match its key")
    return name, key_id, Ed25519PublicKey.from_public_bytes(public)


def verify_checkpoint(note: str, verifier_key: str) -> Checkpoint:
    """Check a signed checkpoint against a verifier key; return what it says.

    Args:
        note: The checkpoint as GetCheckpoint returns it (a C2SP signed note).
        verifier_key: The log's published key, ``name+keyid+base64(0x01||Ed25519 key)``.

    Returns:
        The checkpoint's origin, size and root.

    Raises:
        VerificationError: If the note is malformed, carries no valid signature
            by this key, or its origin is not the key's name.
    """
    name, key_id, public_key = _parse_verifier_key(verifier_key)
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not note.endswith("\n"):
        raise VerificationError("not a signed note: no blank line before the signatures")
    body = text + "\n"
    signed = False
    for line in signatures.removesuffix("\n").split("\n"):
        dash, _, rest = line.partition(" ")
        signer, _, encoded = rest.partition(" ")
        if dash != "\u2014" or not signer or not encoded:
            raise VerificationError("a signature line is not '— name signature'")
        raw = _b64decode(encoded, "a signature")
        if signer != name or raw[:4] != key_id:
            continue  # another signer's (a witness's): not ours to check
        try:
            public_key.verify(raw[4:], body.encode())
        except InvalidSignature as exc:
            raise VerificationError("the checkpoint's signature does not verify") from exc
        signed = True
    if not signed:
        raise VerificationError(f"the checkpoint carries no signature by {name}")
    lines = body.split("\n")
    if len(lines) < 4:
        raise VerificationError("a checkpoint body has origin, size and root lines")
    origin, size_text, root_text = lines[:3]
    if origin != name:
        raise VerificationError(f"the checkpoint is of {origin!r}, not of {name!r}")
    if not (size_text.isascii() and size_text.isdigit()) or (
        size_text != "0" and size_text.startswith("0")
    ):
        raise VerificationError("the checkpoint's tree size is not a decimal number")
    root = _b64decode(root_text, "the checkpoint's root")
    if len(root) != HASH_SIZE:
        raise VerificationError("the checkpoint's root is not a SHA-256 hash")
    return Checkpoint(origin, int(size_text), root, note)
