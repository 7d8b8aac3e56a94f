"""The workspace's cases as a clerk uses them: the organisation's own cases and those it
may read by consent, records written, corrected and read in their earlier versions, a
discussion live with read marks, and a refusal by the broker shown as a page that says
why. Every page state through axe-core and a 320 px screen in Finnish, Swedish, English.

A real broker, ``luukku workspace`` processes, Chromium; the citizen acts through the
SDK as the portal organisation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import CITIZEN, Parties, context_in, desk_of_two, open_story, sign_in_clerk
from test_workspace_pages import LOCALES, _checked, _live, _press_tab_until

from luukku.client import Practitioner
from luukku.store.uow import Store

StartWorkspace = Callable[..., Awaitable[str]]


async def _open_case(page: Page, title: str) -> None:
    """From any page, as a clerk finds a case: Cases in the navigation, then its title."""
    await page.locator("nav.main-nav a[href='/cases']").click()
    await page.get_by_role("link", name=title, exact=True).click()
    await expect(page.locator("h1")).to_have_text(title)


async def test_a_clerk_writes_a_record_corrects_it_and_reads_the_earlier_version(
    browser: Browser, parties: Parties, start_workspace: StartWorkspace
) -> None:
    case = await parties.municipality.create_case(
        CITIZEN, title="Home care after hospital stay", category="home_care"
    )
    url = await start_workspace("kaupunki")
    async with context_in(browser, url, "en-GB") as page:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.get_by_role("link", name="Cases", exact=True).click()
        own = page.locator("table", has=page.get_by_text("Our cases"))
        await expect(own.get_by_role("link", name=case.title)).to_be_visible()
        await own.get_by_role("link", name=case.title).click()
        await expect(page.locator("#access")).to_contain_text("Your organisation owns this case.")

        await page.get_by_role("button", name="Save the record").click()  # nothing filled
        summary = page.locator(".error-summary")
        await expect(summary).to_contain_text("Choose the kind of record")
        await expect(summary).to_contain_text("Write the record")
        await page.get_by_label("Kind of record").select_option("assessment")
        await page.get_by_label("Record", exact=True).fill("Needs help twice a day.")
        await page.get_by_role("button", name="Save the record").click()
        await expect(page.get_by_role("status")).to_contain_text("The record was written.")
        await expect(page.locator("#version-1")).to_contain_text("Needs help twice a day.")
        await expect(page.locator("#version-1")).to_contain_text("Kaisa Neuvoja (adviser)")

        await page.get_by_label("Corrected text").fill("")
        await page.get_by_role("button", name="Save the correction").click()
        await expect(page.locator("#text-error")).to_contain_text("Write the record")
        await page.get_by_label("Corrected text").fill("Needs help three times a day.")
        await page.get_by_role("button", name="Save the correction").dblclick()
        await expect(page.get_by_role("status")).to_contain_text("The record was corrected.")
        await expect(page.locator("#version-2")).to_contain_text("three times")
        await expect(page.locator("#version-2 h2")).to_have_text("Current version")
        await expect(page.locator("#version-1")).to_contain_text("twice a day")

        await page.get_by_role("link", name=case.title).click()
        await expect(page.locator(".record")).to_contain_text("three times a day")
        earlier = page.get_by_role("link", name="Corrected once: see the earlier version")
        await earlier.click()
        await expect(page.locator(".record")).to_have_count(2)

    records = [r async for r in parties.municipality.list_records(case.id)]
    assert len(records) == 1  # pressed twice, corrected once
    history = [
        r async for r in parties.municipality.list_record_revisions(case.id, records[0].record_id)
    ]
    assert [r.revision for r in history] == [2, 1]
    assert {r.author.display_name for r in history} == {"Kaisa Neuvoja"}


async def test_a_case_read_by_consent_offers_no_writing_and_a_withdrawn_consent_is_a_clear_page(
    browser: Browser, parties: Parties, start_workspace: StartWorkspace
) -> None:
    story = await open_story(parties)  # the company may read and discuss the city's case
    url = await start_workspace("hoiva")
    async with context_in(browser, url, "en-GB") as page:
        await sign_in_clerk(page, "Mikko Laine", "nurse")
        await page.get_by_role("link", name="Cases", exact=True).click()
        await expect(page.get_by_text("Your organisation owns no cases.")).to_be_visible()
        by_consent = page.locator("table", has=page.get_by_text("Cases we may read by consent"))
        await by_consent.get_by_role("link", name="Home care after hospital stay").click()
        access = page.locator("#access")
        await expect(access).to_contain_text("The citizen's consent: Planning home care")
        await expect(access).to_contain_text("read the records, take part in discussions")
        await expect(page.locator(".record")).to_contain_text("three times a day")
        await expect(page.get_by_text("not write in it")).to_be_visible()
        assert await page.locator("form[action$='/records']").count() == 0
        assert await page.get_by_role("link", name="Planning the visits").count() == 1

        await parties.citizen.revoke_consent(story.consent_id)
        await page.reload()
        await expect(page.locator("h1")).to_have_text("No access")
        await expect(page.locator("main")).to_contain_text(
            "The citizen has withdrawn the consent that let your organisation see this."
        )
        await page.get_by_role("link", name="Cases", exact=True).last.click()
        await expect(
            page.get_by_text("No citizen's consent lets your organisation")
        ).to_be_visible()
        await page.goto(f"/threads/{story.thread_id}")
        await expect(page.locator("h1")).to_have_text("No access")
        await page.goto(f"/cases/{'0' * 32}")
        await expect(page.locator("main")).to_contain_text("does not own a case at this address")


async def test_a_discussion_is_live_the_clerk_replies_and_the_read_marks_move(
    browser: Browser, parties: Parties, start_workspace: StartWorkspace
) -> None:
    story = await open_story(parties)
    url = await start_workspace("hoiva")
    async with context_in(browser, url, "en-GB") as page:
        await sign_in_clerk(page, "Mikko Laine", "nurse")
        await _open_case(page, "Home care after hospital stay")
        await page.get_by_role("link", name="Planning the visits").click()
        await expect(page.locator("#message-1")).to_contain_text("Which times suit you?")
        await expect(page.locator("#message-1")).to_contain_text("Sanna Virtanen (social worker)")
        await _live(page)

        # Opening it marked it read for the company, as this clerk (the broker's receipt).
        thread = await parties.municipality.get_thread(story.thread_id)
        assert {m.organization_id: m.sequence for m in thread.read_marks}["hoiva"] == 1

        # Without a reload: the citizen writes, then the city reads it.
        said = await parties.citizen.post_message(story.thread_id, "Mornings suit me best.")
        await expect(page.locator(f"#message-{said.sequence}")).to_contain_text("The citizen")
        await expect(page.locator("#announcer")).to_contain_text("Mornings suit me best.")
        await parties.municipality.mark_read(story.thread_id, said.sequence)
        seen = page.locator(f"#message-{said.sequence} .seen")
        await expect(seen).to_contain_text("Read by")
        await expect(seen.locator("#reader-kaupunki")).to_be_visible()

        await page.get_by_role("button", name="Send").click()  # empty
        await expect(page.locator(".error-summary")).to_contain_text("Write a message")
        await page.get_by_label("Message", exact=True).fill("We can come at 8.")
        await page.get_by_role("button", name="Send").dblclick()
        await expect(page.locator("#message-3")).to_contain_text("We can come at 8.")
        await expect(page.locator("#message-3")).to_contain_text("Mikko Laine (nurse)")

    messages = [m async for m in parties.citizen.list_messages(story.thread_id)]
    assert [m.body for m in messages][-1] == "We can come at 8."
    assert len(messages) == 3  # pressed twice, posted once
    assert messages[-1].author.display_name == "Mikko Laine"


async def test_the_inquirys_linked_case_opens_the_case_page(
    browser: Browser, parties: Parties, store: Store, start_workspace: StartWorkspace
) -> None:
    desk_of_two(store)
    case = await parties.municipality.create_case(CITIZEN, title="Meals", category="home_care")
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Meals at home", body="Can I get meals?"
    )
    url = await start_workspace("kaupunki")
    async with context_in(browser, url, "en-GB") as page:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.goto(f"/inquiries/{asked.id}")
        await page.get_by_role("button", name="Claim", exact=True).click()
        await page.get_by_label("The citizen's case").select_option(case.id)
        await page.get_by_role("button", name="Link the case").click()
        await page.get_by_role("link", name="Open the linked case").click()
        await expect(page.locator("h1")).to_have_text("Meals")
        await expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("Cases")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.slow
async def test_every_case_page_state_passes_axe_and_fits_320_px(
    browser: Browser, parties: Parties, start_workspace: StartWorkspace, locale: str
) -> None:
    story = await open_story(parties)
    company = parties.company.acting_as(practitioner=Practitioner("n-2", "Mikko Laine", "nurse"))
    await company.post_message(story.thread_id, "We can come in the mornings.")
    city, hoiva = await asyncio.gather(start_workspace("kaupunki"), start_workspace("hoiva"))
    problems: dict[str, list[str]] = {}
    async with (
        context_in(browser, city, locale) as page,
        context_in(browser, hoiva, locale) as other,
    ):
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.goto("/cases")
        problems["cases"] = await _checked(page)
        await page.goto(f"/cases/{story.case_id}")
        problems["own case"] = await _checked(page)
        await page.locator(f"form[action='/cases/{story.case_id}/records'] button").click()
        problems["record errors"] = await _checked(page)
        await page.locator(f"form[action='/cases/{story.case_id}/threads'] button").click()
        problems["subject errors"] = await _checked(page)
        await page.goto(f"/cases/{story.case_id}/records/{story.record_id}")
        problems["record versions"] = await _checked(page)
        await page.locator("#text").fill("")
        await page.locator("form[action$='/revisions'] button").click()
        problems["correction errors"] = await _checked(page)
        await page.goto(f"/threads/{story.thread_id}")
        await _live(page)
        problems["discussion"] = await _checked(page)
        await page.locator(f"form[action='/threads/{story.thread_id}/messages'] button").click()
        problems["message errors"] = await _checked(page)

        await sign_in_clerk(other, "Mikko Laine", "nurse")
        await other.goto(f"/cases/{story.case_id}")
        problems["case by consent"] = await _checked(other)
        await parties.citizen.revoke_consent(story.consent_id)
        await other.goto(f"/cases/{story.case_id}")
        problems["no access"] = await _checked(other)
        await other.goto("/cases")
        problems["no cases"] = await _checked(other)
    found = {where: v for where, v in problems.items() if v}
    assert not found, found


async def test_a_clerk_writes_a_record_and_replies_in_a_discussion_with_the_keyboard_alone(
    browser: Browser, parties: Parties, start_workspace: StartWorkspace
) -> None:
    story = await open_story(parties)
    url = await start_workspace("kaupunki")
    async with context_in(browser, url, "en-GB") as page:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await _press_tab_until(page, "nav.main-nav a[href='/cases']")
        await page.keyboard.press("Enter")
        await _press_tab_until(page, f"a[href='/cases/{story.case_id}']")
        await page.keyboard.press("Enter")
        await _press_tab_until(page, "#kind", limit=120)
        await page.keyboard.press("ArrowDown")  # the first kind after "Choose"
        await page.keyboard.press("Tab")
        await page.keyboard.type("Visits at 8, 13 and 19.")
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("button", name="Save the record")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status")).to_contain_text("The record was written.")

        await page.goto(f"/threads/{story.thread_id}")
        await _press_tab_until(page, "#body", limit=120)
        await page.keyboard.type("The plan has the times now.")
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("button", name="Send")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.locator("#message-2")).to_contain_text("The plan has the times now.")
    records = [r.text async for r in parties.municipality.list_records(story.case_id)]
    assert records[-1] == "Visits at 8, 13 and 19."
