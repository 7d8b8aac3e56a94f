"""A stolen portal: its certificate and key, but no citizen's valid token, act for nobody.

The broker trusts a real OpenID provider (oidc-provider-mock as its own
process, its keys from its discovery document). An attacker holding the portal
organisation's certificate tries to read, grant and revoke for citizens with
no token, another citizen's token, an expired one, one signed with another
key, one made for another client, and one of too low a level: every call is
refused with its own reason, nothing changes, and each attempt is in the
citizen's own access log as denied as soon as the call has been answered.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from citizen_tokens import TestIssuer
from joserfc import jws, jwt
from openid_provider import OpenIdProvider, id_token_of, start_openid_provider

from luukku.client import Client, UnauthenticatedError
from luukku.domain.organizations import OrgKind
from luukku.server.gate.citizen_token import (
    EIDAS_LOW,
    EIDAS_SUBSTANTIAL,
    CitizenTokens,
    CitizenTrust,
    TokenRefusal,
    token_hash,
)
from luukku.server.gate.issuer_keys import DiscoveredKeys
from luukku.service import directory

PORTAL_CLIENT = "omaportaali-client"
# Each victim is attacked by one kind of call, so that every attempt on them has a reason
# of its own (refusals of the same reason are folded together within a minute).
VICTIMS = {"read": "131052-308T", "grant": "010190-900P", "revoke": "280264-051U"}
SUBJECT = {code: f"citizen-{action}" for action, code in VICTIMS.items()}


def _users() -> tuple[dict[str, str], ...]:
    users = []
    for code, sub in SUBJECT.items():
        users.append({"sub": sub, "urn:oid:1.2.246.21": code, "acr": EIDAS_SUBSTANTIAL})
        users.append({"sub": f"{sub}-low", "urn:oid:1.2.246.21": code, "acr": EIDAS_LOW})
    return tuple(users)


class _Clock:
    """The broker's clock: now, or a moment after every token of the test has expired."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
async def provider(tmp_path) -> OpenIdProvider:
    provider = await start_openid_provider(tmp_path / "provider.log", _users())
    yield provider
    await provider.stop()


@pytest.fixture
def broker_clock() -> _Clock:
    return _Clock()


@pytest.fixture
def citizen_verifier(provider: OpenIdProvider, broker_clock: _Clock) -> CitizenTokens:
    """The broker trusts the provider, and nothing else, for citizens."""
    return CitizenTokens(
        CitizenTrust(issuer=provider.issuer), DiscoveredKeys(provider.issuer), clock=broker_clock
    )


async def _forged_with_the_providers_key_id(
    provider: OpenIdProvider, issuer: TestIssuer, code: str
) -> str:
    """A token with every claim right, under the provider's key id (if it names one),
    signed with another key."""
    real = await id_token_of(provider, SUBJECT[code], PORTAL_CLIENT)
    header = {"alg": "RS256"}
    kid = jws.extract_compact(real.encode()).protected.get("kid")
    if kid is not None:
        header["kid"] = kid
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": PORTAL_CLIENT,
        "sub": SUBJECT[code],
        "iat": now,
        "exp": now + 300,
        "acr": EIDAS_SUBSTANTIAL,
        "urn:oid:1.2.246.21": code,
    }
    return jwt.encode(header, claims, issuer.signer.key)


async def test_a_stolen_portal_certificate_acts_for_no_citizen_and_every_attempt_is_seen(
    register_org, connect, provider, broker_clock, citizen_issuer: TestIssuer, store
):
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    register_org("hoiva-oy", OrgKind.PRIVATE)
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    directory.set_oidc_client_id(store, "omaportaali", PORTAL_CLIENT)

    async def as_citizen(code: str, token: str | None) -> Client:
        return await connect(portal_tls, on_behalf_of=code, citizen_token=token or "", verify=False)

    # Each victim, signed in for real, has a case and a consent to the care company.
    honest: dict[str, Client] = {}
    cases, consents, signed_in = {}, {}, {}
    for code, sub in SUBJECT.items():
        signed_in[code] = await id_token_of(provider, sub, PORTAL_CLIENT)
        honest[code] = await as_citizen(code, signed_in[code])
        cases[code] = await social.create_case(code, title="Kotihoito", category="home_care")
        consents[code] = await honest[code].grant_consent(
            "hoiva-oy",
            permissions=["read"],
            purpose="Kotihoidon käynnit",
            valid_until=datetime.now(UTC) + timedelta(days=30),
            case_id=cases[code].id,
        )

    async def attempt(action: str, code: str, client: Client) -> None:
        if action == "read":
            await client.get_case(cases[code].id)
        elif action == "grant":
            await client.grant_consent(
                "hoiva-oy",
                permissions=["read", "write"],
                purpose="Kaikki tiedot",
                valid_until=datetime.now(UTC) + timedelta(days=365),
                category="home_care",
            )
        else:
            await client.revoke_consent(consents[code].id)

    # The audit log keeps the hash of the token that proved the citizen, never the token.
    (grant,) = [
        e async for e in honest[VICTIMS["grant"]].list_audit_events() if e.action == "consent.grant"
    ]
    leaf = json.loads(grant.leaf_bytes)
    assert leaf["citizen_token_hash"] == token_hash(signed_in[VICTIMS["grant"]])
    assert signed_in[VICTIMS["grant"]].encode() not in grant.leaf_bytes

    other = {code: next(c for c in VICTIMS.values() if c != code) for code in VICTIMS.values()}
    for action, code in VICTIMS.items():
        forgeries = [
            (TokenRefusal.MISSING, None, False),
            (
                TokenRefusal.WRONG_CITIZEN,
                await id_token_of(provider, SUBJECT[other[code]], PORTAL_CLIENT),
                False,
            ),
            (TokenRefusal.EXPIRED, await id_token_of(provider, SUBJECT[code], PORTAL_CLIENT), True),
            (
                TokenRefusal.BAD_SIGNATURE,
                await _forged_with_the_providers_key_id(provider, citizen_issuer, code),
                False,
            ),
            (
                TokenRefusal.WRONG_AUDIENCE,
                await id_token_of(provider, SUBJECT[code], "another-client"),
                False,
            ),
            (
                TokenRefusal.LOW_LEVEL,
                await id_token_of(provider, f"{SUBJECT[code]}-low", PORTAL_CLIENT),
                False,
            ),
        ]
        for reason, token, later in forgeries:
            broker_clock.ahead = 7200.0 if later else 0.0
            with pytest.raises(UnauthenticatedError) as refused:
                await attempt(action, code, await as_citizen(code, token))
            broker_clock.ahead = 0.0
            assert refused.value.reason == reason.value, (action, reason)
            # At once: the citizen's own log has it, denied, before anything else happens.
            denied = [
                e
                async for e in honest[code].list_audit_events(outcome="denied")
                if e.reason == reason.value
            ]
            assert len(denied) == 1, (action, reason)
            assert denied[0].organization_id == "omaportaali"
            assert denied[0].action.startswith("rpc:")

    # Nothing changed: each consent as it was given, no other consent, the cases unread.
    for code in VICTIMS.values():
        given = [c async for c in honest[code].list_consents()]
        assert [(c.id, c.state) for c in given] == [(consents[code].id, "active")]
        reads = [
            e
            async for e in honest[code].list_audit_events(outcome="allowed")
            if e.action == "case.read"
        ]
        assert reads == []
