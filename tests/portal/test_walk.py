"""Every button of every page, pressed as a person would, in Finnish, Swedish and English.

The portal holds the demo story of ``make run`` (and a question the desk has
closed, and mandates another adult gave the demo citizen). The walk signs in as
the demo citizen, then as the other adult (who also gets the demo citizen's mandates),
finds the pages by following the portal's links and presses each form's button
three times: with what a person would enter, with the fields left empty, and
twice quickly. It reads every page it lands on: status, URL, error summary,
confirmation, axe-core, and no word of another language (the catalogues say
which words are whose; the demo's own data, written in Finnish and Swedish, is
shown as written). New pages and forms are walked without being listed here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from citizen_tokens import TestIssuer
from playwright.async_api import Browser
from portal_support import OTHER_CITIZEN, RunningPortal, context_in, register_demo_orgs
from walk_support import Walk, press_invalid, session_press, sign_out, walk_signed_in, world_of

from luukku.client import Client, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK, DEMO_ORGS
from luukku.demo_story import DEMO_CITIZEN, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.store.uow import Store

LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
CONSENT_PURPOSE = "Asiakasmaksun alentamisen arviointi"
CONSENT_REQUESTS = 4  # approved once and twice quickly, declined once and twice quickly

# The demo's data by the language it is written in (names are nobody's language).
# The portal shows it as written, in every language of the UI; nothing in it is English.
DEMO_DATA = {
    "names": ("Sanna Virtanen", "Mikko Laine", "Aino Koski", "Hoiva Oy", "Omaportaali"),
    "fi": (
        "Helsingin sosiaalipalvelut",
        "Vantaan terveysasema",
        "Sosiaali- ja terveysneuvonta, Uusimaa",
        "sosiaalityöntekijä",
        "kotihoidon sairaanhoitaja",
        "lääkäri",
        "Kotihoito sairaalajakson jälkeen",
        "Diabeteksen seuranta",
        "Tarvitsee apua kauppa-asioissa ja lääkkeissä kahdesti päivässä lonkkaleikkauksen jälkeen.",
        "Tarvitsee apua kauppa-asioissa ja lääkkeissä kolmesti päivässä lonkkaleikkauksen jälkeen.",
        "Kotihoito myönnetty 1.12. alkaen, kolme käyntiä päivässä.",
        "Kotihoidon käyntien suunnittelu yhdessä",
        "Kotihoidon käyntien suunnittelu",
        "Tervetuloa! Hoiva Oy hoitaa käynnit. Mitkä ajat sopivat teille parhaiten?",
        "Voimme tulla kello 8, 13 ja 19. Sopiiko se teille?",
        "Ne ajat sopivat hyvin, kiitos.",
        "Hyvä, kirjasin ne suunnitelmaan.",
        "Tukea kotihoidon maksuihin",
        "Voinko saada tukea kotihoidon asiakasmaksuihin?",
        "Kyllä: asiakasmaksua voidaan alentaa, jos tulonne ovat pienet. "
        "Lähetän teille hakulomakkeen.",
        # The question the walk's desk has closed.
        "Kuljetuspalvelu lääkäriin",
        "Saanko kuljetuksen terveysasemalle?",
        "Kyllä, kuljetuspalvelua haetaan sosiaalitoimistosta. Lähetin ohjeet.",
        "Ohjeet lähetetty.",
        # What the clerk handling the demo question asks to see, for the citizen to answer.
        CONSENT_PURPOSE,
    ),
    "sv": ("Helsingfors socialtjänster", "Vanda hälsostation"),
}
# The demo's data that a page shows in its own language, and no other: the desk's topics.
TRANSLATED_DATA = {"en": ("home-care", "health", "benefits")}
SHOWN_AS_WRITTEN = sorted((d for ds in DEMO_DATA.values() for d in ds), key=len, reverse=True)


async def _close_an_earlier_question(address: str, pki: PkiPaths, issuer: TestIssuer) -> None:
    """A question the desk answered and closed: its page offers to reopen it."""
    citizen = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    # Whoever is on duty takes it up (at night it is offered to both).
    on_duty = (await citizen.get_desk(DEMO_DESK)).on_duty_organization_id or "helsinki-social"
    clerk = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, on_duty),
        practitioner=Practitioner("sw-114", "Sanna Virtanen", "sosiaalityöntekijä"),
    )
    try:
        asked = await citizen.create_inquiry(
            DEMO_DESK,
            topic="home-care",
            subject="Kuljetuspalvelu lääkäriin",
            body="Saanko kuljetuksen terveysasemalle?",
        )
        await clerk.claim_inquiry(asked.id)
        await clerk.post_inquiry_message(
            asked.id, "Kyllä, kuljetuspalvelua haetaan sosiaalitoimistosta. Lähetin ohjeet."
        )
        await clerk.close_inquiry(asked.id, outcome="Ohjeet lähetetty.")
    finally:
        await citizen.close()
        await clerk.close()


async def _consent_requests_to_answer(address: str, pki: PkiPaths, issuer: TestIssuer) -> None:
    """The clerk handling the demo question asks, several times, to see the citizen's case
    of the other member of the desk: requests waiting for the citizen's answer."""
    citizen = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    held, *_ = [i async for i in citizen.list_inquiries() if i.status == "claimed"]
    holder = held.claimed_by_organization_id or ""
    clerk = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, holder),
        practitioner=Practitioner("sw-114", "Sanna Virtanen", "sosiaalityöntekijä"),
    )
    try:
        cases = [c async for c in citizen.list_cases() if c.owner_organization_id != holder]
        for _ in range(CONSENT_REQUESTS):
            await clerk.create_consent_request(
                held.id,
                case_id=cases[0].id,
                permissions=["read"],
                purpose=CONSENT_PURPOSE,
                valid_until=datetime.now(UTC) + timedelta(days=60),
            )
    finally:
        await citizen.close()
        await clerk.close()


