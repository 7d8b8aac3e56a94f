"""Screenshots of the clerks' workspace with the demo story, for the README and
docs/workspace.md.

``LUUKKU_SCREENSHOTS=1`` writes them into docs/screenshots/ (commit the PNGs
afterwards); otherwise they go to the test's temporary folder, so the suite never
changes the checkout but still fails when a page cannot be shown. Each picture is one
line of ``_shots``: the page's address, what must be on it before it is taken, and
whether to cut it below an element.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from citizen_tokens import TestIssuer
from playwright.async_api import Browser, Page, expect
from portal_support import register_demo_orgs, sign_in_clerk
from test_screenshots import DOCS, HEIGHT, MAX_BYTES, WIDTH, _png_size, _shoot

from luukku.client import Client, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK
from luukku.demo_story import DEMO_CITIZEN, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.store.uow import Store

KAISA = Practitioner("kaisa neuvoja", "Kaisa Neuvoja", "neuvoja")
SANNA = Practitioner("sanna virtanen", "Sanna Virtanen", "sosiaaliohjaaja")


@dataclass(frozen=True)
class Scene:
    """What the demo desk holds for the pictures."""

    org: str  # the member on duty now, whose clerk Kaisa is
    inquiry_id: str  # claimed by Kaisa, with a reply and an internal note
    case_id: str  # a case of the citizen's that her organisation owns, linked to it


@dataclass(frozen=True)
class Shot:
    """One picture: a page, the text that shows it is ready, and where to cut it."""

    name: str
    path: str
    ready: str  # a text that must be on the page before it is taken
    until: str = ""  # a selector: cut below its end (a long page), else the whole page


def _shots(scene: Scene) -> list[Shot]:
    return [
        Shot("workspace-queue", "/", "Kuljetuspalvelu lääkäriin"),
        Shot(
            "workspace-inquiry",
            f"/inquiries/{scene.inquiry_id}",
            "hakulomakkeen",
            until='section[aria-labelledby="notes-heading"]',
        ),
        Shot("workspace-figures", "/figures", "Mediaani", until="table.stacked"),
        Shot("workspace-case", f"/cases/{scene.case_id}", "Kirjaukset"),
    ]


async def _scene(address: str, pki: PkiPaths, issuer: TestIssuer) -> Scene:
    """The demo story, then questions at the desk: two waiting, one a colleague holds,
    and one Kaisa holds and has answered, with an internal note and a case linked. Kaisa
    is a clerk of the member on duty (the rota is by the clock), who is offered them first."""
    citizen = await Client.connect(
        address,
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    org = (await citizen.get_desk(DEMO_DESK)).on_duty_organization_id or "helsinki-social"
    tls = TLSConfig.from_pki_dir(pki.root, org)
    kaisa = await Client.connect(address, tls=tls, practitioner=KAISA)
    sanna = await Client.connect(address, tls=tls, practitioner=SANNA)
    try:
        questions = [
            await citizen.create_inquiry(DEMO_DESK, topic=topic, subject=subject, body=body)
            for topic, subject, body in (
                ("home-care", "Kuljetuspalvelu lääkäriin", "Saanko kuljetuksen terveysasemalle?"),
                ("benefits", "Omaishoidon tuki", "Miten haen omaishoidon tukea äidilleni?"),
                ("home-care", "Ateriapalvelu", "Voiko ateriat tilata kotiin?"),
                ("benefits", "Asiakasmaksun alennus", "Voinko saada tukea kotihoidon maksuihin?"),
            )
        ]
        await sanna.claim_inquiry(questions[2].id)
        mine = questions[3].id
        await kaisa.claim_inquiry(mine)
        await kaisa.post_inquiry_message(
            mine, "Kyllä: maksua voidaan alentaa, jos tulonne ovat pienet. Lähetän hakulomakkeen."
        )
        await kaisa.add_inquiry_note(mine, "Kysyi samaa viime keväänä; tulotiedot ovat jo meillä.")
        case = await anext(kaisa.list_cases())
        await kaisa.link_inquiry_case(mine, case.id)
        record = await kaisa.create_record(
            case.id, kind="visit", text="Kotikäynti: verensokeri hyvällä tasolla, ruokavalio ok."
        )
        await kaisa.revise_record(case.id, record.record_id, text=f"{record.text} Seuraava 3 kk.")
        await kaisa.create_record(
            case.id, kind="care-plan", text="Seuranta kolmen kuukauden välein."
        )
        thread = await kaisa.create_thread(case.id, subject="Seuraava käynti")
        await kaisa.post_message(thread.id, "Sopiiko tiistai klo 10?")
        return Scene(org, mine, case.id)
    finally:
        for client in (citizen, kaisa, sanna):
            await client.close()


async def _take(page: Page, folder: Path, shot: Shot) -> Path:
    await page.goto(shot.path)
    await expect(page.locator("main")).to_contain_text(shot.ready)
    until = page.locator(shot.until).last if shot.until else None
    return await _shoot(page, folder, shot.name, until=until)


async def test_screenshots_of_the_workspace(
    browser: Browser,
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_workspace: Callable[..., Awaitable[str]],
    tmp_path: Path,
    citizen_issuer: TestIssuer,
) -> None:
    folder = DOCS if os.environ.get("LUUKKU_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    address = f"127.0.0.1:{broker.port}"
    register_demo_orgs(store, pki)
    await seed_demo(address, pki.root, citizen_issuer.token_source(DEMO_CITIZEN))
    scene = await _scene(address, pki, citizen_issuer)
    url = await start_workspace(scene.org)

    context = await browser.new_context(
        locale="fi-FI", base_url=url, viewport={"width": WIDTH, "height": HEIGHT}
    )
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        await sign_in_clerk(page, KAISA.display_name, KAISA.role)
        shots = [await _take(page, folder, shot) for shot in _shots(scene)]
    finally:
        await context.close()

    assert [s.name for s in shots] == [f"{shot.name}.png" for shot in _shots(scene)]
    for shot in shots:
        width, height = _png_size(shot)
        assert width == WIDTH, shot
        assert height >= HEIGHT, shot
        assert shot.stat().st_size < MAX_BYTES, f"{shot} is {shot.stat().st_size} bytes"
