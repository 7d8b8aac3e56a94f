"""The workspace's pages in every state a clerk meets them: axe-core and a 320 px wide
screen in Finnish, Swedish and English, the keyboard alone, and a hand-over from one
member's clerk to another's.

A real broker, ``luukku workspace`` processes of the desk's two members, Chromium; the
citizen asks through the SDK as the portal organisation.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import CITIZEN, Parties, axe_violations, context_in, desk_of_two, sign_in_clerk

from luukku.client import Inquiry, InquiryNote, Message, PermissionDeniedError
from luukku.store.uow import Store

LOCALES = ("fi-FI", "sv-FI", "en-GB")
NOTE = "Asks about home-care fees: the company's price list decides."
INTERNAL = "Internal: she has asked the same at the library last week."


async def _asks(parties: Parties, subject: str) -> Inquiry:
    return await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject=subject, body=f"{subject}?"
    )


async def _checked(page: Page) -> list[str]:
    """axe-core's violations, and whether the page reflows at 320 CSS px (what 1280 px at
    400 % zoom, or a narrow phone, leaves) without scrolling sideways."""
    problems = await axe_violations(page)
    size = page.viewport_size
    await page.set_viewport_size({"width": 320, "height": 640})
    wide = await page.evaluate(
        "[...document.querySelectorAll('main *, header *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className).slice(0, 5)"
    )
    if size is not None:
        await page.set_viewport_size(size)
    if wide:
        problems.append(f"wider than 320 px: {wide}")
    return problems


async def _live(page: Page) -> None:
    """Wait until the page's live updates are connected."""
    await expect(page.locator("[data-live-state=open]").first).to_be_attached()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.slow
async def test_every_workspace_page_state_passes_axe_and_fits_320_px(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
    locale: str,
) -> None:
    desk_of_two(store)
    url = await start_workspace("kaupunki")
    problems: dict[str, list[str]] = {}
    async with context_in(browser, url, locale) as page:
        await page.goto("/login")
        problems["sign-in"] = await _checked(page)
        await page.locator("form[action='/login'] button[type=submit]").click()
        assert await page.locator(".error-summary").count() == 1
        problems["sign-in errors"] = await _checked(page)
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        problems["queue empty"] = await _checked(page)

        mine, colleagues, waiting = [
            await _asks(parties, s) for s in ("Help at home", "Meals", "Transport")
        ]
        await parties.municipality.claim_inquiry(colleagues.id)  # Sanna Virtanen, a colleague
        await page.goto(f"/inquiries/{mine.id}")
        await page.locator(f"form[action='/inquiries/{mine.id}/claim'] button").click()
        await page.goto("/")
        await expect(page.locator(f"#inquiry-{waiting.id}")).to_be_visible()
        await expect(page.locator(f"#inquiry-{colleagues.id}")).to_be_visible()
        problems["queue with entries"] = await _checked(page)

        case = await parties.municipality.create_case(
            CITIZEN, title="Home care", category="home_care"
        )
        await page.goto(f"/inquiries/{mine.id}")
        await page.locator("#case_id").select_option(case.id)
        await page.locator(f"form[action='/inquiries/{mine.id}/case'] button").click()
        linked = page.locator("#inquiry-state #linked-case")
        await expect(linked).to_have_attribute("href", f"/cases/{case.id}")
        await page.locator("#internal_note").fill(INTERNAL)
        await page.locator(f"form[action='/inquiries/{mine.id}/notes'] button").click()
        await expect(page.locator("#notes .internal-note")).to_contain_text(INTERNAL)
        await _live(page)
        problems["inquiry claimed by me, a case linked, a note"] = await _checked(page)
        await page.locator(f"form[action='/inquiries/{mine.id}/notes'] button").click()
        assert await page.locator(".error-summary").count() == 1
        problems["note errors"] = await _checked(page)
        await page.locator(
            f"form[action='/inquiries/{mine.id}/messages'] button:not([formaction])"
        ).click()
        assert await page.locator(".error-summary").count() == 1
        problems["reply errors"] = await _checked(page)

        await page.goto(f"/inquiries/{colleagues.id}")
        problems["inquiry held by a colleague"] = await _checked(page)
        await page.goto(f"/inquiries/{waiting.id}")
        problems["inquiry waiting"] = await _checked(page)

        await page.goto(f"/inquiries/{mine.id}")
        await page.locator("#to").select_option("org:hoiva")
        await page.locator("#note").fill(NOTE)
        await page.locator(f"form[action='/inquiries/{mine.id}/hand-over'] button").click()
        await expect(page.locator(".history .note")).to_contain_text(NOTE)
        problems["after hand-over"] = await _checked(page)

        await page.goto(f"/inquiries/{waiting.id}")
        await page.locator(f"form[action='/inquiries/{waiting.id}/claim'] button").click()
        await page.locator("#outcome").fill("Answered")
        await page.locator(f"form[action='/inquiries/{waiting.id}/close'] button").click()
        closed = re.compile("^closed-")
        await expect(page.locator("#inquiry-state")).to_have_attribute("data-key", closed)
        problems["closed"] = await _checked(page)
        await page.goto("/figures")
        problems["figures"] = await _checked(page)
        await page.goto("/no-such-page")
        problems["not found"] = await _checked(page)
    found = {where: v for where, v in problems.items() if v}
    assert not found, found


