"""What the portal tests share besides fixtures: the parties, the story, signing in, axe."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.async_api import Browser, Page

from luukku.client import Client
from luukku.demo import DEMO_ORGS, demo_desk
from luukku.pki import PkiPaths, issue_client_cert, read_cert_info
from luukku.service import directory
from luukku.service.desks import admin as desks
from luukku.store.uow import Store
from luukku.web import i18n

CHROMIUM = Path(os.environ.get("LUUKKU_TEST_CHROMIUM", "/usr/bin/chromium"))
CITIZEN = "010190-900P"
OTHER_CITIZEN = "150585-901P"


@dataclass
class Parties:
    """The parties of the story as SDK clients; ``citizen`` is the portal acting for CITIZEN."""

    municipality: Client
    company: Client
    citizen: Client


@dataclass
class Story:
    """What the municipality has opened for the citizen before the test signs in."""

    case_id: str
    record_id: str
    thread_id: str
    consent_id: str


async def open_story(parties: Parties) -> Story:
    """A case with a corrected record, a thread with messages and a consent to the company."""
    case = await parties.municipality.create_case(
        CITIZEN, title="Home care after hospital stay", category="home_care"
    )
    record = await parties.municipality.create_record(
        case.id, kind="assessment", text="Needs help twice a day."
    )
    await parties.municipality.revise_record(
        case.id, record.record_id, text="Needs help three times a day."
    )
    thread = await parties.municipality.create_thread(case.id, subject="Planning the visits")
    await parties.municipality.post_message(thread.id, "Which times suit you?")
    consent = await parties.citizen.grant_consent(
        "hoiva",
        case_id=case.id,
        permissions=["read", "discuss"],
        purpose="Planning home care",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    return Story(case.id, record.record_id, thread.id, consent.id)


@dataclass
class RunningPortal:
    """A ``luukku portal`` process and where it answers."""

    url: str
    log: Path
    process: asyncio.subprocess.Process


def http_client(portal: RunningPortal) -> httpx.AsyncClient:
    """A plain HTTP client of the portal, in English, keeping its cookies."""
    return httpx.AsyncClient(base_url=portal.url, headers={"Accept-Language": "en"})


async def http_sign_in(client: httpx.AsyncClient, identity_code: str = CITIZEN) -> str:
    """Sign in over plain HTTP; returns the session's CSRF token."""
    form = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = await client.post(
        "/login", data={"csrf_token": token.group(1), "identity_code": identity_code}
    )
    assert answer.status_code == 303
    page = await client.get("/cases")
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert fresh is not None
    return fresh.group(1)


async def sign_in(page: Page, identity_code: str = CITIZEN, name: str = "") -> None:
    """Sign in through the test identification page, as a person would (in any language),
    with the ``name`` an identity provider would give."""
    await page.goto("/login")
    await page.locator("#identity_code").fill(identity_code)
    if name:
        await page.locator("#name").fill(name)
    await page.locator("form[action='/login'] button[type=submit]").click()
    await page.wait_for_url(re.compile(r".*/cases$"))


async def sign_in_any_language(page: Page) -> None:
    """Sign in through the test identification page in whatever language it is shown."""
    await page.goto("/login")
    await page.locator("#identity_code").fill(CITIZEN)
    await page.locator("form[action='/login'] button[type=submit]").click()
    await page.wait_for_url("**/cases")


async def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def words_in(language: str, msgid: str) -> str:
    """``msgid`` as the portal writes it in ``language``."""
    token = i18n.current_language.set(language)
    try:
        return i18n.gettext_(msgid)
    finally:
        i18n.current_language.reset(token)


class Checks:
    """axe-core's findings and the page's width, by page state."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    async def look(self, page: Page, where: str) -> None:
        wider = await page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        problems = await axe_violations(page)
        if wider > 0:
            problems.append(f"{wider} px wider than the screen")
        if problems:
            self.found[where] = problems


@contextlib.asynccontextmanager
async def context_in(
    browser: Browser, app: RunningPortal | str, locale: str, *, phone: bool = False
) -> AsyncIterator[Page]:
    """A page of the portal (or the web app at a URL) in a browser language (``phone``: on
    a 390 px wide phone screen)."""
    viewport = {"viewport": {"width": 390, "height": 844}, "is_mobile": True} if phone else {}
    url = app if isinstance(app, str) else app.url
    context = await browser.new_context(locale=locale, base_url=url, **viewport)
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        await context.close()


async def open_inquiry(parties: Parties, store: Store) -> str:
    """A desk of the municipality and the company; the citizen's question, taken up by the
    company and answered. Returns the inquiry's id.
    """
    desk_of_two(store)
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me at home?"
    )
    await parties.company.claim_inquiry(asked.id)
    await parties.company.post_inquiry_message(asked.id, "We can: tell us more.")
    return asked.id


def desk_of_two(store: Store) -> None:
    """The desk "neuvonta" of the municipality and the company, offering to everyone at once."""
    desks.create_desk(
        store,
        "neuvonta",
        name="Neuvonta",
        topics=["kotihoito"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=14),
    )
    for member in ("kaupunki", "hoiva"):
        desks.add_member(store, "neuvonta", member)


async def sign_in_clerk(page: Page, name: str, role: str) -> None:
    """Sign in at the workspace's test identification, in whatever language it is shown."""
    await page.goto("/login")
    await page.locator("#name").fill(name)
    await page.locator("#role").fill(role)
    await page.locator("form[action='/login'] button[type=submit]").click()
    await page.wait_for_url(re.compile(r".*/$"))


def register_demo_orgs(store: Store, pki: PkiPaths, *, desk: bool = True) -> None:
    """The organisations of ``make run``, under their real demo names, and (``desk``) its
    desk."""
    for org in DEMO_ORGS:
        cert, _ = issue_client_cert(pki.root, org.id)
        directory.register_organization(
            store,
            org.id,
            name=org.name,
            kind=org.kind,
            business_id=org.business_id,
            cert=read_cert_info(cert.read_bytes()),
        )
    if desk:
        list(demo_desk(store))
