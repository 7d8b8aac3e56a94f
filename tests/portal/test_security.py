"""The portal's security promises, tried from outside: cookies, headers, CSRF, other citizens."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import (
    CITIZEN,
    OTHER_CITIZEN,
    Parties,
    RunningPortal,
    http_client,
    http_sign_in,
    open_story,
    sign_in,
)
from starlette.routing import Route

from luukku.portal.app import create_app
from luukku.portal.config import PortalConfig

PORTAL_COMMAND = (sys.executable, "-m", "luukku.cli", "portal")


PORTAL_COMMAND = (sys.executable, "-m", "luukku.cli", "portal")


async def test_cookie_headers_and_no_identity_code_anywhere(
    page: Page, parties: Parties, portal: RunningPortal
) -> None:
    story = await open_story(parties)
    responses = []
    page.on("response", lambda response: responses.append(response))
    await sign_in(page)
    for path in ("/cases", f"/cases/{story.case_id}", "/consents", "/access", "/discussions"):
        await page.goto(path)
        assert CITIZEN not in page.url
        assert CITIZEN not in await page.title()
    cookies = await page.context.cookies()
    session = next(c for c in cookies if c["name"] == "luukku_session")
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    assert session["secure"] is False  # plain HTTP here; --tls-cert makes it Secure
    assert all(CITIZEN not in c["value"] for c in cookies)
    html_pages = [r for r in responses if "text/html" in r.headers.get("content-type", "")]
    assert html_pages
    for response in html_pages:
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["cache-control"] == "no-store"
        assert CITIZEN not in response.url


async def test_state_changing_requests_need_the_sessions_csrf_token(
    parties: Parties, portal: RunningPortal
) -> None:
    story = await open_story(parties)
    async with http_client(portal) as citizen, http_client(portal) as attacker:
        token = await http_sign_in(citizen, CITIZEN)
        attackers_token = await http_sign_in(attacker, OTHER_CITIZEN)
        revoke = f"/consents/{story.consent_id}/revoke"
        for sent in ({}, {"csrf_token": ""}, {"csrf_token": attackers_token}):
            refused = await citizen.post(revoke, data=sent)
            assert refused.status_code == 403
            assert "The form had expired" in refused.text
        consent = await parties.citizen.get_consent(story.consent_id)
        assert consent.state == "active"  # nothing happened
        done = await citizen.post(revoke, data={"csrf_token": token})
        assert done.status_code == 303
        assert (await parties.citizen.get_consent(story.consent_id)).state == "revoked"


def _post_routes() -> list[str]:
    """Every path the portal app takes a POST on, from its routing table, ids filled in."""
    app = create_app(PortalConfig(), broker=None)  # type: ignore[arg-type]  # routes only
    return sorted(
        re.sub(r"\{[^}]+\}", "0" * 32, route.path)
        for route in app.routes
        if isinstance(route, Route) and "POST" in (route.methods or ())
    )


def test_the_routing_table_yields_the_post_routes_the_csrf_test_walks() -> None:
    # An empty walk would pass unseen: the table must give at least the sign-out form's route.
    assert "/logout" in _post_routes()


@pytest.mark.parametrize("path", _post_routes())
async def test_every_post_route_refuses_a_missing_or_wrong_csrf_token_and_takes_the_right_one(
    parties: Parties, portal: RunningPortal, path: str
) -> None:
    async with http_client(portal) as citizen, http_client(portal) as other:
        others_token = await http_sign_in(other, OTHER_CITIZEN)
        token = await http_sign_in(citizen, CITIZEN)
        for sent in ({}, {"csrf_token": ""}, {"csrf_token": others_token}, {"csrf_token": "ä"}):
            refused = await citizen.post(path, data=sent)
            assert refused.status_code == 403, (path, sent)
            assert "The form had expired" in refused.text
        taken = await citizen.post(path, data={"csrf_token": token})
        assert taken.status_code != 403, path
        assert "The form had expired" not in taken.text


async def test_another_citizen_sees_nothing_however_urls_and_forms_are_edited(
    parties: Parties, portal: RunningPortal
) -> None:
    story = await open_story(parties)
    async with http_client(portal) as other:
        token = await http_sign_in(other, OTHER_CITIZEN)
        for path in (
            f"/cases/{story.case_id}",
            f"/cases/{story.case_id}/records/{story.record_id}",
            f"/threads/{story.thread_id}",
            f"/consents/{story.consent_id}/revoke",
        ):
            answer = await other.get(path)
            assert answer.status_code == 404, path
            assert "Home care after hospital stay" not in answer.text
            assert "Planning" not in answer.text
        assert "Home care after hospital stay" not in (await other.get("/cases")).text
        assert "hoiva name" not in (await other.get("/consents")).text
        revoke = await other.post(
            f"/consents/{story.consent_id}/revoke", data={"csrf_token": token}
        )
        assert revoke.status_code == 404
        post = await other.post(
            f"/threads/{story.thread_id}/messages",
            data={"csrf_token": token, "body": "not mine", "request_id": "a" * 32},
        )
        assert post.status_code == 404
        grant = await other.post(
            "/consents",
            data={
                "csrf_token": token,
                "organization_id": "hoiva",
                "scope": "case",
                "case_id": story.case_id,
                "permissions": "read",
                "purpose": "x",
                "valid_until": "2030-01-01",
            },
        )
        assert grant.status_code == 400
        assert "Choose one of your cases" in grant.text
        live = await other.get(f"/threads/{story.thread_id}/live", timeout=5)
        assert "not mine" not in live.text
        assert "Which times" not in live.text
    assert (await parties.citizen.get_consent(story.consent_id)).state == "active"
    messages = [m.body async for m in parties.municipality.list_messages(story.thread_id)]
    assert "not mine" not in messages


def test_test_identification_refuses_a_network_address() -> None:
    result = subprocess.run(
        [*PORTAL_COMMAND, "--identification", "dev", "--listen", "0.0.0.0:0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "test identification lets anyone sign in as anyone" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("missing", ["--oidc-issuer", "--oidc-client-id"])
def test_oidc_needs_its_settings(missing: str) -> None:
    options = {
        "--oidc-issuer": "http://127.0.0.1:1",
        "--oidc-client-id": "portal",
        "--oidc-client-secret": "s",
    }
    del options[missing]
    given = [x for kv in options.items() for x in kv]
    result = subprocess.run(
        [*PORTAL_COMMAND, "--identification", "oidc", *given],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert missing in result.stderr


async def test_signed_out_pages_send_to_sign_in(browser: Browser, portal: RunningPortal) -> None:
    context = await browser.new_context(locale="en-GB", base_url=portal.url)
    page = await context.new_page()
    for path in ("/cases", "/consents", "/access", "/discussions"):
        await page.goto(path)
        await expect(page).to_have_url(re.compile(r".*/login$"))
    await context.close()
