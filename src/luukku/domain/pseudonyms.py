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
    def _leaf_mac(self) -> hmac.HMAC:
        return hmac.new(self._leaf_key, digestmod=hashlib.sha256)

    def commitment(self, role: str, event_id: str, citizen_id: str | None) -> str:
        """What an audit leaf holds in place of ``citizen_id`` as the event's ``role``."""
        message = f"{role}\x00{event_id}\x00{citizen_id or ''}".encode()
        # A copy of the keyed HMAC, the key's pads hashed once: two per event, millions
        # of events in a verify (half the time of the one-shot ``hmac.digest``).
        mac = self._leaf_mac.copy()
        mac.update(message)
        return mac.hexdigest()

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
