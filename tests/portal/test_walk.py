"""Every button of every page, pressed as a person would, in Finnish, Swedish and English.

The portal holds the demo story of ``make run`` (and a question the desk has
closed). The walk signs in as the demo citizen, then as a citizen with nothing,
finds the pages by following the portal's links and presses each form's button
three times: with what a person would enter, with the fields left empty, and
twice quickly. It reads every page it lands on: status, URL, error summary,
confirmation, axe-core, and no word of another language (the catalogues say
which words are whose; the demo's own data, written in Finnish and Swedish, is
shown as written). New pages and forms are walked without being listed here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser, Locator
from portal_support import OTHER_CITIZEN, RunningPortal, context_in, register_demo_orgs
from walk_support import SESSION_FORMS, FormSeen, Walk, change, local, shape, world_of

from luukku.client import Client, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK, DEMO_ORGS
from luukku.demo_story import DEMO_CITIZEN, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.store.uow import Store

LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}

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
    ),
    "sv": ("Helsingfors socialtjänster", "Vanda hälsostation"),
}
# The demo's data that a page shows in its own language, and no other: the desk's topics.
TRANSLATED_DATA = {"en": ("home-care", "health", "benefits")}
SHOWN_AS_WRITTEN = sorted((d for ds in DEMO_DATA.values() for d in ds), key=len, reverse=True)


async def _close_an_earlier_question(address: str, pki: PkiPaths) -> None:
    """A question the desk answered and closed: its page offers to reopen it."""
    citizen = await Client.connect(
        address, tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"), on_behalf_of=DEMO_CITIZEN
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


@pytest.fixture
async def demo_portal(
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_portal: Callable[..., Awaitable[RunningPortal]],
) -> RunningPortal:
    """The portal of ``make run`` with its demo story."""
    register_demo_orgs(store, pki)
    await seed_demo(f"127.0.0.1:{broker.port}", pki.root)
    await _close_an_earlier_question(f"127.0.0.1:{broker.port}", pki)
    return await start_portal("--org", "omaportaali", "--identification", "dev")


async def _citizen(broker: Broker, pki: PkiPaths, identity_code: str) -> Client:
    return await Client.connect(
        f"127.0.0.1:{broker.port}",
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=identity_code,
    )


@pytest.mark.parametrize("language", LOCALES)
async def test_every_form_of_every_page_lands_where_a_person_expects(
    browser: Browser, broker: Broker, pki: PkiPaths, demo_portal: RunningPortal, language: str
) -> None:
    demo = await _citizen(broker, pki, DEMO_CITIZEN)
    nobody = await _citizen(broker, pki, OTHER_CITIZEN)
    try:
        # The Finnish walk is on a phone: most citizens have one at hand.
        phone = language == "fi"
        async with context_in(browser, demo_portal, LOCALES[language], phone=phone) as page:
            foreign = [d for code, ds in TRANSLATED_DATA.items() if code != language for d in ds]
            walk = Walk(page, language, SHOWN_AS_WRITTEN, foreign)
            signed_out = await walk.crawl()
            await walk.switch_language()
            kinds = {form.kind for form in signed_out}
            assert kinds == {"post /login"}, f"signed out, the walk found {kinds}"
            sign_in = signed_out[0]

            await _press_invalid(walk, sign_in, lambda: world_of(demo))
            await _session_press(walk, sign_in, "signing in", DEMO_CITIZEN)
            await _walk_signed_in(walk, lambda: world_of(demo))
            await _session_press(walk, _sign_out(walk), "signing out")

            await _session_press(walk, sign_in, "signing in twice quickly", OTHER_CITIZEN)
            await _walk_signed_in(walk, lambda: world_of(nobody))
            await _session_press(walk, _sign_out(walk), "signing out twice quickly")
    finally:
        await demo.close()
        await nobody.close()
    print(f"[{language}] {walk.pages_read} pages read, {walk.presses} presses")
    assert not walk.problems, "\n".join(walk.problems)


def _sign_out(walk: Walk) -> FormSeen:
    return FormSeen(local(walk.page.url), "post", "/logout")


async def _session_press(walk: Walk, seen: FormSeen, where: str, identity_code: str = "") -> None:
    """Signing in or out: the navigation comes or goes, and nothing is left behind."""
    form = await walk.form_on(seen)
    assert form is not None, f"{where}: the form is not on {seen.page}"
    signed = await walk.signed_in()
    landing = await walk.fill_and_press(
        form, "valid", identity_code=identity_code, double="twice" in where
    )
    await walk.landed_well(where, seen, landing, signed)
    if await walk.signed_in() == signed:
        walk.problem(where, "the person is still signed " + ("in" if signed else "out"))


async def _walk_signed_in(walk: Walk, world: Callable[[], Awaitable[Counter[str]]]) -> None:
    """Every page of a signed-in citizen, and every form on them but signing out."""
    found = await walk.crawl()
    await walk.switch_language()
    kinds: dict[str, list[FormSeen]] = {}
    for form in found:
        if form.action not in SESSION_FORMS:
            kinds.setdefault(form.kind, []).append(form)
    walked: set[str] = set()
    while pending := [k for k in kinds if k not in walked]:
        kind = pending[0]
        walked.add(kind)
        await _press_kind(walk, kinds, kind, world)


async def _press_invalid(
    walk: Walk, seen: FormSeen, world: Callable[[], Awaitable[Counter[str]]]
) -> None:
    """The form with what a person must fill left empty: refused next to the field."""
    form = await walk.form_on(seen)
    if form is None or seen.method != "post":
        return
    planned = await walk.plan(form, "invalid")
    if not any(item["kind"] in ("text", "date", "select") for item in planned):
        return  # nothing a person could leave empty
    before = await world()
    where = f"{seen.kind} on {shape(seen.page)}, left empty"
    landing = await walk.fill_and_press(form, "invalid", planned=planned)
    await walk.refused_well(where, seen, landing)
    if changed := change(before, await world()):
        walk.problem(where, f"a refused form changed {changed}")


async def _press_kind(
    walk: Walk,
    kinds: dict[str, list[FormSeen]],
    kind: str,
    world: Callable[[], Awaitable[Counter[str]]],
) -> None:
    """Left empty, filled in, then filled in and pressed twice quickly: one effect."""
    instances = kinds[kind]
    await _press_invalid(walk, instances[0], world)

    where = f"{kind} on {shape(instances[0].page)}"
    pressed, form = await _fresh(walk, instances, kinds, kind, used=[])
    if form is None or pressed is None:
        walk.problem(where, "the form is gone from every page it was on")
        return
    before = await world()
    landing = await walk.fill_and_press(form, "valid")
    await walk.landed_well(where, pressed, landing, signed=True)
    once = change(before, await world())
    if pressed.method == "post" and not once:
        walk.problem(where, "pressing it changed nothing the broker keeps")
    # The page it landed on may offer forms of a kind not walked yet (a new question's reply).
    for seen in await walk.crawl_here():
        if seen.action not in SESSION_FORMS:
            kinds.setdefault(seen.kind, []).append(seen)

    again, form = await _fresh(walk, instances, kinds, kind, used=[pressed])
    if form is None or again is None:
        return  # done once, it cannot be done again (a reopened question): no double to press
    before = await world()
    landing = await walk.fill_and_press(form, "valid", double=True)
    await walk.landed_well(f"{where}, twice quickly", again, landing, signed=True)
    twice = change(before, await world())
    if twice != once:
        walk.problem(f"{where}, twice quickly", f"changed {twice}; pressed once, {once}")


async def _fresh(
    walk: Walk,
    instances: list[FormSeen],
    kinds: dict[str, list[FormSeen]],
    kind: str,
    used: list[FormSeen],
) -> tuple[FormSeen | None, Locator | None]:
    """A form of ``kind`` a person can still press: one not pressed yet, else the one
    pressed if its page still offers it, else one found by walking the links again."""
    for seen in [*(i for i in instances if i not in used), *used]:
        form = await walk.form_on(seen)
        if form is not None:
            return seen, form
    for seen in await walk.crawl(read=False):
        if seen.kind == kind and seen not in used:
            instances.append(seen)
            return seen, await walk.form_on(seen)
    return None, None


async def test_the_demo_writes_in_finnish_and_swedish(
    broker: Broker, store: Store, pki: PkiPaths
) -> None:
    register_demo_orgs(store, pki)
    await seed_demo(f"127.0.0.1:{broker.port}", pki.root)
    citizen = await _citizen(broker, pki, DEMO_CITIZEN)
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
