"""The three-way story from the citizen's side: a browser for the citizen, the SDK for others.

Sign in, see the case a municipal service opened, give a care company read and
discuss, watch its read appear in the open access log without a reload and become
proven in the signed log, talk live in the thread, withdraw the consent, and see
the company's next read refused in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import re

import pytest
from playwright.async_api import Page, expect
from portal_support import CITIZEN, Parties, sign_in

from luukku.client import Message, PermissionDeniedError


async def test_three_way_story(page: Page, parties: Parties) -> None:
    municipality, company = parties.municipality, parties.company
    case = await municipality.create_case(
        CITIZEN, title="Home care after hospital stay", category="home_care"
    )
    await municipality.create_record(case.id, kind="assessment", text="Needs help at home.")
    thread = await municipality.create_thread(case.id, subject="Planning the visits")

    # Sign in and find the case the municipality opened.
    await sign_in(page)
    await expect(page.get_by_role("link", name="Home care after hospital stay")).to_be_visible()
    await expect(page.get_by_role("cell", name="kaupunki name")).to_be_visible()

    # Give the care company read and discuss on this case.
    await page.get_by_role("link", name="Home care after hospital stay").click()
    await page.get_by_role("link", name="Let an organisation see this case").click()
    await page.get_by_label("Organisation").select_option(label="hoiva name")
    await expect(page.get_by_label("Case", exact=True)).to_have_value(case.id)
    await page.get_by_label("Read the records").check()
    await page.get_by_label("Take part in discussions").check()
    await page.get_by_label("Purpose").fill("Planning home care together")
    await page.get_by_role("button", name="Give consent").click()
    await expect(page.get_by_role("status")).to_contain_text("The consent was recorded")
    in_force = page.locator(".card", has_text="hoiva name")
    await expect(in_force).to_contain_text("Planning home care together")

    # The access log is open; the company reads; the read appears without a reload.
    await page.get_by_role("link", name="Who has looked at my data").click()
    await expect(page.locator("#access-rows")).to_have_attribute("data-live-state", "open")
    records = [r async for r in company.list_records(case.id)]
    assert [r.text for r in records] == ["Needs help at home."]
    company_read = page.locator("#access-rows tr", has_text="hoiva name").filter(
        has_text="Read the records of a case"
    )
    await expect(company_read.first).to_be_visible()
    await expect(company_read.first).to_contain_text("Mikko Laine")
    await expect(company_read.first).to_contain_text("Allowed")
    await expect(page.locator("#announcer")).to_contain_text("hoiva name")
    # Once the broker signs a checkpoint that covers it, the live row is proven in place.
    await expect(company_read.first.locator(".proof")).to_have_text("Proven")

    # The company writes in the thread; the message arrives live in the open thread page.
    await page.goto(f"/threads/{thread.id}")
    await expect(page.locator("#messages")).to_have_attribute("data-live-state", "open")
    await company.post_message(thread.id, "We can visit at 8, 13 and 19.")
    await expect(page.locator("#messages")).to_contain_text("We can visit at 8, 13 and 19.")
    await expect(page.locator("#messages li").last).to_contain_text("Mikko Laine")

    # The citizen replies from the browser; the company's watch receives it.
    received: asyncio.Queue[Message] = asyncio.Queue()

    async def watch() -> None:
        async for message in company.watch_thread(thread.id):
            await received.put(message)

    watcher = asyncio.create_task(watch())
    try:
        assert (await asyncio.wait_for(received.get(), 5)).body.startswith("We can visit")
        await page.get_by_label("Message").fill("Those times suit me, thank you.")
        await page.get_by_role("button", name="Send").click()
        reply = await asyncio.wait_for(received.get(), 5)
        assert reply.body == "Those times suit me, thank you."
        assert reply.author_citizen_id  # written by the citizen, not an organisation
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, PermissionDeniedError):
            await watcher

    # Withdraw: two clicks and a confirmation that says access ended.
    await page.get_by_role("link", name="Consents").click()
    await (
        page.locator(".card", has_text="hoiva name")
        .get_by_role("link", name=re.compile("Withdraw consent"))
        .click()
    )
    await page.get_by_role("button", name="Yes, withdraw consent").click()
    await expect(page.get_by_role("status")).to_contain_text("access ended at once")

    # The company's next read is refused, and the refusal is in the citizen's log.
    await page.get_by_role("link", name="Who has looked at my data").click()
    await expect(page.locator("#access-rows")).to_have_attribute("data-live-state", "open")
    with pytest.raises(PermissionDeniedError) as refused:
        _ = [r async for r in company.list_records(case.id)]
    assert refused.value.reason == "CONSENT_REVOKED"
    refusal = page.locator("#access-rows tr", has_text="hoiva name").filter(has_text="Denied")
    await expect(refusal.first).to_contain_text("The consent was withdrawn")
