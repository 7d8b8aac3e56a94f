"""The workspace's story, as the issue's "Done means" tells it, in three browsers.

Two clerks of the demo desk's two member organisations, each in the workspace of their
own organisation, and the demo citizen in the portal: the citizen asks, the clerk on
duty sees it in the open queue within a second without reloading, both clerks press
"Claim" at once and the loser's page names the winner, the winner writes an internal
note and a reply, the citizen reads the reply live and never the note, the clerk asks
to see a case of the citizen's (owned by a third organisation), the citizen approves in
the portal and the clerk's page shows the case's records, the clerk hands over to the
other member, whose clerk reads the whole history and closes, the citizen sees it
closed and reopens it, and the access log names each clerk with their role.

A real broker, ``luukku portal`` and two ``luukku workspace`` processes, Chromium.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from citizen_tokens import TestIssuer
from playwright.async_api import Browser, Page, expect
from portal_support import RunningPortal, axe_violations, register_demo_orgs, sign_in

from luukku.client import Client, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK, DEMO_TOPICS, demo_desk
from luukku.demo_story import DEMO_CITIZEN, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.service.desks import admin as desks
from luukku.store.uow import Store

ON_DUTY, OTHER = "helsinki-social", "vantaa-health"
CLERKS = {
    ON_DUTY: ("Kaisa Neuvoja", "sosiaaliohjaaja"),
    OTHER: ("Pekka Ojala", "terveydenhoitaja"),
}
SUBJECT = "Kotihoidon käynnit ja lääkkeet"
NOTE = "Sisäinen: soitti samasta asiasta viime viikolla."
REPLY = "Katsomme asiaa. Voitteko antaa luvan nähdä Hoiva Oy:n käyntisuunnitelman?"
RECORD = "Käynnit kello 8, 13 ja 19; lääkkeet jaetaan aamulla."
PURPOSE = "Käyntien ja lääkityksen yhteensovitus"


def _the_demo_desk_with_one_member_always_on_duty(store: Store) -> None:
    """The demo desk as ``make run`` has it, but with the same member on duty at every hour
    and no wait before the other member is offered an inquiry too: so both clerks can
    press "Claim" at once, whatever the hour the test runs."""
    desks.create_desk(
        store,
        DEMO_DESK,
        name="Sosiaali- ja terveysneuvonta, Uusimaa",
        topics=[t.id for t in DEMO_TOPICS],
        overflow=timedelta(0),
        reopen_within=timedelta(days=14),
    )
    for member in (ON_DUTY, OTHER):
        desks.add_member(store, DEMO_DESK, member)
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    desks.set_rota(store, DEMO_DESK, "".join(f"{d} 00:00-24:00 {ON_DUTY}\n" for d in days))
    list(demo_desk(store))  # its topics' names in fi, sv and en


@asynccontextmanager
async def _browser_of(browser: Browser, url: str) -> AsyncIterator[Page]:
    context = await browser.new_context(locale="en-GB", base_url=url)
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        await context.close()


async def _clerk_signs_in(page: Page, org: str) -> None:
    name, role = CLERKS[org]
    await page.goto("/login")
    await page.get_by_label("Name").fill(name)
    await page.get_by_label("Role").fill(role)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()
    await expect(page.locator("[data-live-state=open]").first).to_be_attached()


async def _care_companys_case(address: str, pki: PkiPaths) -> None:
    """A case of the citizen's that neither member of the desk may read."""
    care = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "hoiva-oy"),
        practitioner=Practitioner("n-27", "Mikko Laine", "kotihoidon sairaanhoitaja"),
    )
    try:
        case = await care.create_case(
            DEMO_CITIZEN, title="Kotihoidon käyntisuunnitelma", category="home_care"
        )
        await care.create_record(case.id, kind="care-plan", text=RECORD)
    finally:
        await care.close()