async def _press_tab_until(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element ``selector`` names has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {selector}")


async def test_a_clerk_claims_replies_and_hands_over_with_the_keyboard_alone(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    url = await start_workspace("kaupunki")
    asked = await _asks(parties, "Help at home")
    async with context_in(browser, url, "en-GB") as page:
        await page.goto("/login")
        await _press_tab_until(page, "#name")
        await page.keyboard.type("Kaisa Neuvoja")
        await page.keyboard.press("Tab")
        await page.keyboard.type("adviser")
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()

        await _press_tab_until(page, f"form[action='/inquiries/{asked.id}/claim'] button")
        await page.keyboard.press("Enter")
        await expect(page.locator("#inquiry-state")).to_contain_text("held by Kaisa Neuvoja")

        await _press_tab_until(page, "#body")
        await page.keyboard.type("We can help: tell us more.")
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("button", name="Send reply")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.locator("#message-2")).to_contain_text("We can help")

        await _press_tab_until(page, "#to")
        await page.keyboard.press("ArrowDown")  # the first choice after "Choose": the company
        await page.keyboard.press("Tab")
        await page.keyboard.type(NOTE)
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("button", name="Hand over")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.locator(".history .note")).to_contain_text(NOTE)
    handed = await parties.municipality.get_inquiry(asked.id)
    assert handed.status.value == "queued"
    assert [m.body async for m in parties.citizen.list_inquiry_messages(asked.id)][-1] == (
        "We can help: tell us more."
    )


