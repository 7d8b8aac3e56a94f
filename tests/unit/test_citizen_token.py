"""The broker's check of a citizen's token, and how it gets the provider's keys."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from citizen_tokens import TestIssuer
from starlette.types import Receive, Scope, Send

from luukku.domain.errors import LuukkuError
from luukku.pki.dev_issuer import DevIssuer
from luukku.server.gate.citizen_token import (
    EIDAS_HIGH,
    EIDAS_LOW,
    CitizenTokens,
    CitizenTrust,
    TokenRefusal,
    token_hash,
)
from luukku.server.gate.issuer_keys import DiscoveredKeys

CITIZEN = "131052-308T"
OTHER = "010190-900P"


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TestIssuer:
    return TestIssuer.make(tmp_path_factory.mktemp("unit-issuer"))


async def _refusal(check: CitizenTokens, token: str | None, **kw: object) -> str:
    with pytest.raises(LuukkuError) as refused:
        await check.prove(token, acting_for=CITIZEN, client_id=kw.get("client_id"))  # type: ignore[arg-type]
    assert refused.value.code.value == "UNAUTHENTICATED"
    return refused.value.reason


async def test_a_valid_token_proves_its_citizen_and_only_its_hash_is_kept(issuer):
    token = issuer.signer.mint(CITIZEN)
    proven = await issuer.verifier().prove(token, acting_for=CITIZEN, client_id=None)
    assert proven == token_hash(token)
    assert token not in proven


@pytest.mark.parametrize(
    ("mint", "reason"),
    [
        (lambda s: None, TokenRefusal.MISSING),
        (lambda s: "not.a.jwt", TokenRefusal.MALFORMED),
        (lambda s: s.mint(OTHER), TokenRefusal.WRONG_CITIZEN),
        (lambda s: s.mint(CITIZEN, issuer="https://elsewhere.test"), TokenRefusal.WRONG_ISSUER),
        (lambda s: s.mint(CITIZEN, audience="another-portal"), TokenRefusal.WRONG_AUDIENCE),
        (
            lambda s: s.mint(CITIZEN, issued_at=int(time.time()) - 7200),
            TokenRefusal.EXPIRED,
        ),
        (
            lambda s: s.mint(CITIZEN, issued_at=int(time.time()) + 600),
            TokenRefusal.NOT_YET_VALID,
        ),
        (lambda s: s.mint(CITIZEN, lifetime_s=24 * 3600), TokenRefusal.TOO_LONG_LIVED),
        (lambda s: s.mint(CITIZEN, acr=EIDAS_LOW), TokenRefusal.LOW_LEVEL),
        (lambda s: s.mint(CITIZEN, acr="urn:made-up"), TokenRefusal.LOW_LEVEL),
        (lambda s: s.mint(CITIZEN, extra={"urn:oid:1.2.246.21": None}), TokenRefusal.MALFORMED),
    ],
)
async def test_each_fault_has_its_own_reason(issuer, mint, reason):
    assert await _refusal(issuer.verifier(), mint(issuer.signer)) == reason.value


async def test_a_token_signed_with_another_key_under_the_same_key_id_is_refused(issuer, tmp_path):
    forger = DevIssuer.load_or_create(tmp_path / "forger.jwk", issuer.signer.issuer)
    forger.key = forger.key.__class__.import_key(
        {**forger.key.as_dict(private=True), "kid": issuer.signer.key.kid}
    )
    reason = await _refusal(issuer.verifier(), forger.mint(CITIZEN))
    assert reason == TokenRefusal.BAD_SIGNATURE.value


async def test_the_portals_client_id_is_an_audience_besides_the_brokers(issuer):
    token = issuer.signer.mint(CITIZEN, audience="omaportaali-client")
    check = issuer.verifier()
    assert await check.prove(token, acting_for=CITIZEN, client_id="omaportaali-client")
    assert (
        await _refusal(check, token, client_id="another-client") == "CITIZEN_TOKEN_WRONG_AUDIENCE"
    )


async def test_a_higher_minimum_level_refuses_a_substantial_token(issuer):
    check = CitizenTokens(
        CitizenTrust(issuer=issuer.signer.issuer, min_acr=EIDAS_HIGH), issuer.verifier()._keys
    )
    assert await _refusal(check, issuer.signer.mint(CITIZEN)) == "CITIZEN_TOKEN_LOW_LEVEL"


class _Counting:
    """The development issuer's app, counting the JWKS documents it serves."""

    def __init__(self, signer: DevIssuer) -> None:
        self.app = signer.app()
        self.jwks_served = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/jwks.json":
            self.jwks_served += 1
        await self.app(scope, receive, send)


async def test_keys_are_fetched_once_then_again_only_for_an_unknown_key_and_not_too_often(
    tmp_path: Path,
):
    signer = DevIssuer.load_or_create(tmp_path / "issuer.jwk", "https://tunnistus.test")
    served = _Counting(signer)
    now = [1000.0]
    keys = DiscoveredKeys(
        signer.issuer,
        min_refresh_s=30,
        clock=lambda: now[0],
        transport=httpx.ASGITransport(app=served),
    )
    check = CitizenTokens(CitizenTrust(issuer=signer.issuer), keys)
    for _ in range(5):
        await check.prove(signer.mint(CITIZEN), acting_for=CITIZEN, client_id=None)
    assert served.jwks_served == 1

    # The provider rotates its key: a token under the new key id makes the broker look again,
    # but a flood of unknown key ids within the rate limit costs the provider nothing more.
    rotated = DevIssuer.load_or_create(tmp_path / "rotated.jwk", signer.issuer)
    now[0] += 1
    with pytest.raises(LuukkuError):
        await check.prove(rotated.mint(CITIZEN), acting_for=CITIZEN, client_id=None)
    assert served.jwks_served == 1  # asked too soon after the last fetch
    signer.key = rotated.key
    now[0] += 60
    await check.prove(rotated.mint(CITIZEN), acting_for=CITIZEN, client_id=None)
    assert served.jwks_served == 2
    for _ in range(5):
        with pytest.raises(LuukkuError):
            await check.prove(
                DevIssuer.load_or_create(tmp_path / f"x{_}.jwk", signer.issuer).mint(CITIZEN),
                acting_for=CITIZEN,
                client_id=None,
            )
    assert served.jwks_served == 2
