"""Writing in a discussion or a question as a person does: press Send, read the page it lands on.

Every test presses the button in Chromium and asserts what the citizen sees next
(status, address, the message in view, no error page), not only what the broker
stored; with and without JavaScript, and with a double click or a reload, which
must never post twice.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Locator, Page, Response, Route, expect
from portal_support import (
    Parties,
    RunningPortal,
    axe_violations,
    context_in,
    open_inquiry,
    open_story,
    sign_in,
)

from luukku.store.uow import Store


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request: pytest.FixtureRequest) -> bool:
    """Whether the browser runs the portal's scripts."""
    return bool(request.param)


@pytest.fixture
async def any_page(
    javascript: bool, browser: Browser, portal: RunningPortal
) -> AsyncIterator[Page]:
    """An English page, with JavaScript and without."""
    context = await browser.new_context(
        locale="en-GB", base_url=portal.url, java_script_enabled=javascript
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    yield page
    await context.close()


async def press(page: Page, button: Locator) -> Response:
    """Press ``button`` and return the response of the page the browser lands on."""
    async with page.expect_navigation() as landing:
        await button.click()
    response = await landing.value
    assert response is not None
    return response


async def press_twice(page: Page, button: Locator, action: str) -> None:
    """Press ``button`` so that its form reaches the portal twice, as a double click or a
    second press on a slow line sends it: the first answer is lost, the browser follows
    the second.
    """

    async def send_twice(route: Route) -> None:
        await route.fetch(max_redirects=0)
        await route.fulfill(response=await route.fetch(max_redirects=0))

    await page.route(f"**{action}", send_twice)
    await button.click()
    await page.unroute(f"**{action}")


async def _assert_no_error_page(page: Page) -> None:
    await expect(page.locator("h1")).not_to_have_text(
        re.compile("did not work|not found|went wrong|expired", re.I)
    )
    await expect(page.locator(".error-summary")).to_have_count(0)


async def test_a_reply_lands_on_the_discussion_scrolled_to_it(
    any_page: Page, parties: Parties
) -> None:
    story = await open_story(parties)
    await sign_in(any_page)
    await any_page.goto(f"/threads/{story.thread_id}")
    await any_page.get_by_label("Message").fill("Those times suit me, thank you.")

    landed = await press(any_page, any_page.get_by_role("button", name="Send"))

    assert landed.status == 200
    assert any_page.url.endswith(f"/threads/{story.thread_id}#message-2")
    await _assert_no_error_page(any_page)
    mine = any_page.locator("#message-2")
    await expect(mine).to_contain_text("Those times suit me, thank you.")
    await expect(mine).to_be_in_viewport()


async def test_an_empty_reply_is_a_field_error_on_the_same_discussion(
    any_page: Page, javascript: bool, parties: Parties
) -> None:
    story = await open_story(parties)
    await sign_in(any_page)
    await any_page.goto(f"/threads/{story.thread_id}")
    await any_page.get_by_label("Message").fill("   ")

    landed = await press(any_page, any_page.get_by_role("button", name="Send"))

    assert landed.status == 200
    assert any_page.url.endswith(f"/threads/{story.thread_id}#reply")
    await expect(any_page.locator("#body-error")).to_contain_text("Write a message")
    await expect(any_page.get_by_label("Message")).to_have_attribute("aria-invalid", "true")
    if javascript:  # axe-core runs as a script in the page
        assert await axe_violations(any_page) == []
    assert [m.body async for m in parties.municipality.list_messages(story.thread_id)] == [
        "Which times suit you?"
    ]


async def test_a_double_click_and_a_reload_post_a_reply_once(page: Page, parties: Parties) -> None:
    story = await open_story(parties)
    await sign_in(page)
    await page.goto(f"/threads/{story.thread_id}")
    await page.get_by_label("Message").fill("Only once, please.")

    await press_twice(
        page, page.get_by_role("button", name="Send"), f"/threads/{story.thread_id}/messages"
    )
    await page.wait_for_url(f"**/threads/{story.thread_id}#message-2")
    await _assert_no_error_page(page)
    reloaded = await page.reload()

    assert reloaded is not None
    assert reloaded.status == 200
    await expect(page.locator("#messages")).to_contain_text("Only once, please.")
    bodies = [m.body async for m in parties.municipality.list_messages(story.thread_id)]
    assert bodies == ["Which times suit you?", "Only once, please."]


async def test_a_reply_to_a_question_lands_on_the_question_at_the_reply(
    any_page: Page, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await sign_in(any_page)
    await any_page.goto(f"/inquiries/{inquiry_id}")
    await any_page.get_by_label("Message").fill("I live alone on the third floor.")

    landed = await press(any_page, any_page.get_by_role("button", name="Send"))

    assert landed.status == 200
    assert any_page.url.endswith(f"/inquiries/{inquiry_id}#message-3")
    await _assert_no_error_page(any_page)
    await expect(any_page.locator("#message-3")).to_contain_text("I live alone")


async def test_an_empty_reply_to_a_question_keeps_the_citizen_on_the_question(
    any_page: Page, javascript: bool, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await sign_in(any_page)
    await any_page.goto(f"/inquiries/{inquiry_id}")

    landed = await press(any_page, any_page.get_by_role("button", name="Send"))

    assert landed.status == 200
    assert any_page.url.endswith(f"/inquiries/{inquiry_id}#reply")
    await expect(any_page.locator("#body-error")).to_contain_text("Write a message")
    if javascript:  # axe-core runs as a script in the page
        assert await axe_violations(any_page) == []


async def test_a_double_click_on_a_question_reply_posts_it_once(
    page: Page, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await sign_in(page)
    await page.goto(f"/inquiries/{inquiry_id}")
    await page.get_by_label("Message").fill("Just once.")

    await press_twice(
        page, page.get_by_role("button", name="Send"), f"/inquiries/{inquiry_id}/messages"
    )
    await page.wait_for_url(f"**/inquiries/{inquiry_id}#message-3")
    await _assert_no_error_page(page)
    await page.reload()

    bodies = [m.body async for m in parties.company.list_inquiry_messages(inquiry_id)]
    assert bodies.count("Just once.") == 1


async def test_a_double_click_gives_one_consent_and_lands_on_the_consents(
    page: Page, parties: Parties
) -> None:
    story = await open_story(parties)
    await sign_in(page)
    await page.goto(f"/consents/new?case={story.case_id}")
    await page.get_by_label("Organisation").select_option("kaupunki")
    await page.get_by_label("Read the records").check()
    await page.get_by_label("Purpose").fill("Twice pressed")

    await press_twice(page, page.get_by_role("button", name="Give consent"), "/consents")
    await page.wait_for_url("**/consents?granted=1")
    await _assert_no_error_page(page)
    await expect(page.get_by_role("status")).to_contain_text("The consent was recorded")
    await page.reload()

    purposes = [c.purpose async for c in parties.citizen.list_consents()]
    assert purposes.count("Twice pressed") == 1


async def test_a_double_click_on_withdraw_lands_on_the_withdrawn_notice(
    page: Page, parties: Parties
) -> None:
    story = await open_story(parties)
    await sign_in(page)
    await page.goto(f"/consents/{story.consent_id}/revoke")

    await press_twice(
        page,
        page.get_by_role("button", name="Yes, withdraw consent"),
        f"/consents/{story.consent_id}/revoke",
    )
    await page.wait_for_url("**/consents?revoked=1")

    await _assert_no_error_page(page)
    await expect(page.get_by_role("status")).to_contain_text("access ended at once")


async def test_reopening_a_question_twice_lands_on_the_reopened_question(
    page: Page, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await parties.company.close_inquiry(inquiry_id, outcome="Answered by phone")
    await sign_in(page)
    await page.goto(f"/inquiries/{inquiry_id}")

    await press_twice(
        page, page.get_by_role("button", name="Reopen question"), f"/inquiries/{inquiry_id}/reopen"
    )
    await page.wait_for_url(f"**/inquiries/{inquiry_id}?reopened=1")

    await _assert_no_error_page(page)
    await expect(page.get_by_role("status")).to_contain_text("Your question was reopened")
    await expect(page.locator("#inquiry-summary")).to_contain_text("Waiting for a reply")
    steps = [str(s.kind) for s in (await parties.citizen.get_inquiry(inquiry_id)).history]
    assert steps.count("reopened") == 1


@pytest.mark.parametrize(("locale", "you"), [("fi-FI", "Sinä"), ("sv-FI", "Du"), ("en-GB", "You")])
async def test_the_citizens_own_messages_say_you_on_the_page_and_live(
    browser: Browser, portal: RunningPortal, parties: Parties, locale: str, you: str
) -> None:
    story = await open_story(parties)
    await parties.citizen.post_message(story.thread_id, "Mornings suit me.")
    async with context_in(browser, portal, locale) as page:
        await sign_in(page)
        await page.goto(f"/threads/{story.thread_id}")
        await expect(page.locator("#message-2 .author")).to_have_text(you)
        await expect(page.locator("#message-1 .author")).to_contain_text("Sanna Virtanen")

        await expect(page.locator("#messages")).to_have_attribute("data-live-state", "open")
        await parties.citizen.post_message(story.thread_id, "Evenings too.")
        await expect(page.locator("#message-3 .author")).to_have_text(you)


async def test_the_citizens_own_question_messages_say_you(
    page: Page, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await sign_in(page)
    await page.goto(f"/inquiries/{inquiry_id}")

    await expect(page.locator("#message-1 .author")).to_have_text("You")
    await expect(page.locator("#message-2 .author")).to_contain_text("Mikko Laine")
