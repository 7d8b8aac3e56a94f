"""A citizen's questions, cases and the signed log as the citizen reads them."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import (
    CITIZEN,
    Parties,
    RunningPortal,
    axe_violations,
    context_in,
    open_inquiry,
    sign_in,
)

from luukku.client import FailedPreconditionError
from luukku.store.uow import Store

LOCALES = ("fi-FI", "sv-FI", "en-GB")


async def test_a_reopened_question_no_longer_shows_its_old_outcome(
    page: Page, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await parties.company.close_inquiry(
        inquiry_id, outcome="Called back, no follow-up", public_note="Answered by phone"
    )
    await sign_in(page)
    await page.goto(f"/inquiries/{inquiry_id}")
    summary = page.locator("#inquiry-summary")
    await expect(summary).to_contain_text("Answered by phone")  # what the citizen was told
    await expect(page.locator("main")).not_to_contain_text("Called back")  # the desk's own

    await page.get_by_role("button", name="Reopen question").click()

    await expect(summary).to_contain_text("Waiting for a reply")
    await expect(summary).not_to_contain_text("Answered by phone")


async def test_a_question_with_a_new_answer_is_marked_unread_until_opened(
    page: Page, parties: Parties, store: Store
) -> None:
    inquiry_id = await open_inquiry(parties, store)  # the company has answered
    await sign_in(page)
    await page.goto("/inquiries")
    row = page.locator("tr", has_text="Help at home")
    await expect(row.locator(".badge")).to_have_text("1 unread")
    assert await axe_violations(page) == []

    await row.get_by_role("link", name="Help at home").click()
    await page.goto("/inquiries")
    await expect(row.locator(".badge")).to_have_count(0)

    await parties.company.post_inquiry_message(inquiry_id, "Could you call us?")
    await page.reload()
    await expect(row.locator(".badge")).to_have_text("1 unread")


async def test_the_citizens_own_reply_is_not_unread(
    page: Page, parties: Parties, store: Store
) -> None:
    await open_inquiry(parties, store)
    await sign_in(page)
    await page.goto("/inquiries")
    await page.get_by_role("link", name="Help at home").click()
    await page.get_by_label("Message").fill("Thank you.")
    await page.get_by_role("button", name="Send").click()
    await page.goto("/inquiries")
    await expect(page.locator("tr", has_text="Help at home").locator(".badge")).to_have_count(0)


HEADINGS = {
    "fi-FI": ("Palvelutarpeen arviointi", "Päätös"),
    "sv-FI": ("Bedömning av servicebehovet", "Beslut"),
    "en-GB": ("Assessment of service needs", "Decision"),
}


@pytest.mark.parametrize("locale", LOCALES)
async def test_record_headings_are_words_in_the_citizens_language(
    browser: Browser, portal: RunningPortal, parties: Parties, locale: str
) -> None:
    case = await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    needs = await parties.municipality.create_record(
        case.id, kind="needs-assessment", text="Apua tarvitaan aamuin illoin."
    )
    await parties.municipality.create_record(case.id, kind="decision", text="Kotihoito myönnetty.")
    assessment, decision = HEADINGS[locale]
    async with context_in(browser, portal, locale) as page:
        await sign_in(page)
        await page.goto(f"/cases/{case.id}")
        await expect(page.locator("h3", has_text=assessment)).to_be_visible()
        await expect(page.locator("h3", has_text=decision)).to_be_visible()
        await expect(page.locator("main")).not_to_contain_text("needs-assessment")

        await page.goto(f"/cases/{case.id}/records/{needs.record_id}")
        await expect(page.locator("h1")).to_have_text(assessment)
        assert await axe_violations(page) == []


async def test_a_long_word_stays_inside_its_box_on_a_phone(
    browser: Browser, portal: RunningPortal, parties: Parties
) -> None:
    word = "Kotihoidonpalvelutarpeenarviointi" * 4
    case = await parties.municipality.create_case(CITIZEN, title=word, category="home_care")
    thread = await parties.municipality.create_thread(case.id, subject=word)
    await parties.municipality.post_message(thread.id, word)
    context = await browser.new_context(
        locale="fi-FI", base_url=portal.url, viewport={"width": 390, "height": 844}
    )
    try:
        page = await context.new_page()
        await sign_in(page)
        for path in ("/cases", f"/cases/{case.id}", f"/threads/{thread.id}", "/discussions"):
            await page.goto(path)
            widths = await page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide on a 390 px phone"
    finally:
        await context.close()


async def test_the_signed_log_page_explains_the_checkpoint_before_the_raw_data(
    page: Page, parties: Parties
) -> None:
    await sign_in(page)
    await page.goto("/access/signed-log")

    explanation = page.locator(".checkpoint-summary")
    await expect(explanation).to_contain_text("the signature is genuine")
    raw = page.locator("pre.note")
    await expect(raw).to_be_visible()
    order = await page.evaluate(
        "() => document.querySelector('.checkpoint-summary')"
        ".compareDocumentPosition(document.querySelector('pre.note'))"
    )
    assert order & 4  # DOCUMENT_POSITION_FOLLOWING: the words come first
    assert await axe_violations(page) == []


QUESTION_CLOSED = {
    "fi-FI": "Kysymys oli suljettu",
    "sv-FI": "Frågan var stängd",
    "en-GB": "The question was closed",
}


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_access_log_says_question_where_the_broker_says_inquiry(
    browser: Browser, portal: RunningPortal, parties: Parties, store: Store, locale: str
) -> None:
    inquiry_id = await open_inquiry(parties, store)
    await parties.company.close_inquiry(inquiry_id, outcome="Answered")
    with pytest.raises(FailedPreconditionError) as refused:
        await parties.company.post_inquiry_message(inquiry_id, "One more thing")
    assert refused.value.reason == "INQUIRY_CLOSED"
    async with context_in(browser, portal, locale) as page:
        await sign_in(page)
        await page.goto("/access")
        rows = page.locator("#access-rows")
        await expect(rows).to_contain_text(QUESTION_CLOSED[locale])
        await expect(rows).not_to_contain_text("Inquiry")
