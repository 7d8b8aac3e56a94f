"""The test suite's identity provider: a signing key, its JWKS file, tokens for citizens.

Every broker the tests start trusts it (in-process brokers through
:func:`verifier`, ``luukku serve`` processes through :func:`serve_options`),
and every client acting for a citizen sends a token it minted
(:func:`token_source`), as the portal forwards the one its sign-in got.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from joserfc import jws
from joserfc.errors import JoseError

from luukku.cli.demo_command import ISSUER_KEY
from luukku.pki.dev_issuer import DevIssuer
from luukku.server.gate.citizen_token import CitizenTokens, CitizenTrust, ProvenCitizen
from luukku.server.gate.issuer_keys import JwksFile

ISSUER = "https://tunnistus.test"
RENEW_AFTER_S = 60


@dataclass(frozen=True)
class TestIssuer:
    """The key that signs and the JWKS file that brokers check against."""

    signer: DevIssuer
    jwks: Path

    @classmethod
    def make(cls, folder: Path, issuer: str = ISSUER) -> TestIssuer:
        signer = DevIssuer.load_or_create(folder / ISSUER_KEY, issuer)
        return cls(signer, signer.write_jwks(folder / "issuer.jwks"))

    def verifier(self) -> CitizenTokens:
        """What an in-process broker checks citizens' tokens with."""
        return CitizenTokens(CitizenTrust(issuer=self.signer.issuer), JwksFile(self.jwks))

    def serve_options(self) -> list[str]:
        """The ``luukku serve`` options that make a broker process trust this issuer."""
        return ["--citizen-issuer", self.signer.issuer, "--citizen-jwks", str(self.jwks)]

    def token_source(self, identity_code: str) -> Callable[[], str]:
        """A valid token for ``identity_code``, minted anew once a minute (as a portal renews)."""
        minted: list[tuple[float, str]] = []

        def current() -> str:
            if not minted or time.monotonic() - minted[0][0] > RENEW_AFTER_S:
                minted[:] = [(time.monotonic(), self.signer.mint(identity_code))]
            return minted[0][1]

        return current


def served_issuer(folder: Path) -> tuple[TestIssuer, subprocess.Popen[bytes]]:
    """The test issuer served by ``luukku demo issuer`` on loopback (for portals' test
    identification, which asks it for the citizen's token), and its process."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "luukku.cli", "demo", "issuer"),
            *("--listen", "127.0.0.1:0", "--pki", str(folder)),
            *("--ready-message", "READY {address}"),
        ],
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    line = process.stdout.readline().split()
    if line[:1] != [b"READY"]:
        process.kill()
        raise RuntimeError("luukku demo issuer did not start")
    return TestIssuer.make(folder, line[1].decode()), process


class EitherIssuer:
    """A broker's check trusting the test issuer and a real OpenID provider at once, each
    token checked by the one its (unverified) ``iss`` names: the suite's clients keep
    their test tokens while a portal forwards the provider's."""

    def __init__(self, *checks: CitizenTokens) -> None:
        self._checks = checks

    async def prove_citizen(
        self, token: str | None, *, acting_for: str, client_id: str | None
    ) -> ProvenCitizen:
        issuer = _unverified_issuer(token)
        check = next((c for c in self._checks if c.trust.issuer == issuer), self._checks[0])
        return await check.prove_citizen(token, acting_for=acting_for, client_id=client_id)


def _unverified_issuer(token: str | None) -> str | None:
    try:
        return json.loads(jws.extract_compact((token or "").encode()).payload).get("iss")
    except (JoseError, ValueError):
        return None
