"""The figures page: what the broker counted for the desk, as a chart a screen reader can
name and as a table with the same numbers, in the clerk's language.

A real broker, a ``luukku workspace`` process of one member, Chromium.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from playwright.async_api import Browser, expect
from portal_support import Parties, context_in, desk_of_two, sign_in_clerk

from luukku.store.uow import Store


async def test_the_figures_page_shows_the_desks_counts_and_waits_as_chart_and_table(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    url = await start_workspace("kaupunki")
    answered, handed, _waiting = [
        await parties.citizen.create_inquiry("neuvonta", topic="kotihoito", subject=s, body="?")
        for s in ("Meals", "Transport", "Cleaning")
    ]
    await parties.municipality.claim_inquiry(answered.id)
    await parties.municipality.post_inquiry_message(answered.id, "Yes, from Monday.")
    await parties.company.claim_inquiry(handed.id)
    await parties.company.hand_over_inquiry(
        handed.id, to_organization_id="kaupunki", note="The city decides"
    )
    async with context_in(browser, url, "en-GB") as page:
        await page.goto("/figures")  # signed out: nothing but the way to sign in
        await expect(page.locator("#name")).to_be_visible()
        await expect(page.locator("table")).to_have_count(0)
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.get_by_role("link", name="Figures").click()

        section = page.locator("section.figures")
        await expect(section.get_by_role("heading", name="Neuvonta")).to_be_visible()
        counts = section.locator("table").first
        await expect(counts.locator("tr", has_text="In the queue now")).to_contain_text("2")
        await expect(counts.locator("tr", has_text="Hand-overs")).to_contain_text("1")
        waits = section.locator("table.stacked tbody tr")
        everyone = waits.filter(has_text="Everyone")
        assert await everyone.locator("td").nth(0).inner_text() == "2"  # claimed
        assert await everyone.locator("td").nth(3).inner_text() == "1"  # answered
        await expect(waits.filter(has_text="Hoiva")).to_have_count(1)
        charts = section.get_by_role("img")
        await expect(charts).to_have_count(2)
        await expect(charts.nth(1)).to_have_accessible_name("Waiting times at Neuvonta")
        await expect(charts.nth(1)).to_have_accessible_description(
            "For everyone and for each member, two bars: the wait to claim and the wait to the "
            "first answer. The solid part is the median, the hatched part reaches the 95th "
            "percentile. The table below has the same numbers."
        )
        # The chart's text says the numbers: it is not read by colour alone.
        labels = charts.nth(1).locator("text")
        await expect(labels.nth(0)).to_have_text("Everyone")
        await expect(labels.nth(1)).to_contain_text("to claim: median")
        hatched = section.locator("svg rect[fill^='url(#waits-neuvonta-']")
        await expect(hatched.first).to_be_attached()

        await page.goto("/language/fi?next=/figures")
        await expect(page.get_by_role("heading", name="Luvut", exact=True)).to_be_visible()
        await expect(page.locator("table.stacked tbody tr").first).to_contain_text("Kaikki")
