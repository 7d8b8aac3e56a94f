"""Citizens' tokens for a bench: ``luukku demo issuer`` as a child process, and a token
from it as the portal's development sign-in gets one (the broker acts for a citizen
only on such a token)."""

from __future__ import annotations

from pathlib import Path

import httpx

from bench.harness.procs import Supervisor


async def start_dev_issuer(supervisor: Supervisor, pki: Path, within: float) -> str:
    """``luukku demo issuer`` on a free loopback port, signing with ``pki``; its address."""
    _, port = await supervisor.start_server(
        "issuer",
        [
            *("-m", "luukku.cli", "demo", "issuer", "--listen", "127.0.0.1:0"),
            *("--pki", str(pki), "--ready-message", "READY {address}"),
        ],
        within,
    )
    return f"http://127.0.0.1:{port}"


async def citizen_token(issuer: str, identity_code: str) -> str:
    """A token for the citizen ``identity_code`` from the development issuer."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{issuer}/dev/token", data={"identity_code": identity_code})
        answer.raise_for_status()
        token: str = answer.json()["id_token"]
        return token
