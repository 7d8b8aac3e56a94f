"""Every button of every page of the clerks' workspace, pressed as a person would, in
Finnish, Swedish and English: the portal's walk (walk_support), over the workspace of the
demo desk's member on duty, with inquiries waiting and held by the clerk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser
from portal_support import context_in, register_demo_orgs
from test_walk import LOCALES, SHOWN_AS_WRITTEN, TRANSLATED_DATA
from walk_support import (
    Walk,
    inquiries_world_of,
    press_invalid,
    session_press,
    sign_out,
    walk_signed_in,
)

from luukku.client import Client, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK
from luukku.demo_story import DEMO_CITIZEN, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.store.uow import Store

CLERK = "Kaisa Neuvoja"  # the walk types this into each field of the sign-in form
# The citizen's questions, in the demo's Finnish (words the walk knows as data).
QUESTIONS = ("Kuljetuspalvelu lääkäriin", "Saanko kuljetuksen terveysasemalle?")
# The hand-over notes by which the other member linked its case to the held inquiries.
NOTES = ("Teidän asiakkaanne.", "Takaisin teille.")
# A second case of the citizen's at the member on duty, so that "Link the case" pressed
# twice (on another inquiry) has a case to link that is not linked already.
SECOND_CASE = "Kuljetuspalvelun hakemus"


async def _questions_for(address: str, pki: PkiPaths) -> str:
    """Two questions waiting at the desk and three held by the walk's clerk, each linked by
    the other member to its case, and a second case of the citizen's; the member on duty,
    whose clerk the walk signs in as."""
    citizen = await Client.connect(
        address, tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"), on_behalf_of=DEMO_CITIZEN
    )
    on_duty = (await citizen.get_desk(DEMO_DESK)).on_duty_organization_id or "helsinki-social"
    clerk = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, on_duty),
        practitioner=Practitioner(CLERK.casefold(), CLERK, CLERK),
    )
    other_org = next(m for m in ("helsinki-social", "vantaa-health") if m != on_duty)
    other = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, other_org),
        practitioner=Practitioner("gp-3", "Aino Koski", "lääkäri"),
    )
    try:
        owned = [c async for c in other.list_cases() if c.owner_organization_id == other_org]
        others_case, *_ = owned
        for n in range(5):
            asked = await citizen.create_inquiry(
                DEMO_DESK, topic="home-care", subject=QUESTIONS[0], body=QUESTIONS[1]
            )
            await _linked_by_the_other_member(
                asked.id, (clerk, on_duty), (other, other_org), others_case.id
            )
            if n >= 2:
                await clerk.claim_inquiry(asked.id)
        await clerk.create_case(DEMO_CITIZEN, title=SECOND_CASE, category="social_work")
    finally:
        for client in (citizen, clerk, other):
            await client.close()
    return on_duty


async def _linked_by_the_other_member(
    inquiry_id: str, walks: tuple[Client, str], other: tuple[Client, str], case_id: str
) -> None:
    """The inquiry back in the queue, offered to the walk's clerk, linked to a case of the
    other member's, which the clerk's organisation may not read: what the clerk may ask the
    citizen to see (a person cannot know a reference the walk would have to type)."""
    (clerk, clerks_org), (colleague, colleagues_org) = walks, other
    await clerk.claim_inquiry(inquiry_id)
    await clerk.hand_over_inquiry(inquiry_id, to_organization_id=colleagues_org, note=NOTES[0])
    await colleague.claim_inquiry(inquiry_id)
    await colleague.link_inquiry_case(inquiry_id, case_id)
    await colleague.hand_over_inquiry(inquiry_id, to_organization_id=clerks_org, note=NOTES[1])


async def _world(citizen: Client, clerk: Client) -> Counter[str]:
    """What the citizen's questions hold, and the desk's internal notes on them (which the
    citizen never sees), as a clerk of the member on duty reads them."""
    counts = await inquiries_world_of(citizen)
    async for inquiry in clerk.list_inquiries():
        counts["internal notes"] += len([n async for n in clerk.list_inquiry_notes(inquiry.id)])
    return counts


@pytest.mark.parametrize("language", LOCALES)
async def test_every_form_of_every_workspace_page_lands_where_a_clerk_expects(
    browser: Browser,
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_workspace: Callable[..., Awaitable[str]],
    language: str,
) -> None:
    address = f"127.0.0.1:{broker.port}"
    register_demo_orgs(store, pki)
    await seed_demo(address, pki.root)
    org = await _questions_for(address, pki)
    url = await start_workspace(org)
    citizen = await Client.connect(
        address, tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"), on_behalf_of=DEMO_CITIZEN
    )
    clerk = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, org),
        practitioner=Practitioner(CLERK.casefold(), CLERK, CLERK),
    )
    try:
        async with context_in(browser, url, LOCALES[language]) as page:
            foreign = [d for code, ds in TRANSLATED_DATA.items() if code != language for d in ds]
            data = [*SHOWN_AS_WRITTEN, CLERK, SECOND_CASE, *NOTES]
            walk = Walk(page, language, data, foreign)
            signed_out = await walk.crawl()
            await walk.switch_language()
            kinds = {form.kind for form in signed_out}
            assert kinds == {"post /login"}, f"signed out, the walk found {kinds}"
            sign_in = signed_out[0]

            await press_invalid(walk, sign_in, lambda: _world(citizen, clerk))
            await session_press(walk, sign_in, "signing in", CLERK)
            await walk_signed_in(walk, lambda: _world(citizen, clerk))
            await session_press(walk, sign_out(walk), "signing out")
    finally:
        await citizen.close()
        await clerk.close()
    print(f"[{language}] {walk.pages_read} pages read, {walk.presses} presses")
    assert not walk.problems, "\n".join(walk.problems)
