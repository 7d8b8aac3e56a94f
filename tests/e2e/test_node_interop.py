"""A Node.js client, built from nothing but proto/ and the PKI files, talks to the broker."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from luukku.pki import PkiPaths, read_cert_info
from luukku.server.app import Broker

REPO = Path(__file__).resolve().parents[2]
PROTO_ROOT = REPO / "proto"
NODE_DIR = REPO / "tests" / "interop" / "node"
CLIENT = NODE_DIR / "client.js"
TIMEOUT_S = 30

NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not on PATH"),
    pytest.mark.skipif(
        not (NODE_DIR / "node_modules").is_dir(),
        reason="tests/interop/node/node_modules is missing: run `npm ci` in tests/interop/node",
    ),
]


async def run_node_client(broker: Broker, pki: PkiPaths, org_id: str) -> tuple[int, dict[str, Any]]:
    """Run client.js as a subprocess without blocking the broker's event loop."""
    assert NODE is not None
    proc = await asyncio.create_subprocess_exec(
        NODE,
        str(CLIENT),
        "--target",
        f"127.0.0.1:{broker.port}",
        "--proto-root",
        str(PROTO_ROOT),
        "--ca",
        str(pki.ca_cert),
        "--cert",
        str(pki.org_cert(org_id)),
        "--key",
        str(pki.org_key(org_id)),
        cwd=NODE_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(TIMEOUT_S):
            stdout, stderr = await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail(f"the node client did not finish within {TIMEOUT_S} s")
    assert proc.returncode is not None
    lines = stdout.decode().strip().splitlines()
    assert len(lines) == 1, f"expected one JSON line; stdout={stdout!r} stderr={stderr!r}"
    return proc.returncode, json.loads(lines[0])


async def test_a_node_client_with_only_the_protos_and_pki_files_learns_who_it_is(
    pki: PkiPaths, register_org, broker: Broker
):
    register_org("node-clinic")
    pem = pki.org_cert("node-clinic").read_bytes()

    code, out = await run_node_client(broker, pki, "node-clinic")

    assert code == 0, out
    assert out["health"] == "SERVING"
    assert out["organization"]["id"] == "node-clinic"
    assert out["organization"]["kind"] == "ORGANIZATION_KIND_PUBLIC"
    assert out["organization"]["status"] == "ORGANIZATION_STATUS_ACTIVE"
    assert out["practitionerId"] == "node-1"
    assert out["requestId"] == "node-interop-1"
    assert out["fingerprint"] == read_cert_info(pem).fingerprint


async def test_a_node_client_of_an_unregistered_organisation_is_unauthenticated(
    pki: PkiPaths, register_org, broker: Broker
):
    register_org("node-stranger", register=False)

    code, out = await run_node_client(broker, pki, "node-stranger")

    assert code == 1, out
    assert out["error"]["code"] == 16  # UNAUTHENTICATED
    assert out["error"]["details"]