async def test_a_handed_over_inquiry_reaches_the_other_member_live_with_its_whole_history(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    city_url = await start_workspace("kaupunki")
    company_url = await start_workspace("hoiva")
    asked = await _asks(parties, "Help at home")
    heard = asyncio.create_task(_until_closed(parties.citizen.watch_inquiry(asked.id)))
    async with (
        context_in(browser, city_url, "en-GB") as kaisa,
        context_in(browser, company_url, "en-GB") as mikko,
    ):
        await sign_in_clerk(kaisa, "Kaisa Neuvoja", "adviser")
        await sign_in_clerk(mikko, "Mikko Laine", "nurse")
        await kaisa.get_by_role("button", name="Claim Help at home").click()
        await kaisa.get_by_label("Reply", exact=True).fill("Our nurses know this best.")
        await kaisa.get_by_role("button", name="Send reply").click()
        await expect(kaisa.locator("#message-2")).to_be_visible()

        await mikko.goto("/")
        await _live(mikko)
        await expect(mikko.locator(f"#inquiry-{asked.id}")).to_have_count(0)  # the city's now
        await kaisa.get_by_label("To", exact=True).select_option("org:hoiva")
        await kaisa.get_by_label("Note for whoever takes over").fill(NOTE)
        await kaisa.get_by_role("button", name="Hand over").click()

        # Without a reload, the company's queue offers it to Mikko again.
        offered = mikko.locator(f"#queue-neuvonta li#inquiry-{asked.id}")
        await expect(offered.get_by_role("button", name="Claim Help at home")).to_be_visible()
        await offered.get_by_role("button", name="Claim Help at home").click()
        await expect(mikko.locator("#inquiry-state")).to_contain_text("held by Mikko Laine")
        history = mikko.locator(".history")
        await expect(history).to_contain_text("Kaisa Neuvoja")
        await expect(history.locator(".note")).to_have_text(NOTE)
        await expect(mikko.locator("#message-1")).to_contain_text("Help at home?")
        await expect(mikko.locator("#message-2")).to_contain_text("Our nurses know this best.")
        await mikko.get_by_label("Outcome").fill("Price list sent")
        await mikko.get_by_role("button", name="Close the inquiry").click()
        await expect(mikko.locator("#inquiry-state strong")).to_have_text("Closed")

        closed = await asyncio.wait_for(heard, 30)

    # The citizen (the portal, through the SDK) heard of every step live, never the note.
    assert [i.status.value for i in closed if isinstance(i, Inquiry)][-1] == "closed"
    assert any(isinstance(i, Message) and "nurses" in i.body for i in closed)
    assert NOTE not in repr(closed)
    seen = await parties.citizen.get_inquiry(asked.id)
    assert "handed_over" in [step.kind.value for step in seen.history]
    assert NOTE not in repr(seen)


async def test_an_internal_note_reaches_the_other_members_clerk_live_and_never_the_citizen(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    city_url, company_url = await asyncio.gather(
        start_workspace("kaupunki"), start_workspace("hoiva")
    )
    asked = await _asks(parties, "Help at home")
    heard = asyncio.create_task(
        _until_message(parties.citizen.watch_inquiry(asked.id, with_notes=True), "Noted.")
    )
    async with (
        context_in(browser, city_url, "en-GB") as kaisa,
        context_in(browser, company_url, "en-GB") as mikko,
    ):
        await sign_in_clerk(kaisa, "Kaisa Neuvoja", "adviser")
        await sign_in_clerk(mikko, "Mikko Laine", "nurse")
        await kaisa.get_by_role("button", name="Claim Help at home").click()
        await mikko.goto(f"/inquiries/{asked.id}")
        await _live(mikko)
        await expect(mikko.locator("#notes")).to_contain_text("No notes yet")

        label = kaisa.get_by_label("Internal note: only the members of the desk see it")
        await label.fill(INTERNAL)
        await kaisa.get_by_role("button", name="Add internal note").click()
        await expect(kaisa.locator("#notes")).to_contain_text(INTERNAL)
        assert kaisa.url.endswith("#note-1")

        # Without a reload, the company's clerk reads it, with who wrote it, and hears of it.
        note = mikko.locator("#notes #note-1")
        await expect(note).to_contain_text(INTERNAL)
        await expect(note).to_contain_text("Kaisa Neuvoja (adviser)")
        await expect(mikko.locator("#notes .empty")).to_have_count(0)
        await expect(mikko.locator("#announcer")).to_contain_text("New internal note: ")
        await expect(mikko.locator("#announcer")).to_contain_text(INTERNAL)
        await expect(mikko.locator("#announcer")).to_have_attribute("aria-live", "polite")
        assert await mikko.locator(".messages").get_by_text(INTERNAL).count() == 0

        await kaisa.get_by_label("Reply", exact=True).fill("Noted.")
        await kaisa.get_by_role("button", name="Send reply").click()
        heard_items = await asyncio.wait_for(heard, 30)

    # The citizen (the portal, through the SDK) heard the reply written after the note,
    # never the note, and may not list the notes.
    assert not [i for i in heard_items if isinstance(i, InquiryNote)]
    assert INTERNAL not in repr(heard_items)
    assert INTERNAL not in repr(await parties.citizen.get_inquiry(asked.id))
    with pytest.raises(PermissionDeniedError):
        [n async for n in parties.citizen.list_inquiry_notes(asked.id)]
    assert [n.body async for n in parties.company.list_inquiry_notes(asked.id)] == [INTERNAL]


async def _until_message(
    watch: AsyncIterator[Inquiry | Message | InquiryNote], body: str
) -> list[Inquiry | Message | InquiryNote]:
    heard: list[Inquiry | Message | InquiryNote] = []
    async for item in watch:
        heard.append(item)
        if isinstance(item, Message) and item.body == body:
            return heard
    return heard


async def _until_closed(watch: AsyncIterator[Inquiry | Message]) -> list[Inquiry | Message]:
    heard: list[Inquiry | Message] = []
    async for item in watch:
        heard.append(item)
        if isinstance(item, Inquiry) and item.status.value == "closed":
            return heard
    return heard
