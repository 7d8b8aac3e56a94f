"""Signing in through a real OpenID provider: oidc-provider-mock as its own process.

The provider's authorization page lists predefined users as buttons: the
citizen (with the identity-code claim and a name) and someone whose answer
lacks the identity code. The portal is started with ``--identification oidc``
and its issuer, client id and secret, like in production.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from citizen_tokens import EitherIssuer, TestIssuer
from openid_provider import OpenIdProvider, start_openid_provider
from playwright.async_api import Browser, Page, Request, Route, expect
from portal_support import CITIZEN, Parties, RunningPortal, context_in, desk_of_two
from ports import free_port

from luukku.server.gate.citizen_token import EIDAS_SUBSTANTIAL, CitizenTokens, CitizenTrust
from luukku.server.gate.issuer_keys import DiscoveredKeys
from luukku.service import directory
from luukku.store.uow import Store

CITIZEN_SUBJECT = "maija-meikalainen"
CITIZEN_NAME = "Maija Meikäläinen"
SUBJECT_WITHOUT_CODE = "without-identity-code"
CLIENT_ID = "luukku-portal"
# A clerk of a member organisation, at the organisation's own provider (the same mock).
CLERK = {"sub": "kaisa-neuvoja", "name": "Kaisa Neuvoja", "role": "neuvoja"}


@pytest.fixture
async def start_provider(
    tmp_path: Path,
) -> AsyncIterator[Callable[..., Awaitable[OpenIdProvider]]]:
    """Start oidc-provider-mock processes; each answers discovery when returned."""
    started: list[OpenIdProvider] = []

    async def start(*options: str) -> OpenIdProvider:
        log = tmp_path / f"oidc-provider-{len(started)}.log"
        users = (
            {
                "sub": CITIZEN_SUBJECT,
                "personal_identity_code": CITIZEN,
                "name": CITIZEN_NAME,
                "acr": EIDAS_SUBSTANTIAL,
            },
            {"sub": SUBJECT_WITHOUT_CODE, "name": "Ilkka Ilmantunnusta"},
            CLERK,
        )
        try:
            provider = await start_openid_provider(log, users, *options)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        started.append(provider)
        return provider

    yield start
    for provider in started:
        await provider.stop()


@pytest.fixture
async def provider(start_provider: Callable[..., Awaitable[OpenIdProvider]]) -> OpenIdProvider:
    """The OpenID provider the portal signs citizens in with."""
    return await start_provider()


@pytest.fixture
def citizen_verifier(citizen_issuer: TestIssuer, provider: OpenIdProvider) -> CitizenTokens:
    """The broker trusts the provider's id tokens (its keys from its discovery document),
    and the test issuer's for the other parties."""
    trust = CitizenTrust(issuer=provider.issuer, identity_claim="personal_identity_code")
    return EitherIssuer(
        CitizenTokens(trust, DiscoveredKeys(provider.issuer)), citizen_issuer.verifier()
    )


@pytest.fixture
async def start_oidc_portal(
    start_portal: Callable[..., Awaitable[RunningPortal]], parties: Parties, store: Store
) -> Callable[[str], Awaitable[RunningPortal]]:
    """Start portals that sign citizens in through the provider at an issuer URL (the
    portal organisation registered with its client id there: its tokens' audience)."""
    directory.set_oidc_client_id(store, "portaali", CLIENT_ID)

    async def start(issuer: str) -> RunningPortal:
        return await start_portal(
            *("--identification", "oidc"),
            *("--oidc-issuer", issuer),
            *("--oidc-client-id", CLIENT_ID),
            *("--oidc-client-secret", "not-so-secret"),
        )

    return start


@pytest.fixture
async def oidc_portal(
    start_oidc_portal: Callable[[str], Awaitable[RunningPortal]], provider: OpenIdProvider
) -> RunningPortal:
    """A portal that signs citizens in through ``provider``."""
    return await start_oidc_portal(provider.issuer)


@pytest.fixture
async def oidc_page(browser: Browser, oidc_portal: RunningPortal) -> AsyncIterator[Page]:
    """A fresh English browser page on the OpenID-signing portal."""
    context = await browser.new_context(locale="en-GB", base_url=oidc_portal.url)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    yield page
    await context.close()


def _record_requests(page: Page) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda request: seen.append(request))
    return seen


async def _to_the_provider(page: Page, provider: OpenIdProvider) -> None:
    await page.goto("/")
    await page.get_by_role("link", name="Sign in").click()
    await page.wait_for_url(f"{provider.issuer}/oauth2/authorize?**")