async def _mandates_for_the_demo_citizen(address: str, pki: PkiPaths, issuer: TestIssuer) -> None:
    """Another adult gives the demo citizen two mandates, and the demo citizen accepts one:
    the Mandates page offers to accept and to end, and the navigation to act for them."""
    other = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=OTHER_CITIZEN,
        citizen_token=issuer.token_source(OTHER_CITIZEN),
    )
    demo = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    try:
        until = datetime.now(UTC) + timedelta(days=90)
        given = [
            await other.give_mandate(
                DEMO_CITIZEN, codes=["sote-social-care", "sote-view"], valid_until=until
            )
            for _ in range(2)
        ]
        await demo.accept_mandate(given[0].id)
    finally:
        await other.close()
        await demo.close()


@pytest.fixture
async def demo_portal(
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_portal: Callable[..., Awaitable[RunningPortal]],
    citizen_issuer: TestIssuer,
) -> RunningPortal:
    """The portal of ``make run`` with its demo story."""
    register_demo_orgs(store, pki)
    await seed_demo(f"127.0.0.1:{broker.port}", pki.root, citizen_issuer.token_source(DEMO_CITIZEN))
    await _close_an_earlier_question(f"127.0.0.1:{broker.port}", pki, citizen_issuer)
    await _consent_requests_to_answer(f"127.0.0.1:{broker.port}", pki, citizen_issuer)
    await _mandates_for_the_demo_citizen(f"127.0.0.1:{broker.port}", pki, citizen_issuer)
    return await start_portal("--org", "omaportaali", "--identification", "dev")


async def _citizen(broker: Broker, pki: PkiPaths, identity_code: str, issuer: TestIssuer) -> Client:
    return await Client.connect(
        f"127.0.0.1:{broker.port}",
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=identity_code,
        citizen_token=issuer.token_source(identity_code),
    )


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.slow
async def test_every_form_of_every_page_lands_where_a_person_expects(
    browser: Browser,
    broker: Broker,
    pki: PkiPaths,
    demo_portal: RunningPortal,
    language: str,
    citizen_issuer: TestIssuer,
) -> None:
    demo = await _citizen(broker, pki, DEMO_CITIZEN, citizen_issuer)
    nobody = await _citizen(broker, pki, OTHER_CITIZEN, citizen_issuer)
    try:
        # The Finnish walk is on a phone: most citizens have one at hand.
        phone = language == "fi"
        async with context_in(browser, demo_portal, LOCALES[language], phone=phone) as page:
            foreign = [d for code, ds in TRANSLATED_DATA.items() if code != language for d in ds]
            # A mandate the demo citizen gives goes to the other citizen, and back.
            walk = Walk(page, language, SHOWN_AS_WRITTEN, foreign, someone_else=OTHER_CITIZEN)
            signed_out = await walk.crawl()
            await walk.switch_language()
            kinds = {form.kind for form in signed_out}
            assert kinds == {"post /login"}, f"signed out, the walk found {kinds}"
            sign_in = signed_out[0]

            await press_invalid(walk, sign_in, lambda: world_of(demo))
            await session_press(walk, sign_in, "signing in", DEMO_CITIZEN)
            await walk_signed_in(walk, lambda: world_of(demo))
            await session_press(walk, sign_out(walk), "signing out")

            walk.someone_else = DEMO_CITIZEN
            await session_press(walk, sign_in, "signing in twice quickly", OTHER_CITIZEN)
            await walk_signed_in(walk, lambda: world_of(nobody))
            await session_press(walk, sign_out(walk), "signing out twice quickly")
        # The mandates given in the walk were accepted and ended in it: it pressed them all.
        rights = await nobody.list_representation_rights()
    finally:
        await demo.close()
        await nobody.close()
    print(f"[{language}] {walk.pages_read} pages read, {walk.presses} presses")
    assert len(rights.held) == 2, "given once, then twice quickly"
    assert all(r.accept_time and r.end_time for r in rights.held), rights.held
    assert len(rights.over_me) == 4, "two before the walk, two in it"
    assert not walk.problems, "\n".join(walk.problems)


async def test_the_demo_writes_in_finnish_and_swedish(
    broker: Broker, store: Store, pki: PkiPaths, citizen_issuer: TestIssuer
) -> None:
    register_demo_orgs(store, pki)
    await seed_demo(f"127.0.0.1:{broker.port}", pki.root, citizen_issuer.token_source(DEMO_CITIZEN))
    citizen = await _citizen(broker, pki, DEMO_CITIZEN, citizen_issuer)
    written: set[str] = {org.name for org in DEMO_ORGS}
    try:
        async for case in citizen.list_cases():
            written.add(case.title)
            async for record in citizen.list_records(case.id):
                written.add(record.text)
            async for thread in citizen.list_threads(case.id):
                written.add(thread.subject)
                async for message in citizen.list_messages(thread.id):
                    written |= {message.body, message.author.display_name, message.author.role}
        async for consent in citizen.list_consents():
            written.add(consent.purpose)
        async for inquiry in citizen.list_inquiries():
            written |= {inquiry.subject, inquiry.outcome}
            async for message in citizen.list_inquiry_messages(inquiry.id):
                written |= {message.body, message.author.display_name, message.author.role}
        async for desk in citizen.list_desks():
            written.add(desk.name)
    finally:
        await citizen.close()
    listed = {d for ds in DEMO_DATA.values() for d in ds}
    unlisted = {w for w in written if w and not set(w.split(" \u2013 ")) <= listed}
    assert not unlisted, f"demo data in no language of DEMO_DATA: {unlisted}"
