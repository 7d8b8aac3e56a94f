"""The portal passes the name of the citizen's sign-in (here the test identification's
optional name field) with their question, and the clerk holding it reads it."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page, expect
from portal_support import CITIZEN, Parties

from luukku.service.desks import admin as desks
from luukku.store.uow import Store

NAME = "Maija Meikäläinen"


async def test_the_name_given_at_sign_in_reaches_the_clerk_holding_the_question(
    page: Page, parties: Parties, store: Store
) -> None:
    desks.create_desk(
        store,
        "neuvonta",
        name="Neuvonta",
        topics=["kotihoito"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=14),
    )
    desks.add_member(store, "neuvonta", "kaupunki")
    await page.goto("/login")
    await page.locator("#identity_code").fill(CITIZEN)
    await page.get_by_label("Name (optional)").fill(f"  {NAME} ")
    await page.locator("form[action='/login'] button[type=submit]").click()
    await page.wait_for_url("**/cases")
    await expect(page.locator(".who")).to_have_text(NAME)

    await page.get_by_role("link", name="Ask for help").click()
    await page.get_by_role("link", name="Ask for help").last.click()
    await page.get_by_role("radio").first.check()
    await page.get_by_label("Title", exact=True).fill("Help at home")
    await page.get_by_label("Your question", exact=True).fill("Who can help me at home?")
    await page.get_by_role("button", name="Send question").click()
    await expect(page.get_by_role("status")).to_contain_text("Your question was sent")
    inquiry_id = page.url.split("/inquiries/")[1].split("?")[0]

    await parties.municipality.claim_inquiry(inquiry_id)
    asker = await parties.municipality.get_inquiry_asker(inquiry_id)
    assert asker.display_name == NAME
    assert NAME not in page.url
    assert NAME not in await page.title()
