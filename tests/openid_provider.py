"""A real OpenID provider for tests: oidc-provider-mock as its own process.

Its authorization page lists predefined users as buttons (a browser signs in
by pressing one); :func:`id_token_of` signs a user in without a browser, as
the same form post and code exchange, for tests that need the provider's real
signed id tokens (audience: the client id asked with).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from eventually import eventually
from ports import free_port


@dataclass
class OpenIdProvider:
    """An ``oidc-provider-mock`` process and its issuer URL."""

    issuer: str
    process: asyncio.subprocess.Process

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


async def start_openid_provider(
    log: Path, users: tuple[dict[str, Any], ...], *options: str
) -> OpenIdProvider:
    """Start the provider with predefined ``users``; returned once it answers discovery."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "oidc_provider_mock", "--port", str(port), *options),
        *(arg for user in users for arg in ("--user-claims", json.dumps(user))),
        stdout=log.open("wb"),
        stderr=asyncio.subprocess.STDOUT,
    )
    provider = OpenIdProvider(f"http://127.0.0.1:{port}", process)
    try:
        await eventually(lambda: _answers_discovery(provider), within=30, every=0.1)
    except (AssertionError, ChildProcessError):
        await provider.stop()
        raise RuntimeError(f"the OpenID provider did not start; see {log}") from None
    return provider


async def _answers_discovery(provider: OpenIdProvider) -> bool:
    """Whether the provider serves its discovery document yet; it never will if it exited."""
    if provider.process.returncode is not None:
        raise ChildProcessError(f"the provider exited with {provider.process.returncode}")
    async with httpx.AsyncClient() as http:
        try:
            answer = await http.get(f"{provider.issuer}/.well-known/openid-configuration")
        except httpx.TransportError:
            return False
    return answer.status_code == 200


async def id_token_of(provider: OpenIdProvider, sub: str, client_id: str) -> str:
    """The id token the provider issues to ``client_id`` when ``sub`` signs in."""
    callback = "http://127.0.0.1/auth/callback"
    async with httpx.AsyncClient(base_url=provider.issuer) as http:
        answer = await http.post(
            "/oauth2/authorize",
            params={
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": callback,
                "scope": "openid profile",
                "nonce": "n",
            },
            data={"sub": sub},
        )
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        token = await http.post(
            "/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": callback,
                "client_id": client_id,
                "client_secret": "not-so-secret",
            },
        )
        token.raise_for_status()
        id_token: str = token.json()["id_token"]
        return id_token
