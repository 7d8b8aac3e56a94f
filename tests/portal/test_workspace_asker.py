"""Who is asking, in the workspace: the citizen's name and other open inquiries on the
page of an inquiry the clerk's organisation holds, each view in the citizen's access log;
and the queue saying, in words and live, that the citizen wrote since our last answer,
told politely to screen readers. Every page state passes axe-core in fi, sv and en.

A real broker, a ``luukku workspace`` process, Chromium; the citizen asks through the SDK
as the portal organisation, with the name their identity provider gave.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser, expect
from portal_support import Parties, axe_violations, context_in, desk_of_two, sign_in_clerk

from luukku.client import Inquiry
from luukku.store.uow import Store

NAME = "Maija Meikäläinen"
LOCALES = {"fi-FI": "Asiakas kirjoitti", "sv-FI": "Klienten skrev", "en-GB": "The citizen wrote"}


async def _asks(parties: Parties, subject: str) -> Inquiry:
    return await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject=subject, body=f"{subject}?", citizen_name=NAME
    )


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_holder_sees_who_is_asking_and_the_queue_tells_live_that_they_wrote(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
    locale: str,
) -> None:
    desk_of_two(store)
    url = await start_workspace("kaupunki")
    home, meals, waiting = [await _asks(parties, s) for s in ("Help at home", "Meals", "Bus")]
    problems: dict[str, list[str]] = {}
    async with context_in(browser, url, locale) as page:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.goto(f"/inquiries/{waiting.id}")
        await expect(page.locator("#asker")).to_be_visible()
        assert NAME not in await page.locator("main").inner_text()
        problems["waiting: who is asking shown once claimed"] = await axe_violations(page)
        for inquiry in (home, meals):
            await page.goto(f"/inquiries/{inquiry.id}")
            await page.locator(f"form[action='/inquiries/{inquiry.id}/claim'] button").click()
        await expect(page.locator("#asker strong")).to_have_text(NAME)
        others = page.locator("#asker .other-inquiries a")
        assert sorted([await a.get_attribute("href") for a in await others.all()]) == sorted(
            [f"/inquiries/{home.id}", f"/inquiries/{waiting.id}"]
        )
        problems["held: who is asking"] = await axe_violations(page)
        await page.locator("#body").fill("We can bring meals daily.")
        await page.locator(
            f"form[action='/inquiries/{meals.id}/messages'] button:not([formaction])"
        ).click()
        await expect(page.locator("#message-2")).to_be_visible()

        await page.goto("/")
        await expect(page.locator("[data-live-state=open]").first).to_be_attached()
        flag = page.locator(f"#inquiry-{meals.id} .citizen-wrote")
        assert await flag.count() == 0
        await parties.citizen.post_inquiry_message(meals.id, "Thank you! From Monday?")
        await expect(flag).to_contain_text(LOCALES[locale])
        await expect(page.locator("#announcer")).to_contain_text("Meals")
        problems["queue: the citizen wrote"] = await axe_violations(page)
        await page.goto(f"/inquiries/{meals.id}")
        await page.locator("#body").fill("Yes, from Monday.")
        await page.locator(
            f"form[action='/inquiries/{meals.id}/messages'] button:not([formaction])"
        ).click()
        await expect(page.locator("#message-4")).to_be_visible()
        await page.goto("/")
        assert await flag.count() == 0
    found = {where: v for where, v in problems.items() if v}
    assert not found, found
    reads = [
        e async for e in parties.citizen.list_audit_events() if e.action == "inquiry.asker.read"
    ]
    assert {(e.organization_id, e.practitioner.display_name) for e in reads} == {
        ("kaupunki", "Kaisa Neuvoja")
    }
    assert len(reads) >= 2  # each view of a held inquiry's page is one read
