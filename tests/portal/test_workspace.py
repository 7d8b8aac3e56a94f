"""The clerks' workspace in the browser: a real broker, ``luukku workspace`` processes of two
member organisations, Chromium. A citizen asks through the SDK (as the portal organisation)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

import httpx
from playwright.async_api import Browser, Page, expect
from portal_support import Parties, desk_of_two

from luukku.pki import PkiPaths
from luukku.store.uow import Store

WORKSPACE_COMMAND = (sys.executable, "-m", "luukku.cli", "workspace")


async def _clerk(browser: Browser, url: str, name: str, role: str) -> Page:
    context = await browser.new_context(locale="en-GB", base_url=url)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto("/login")
    await expect(page.get_by_role("note")).to_contain_text("Test identification")
    await page.get_by_label("Name").fill(name)
    await page.get_by_label("Role").fill(role)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()
    return page


async def test_an_inquiry_appears_live_one_of_two_claims_wins_and_the_winner_replies_and_closes(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    city, company = await asyncio.gather(start_workspace("kaupunki"), start_workspace("hoiva"))
    kaisa = await _clerk(browser, city, "Kaisa Neuvoja", "adviser")
    mikko = await _clerk(browser, company, "Mikko Laine", "nurse")
    for page in (kaisa, mikko):
        await expect(page.locator("[data-live-state=open]").first).to_be_attached()
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me?"
    )
    for page in (kaisa, mikko):  # no reload: the queue changes live
        await expect(page.get_by_role("link", name="Help at home")).to_be_visible()
    await asyncio.gather(
        kaisa.get_by_role("button", name="Claim Help at home").click(),
        mikko.get_by_role("button", name="Claim Help at home").click(),
    )
    holder = (await parties.municipality.get_inquiry(asked.id)).claimed_by_organization_id
    winner, loser, winner_name = (
        (kaisa, mikko, "Kaisa Neuvoja") if holder == "kaupunki" else (mikko, kaisa, "Mikko Laine")
    )
    await expect(loser.get_by_role("alert")).to_contain_text(f"held by {winner_name}")
    await expect(winner.get_by_text("Who can help me?")).to_be_visible()

    await winner.get_by_role("button", name="Send reply").click()  # empty: an error, no effect
    await expect(winner.locator(".error-summary")).to_contain_text("Write a reply")
    await winner.get_by_label("Reply", exact=True).fill("We can help: tell us more.")
    await winner.get_by_role("button", name="Send reply").click()
    await expect(winner.locator("#message-2")).to_contain_text("We can help")
    assert winner.url.endswith("#message-2")  # the fragment is not escaped into the path
    await winner.get_by_label("Outcome").fill("Answered")
    await winner.get_by_role("button", name="Close the inquiry").click()
    await expect(winner.locator("#inquiry-state strong")).to_have_text("Closed")
    assert (await parties.citizen.get_inquiry(asked.id)).status.value == "closed"


async def test_every_post_route_refuses_a_form_without_the_sessions_csrf_token(
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    from luukku.workspace.app import ROUTES

    url = await start_workspace("kaupunki")
    posts = [r.path.replace("{inquiry_id}", "0" * 32) for r in ROUTES if "POST" in r.methods]
    assert len(posts) >= 6
    async with httpx.AsyncClient(base_url=url) as client:
        await client.get("/login")
        for path in posts:
            refused = await client.post(path, data={"name": "X", "role": "Y"})
            assert refused.status_code == 403, path
        # Signing out a session nobody is signed in to changes nothing: it is let through
        # (a double-clicked "Sign out"), to the front page.
        signed_out = await client.post("/logout", data={})
        assert (signed_out.status_code, signed_out.headers["location"]) == (303, "/")


def test_test_identification_is_refused_on_a_network_address(pki: PkiPaths) -> None:
    import subprocess

    done = subprocess.run(
        [
            *WORKSPACE_COMMAND,
            *("--listen", "0.0.0.0:0", "--pki", str(pki.root)),
            *("--org", "kaupunki", "--identification", "dev"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "refusing to listen on 0.0.0.0" in done.stderr
