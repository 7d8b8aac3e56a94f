"""Issue 21's story in the browser, on a real broker: a mother gives her daughter a mandate
for social-care matters; the daughter accepts it, acts for her mother, reads the home-care
case and writes in its discussion; the mother sees who did it in her access log, ends the
mandate, the discussion the daughter follows live stops at once, and her next page says
the right has ended."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.async_api import Browser, expect
from portal_support import CITIZEN, OTHER_CITIZEN, Parties, RunningPortal, context_in, sign_in

MOTHER, MOTHER_NAME = CITIZEN, "Aino Meikäläinen"
DAUGHTER, DAUGHTER_NAME = OTHER_CITIZEN, "Maija Meikäläinen"
# The broker knows the names people signed in with only once they have told it one (asking
# a desk); until then the pages name the mother by her birth date and the daughter "Someone".
MOTHER_NAMED = f"({MOTHER_NAME}|the person born 1\\.1\\.1990)"


@pytest.mark.slow
async def test_a_daughter_acts_for_her_mother_under_a_mandate_until_the_mother_ends_it(
    browser: Browser, portal: RunningPortal, parties: Parties
) -> None:
    case = await parties.municipality.create_case(
        MOTHER, title="Home care after hospital stay", category="home_care"
    )
    await parties.municipality.create_record(case.id, kind="assessment", text="Help twice a day.")
    thread = await parties.municipality.create_thread(case.id, subject="Planning the visits")
    await parties.municipality.post_message(thread.id, "Which times suit you?")

    async with (
        context_in(browser, portal, "en-GB") as mother,
        context_in(browser, portal, "en-GB") as daughter,
    ):
        await sign_in(mother, MOTHER, MOTHER_NAME)
        await mother.goto("/mandates")
        give = mother.locator("form[action='/mandates']")
        await give.locator("#identity_code").fill(DAUGHTER)
        await give.get_by_label(re.compile("^Social-care matters")).check()
        await give.locator("#valid_until").fill((date.today() + timedelta(days=90)).isoformat())
        await give.get_by_role("button", name="Give mandate").click()
        await expect(mother.locator("main [role=status]")).to_contain_text("The mandate was given")

        await sign_in(daughter, DAUGHTER, DAUGHTER_NAME)
        await daughter.goto("/mandates")
        await daughter.get_by_role("button", name=re.compile("^Accept mandate")).click()
        await daughter.get_by_role("link", name="Acting for", exact=True).click()
        await daughter.get_by_label(re.compile(f"^{MOTHER_NAMED}")).check()
        await daughter.get_by_role("button", name="Choose").click()
        await expect(daughter.locator(".acting-banner")).to_contain_text(
            re.compile(f"You are acting for {MOTHER_NAMED}")
        )

        # She reads her mother's home-care case and writes in its discussion.
        await daughter.get_by_role("link", name="My cases").click()
        await daughter.get_by_role("link", name="Home care after hospital stay").click()
        await expect(daughter.locator("main")).to_contain_text("Help twice a day.")
        await daughter.goto(f"/threads/{thread.id}")
        await daughter.locator("#body").fill("I can be there at one o'clock.")
        await daughter.locator("form[action$='/messages'] button[type=submit]").click()
        await expect(daughter.locator("main")).to_contain_text("I can be there at one o'clock.")
        await expect(daughter.locator("#messages")).to_have_attribute("data-live-state", "open")
        assert "I can be there at one o'clock." in [
            m.body async for m in parties.municipality.list_messages(thread.id)
        ]

        # The mother sees who read her case, and on what right.
        await mother.goto("/access")
        await expect(
            mother.locator("#access-rows")
            .get_by_text(re.compile(f"({DAUGHTER_NAME}|Someone), acting under your mandate"))
            .first
        ).to_be_visible()

        # She ends the mandate; the daughter's next page says the right has ended.
        await mother.goto("/mandates")
        await mother.get_by_role("button", name=re.compile("^End mandate")).click()
        await expect(mother.locator("main [role=status]")).to_contain_text("The right was ended")
        # The discussion she was following stops at once.
        await expect(daughter.locator("#messages")).to_have_attribute(
            "data-live-state", "ended", timeout=1_000
        )
        response = await daughter.goto(f"/cases/{case.id}")
        assert response is not None
        assert response.status == 403
        await expect(daughter.locator("#refusal-reason")).to_have_text(
            "The right to act for this person has ended."
        )
        await daughter.get_by_role("button", name="Act for myself").first.click()
        await expect(daughter.locator(".acting-banner")).to_have_count(0)
