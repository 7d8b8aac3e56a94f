"""The access log as a citizen reads it: repeated reads are one row, each proven; fits a phone."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect
from portal_support import (
    Parties,
    RunningPortal,
    axe_violations,
    context_in,
    open_story,
    sign_in_any_language,
)

GROUPED = {
    "fi-FI": ("Luki asian kirjaukset 3 kertaa", "Jokainen käyttökerta (3)"),
    "sv-FI": ("Läste anteckningarna i ett ärende 3 gånger", "Varje åtkomst (3)"),
    "en-GB": ("Read the records of a case 3 times", "Each access (3)"),
}


@pytest.mark.parametrize("locale", list(GROUPED))
async def test_repeated_reads_by_one_person_are_one_row_that_opens_to_each_proven_access(
    browser: Browser, portal: RunningPortal, parties: Parties, locale: str
) -> None:
    story = await open_story(parties)
    for _ in range(3):
        _ = [r async for r in parties.company.list_records(story.case_id)]
    what, each = GROUPED[locale]
    async with context_in(browser, portal, locale) as page:
        await sign_in_any_language(page)
        await page.wait_for_timeout(300)  # the test broker signs a checkpoint every 50 ms
        await page.goto("/access")
        group = page.locator("#access-rows tr.group")
        await expect(group).to_have_count(1)
        await expect(group).to_contain_text(what)
        accesses = group.locator("details li")
        await expect(accesses).to_have_count(3)
        await expect(accesses.first).to_be_hidden()
        await group.get_by_text(each).click()
        await expect(accesses.first).to_be_visible()
        await expect(accesses.locator(".proof-proven")).to_have_count(3)
        assert await axe_violations(page) == []

        # A new access still appears live, as a row of its own.
        await parties.company.get_case(story.case_id)
        await expect(page.locator("#access-rows > tr").first).to_have_class("allowed fresh")


@pytest.mark.parametrize("width", [390, 320])
async def test_the_access_log_fits_a_phone_screen(
    browser: Browser, portal: RunningPortal, parties: Parties, width: int
) -> None:
    story = await open_story(parties)
    for _ in range(2):
        _ = [r async for r in parties.company.list_records(story.case_id)]
    async with context_in(browser, portal, "fi-FI") as page:
        await page.set_viewport_size({"width": width, "height": 800})
        await sign_in_any_language(page)
        await page.goto("/access")
        await page.locator("#access-rows details summary").first.click()
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
