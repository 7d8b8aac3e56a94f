"""A consent's last day, as the citizen chose it, on every page that shows it (fi, sv, en)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from babel.dates import format_date
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

from luukku.store.uow import Store
from luukku.web.i18n import HELSINKI

END_OF_THE_DAY = {
    "fi": "päivän päättyessä",
    "sv": "när dagen är slut",
    "en": "at the end of the day",
}
LOCALES = ("fi-FI", "sv-FI", "en-GB")


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_last_day_chosen_is_the_last_day_shown(
    browser: Browser, portal: RunningPortal, parties: Parties, locale: str
) -> None:
    case = await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    chosen = datetime.now(HELSINKI).date() + timedelta(days=100)
    language = locale[:2]
    shown, day_after = (
        format_date(d, "medium", locale=language) for d in (chosen, chosen + timedelta(days=1))
    )
    async with context_in(browser, portal, locale) as page:
        await sign_in(page)
        await page.goto(f"/consents/new?case={case.id}")
        await page.locator("#organization_id").select_option("hoiva")
        await page.locator("#permissions-first").check()
        await page.locator("#purpose").fill("Kotihoidon suunnittelu")
        await page.locator("#valid_until").fill(chosen.isoformat())
        async with page.expect_navigation() as landing:
            await page.locator("form[action='/consents'] button[type=submit]").click()

        assert (await landing.value).status == 200
        assert page.url.endswith("/consents?granted=1")
        card = page.locator(".card", has_text="Kotihoidon suunnittelu")
        await expect(card).to_contain_text(shown)
        await expect(card).to_contain_text(END_OF_THE_DAY[language])
        await expect(card).not_to_contain_text(day_after)
        assert await axe_violations(page) == []

        await card.locator("a.button.warning").click()
        confirm = page.locator(".summary")
        await expect(confirm).to_contain_text(shown)
        await expect(confirm).to_contain_text(END_OF_THE_DAY[language])
        await expect(confirm).not_to_contain_text(day_after)
        assert await axe_violations(page) == []


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_one_step_consent_says_how_long_it_lasts_and_lasts_that_long(
    browser: Browser, portal: RunningPortal, parties: Parties, store: Store, locale: str
) -> None:
    own = await parties.company.create_case(CITIZEN, title="Hoivan asiakkuus", category="home_care")
    other = await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    inquiry_id = await open_inquiry(parties, store)  # taken up by the company
    last = datetime.now(HELSINKI).date() + timedelta(days=90)
    shown = format_date(last, "medium", locale=locale[:2])
    async with context_in(browser, portal, locale) as page:
        await sign_in(page)
        await page.goto(f"/inquiries/{inquiry_id}")
        offer = page.locator("#inquiry-consent")
        await expect(offer).to_contain_text("90")
        await expect(offer).to_contain_text(shown)
        choice = offer.locator("#case_id")
        await expect(choice).to_have_value("")  # nothing chosen for the citizen
        await expect(choice.locator(f"option[value='{own.id}']")).to_have_count(0)
        assert await axe_violations(page) == []

        await choice.select_option(other.id)
        async with page.expect_navigation() as landing:
            await offer.locator("button[type=submit]").click()

        assert (await landing.value).status == 200
        assert re.search(rf"/inquiries/{inquiry_id}\?consented=1$", page.url)
        await page.goto("/consents")
        await expect(page.locator(".card").first).to_contain_text(shown)
    [consent] = [c async for c in parties.citizen.list_consents() if c.case_id == other.id]
    assert consent.valid_until.astimezone(HELSINKI).date() == last + timedelta(days=1)


async def test_the_one_step_consent_without_a_case_is_a_field_error_on_the_question(
    page: Page, parties: Parties, store: Store
) -> None:
    await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    inquiry_id = await open_inquiry(parties, store)
    await sign_in(page)
    await page.goto(f"/inquiries/{inquiry_id}")
    async with page.expect_navigation() as landing:
        await page.get_by_role("button", name="Give consent").click()

    assert (await landing.value).status == 200
    assert page.url.endswith(f"/inquiries/{inquiry_id}#consent")
    await expect(page.locator("#case_id-error")).to_contain_text("Choose one of your cases")
    await expect(page.locator("#case_id")).to_have_attribute("aria-invalid", "true")
    assert await axe_violations(page) == []
    assert [c async for c in parties.citizen.list_consents()] == []
