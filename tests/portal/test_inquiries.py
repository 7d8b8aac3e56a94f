"""Asking for help in the browser: the question, who handles it, the answer, consent, reopening."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import Page, expect
from portal_support import CITIZEN, Parties, sign_in

from luukku.client import PermissionDeniedError
from luukku.service import desks
from luukku.store.uow import Store


def _desk(store: Store) -> None:
    desks.create_desk(
        store,
        "neuvonta",
        name="Neuvonta",
        topics=["kotihoito", "asuminen"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=14),
    )
    for member in ("kaupunki", "hoiva"):
        desks.add_member(store, "neuvonta", member)


async def test_a_question_is_answered_by_whoever_takes_it_and_a_consent_opens_one_case(
    page: Page, parties: Parties, store: Store
) -> None:
    _desk(store)
    case = await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    await parties.municipality.create_record(case.id, kind="note", text="Visits twice a day.")
    await sign_in(page)

    await page.get_by_role("link", name="Ask for help").click()
    await page.get_by_role("link", name="Ask for help").last.click()
    await page.get_by_label("What is your question about?").select_option("neuvonta kotihoito")
    await page.get_by_label("Title", exact=True).fill("Help at home")
    await page.get_by_label("Your question", exact=True).fill("Who can help me at home?")
    await page.get_by_role("button", name="Send question").click()
    await expect(page.get_by_role("status")).to_contain_text("Your question was sent")
    await expect(page.locator("dl.summary")).to_contain_text("Waiting for a reply")
    inquiry_id = page.url.split("/inquiries/")[1].split("?")[0]

    await parties.company.claim_inquiry(inquiry_id)
    await parties.company.post_inquiry_message(inquiry_id, "We can: tell us more.")
    await page.reload()
    await expect(page.locator("dl.summary")).to_contain_text("Being handled")
    await expect(page.locator("#messages")).to_contain_text("We can: tell us more.")
    await expect(page.locator("#messages")).to_contain_text("Mikko Laine, nurse")

    with pytest.raises(PermissionDeniedError) as refused:
        [r async for r in parties.company.list_records(case.id)]
    assert refused.value.reason == "CONSENT_REQUIRED"
    await page.get_by_label("Case").select_option(case.id)
    await page.get_by_role("button", name="Give consent").click()
    await expect(page.get_by_role("status")).to_contain_text("The consent was recorded")
    assert [r.text async for r in parties.company.list_records(case.id)] == ["Visits twice a day."]

    await page.get_by_label("Message").fill("Mornings, please.")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.locator("#messages")).to_contain_text("Mornings, please.")
    await parties.company.close_inquiry(inquiry_id, outcome="Morning visits arranged.")
    await page.reload()
    await expect(page.locator("dl.summary")).to_contain_text("Morning visits arranged.")
    await page.get_by_role("button", name="Reopen question").click()
    await expect(page.locator("dl.summary")).to_contain_text("Waiting for a reply")

    await page.goto("/inquiries")
    await expect(page.locator("table")).to_contain_text("Help at home")


async def test_the_question_form_shows_what_is_missing_next_to_each_field(
    page: Page, parties: Parties, store: Store
) -> None:
    _desk(store)
    await sign_in(page)
    await page.goto("/help")
    await page.get_by_role("button", name="Send question").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_contain_text("Choose what your question is about")
    await expect(summary).to_contain_text("Write a short title for your question")
    await expect(summary).to_contain_text("Write your question")
    assert await page.locator("[aria-invalid=true]").count() == 3
    assert [i async for i in parties.citizen.list_inquiries()] == []
