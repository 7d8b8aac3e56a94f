"""Every button of every page of the clerks' workspace, pressed as a person would, in
Finnish, Swedish and English: the portal's walk (walk_support), over the workspace of the
demo desk's member on duty, with inquiries waiting and held by the clerk."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable

import pytest
from citizen_tokens import TestIssuer
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

from luukku.client import Client, PermissionDeniedError, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK
from luukku.demo_story import DEMO_CITIZEN, DEMO_CITIZEN_NAME, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.store.uow import Store

CLERK = "Kaisa Neuvoja"  # the walk types this into each field of the sign-in form
# The citizen's questions, in the demo's Finnish (words the walk knows as data).
QUESTIONS = (
    "Kuljetuspalvelu lääkäriin",
    "Saanko kuljetuksen terveysasemalle?",
    "Saatte, kun haette kuljetuspalvelua.",
    "Kiitos! Miten haen sitä?",
)
# The hand-over notes by which the other member linked its case to the held inquiries.
NOTES = ("Teidän asiakkaanne.", "Takaisin teille.")
# A second case of the citizen's at the member on duty, so that "Link the case" pressed
# twice (on another inquiry) has a case to link that is not linked already.
SECOND_CASE = "Kuljetuspalvelun hakemus"
# The desk's ready answers (title; Finnish, Swedish and English texts), as its clerks wrote
# them: three, so that changing and removing each have one of their own to press twice.
READY_ANSWERS = (
    (
        "Aukioloajat",
        "Neuvonta palvelee arkisin kello 8-16.",
        "Rådgivningen betjänar vardagar klockan 8-16.",
        "The advice desk serves on weekdays from 8 to 16.",
    ),
    (
        "Kuljetuspalvelu",
        "Kuljetuspalvelua haetaan kotikunnan sosiaalitoimesta.",
        "Färdtjänst söks hos hemkommunens socialtjänst.",
        "Transport services are applied for at your home municipality's social services.",
    ),
    (
        "Kotihoidon maksut",
        "Kotihoidon maksu määräytyy tulojen mukaan.",
        "Avgiften för hemvård bestäms enligt inkomsterna.",
        "The fee for home care depends on income.",
    ),
)


async def _questions_for(address: str, pki: PkiPaths, issuer: TestIssuer) -> str:
    """Two questions waiting at the desk and three held by the walk's clerk, each linked by
    the other member to its case (the citizen wrote again after the clerk's answer to one:
    the queue says so, and each held one's page names the citizen and links the others),
    and a second case of the citizen's; the member on duty, whose clerk the walk signs in
    as."""
    citizen = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
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
                DEMO_DESK,
                topic="home-care",
                subject=QUESTIONS[0],
                body=QUESTIONS[1],
                citizen_name=DEMO_CITIZEN_NAME,
            )
            await _linked_by_the_other_member(
                asked.id, (clerk, on_duty), (other, other_org), others_case.id
            )
            if n >= 2:
                await clerk.claim_inquiry(asked.id)
            if n == 4:
                await clerk.post_inquiry_message(asked.id, QUESTIONS[2])
                await citizen.post_inquiry_message(asked.id, QUESTIONS[3])
        await clerk.create_case(DEMO_CITIZEN, title=SECOND_CASE, category="social_work")
        for title, fi, sv, en in READY_ANSWERS:
            await clerk.create_ready_answer(
                DEMO_DESK, title=title, text_fi=fi, text_sv=sv, text_en=en
            )
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
    """What the citizen's questions hold, the desk's internal notes on them (which the
    citizen never sees) and the desk's ready answers with their changes, as a clerk of the
    member on duty reads them; and what the cases
    the clerk's organisation may read hold: records, their versions, discussions and
    their messages."""
    counts = await inquiries_world_of(citizen)
    async for inquiry in clerk.list_inquiries():
        counts["internal notes"] += len([n async for n in clerk.list_inquiry_notes(inquiry.id)])
    async for answer in clerk.list_ready_answers(DEMO_DESK):
        counts["ready answers"] += 1
        counts["ready answer changes"] += answer.revision
    async for case in clerk.list_cases():
        async for record in clerk.list_records(case.id):
            counts["records"] += 1
            counts["record versions"] += record.revision
        with contextlib.suppress(PermissionDeniedError):  # a consent without discussing
            async for thread in clerk.list_threads(case.id):
                counts["discussions"] += 1
                counts["discussion messages"] += thread.last_sequence
    return counts


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.slow
async def test_every_form_of_every_workspace_page_lands_where_a_clerk_expects(
    browser: Browser,
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_workspace: Callable[..., Awaitable[str]],
    language: str,
    citizen_issuer: TestIssuer,
) -> None:
    issuer = citizen_issuer
    address = f"127.0.0.1:{broker.port}"
    register_demo_orgs(store, pki)
    await seed_demo(address, pki.root, issuer.token_source(DEMO_CITIZEN))
    org = await _questions_for(address, pki, issuer)
    url = await start_workspace(org)
    citizen = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    clerk = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, org),
        practitioner=Practitioner(CLERK.casefold(), CLERK, CLERK),
    )
    try:
        async with context_in(browser, url, LOCALES[language]) as page:
            foreign = [d for code, ds in TRANSLATED_DATA.items() if code != language for d in ds]
            written = [text for answer in READY_ANSWERS for text in answer]
            shown = [*SHOWN_AS_WRITTEN, CLERK, SECOND_CASE, DEMO_CITIZEN_NAME, *QUESTIONS[2:]]
            walk = Walk(page, language, [*shown, *NOTES, *written], foreign)
            signed_out = await walk.crawl()
            await walk.switch_language()
            kinds = {form.kind for form in signed_out}
            assert kinds == {"post /login"}, f"signed out, the walk found {kinds}"
            sign_in = signed_out[0]

            await press_invalid(walk, sign_in, lambda: _world(citizen, clerk))
            await session_press(walk, sign_in, "signing in", CLERK)
            walked = await walk_signed_in(walk, lambda: _world(citizen, clerk))
            # The reply form's two buttons, each pressed: sending, and adding a ready answer.
            replying = {"post /inquiries/{id}/messages", "post /inquiries/{id}/ready-answer"}
            assert replying <= walked, f"the walk pressed {sorted(walked)}"
            await session_press(walk, sign_out(walk), "signing out")
    finally:
        await citizen.close()
        await clerk.close()
    print(f"[{language}] {walk.pages_read} pages read, {walk.presses} presses")
    assert not walk.problems, "\n".join(walk.problems)
