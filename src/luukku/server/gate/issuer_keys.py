"""The identity provider's signing keys, as the broker checks citizens' tokens against them.

Either a JWKS file (closed networks: the operator copies the provider's keys
in), or the provider's discovery document (``/.well-known/openid-configuration``)
and the ``jwks_uri`` it names, cached. A token signed with a key id the cache
does not know makes the broker fetch the keys again (the provider rotated),
but at most once per ``min_refresh_s``: a stream of made-up key ids must not
turn the broker into a load generator against the provider.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import httpx
from joserfc.jwk import KeySet

_log = logging.getLogger("luukku.server")

KEYS_TTL_S = 3600.0
MIN_REFRESH_S = 30.0
FETCH_TIMEOUT_S = 5.0


class IssuerKeysUnavailable(Exception):
    """The provider's keys could not be fetched (and none are cached)."""


class IssuerKeys(Protocol):
    """Where the provider's public keys come from."""

    async def key_set(self, kid: str | None) -> KeySet:
        """The keys to check a token signed with ``kid`` against."""
        ...


def load_key_set(text: str) -> KeySet:
    """A JWKS document's public keys (private parts, if any, are dropped)."""
    document = json.loads(text)
    public = [
        {k: v for k, v in key.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        for key in document.get("keys", [])
    ]
    return KeySet.import_key_set({"keys": public})


class JwksFile:
    """Keys read once from a JWKS file."""

    def __init__(self, path: Path) -> None:
        self._keys = load_key_set(path.read_text())

    async def key_set(self, kid: str | None) -> KeySet:
        return self._keys


class DiscoveredKeys:
    """Keys from the issuer's discovery document, cached, refreshed on an unknown key id."""

    def __init__(
        self,
        issuer: str,
        *,
        ttl_s: float = KEYS_TTL_S,
        min_refresh_s: float = MIN_REFRESH_S,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._issuer = issuer
        self._ttl = ttl_s
        self._min_refresh = min_refresh_s
        self._clock = clock
        self._transport = transport
        self._keys: KeySet | None = None
        self._fetched = float("-inf")
        self._lock: asyncio.Lock | None = None

    async def key_set(self, kid: str | None) -> KeySet:
        keys = self._usable(kid)
        if keys is not None:
            return keys
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            keys = self._usable(kid)  # another call may have fetched while this one waited
            if keys is not None:
                return keys
            try:
                self._keys = await self._fetch()
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                _log.warning(
                    "identity provider keys unavailable",
                    extra={"fields": {"error": type(exc).__name__}},
                )
                self._fetched = self._clock()  # the rate limit holds for failures too
                if self._keys is None:
                    raise IssuerKeysUnavailable from exc
                return self._keys  # the keys known before still check older tokens
            self._fetched = self._clock()
            return self._keys

    def _usable(self, kid: str | None) -> KeySet | None:
        """The cached keys if they may answer for ``kid`` without a fetch now."""
        age = self._clock() - self._fetched
        keys = self._keys
        if keys is None:
            if age < self._min_refresh:
                raise IssuerKeysUnavailable  # the last fetch failed a moment ago
            return None
        if age > self._ttl:
            return None
        if kid is None or _find(keys, kid) is not None:
            return keys
        return keys if age < self._min_refresh else None  # an unknown key id, asked too soon

    async def _fetch(self) -> KeySet:
        async with httpx.AsyncClient(
            timeout=FETCH_TIMEOUT_S, transport=self._transport, follow_redirects=False
        ) as http:
            where = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
            discovery = await http.get(where)
            discovery.raise_for_status()
            document = discovery.json()
            if document.get("issuer") != self._issuer:
                raise ValueError("the discovery document names another issuer")
            jwks = await http.get(str(document["jwks_uri"]))
            jwks.raise_for_status()
            return load_key_set(jwks.text)


def _find(keys: KeySet, kid: str) -> object | None:
    return next((k for k in keys.keys if k.kid == kid), None)
