"""Acting for another person in the browser, in Finnish, Swedish and English: every button
of the Mandates page and of "Acting for" pressed as a person would, each page state under
axe-core on a 320 px screen.

A mother gives her daughter a mandate (first with the form wrong), the daughter accepts
it, chooses to act for her mother and back for herself through the banner; the mother ends
it, and the daughter's next page says so and offers to act for herself again. A stranger
cannot choose to act on the mother's mandate.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import (
    CITIZEN,
    OTHER_CITIZEN,
    Checks,
    Parties,
    RunningPortal,
    http_client,
    http_sign_in,
    sign_in,
    words_in,
)

LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
MOTHER, MOTHER_NAME = CITIZEN, "Aino Meikäläinen"
DAUGHTER, DAUGHTER_NAME = OTHER_CITIZEN, "Maija Meikäläinen"
STRANGER = "111111-111C"


@contextlib.asynccontextmanager
async def narrow_page(browser: Browser, portal: RunningPortal, locale: str) -> AsyncIterator[Page]:
    """A page of the portal on a 320 px wide screen."""
    context = await browser.new_context(
        locale=locale, base_url=portal.url, viewport={"width": 320, "height": 800}
    )
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        await context.close()


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.slow
async def test_every_button_of_mandates_and_acting_for_works_and_passes_axe(
    browser: Browser, portal: RunningPortal, parties: Parties, language: str
) -> None:
    checks = Checks()
    locale = LOCALES[language]
    # The broker knows the names people signed in with only once they have told it one
    # (asking a desk); until then the mother is named by her birth date.
    born = words_in(language, "the person born %(day)s") % {"day": "1.1.1990"}
    mother_named = re.compile(f"{MOTHER_NAME}|{re.escape(born)}")
    async with (
        narrow_page(browser, portal, locale) as mother,
        narrow_page(browser, portal, locale) as daughter,
    ):
        await sign_in(mother, MOTHER, MOTHER_NAME)
        await mother.locator("nav.main-nav a[href='/mandates']").click()
        await expect(mother.locator("h1")).to_have_text(words_in(language, "Mandates"))
        await checks.look(mother, "mandates, nothing yet")

        # Sent empty: each field says what is wrong with it.
        give = mother.locator("form[action='/mandates']")
        await give.locator("#valid_until").fill("")
        await give.locator("button[type=submit]").click()
        for field in ("identity_code", "codes", "valid_until"):
            await expect(mother.locator(f"#{field}-error")).to_be_visible()
        await expect(mother.locator(".error-summary")).to_be_visible()
        await checks.look(mother, "mandate form, empty")

        # A code that is no identity code: the error next to it, the rest as typed.
        last_day = (date.today() + timedelta(days=60)).isoformat()
        await give.locator("#identity_code").fill("010190-9001")
        await give.locator("#codes-first").check()
        await give.locator("#valid_until").fill(last_day)
        await give.locator("button[type=submit]").click()
        await expect(mother.locator("#identity_code-error")).to_be_visible()
        await expect(mother.locator("#codes-error")).to_have_count(0)
        await expect(give.locator("#codes-first")).to_be_checked()
        await checks.look(mother, "mandate form, a wrong identity code")

        await give.locator("#identity_code").fill(DAUGHTER)
        await give.locator("button[type=submit]").click()
        await expect(mother.locator("main [role=status]")).to_have_text(
            words_in(
                language,
                "The mandate was given. It comes into force when the other person accepts "
                "it in this portal.",
            )
        )
        over_me = mother.locator("ul[aria-labelledby=over-me-heading] > li")
        await expect(over_me).to_have_count(1)
        await expect(over_me).to_contain_text(words_in(language, "Waiting for acceptance"))
        await checks.look(mother, "mandates, one given")

        # The daughter accepts it.
        await sign_in(daughter, DAUGHTER, DAUGHTER_NAME)
        await daughter.goto("/mandates")
        held = daughter.locator("ul[aria-labelledby=held-heading] > li")
        await expect(held).to_contain_text(mother_named)
        await checks.look(daughter, "mandates, one to accept")
        await held.locator("form[action$='/accept'] button").click()
        await expect(daughter.locator("main [role=status]")).to_be_visible()
        await expect(held).to_contain_text(words_in(language, "In force"))
        await checks.look(daughter, "mandates, accepted")

        # She chooses to act for her mother: the banner says so on every page.
        await daughter.locator("nav.main-nav a[href='/acting-for']").click()
        await checks.look(daughter, "acting for, the chooser")
        await daughter.locator("input[name=right]:not([value=''])").check()
        await daughter.locator("#acting-for-form button[type=submit]").click()
        banner = daughter.locator(".acting-banner")
        await expect(banner).to_contain_text(mother_named)
        await checks.look(daughter, "acting for the mother")
        await daughter.goto("/mandates")
        await expect(banner).to_contain_text(mother_named)

        # Back to herself through the banner, then for her mother again.
        await banner.locator("button").click()
        await expect(banner).to_have_count(0)
        await expect(daughter.locator("main [role=status]")).to_have_text(
            words_in(language, "You are now acting for yourself.")
        )
        await daughter.locator("input[name=right]:not([value=''])").check()
        await daughter.locator("#acting-for-form button[type=submit]").click()
        await expect(banner).to_contain_text(mother_named)

        # The mother ends it; the daughter's next page says why nothing opens.
        await mother.goto("/mandates")
        await over_me.locator("form[action$='/end'] button").click()
        await expect(over_me).to_contain_text(words_in(language, "Ended"))
        await checks.look(mother, "mandates, ended")
        response = await daughter.goto("/cases")
        assert response is not None
        assert response.status == 403
        await expect(daughter.locator("#refusal-reason")).to_have_text(
            words_in(language, "The right to act for this person has ended.")
        )
        await checks.look(daughter, "acting for the mother, the right ended")
        await daughter.locator("main form[action='/acting-for'] button").click()
        await expect(banner).to_have_count(0)
        await daughter.goto("/cases")
        await expect(daughter.locator("h1")).to_have_count(1)
    assert not checks.found, checks.found


async def test_a_citizen_cannot_choose_to_act_on_a_right_they_do_not_hold(
    portal: RunningPortal, parties: Parties
) -> None:
    given = await parties.citizen.give_mandate(
        DAUGHTER,
        codes=["sote-social-care"],
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    async with http_client(portal) as stranger:
        token = await http_sign_in(stranger, STRANGER)
        chosen = await stranger.post("/acting-for", data={"csrf_token": token, "right": given.id})
        assert chosen.status_code == 400
        assert "acting-banner" not in chosen.text
        assert "acting-banner" not in (await stranger.get("/cases")).text
