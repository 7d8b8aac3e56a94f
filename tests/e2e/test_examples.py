"""The README's examples run as written, against a real broker.

``.ci/sdk-alone`` runs the client example again from a virtual environment that
holds the SDK (luukku-client) and nothing else.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest
from citizen_tokens import served_issuer

from luukku.domain.organizations import OrgKind

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "three_way_story.py"
CONNECTING = ROOT / "examples" / "connecting_a_client.py"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.fixture(scope="session")
def citizen_issuer(tmp_path_factory):
    """Served: the example asks it for the citizen's token, as with `make run`."""
    issuer, process = served_issuer(tmp_path_factory.mktemp("issuer"))
    yield issuer
    process.terminate()
    process.wait()


async def test_the_three_way_story_runs_to_the_end(pki, register_org, broker, citizen_issuer):
    register_org("helsinki-social", OrgKind.PUBLIC)
    register_org("hoiva-oy", OrgKind.PRIVATE)
    register_org("omaportaali", OrgKind.PORTAL)

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        *("--target", f"127.0.0.1:{broker.port}", "--pki", str(pki.root)),
        *("--issuer", citizen_issuer.signer.issuer),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)

    assert proc.returncode == 0, stderr.decode()
    lines = stdout.decode().splitlines()
    assert lines[:5] == [
        "company read: Needs help twice a day.",
        "company received #1: Visits start on Monday at 8.",
        "company received #2: Thank you, mornings suit me.",
        "company's watch ended: CONSENT_REVOKED",
        "company refused: CONSENT_REVOKED",
    ]
    audit = [line for line in lines if line.startswith("audit: ")]
    assert "audit: hoiva-oy record.read allowed CONSENT" in audit
    assert "audit: hoiva-oy record.read denied CONSENT_REVOKED" in audit
    assert "audit: omaportaali consent.revoke allowed SELF" in audit


def test_the_readme_quotes_the_example_as_it_is():
    readme = (ROOT / "README.md").read_text()
    script = EXAMPLE.read_text()
    story = script[script.index("    # A municipal social service") : script.index("def main")]
    assert textwrap.dedent(story).strip() in readme


async def test_the_client_example_says_who_it_is_and_lists_the_organisations(
    pki, register_org, broker
):
    register_org("hoiva-oy", OrgKind.PRIVATE)

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CONNECTING),
        *("--target", f"127.0.0.1:{broker.port}", "--pki", str(pki.root)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)

    assert proc.returncode == 0, stderr.decode()
    me, *organizations = stdout.decode().splitlines()
    assert me.endswith(" Aino Virtanen")
    assert any(line.startswith("hoiva-oy ") for line in organizations)


def test_the_docs_quote_the_client_example_as_it_is():
    script = CONNECTING.read_text()
    body = script[script.index("        me = await") : script.index("\n\n\nif __name__")]
    assert any(body in path.read_text() for path in DOCS)
