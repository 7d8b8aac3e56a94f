"""Signed checkpoints of the audit log: C2SP ``tlog-checkpoint`` in a C2SP ``signed-note``.

A checkpoint's body is three lines: the log's origin, the tree size in
decimal, and the base64 root hash. The note carries one Ed25519 signature
line per signer, ``— <name> base64(key id || signature)``, where the key id
is the first four bytes of SHA-256(name || 0x0A || 0x01 || public key).

Keys travel in the formats of Go's ``golang.org/x/mod/sumdb/note``: the
signer key ``PRIVATE+KEY+<name>+<key id hex>+base64(0x01 || seed)`` (kept
secret, next to the hub CA) and the verifier key
``<name>+<key id hex>+base64(0x01 || public key)`` (published).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
"""The signed-note signature type of Ed25519."""

DEFAULT_NAME = "luukku.localhost/audit-log"
"""The log's origin (and key name) unless ``luukku pki init --log-name`` says otherwise."""

CHECKPOINT_SECONDS = 1.0
"""How often a broker signs a checkpoint while the log grows, unless configured."""

SIGNER_FILE = "audit-log.key"
VERIFIER_FILE = "audit-log.vkey"


class LogKeyError(ValueError):
    """A log signer key file is missing or malformed."""


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key id of an Ed25519 note key."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class LogSigner:
    """The broker's Ed25519 key that signs checkpoints under the log's name."""

    name: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str = DEFAULT_NAME) -> LogSigner:
        """A fresh key for a log called ``name`` (no spaces, no ``+``)."""
        if not name or any(c.isspace() or c == "+" for c in name):
            raise LogKeyError(f"log name {name!r} must be non-empty, without spaces or '+'")
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> LogSigner:
        """Read a signer key in the note format."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise LogKeyError("not a note signer key (PRIVATE+KEY+name+id+key)")
        name, id_hex, encoded = parts[2:]
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise LogKeyError("the signer key is not base64") from exc
        if len(raw) != 33 or raw[:1] != ED25519:
            raise LogKeyError("the signer key is not an Ed25519 key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if key_id(name, signer.public_key).hex() != id_hex:
            raise LogKeyError("the signer key's id does not match its key")
        return signer

    @classmethod
    def load(cls, path: Path) -> LogSigner:
        """Read the signer key file at ``path``."""
        try:
            return cls.parse(path.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError) as exc:
            raise LogKeyError(f"cannot read the log key {path}: {exc}") from exc

    @property
    def public_key(self) -> bytes:
        return self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def signer_key(self) -> str:
        seed = self.private_key.private_bytes_raw()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{_b64(ED25519 + seed)}"

    def verifier_key(self) -> str:
        """What anyone needs to check this log's checkpoints."""
        return f"{self.name}+{self.key_id.hex()}+{_b64(ED25519 + self.public_key)}"

    def checkpoint(self, size: int, root: bytes) -> str:
        """The signed note of the tree of ``size`` leaves with ``root``."""
        body = f"{self.name}\n{size}\n{_b64(root)}\n"
        signature = self.private_key.sign(body.encode())
        return f"{body}\n\u2014 {self.name} {_b64(self.key_id + signature)}\n"

    def write(self, directory: Path) -> tuple[Path, Path]:
        """Write the signer key (owner-only) and the verifier key into ``directory``."""
        signer, verifier = directory / SIGNER_FILE, directory / VERIFIER_FILE
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(signer, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(self.signer_key() + "\n")
        verifier.write_text(self.verifier_key() + "\n", encoding="ascii")
        return signer, verifier