async def test_the_citizen_signs_in_at_the_provider_and_sees_their_case(
    oidc_page: Page, oidc_portal: RunningPortal, provider: OpenIdProvider, parties: Parties
) -> None:
    await parties.municipality.create_case(
        CITIZEN, title="Home care after hospital stay", category="home_care"
    )
    requests = _record_requests(oidc_page)
    await _to_the_provider(oidc_page, provider)
    await oidc_page.get_by_role("button", name=CITIZEN_SUBJECT).click()
    await oidc_page.wait_for_url(f"{oidc_portal.url}/cases")
    await expect(
        oidc_page.get_by_role("link", name="Home care after hospital stay")
    ).to_be_visible()
    await expect(oidc_page.locator(".site-header .who")).to_have_text(CITIZEN_NAME)
    await expect(oidc_page.locator(".test-banner")).to_have_count(0)

    # The authorization request carried a PKCE challenge, hashed (S256), never the plain verifier.
    authorize = [r for r in requests if r.url.startswith(f"{provider.issuer}/oauth2/authorize?")]
    query = parse_qs(urlsplit(authorize[0].url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", query["code_challenge"][0])
    assert query["redirect_uri"] == [f"{oidc_portal.url}/auth/callback"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["state"]
    assert query["nonce"]

    # Neither the portal's addresses nor the provider's carry the identity code.
    assert any(r.url.startswith(f"{oidc_portal.url}/auth/callback?") for r in requests)
    assert all(CITIZEN not in r.url for r in requests)
    # Authlib's warning about httpx is silenced where it is imported.
    assert "Warning" not in oidc_portal.log.read_text()


async def test_sign_in_gives_the_browser_a_new_session_id(
    oidc_page: Page, oidc_portal: RunningPortal, provider: OpenIdProvider
) -> None:
    await _to_the_provider(oidc_page, provider)
    before = await _session_cookie(oidc_page)
    await oidc_page.get_by_role("button", name=CITIZEN_SUBJECT).click()
    await oidc_page.wait_for_url(f"{oidc_portal.url}/cases")
    after = await _session_cookie(oidc_page)
    assert after != before
    # The id handed out before sign-in (which someone could have planted) is worth nothing.
    planted_cookie = {"luukku_session": before}
    async with httpx.AsyncClient(base_url=oidc_portal.url, cookies=planted_cookie) as planted:
        answer = await planted.get("/cases")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login"


async def _session_cookie(page: Page) -> str:
    cookies = await page.context.cookies()
    return next(c["value"] for c in cookies if c["name"] == "luukku_session")


@pytest.mark.parametrize(
    "choose",
    [
        pytest.param(SUBJECT_WITHOUT_CODE, id="answer-without-identity-code"),
        pytest.param("Deny", id="authorization-denied"),
    ],
)
async def test_failed_identification_leaves_the_citizen_signed_out(
    oidc_page: Page, oidc_portal: RunningPortal, provider: OpenIdProvider, choose: str
) -> None:
    await _to_the_provider(oidc_page, provider)
    async with oidc_page.expect_response(re.compile(r".*/auth/callback\?.*")) as callback:
        await oidc_page.get_by_role("button", name=choose, exact=True).click()
    assert (await callback.value).status == 401
    await expect(oidc_page.locator("h1")).to_have_text("Identification did not succeed")
    await expect(oidc_page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert "Traceback" not in await oidc_page.content()
    # Still signed out: the portal's pages send the browser back to the provider.
    await oidc_page.goto("/cases")
    await oidc_page.wait_for_url(f"{provider.issuer}/oauth2/authorize?**")


async def test_a_callback_opened_in_another_browser_signs_nobody_in(
    browser: Browser, oidc_page: Page, oidc_portal: RunningPortal, provider: OpenIdProvider
) -> None:
    await _to_the_provider(oidc_page, provider)
    redirected: asyncio.Queue[str] = asyncio.Queue()

    async def keep_the_way_back(route: Route) -> None:
        answer = await route.fetch(max_redirects=0)
        await redirected.put(answer.headers["location"])
        await route.fulfill(status=200, body="kept")

    await oidc_page.route(f"{provider.issuer}/oauth2/authorize?**", keep_the_way_back)
    await oidc_page.get_by_role("button", name=CITIZEN_SUBJECT).click()
    callback = await asyncio.wait_for(redirected.get(), 10)
    assert callback.startswith(f"{oidc_portal.url}/auth/callback?code=")
    # Someone lured into opening another's callback (login CSRF) is not signed in as them.
    async with context_in(browser, oidc_portal, "en-GB") as lured:
        answer = await lured.goto(callback)
        assert answer is not None
        assert answer.status == 401
        await expect(lured.locator("h1")).to_have_text("Identification did not succeed")
        await lured.goto("/cases")
        await lured.wait_for_url(f"{provider.issuer}/oauth2/authorize?**")


async def test_an_expired_id_token_leaves_the_citizen_signed_out(
    browser: Browser,
    start_provider: Callable[..., Awaitable[OpenIdProvider]],
    start_oidc_portal: Callable[[str], Awaitable[RunningPortal]],
) -> None:
    # Tokens that expired long before they were issued: beyond any leeway for clock skew.
    provider = await start_provider("--token-max-age=-3600")
    portal = await start_oidc_portal(provider.issuer)
    async with context_in(browser, portal, "en-GB") as page:
        await _to_the_provider(page, provider)
        async with page.expect_response(re.compile(r".*/auth/callback\?.*")) as callback:
            await page.get_by_role("button", name=CITIZEN_SUBJECT).click()
        assert (await callback.value).status == 401
        await expect(page.locator("h1")).to_have_text("Identification did not succeed")
        await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


async def test_a_provider_gone_mid_sign_in_is_a_clear_page(
    oidc_page: Page, provider: OpenIdProvider
) -> None:
    await _to_the_provider(oidc_page, provider)

    async def provider_stops_after_issuing_the_code(route: Route) -> None:
        answer = await route.fetch(max_redirects=0)  # the redirect back to the portal
        provider.process.terminate()
        await provider.process.wait()
        await route.fulfill(response=answer)

    # Redirects are not routed: catch the provider's answer that sends the browser back.
    await oidc_page.route(
        f"{provider.issuer}/oauth2/authorize?**", provider_stops_after_issuing_the_code
    )
    async with oidc_page.expect_response(re.compile(r".*/auth/callback\?.*")) as callback:
        await oidc_page.get_by_role("button", name=CITIZEN_SUBJECT).click()
    assert (await callback.value).status == 503
    await expect(oidc_page.locator("h1")).to_have_text("Identification did not succeed")
    await expect(oidc_page.get_by_role("button", name="Sign out")).to_have_count(0)


async def test_an_unreachable_provider_is_a_clear_page(
    browser: Browser, start_oidc_portal: Callable[[str], Awaitable[RunningPortal]]
) -> None:
    portal = await start_oidc_portal(f"http://127.0.0.1:{free_port()}")  # nobody listens
    async with context_in(browser, portal, "en-GB") as page:
        await page.goto("/")
        async with page.expect_response(re.compile(r".*/login$")) as login:
            await page.get_by_role("link", name="Sign in").click()
        assert (await login.value).status == 503
        await expect(page.locator("h1")).to_have_text("Identification did not succeed")


async def test_a_clerk_signs_in_at_the_organisations_provider_and_acts_under_its_claims(
    browser: Browser,
    provider: OpenIdProvider,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    url = await start_workspace(
        "kaupunki",
        *("--identification", "oidc", "--oidc-issuer", provider.issuer),
        *("--oidc-client-id", "luukku-workspace", "--oidc-client-secret", "not-so-secret"),
    )
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me?"
    )
    async with context_in(browser, url, "en-GB") as page:
        await page.goto("/")  # signed out: off to the organisation's provider
        await page.wait_for_url(f"{provider.issuer}/oauth2/authorize?**")
        await page.get_by_role("button", name=CLERK["sub"]).click()
        await page.wait_for_url(f"{url}/")
        await expect(page.locator(".site-header .who")).to_have_text(CLERK["name"])
        await expect(page.locator(".test-banner")).to_have_count(0)
        await page.get_by_role("button", name="Claim Help at home").click()
        await expect(page.locator("#inquiry-state")).to_contain_text(f"held by {CLERK['name']}")
    # The broker recorded the claim under the clerk the provider named, as did the inquiry.
    claims = [
        (e.practitioner.id, e.practitioner.display_name, e.practitioner.role)
        async for e in parties.municipality.list_audit_events()
        if e.action == "inquiry.claim" and e.resource == f"inquiries/{asked.id}"
    ]
    assert claims == [(CLERK["sub"], CLERK["name"], CLERK["role"])]
    held = await parties.municipality.get_inquiry(asked.id)
    assert held.history[-1].practitioner.display_name == CLERK["name"]
