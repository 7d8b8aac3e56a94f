"""An inquiry asked for someone else, in the workspace: the clerk who holds it reads who
asked for the citizen and under what right ("asked by Maija for her mother"), in fi, sv
and en, and the page passes axe-core.

A real broker, a ``luukku workspace`` process, Chromium. The mother gives her daughter a
mandate for social-care matters through the portal organisation; the daughter accepts it
and asks the desk acting for her mother, with the name her identity provider gave.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from citizen_tokens import TestIssuer
from playwright.async_api import Browser, expect
from portal_support import (
    OTHER_CITIZEN,
    Parties,
    axe_violations,
    context_in,
    desk_of_two,
    sign_in_clerk,
)

from luukku.store.uow import Store

DAUGHTER = OTHER_CITIZEN
DAUGHTERS_NAME = "Maija Meikäläinen"
UNDER_A_MANDATE = {
    "fi-FI": "asiakkaan antamalla valtuutuksella",
    "sv-FI": "med fullmakt som klienten gett",
    "en-GB": "under a mandate the citizen gave",
}


@pytest.mark.parametrize("locale", UNDER_A_MANDATE)
async def test_the_holder_reads_who_asked_for_the_citizen_and_under_what_right(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
    citizen_issuer: TestIssuer,
    locale: str,
) -> None:
    desk_of_two(store)
    url = await start_workspace("kaupunki")
    mother = parties.citizen
    mandate = await mother.give_mandate(
        DAUGHTER,
        codes=["sote-social-care"],
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    daughter_token = citizen_issuer.token_source(DAUGHTER)
    daughter = mother.acting_as(on_behalf_of=DAUGHTER, citizen_token=daughter_token)
    await daughter.accept_mandate(mandate.id)
    for_mother = mother.acting_as(
        on_behalf_of=DAUGHTER, citizen_token=daughter_token, acting_for=mandate.id
    )
    inquiry = await for_mother.create_inquiry(
        "neuvonta",
        topic="kotihoito",
        subject="Help at home for my mother",
        body="Can my mother get help at home?",
        citizen_name=DAUGHTERS_NAME,
    )
    async with context_in(browser, url, locale) as page:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.goto(f"/inquiries/{inquiry.id}")
        assert DAUGHTERS_NAME not in await page.locator("main").inner_text()
        await page.locator(f"form[action='/inquiries/{inquiry.id}/claim'] button").click()
        asker = page.locator("#asker")
        await expect(asker).to_contain_text(DAUGHTERS_NAME)
        await expect(asker).to_contain_text(UNDER_A_MANDATE[locale])
        assert await axe_violations(page) == []
