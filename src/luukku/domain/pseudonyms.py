"""What a caller sees of a citizen: a pairwise pseudonym, and what the audit leaf commits to.

The hub refers to a citizen by an internal opaque id that no caller ever
sees. Each organisation sees its own stable pseudonym for a citizen instead
(as OpenID Connect's pairwise ``sub``): HMAC-SHA-256 under the broker's
secret of (organisation, internal id). Two organisations that serve the same
citizen see different pseudonyms and cannot join their data on them; one
organisation sees the same pseudonym on every call, on every replica, after
every restart, since the secret is kept in the database (``broker_secrets``)
that the replicas share. A portal acting for a citizen is an organisation
like any other: the citizen sees, through it, the pseudonym the portal sees.

An audit leaf (format 2) holds no citizen id at all, only a commitment to
it: HMAC-SHA-256, under a key derived from the same secret, of (field, event
id, internal id). The event id is unique, so two leaves about one citizen
carry unrelated commitments (a published proof links nobody), and without
the key nobody can test a leaf against an id. An absent citizen is committed
to the same way, so a leaf does not even tell whether it names one.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from functools import cached_property

PSEUDONYM_HEX = 32
"""Pseudonyms have the shape of the ids they stand for: 32 hex digits."""


def _derived(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, b"luukku/" + purpose, hashlib.sha256).digest()


class _Mac:
    """HMAC-SHA-256 (RFC 2104) under one key, its padded keys hashed once: each digest is
    then two copies of a SHA-256 state and two updates, a third of the time of
    ``hmac.digest``, which pads and hashes the key every time (a verify makes two
    commitments for every event of the log)."""

    __slots__ = ("_inner", "_outer")

    _BLOCK = 64
    """SHA-256's block size in bytes."""

    def __init__(self, key: bytes) -> None:
        if len(key) > self._BLOCK:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(self._BLOCK, b"\x00")
        self._inner = hashlib.sha256(bytes(k ^ 0x36 for k in padded))
        self._outer = hashlib.sha256(bytes(k ^ 0x5C for k in padded))

    def hexdigest(self, message: bytes) -> str:
        """HMAC-SHA-256 of ``message``, in hex."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@dataclass(frozen=True)
class CitizenKeys:
    """The keys derived from the broker's secret: one for pseudonyms, one for audit leaves."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) < 32:
            raise ValueError("the broker's citizen secret must be at least 32 bytes")

    @cached_property
    def _pseudonym_key(self) -> bytes:
        return _derived(self.secret, b"pairwise-pseudonym")

    @cached_property
    def _leaf_key(self) -> bytes:
        return _derived(self.secret, b"audit-leaf-commitment")

    def pseudonym(self, org_id: str, citizen_id: str) -> str:
        """The pseudonym organisation ``org_id`` sees for citizen ``citizen_id``."""
        message = org_id.encode() + b"\x00" + citizen_id.encode()
        return hmac.new(self._pseudonym_key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]

    @cached_property
    def _leaf_mac(self) -> _Mac:
        return _Mac(self._leaf_key)

    def commitment(self, role: str, event_id: str, citizen_id: str | None) -> str:
        """What an audit leaf holds in place of ``citizen_id`` as the event's ``role``."""
        # HMAC-SHA-256 under the leaf key: two per event, millions of events in a verify.
        return self._leaf_mac.hexdigest(f"{role}\x00{event_id}\x00{citizen_id or ''}".encode())

    @cached_property
    def _request_key(self) -> bytes:
        return _derived(self.secret, b"refused-request")

    def request_digest(self, request: bytes) -> str:
        """A short keyed digest of a refused call's request: tells attempts apart, and
        cannot be searched for the identity code or id a request held.
        """
        return hmac.new(self._request_key, request, hashlib.sha256).hexdigest()[:16]

    def view(self, org_id: str) -> CitizenView:
        """How organisation ``org_id`` (or a citizen through it) sees citizen ids."""
        return CitizenView(self, org_id)


@dataclass(frozen=True)
class CitizenView:
    """The citizen ids one organisation is shown: its own pseudonyms."""

    keys: CitizenKeys
    org_id: str

    def __call__(self, citizen_id: str | None) -> str:
        """The pseudonym shown for ``citizen_id``; empty for none."""
        return self.keys.pseudonym(self.org_id, citizen_id) if citizen_id else ""
