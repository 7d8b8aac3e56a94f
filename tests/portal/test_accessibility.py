"""Every page under axe-core in Finnish, Swedish and English, signed out and signed in."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import (
    Parties,
    RunningPortal,
    axe_violations,
    context_in,
    open_inquiry,
    open_story,
    sign_in_any_language,
)

from luukku.store.uow import Store

LOCALES = ("fi-FI", "sv-FI", "en-GB")


async def _signed_in_paths(page: Page, parties: Parties, store: Store) -> list[str]:
    story = await open_story(parties)
    # The thread page then shows "Read by" under the municipality's message.
    await parties.company.mark_read(story.thread_id, 1)
    inquiry_id = await open_inquiry(parties, store)
    return [
        "/cases",
        f"/cases/{story.case_id}",
        f"/cases/{story.case_id}/records/{story.record_id}",
        "/consents",
        "/consents/new",
        f"/consents/{story.consent_id}/revoke",
        "/access",
        "/access/signed-log",
        "/discussions",
        f"/threads/{story.thread_id}",
        "/help",
        "/inquiries",
        f"/inquiries/{inquiry_id}",
        "/mandates",
        "/acting-for",
        "/no-such-page",
    ]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.slow
async def test_no_axe_violations_on_any_page(
    browser: Browser, portal: RunningPortal, parties: Parties, store: Store, locale: str
) -> None:
    problems: dict[str, list[str]] = {}
    async with context_in(browser, portal, locale) as page:
        for path in ("/", "/login", "/no-such-page"):
            await page.goto(path)
            problems[f"signed out {path}"] = await axe_violations(page)
        # A refused sign-in shows its error next to the field.
        await page.goto("/login")
        await page.locator("form[action='/login'] button[type=submit]").click()
        problems["sign-in error"] = await axe_violations(page)
        await sign_in_any_language(page)
        paths = await _signed_in_paths(page, parties, store)
        for path in paths:
            response = await page.goto(path)
            assert response is not None
            assert response.status == (404 if path == "/no-such-page" else 200), path
            assert await page.locator("h1").count() == 1, path
            if path.startswith("/threads/"):
                await expect(page.locator("#message-1 .seen")).to_be_visible()
            problems[path] = await axe_violations(page)
        # The open question page after a live answer and a live closing.
        inquiry_id = next(p for p in paths if p.startswith("/inquiries/")).split("/")[-1]
        await page.goto(f"/inquiries/{inquiry_id}")
        await expect(page.locator("#messages")).to_have_attribute("data-live-state", "open")
        await parties.company.post_inquiry_message(inquiry_id, "Anything else?")
        await parties.company.close_inquiry(inquiry_id, outcome="Answered.")
        await expect(page.locator("#messages li")).to_have_count(3)
        await expect(page.locator("#inquiry-reply form[action$='/reopen']")).to_be_visible()
        problems["live question"] = await axe_violations(page)
        # The access log after a live access that the signed log has since proven.
        case_id = paths[1].removeprefix("/cases/")
        await page.goto("/access")
        await expect(page.locator("#access-rows")).to_have_attribute("data-live-state", "open")
        _ = [r async for r in parties.company.list_records(case_id)]
        await expect(page.locator("#access-rows tr.fresh .proof-proven").first).to_be_visible()
        problems["live access proven"] = await axe_violations(page)
        # The grant form with every field wrong.
        await page.goto("/consents/new")
        await page.locator("#valid_until").fill("")
        await page.locator("form[action='/consents'] button[type=submit]").click()
        assert await page.locator(".error-summary").count() == 1
        problems["grant form errors"] = await axe_violations(page)
        # The mandate form with every field wrong.
        await page.goto("/mandates")
        await page.locator("#valid_until").fill("")
        await page.locator("form[action='/mandates'] button[type=submit]").click()
        assert await page.locator(".error-summary").count() == 1
        problems["mandate form errors"] = await axe_violations(page)
        # The question form with every field wrong.
        await page.goto("/help")
        await page.locator("form[action='/help'] button[type=submit]").click()
        assert await page.locator(".error-summary").count() == 1
        problems["question form errors"] = await axe_violations(page)
    found = {where: v for where, v in problems.items() if v}
    assert not found, found
