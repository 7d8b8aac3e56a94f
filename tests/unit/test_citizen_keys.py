"""The citizen keys' HMAC, made with its pads hashed once, is RFC 2104's HMAC-SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import random

from luukku.domain.pseudonyms import CitizenKeys, _Mac


def test_the_mac_is_hmac_sha256_for_keys_and_messages_of_every_length() -> None:
    rng = random.Random(0)
    for key_length in (0, 1, 31, 32, 33, 63, 64, 65, 128, 200):
        key = rng.randbytes(key_length)
        mac = _Mac(key)
        for message_length in (0, 1, 55, 56, 64, 119, 1000):
            message = rng.randbytes(message_length)
            assert mac.hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_a_leaf_commitment_is_the_hmac_of_role_event_and_citizen_under_the_leaf_key() -> None:
    keys = CitizenKeys(b"s" * 32)
    leaf_key = hmac.digest(b"s" * 32, b"luukku/audit-leaf-commitment", "sha256")
    for citizen in ("c" * 32, None):
        expected = hmac.digest(leaf_key, f"subject\x00e1\x00{citizen or ''}".encode(), "sha256")
        assert keys.commitment("subject", "e1", citizen) == expected.hex()