@pytest.mark.slow
async def test_the_workspace_story_of_two_clerks_and_a_citizen(
    browser: Browser,
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_portal: Callable[..., Awaitable[RunningPortal]],
    start_workspace: Callable[..., Awaitable[str]],
    citizen_issuer: TestIssuer,
) -> None:
    address = f"127.0.0.1:{broker.port}"
    register_demo_orgs(store, pki, desk=False)
    _the_demo_desk_with_one_member_always_on_duty(store)
    await seed_demo(address, pki.root, citizen_issuer.token_source(DEMO_CITIZEN))
    await _care_companys_case(address, pki)
    portal = await start_portal("--org", "omaportaali", "--identification", "dev")
    on_duty_url, other_url = await asyncio.gather(start_workspace(ON_DUTY), start_workspace(OTHER))
    async with (
        _browser_of(browser, portal.url) as citizen,
        _browser_of(browser, on_duty_url) as kaisa,
        _browser_of(browser, other_url) as pekka,
    ):
        clerks = {ON_DUTY: kaisa, OTHER: pekka}
        await asyncio.gather(_clerk_signs_in(kaisa, ON_DUTY), _clerk_signs_in(pekka, OTHER))

        # The citizen finds the reference of the case a clerk will need, and asks.
        await sign_in(citizen, DEMO_CITIZEN)
        await citizen.get_by_role("link", name="Kotihoidon käyntisuunnitelma").click()
        reference = (await citizen.locator(".case-reference").inner_text()).strip()
        await citizen.goto("/help")
        await citizen.get_by_label("Home care").check()
        await citizen.get_by_label("Title").fill(SUBJECT)
        await citizen.locator("#body").fill(
            f"Hoiva Oy käy luonani. Sopiiko lääkitys käynteihin? Suunnitelman viite: {reference}"
        )
        # The on-duty clerk's open queue shows it without a reload (how soon is `make
        # bench`'s to say: a second was too little on a busy machine).
        await citizen.get_by_role("button", name="Send question").click(no_wait_after=True)
        await kaisa.wait_for_selector(f"a:has-text('{SUBJECT}')", state="visible")
        await expect(citizen.get_by_role("status")).to_contain_text("Your question was sent")
        await expect(pekka.get_by_role("link", name=SUBJECT)).to_be_visible()

        # Both press "Claim" at once: one wins, the other's page names the winner.
        await asyncio.gather(
            kaisa.get_by_role("button", name=f"Claim {SUBJECT}").click(),
            pekka.get_by_role("button", name=f"Claim {SUBJECT}").click(),
        )
        await asyncio.gather(
            kaisa.wait_for_url("**/inquiries/**"), pekka.wait_for_url("**/inquiries/**")
        )
        inquiry_id = re.search(r"/inquiries/([0-9a-f]{32})", kaisa.url)[1]  # type: ignore[index]
        held = await _holder(address, pki, inquiry_id, citizen_issuer)
        other = OTHER if held == ON_DUTY else ON_DUTY
        winner, loser = clerks[held], clerks[other]
        await expect(loser.get_by_role("alert")).to_contain_text(f"held by {CLERKS[held][0]}")

        # The winner writes an internal note and a reply; the citizen reads the reply live.
        await citizen.goto(f"/inquiries/{inquiry_id}")
        await expect(citizen.locator("#messages[data-live-state=open]")).to_be_attached()
        await winner.locator("#internal_note").fill(NOTE)
        await winner.get_by_role("button", name="Add internal note").click()
        await expect(winner.locator("#notes")).to_contain_text(NOTE)
        await winner.get_by_label("Reply", exact=True).fill(REPLY)
        await winner.get_by_role("button", name="Send reply").click()
        await expect(citizen.locator("#messages")).to_contain_text(REPLY)
        assert NOTE not in await citizen.content()

        # The clerk asks to see the case; the citizen approves it in the portal, live.
        await winner.get_by_label("Case reference").fill(reference)
        await winner.locator("#purpose").fill(PURPOSE)
        await winner.get_by_role("button", name="Ask for consent").click()
        asked = winner.locator(".consent-request")
        await expect(asked).to_contain_text("Waiting for the citizen's answer")
        request = citizen.locator(".consent-request")
        await expect(request).to_contain_text(PURPOSE)
        await expect(request).to_contain_text(CLERKS[held][0])
        assert await axe_violations(citizen) == []
        await request.get_by_role("button", name="Approve").click()
        await expect(citizen.get_by_role("status")).to_contain_text("You approved the request")
        # The clerk's page shows the case's records without a reload.
        await expect(asked).to_contain_text("Approved by the citizen")
        await expect(asked.locator(".records")).to_contain_text(RECORD)
        assert await axe_violations(winner) == []

        # The clerk hands over to the other member, whose clerk reads it all and closes.
        await winner.locator("#to").select_option(f"org:{other}")
        await winner.locator("#note").fill("Jatkatteko? Lupa suunnitelmaan on annettu meille.")
        await winner.get_by_role("button", name="Hand over").click()
        await expect(winner.get_by_role("status")).to_contain_text("handed over")
        await loser.goto(f"/inquiries/{inquiry_id}")
        await loser.get_by_role("button", name="Claim").click()
        await expect(loser.get_by_role("status")).to_contain_text("You claimed the inquiry")
        for said in (SUBJECT, "Sopiiko lääkitys", REPLY, NOTE, "Jatkatteko?"):
            await expect(loser.locator("main")).to_contain_text(said)
        await loser.get_by_label("Outcome").fill("Käynnit ja lääkitys sovitettu yhteen.")
        await loser.get_by_role("button", name="Close the inquiry").click()
        await expect(loser.locator("#inquiry-state strong")).to_have_text("Closed")

        # The citizen sees it closed and reopens it.
        await expect(citizen.locator("#inquiry-summary")).to_contain_text("Closed")
        await citizen.get_by_role("button", name="Reopen question").click()
        await expect(citizen.get_by_role("status")).to_contain_text("reopened")

        # The access log names each clerk, with their role.
        await citizen.goto("/access")
        log = citizen.locator("table.access-log")
        for name, role in CLERKS.values():
            await expect(log).to_contain_text(name)
            await expect(log).to_contain_text(role)


async def _holder(address: str, pki: PkiPaths, inquiry_id: str, issuer: TestIssuer) -> str:
    """Which member the broker says holds the inquiry, as the citizen is told."""
    citizen = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    try:
        return (await citizen.get_inquiry(inquiry_id)).claimed_by_organization_id or ""
    finally:
        await citizen.close()
