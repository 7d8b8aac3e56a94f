"""Asking for help in the browser: the question, who handles it, the answer, consent, reopening."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import (
    CITIZEN,
    OTHER_CITIZEN,
    Parties,
    RunningPortal,
    axe_violations,
    context_in,
    sign_in,
    sign_in_any_language,
)

from luukku.client import Client, Message, PermissionDeniedError
from luukku.service.desks import admin as desks
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
    desks.set_topic(store, "neuvonta", "kotihoito", fi="Kotihoito", sv="Hemvård", en="Home care")
    desks.set_topic(store, "neuvonta", "asuminen", fi="Asuminen", sv="Boende", en="Housing")


async def test_a_question_is_answered_by_whoever_takes_it_and_a_consent_opens_one_case(
    page: Page, parties: Parties, store: Store
) -> None:
    _desk(store)
    case = await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    await parties.municipality.create_record(case.id, kind="note", text="Visits twice a day.")
    await sign_in(page)

    await page.get_by_role("link", name="Ask for help").click()
    await page.get_by_role("link", name="Ask for help").last.click()
    await page.get_by_role("radio", name="Home care").check()
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
    await page.get_by_label("Case", exact=True).select_option(case.id)
    await page.get_by_role("button", name="Give consent").click()
    await expect(page.get_by_role("status")).to_contain_text("The consent was recorded")
    assert [r.text async for r in parties.company.list_records(case.id)] == ["Visits twice a day."]

    await page.get_by_label("Message").fill("Mornings, please.")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.locator("#messages")).to_contain_text("Mornings, please.")
    await parties.company.close_inquiry(
        inquiry_id, outcome="Arranged; no fee.", public_note="Morning visits arranged."
    )
    await page.reload()
    await expect(page.locator("dl.summary")).to_contain_text("Closed")
    await expect(page.locator("#inquiry-history")).to_contain_text("Morning visits arranged.")
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
    assert await page.locator("[aria-invalid=true]").count() == 2
    topics = page.locator("fieldset[aria-describedby=topic-error]")
    await expect(topics).to_contain_text("Choose what your question is about")
    assert [i async for i in parties.citizen.list_inquiries()] == []


async def _first_message(clerk: Client, inquiry_id: str, after: int) -> Message:
    async for item in clerk.watch_inquiry(inquiry_id, after_sequence=after):
        if isinstance(item, Message):
            return item
    raise AssertionError("the watch ended without a message")


async def test_the_open_question_page_shows_who_takes_it_and_the_answers_without_a_reload(
    page: Page, parties: Parties, store: Store
) -> None:
    _desk(store)
    await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me at home?"
    )
    await sign_in(page)
    await page.goto(f"/inquiries/{asked.id}")
    summary, messages = page.locator("#inquiry-summary"), page.locator("#messages")
    await expect(messages).to_have_attribute("data-live-state", "open")
    await expect(summary).to_contain_text("Nobody yet")
    await expect(page.get_by_role("button", name="Give consent")).to_have_count(0)
    await page.evaluate("window.notReloaded = true")
    await page.get_by_label("Message").fill("Mornings, please.")

    # A clerk of the company takes the question up and answers.
    await parties.company.claim_inquiry(asked.id)
    answer = await parties.company.post_inquiry_message(asked.id, "We can: tell us more.")
    await expect(summary).to_contain_text("Being handled")
    await expect(summary).to_contain_text("Mikko Laine, nurse, hoiva name")
    await expect(messages.locator("li").last).to_contain_text("We can: tell us more.")
    await expect(messages.locator("li").last).to_contain_text("Mikko Laine, nurse")
    await expect(page.locator("#inquiry-history")).to_contain_text("Taken up")
    await expect(page.get_by_role("button", name="Give consent")).to_be_visible()
    # What the citizen was typing is still there: a claim does not replace the reply form.
    await expect(page.get_by_label("Message")).to_have_value("Mornings, please.")
    assert await page.evaluate("window.notReloaded") is True

    # The citizen's reply reaches the clerk's watch.
    heard = asyncio.create_task(_first_message(parties.company, asked.id, answer.sequence))
    await page.get_by_role("button", name="Send", exact=True).click()
    reply = await asyncio.wait_for(heard, 15)
    assert reply.body == "Mornings, please."
    assert reply.author_citizen_id is not None
    await expect(messages).to_have_attribute("data-live-state", "open")
    await page.evaluate("window.notReloaded = true")

    # Handed over: back in the queue, announced politely.
    await parties.company.hand_over_inquiry(
        asked.id,
        note="Needs two visits a day: theirs.",
        public_note="The city arranges visits.",
        to_organization_id="kaupunki",
    )
    await expect(summary).to_contain_text("Waiting for a reply")
    await expect(summary).to_contain_text("Nobody yet")
    await expect(page.locator("#announcer")).to_contain_text(
        "Status: Waiting for a reply. Handled by: Nobody yet"
    )
    await expect(page.locator("#inquiry-history")).to_contain_text("Handed over to kaupunki name")
    await expect(page.locator("#inquiry-history")).to_contain_text("The city arranges visits.")
    await expect(page.locator("#inquiry-history")).not_to_contain_text("two visits a day")
    await expect(page.get_by_role("button", name="Give consent")).to_have_count(0)

    # Taken up by the city and closed: the reopening form replaces the reply form.
    await parties.municipality.claim_inquiry(asked.id)
    await expect(summary).to_contain_text("Sanna Virtanen, social worker, kaupunki name")
    await parties.municipality.close_inquiry(
        asked.id, outcome="Arranged; no fee.", public_note="Morning visits arranged."
    )
    await expect(summary).to_contain_text("Closed")
    await expect(page.locator("#inquiry-history")).to_contain_text("Morning visits arranged.")
    await expect(page.locator("#inquiry-history")).not_to_contain_text("no fee")
    await expect(page.get_by_role("button", name="Reopen question")).to_be_visible()
    await expect(page.get_by_label("Message")).to_have_count(0)

    # Reopened (from another tab, say): the reply form is back.
    await parties.citizen.reopen_inquiry(asked.id)
    await expect(summary).to_contain_text("Waiting for a reply")
    await expect(page.get_by_label("Message")).to_be_visible()
    await expect(page.get_by_role("button", name="Reopen question")).to_have_count(0)
    assert await page.evaluate("window.notReloaded") is True


async def test_a_reconnected_stream_resumes_after_the_last_message_it_delivered(
    page: Page, parties: Parties, store: Store, portal: RunningPortal
) -> None:
    _desk(store)
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me at home?"
    )
    question = asked.last_sequence
    await parties.company.claim_inquiry(asked.id)
    await parties.company.post_inquiry_message(asked.id, "We can: tell us more.")
    await sign_in(page)
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
    async with (
        httpx.AsyncClient(
            base_url=portal.url, cookies=cookies, headers={"Accept-Language": "en"}
        ) as http,
        http.stream(
            "GET", f"/inquiries/{asked.id}/live", headers={"Last-Event-ID": str(question)}
        ) as events,
    ):
        assert events.status_code == 200
        lines: list[str] = []
        async for line in events.aiter_lines():
            lines.append(line)
            if "We can: tell us more." in line:
                break
    text = "\n".join(lines)
    assert "event: state" in text
    assert "Being handled" in text
    assert f"id: {question + 1}" in text
    assert "Who can help me at home?" not in text


async def test_another_citizens_question_has_no_live_updates(
    browser: Browser, page: Page, parties: Parties, store: Store, portal: RunningPortal
) -> None:
    _desk(store)
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me at home?"
    )
    async with context_in(browser, portal, "en-GB") as other:
        await sign_in(other, OTHER_CITIZEN)
        for path in (f"/inquiries/{asked.id}/live", f"/inquiries/{asked.id}"):
            refused = await other.request.get(path)
            assert refused.status == 404, path
            assert "Help at home" not in await refused.text()
    await sign_in(page)
    missing = await page.request.get(f"/inquiries/{'f' * 32}/live")
    assert missing.status == 404


ASK_TOPICS = {
    "fi-FI": ("Mitä kysymyksesi koskee?", ["Kotihoito", "Asuminen"], ["Metsätalous"]),
    "sv-FI": ("Vad gäller din fråga?", ["Hemvård", "Boende"], ["Skogsbruk"]),
    "en-GB": ("What is your question about?", ["Home care", "Housing"], ["Forestry"]),
}


@pytest.mark.parametrize("locale", list(ASK_TOPICS))
async def test_the_topics_are_named_in_the_page_language_under_their_own_desk(
    browser: Browser, portal: RunningPortal, store: Store, locale: str
) -> None:
    _desk(store)
    desks.create_desk(
        store,
        "maaseutu",
        name="Maaseutuneuvonta, Pohjois-Savo",
        topics=["forestry"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=14),
    )
    desks.set_topic(store, "maaseutu", "forestry", fi="Metsätalous", sv="Skogsbruk", en="Forestry")
    question, uusimaa, savo = ASK_TOPICS[locale]
    async with context_in(browser, portal, locale) as page:
        await sign_in_any_language(page)
        await page.goto("/help")
        asked = page.locator("fieldset", has=page.locator("legend", has_text=question)).first
        await expect(asked).to_be_visible()
        groups = asked.locator("fieldset.desk-topics")
        await expect(groups.locator("legend")).to_have_text(
            ["Maaseutuneuvonta, Pohjois-Savo", "Neuvonta"]
        )
        await expect(groups.nth(0).locator("label")).to_have_text(savo)
        await expect(groups.nth(1).locator("label")).to_have_text(uusimaa)
        assert await axe_violations(page) == []


HANDED_OVER = {
    "fi-FI": "Siirretty: kaupunki name",
    "sv-FI": "Överlämnad till kaupunki name",
    "en-GB": "Handed over to kaupunki name",
}


@pytest.mark.parametrize("locale", list(HANDED_OVER))
async def test_the_citizen_sees_to_whom_a_question_went_and_the_public_note_never_the_internal_one(
    browser: Browser, portal: RunningPortal, parties: Parties, store: Store, locale: str
) -> None:
    _desk(store)
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Help at home", body="Who can help me at home?"
    )
    await parties.company.claim_inquiry(asked.id)
    await parties.company.hand_over_inquiry(
        asked.id,
        to_organization_id="kaupunki",
        note="Internal: the customer was rude on the phone.",
        public_note="The city's home care answers you next.",
    )
    async with context_in(browser, portal, locale) as page:
        await sign_in_any_language(page)
        await page.goto(f"/inquiries/{asked.id}")
        history = page.locator("#inquiry-history")
        await expect(history).to_contain_text(HANDED_OVER[locale])
        await expect(history).to_contain_text("The city's home care answers you next.")
        assert "rude" not in await page.content()
        assert await axe_violations(page) == []
