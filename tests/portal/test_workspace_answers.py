"""The desk's ready answers in the workspace, a clerk reopening a closed inquiry, and the
shifts on the queue page: each new page state passes axe-core and fits 320 px in Finnish,
Swedish and English, and the ready answer goes into a reply in the citizen's language with
the keyboard alone and without scripts.

A real broker, a ``luukku workspace`` process of the municipality, Chromium.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import Parties, context_in, desk_of_two, sign_in_clerk
from test_workspace_pages import _checked

from luukku.domain.desks.desks import WEEKDAYS
from luukku.service.desks import admin as desks
from luukku.store.uow import Store

LOCALES = ("fi-FI", "sv-FI", "en-GB")
HOURS_FI = "Palvelemme arkisin kello 8-16."
HOURS_SV = "Vi betjänar vardagar klockan 8-16."
# Every hour of every day: whatever the time of the test, the rota has a shift now and next.
ROTA = "".join(f"{d} 00:00-12:00 kaupunki\n{d} 12:00-24:00 hoiva\n" for d in WEEKDAYS)


async def _add_answer(page: Page, title: str, fi: str, sv: str) -> None:
    await page.locator("#title").fill(title)
    await page.locator("#text_fi").fill(fi)
    await page.locator("#text_sv").fill(sv)
    await page.locator("form[action='/desks/neuvonta/answers'] button").click()
    await expect(page.locator("main [role=status]")).to_be_visible()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.slow
async def test_ready_answers_reopening_and_shifts_pass_axe_in_every_language(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
    locale: str,
) -> None:
    desk_of_two(store)
    desks.set_rota(store, "neuvonta", ROTA)
    url = await start_workspace("kaupunki")
    problems: dict[str, list[str]] = {}
    async with context_in(browser, url, locale) as page:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        shifts = page.locator("#queue-neuvonta .shifts li")
        await expect(shifts.first).to_be_visible()
        assert await shifts.count() == 8
        problems["queue with shifts"] = await _checked(page)

        await page.locator("a[href='/desks/neuvonta/answers']").click()
        await expect(page.locator(".empty")).to_be_visible()
        problems["no ready answers"] = await _checked(page)
        await page.locator("form[action='/desks/neuvonta/answers'] button").click()
        assert await page.locator(".error-summary").count() == 1
        assert await page.locator("#title-error").count() == 1
        assert await page.locator("#text_fi-error").count() == 1
        problems["ready answer errors"] = await _checked(page)
        await _add_answer(page, "Aukioloajat", HOURS_FI, HOURS_SV)
        await expect(page.locator(".ready-answers")).to_contain_text(HOURS_SV)
        problems["a ready answer added"] = await _checked(page)

        await page.locator(".ready-answers a").first.click()
        await expect(page.locator("#text_sv")).to_have_value(HOURS_SV)
        problems["a ready answer to change"] = await _checked(page)
        [answer] = [a async for a in parties.company.list_ready_answers("neuvonta")]
        await parties.company.update_ready_answer(  # a colleague saves first
            "neuvonta", answer.id, revision=answer.revision, title="Aukiolo", text_fi=HOURS_FI
        )
        await page.locator("#title").fill("Aukioloajat arkisin")
        await page.locator(f"form[action='/desks/neuvonta/answers/{answer.id}'] button").click()
        await expect(page.locator("#title-error")).to_contain_text("Mikko Laine")
        await expect(page.locator("#title")).to_have_value("Aukiolo")
        problems["a colleague's newer change"] = await _checked(page)
        await page.locator("#text_sv").fill(HOURS_SV)
        await page.locator(f"form[action='/desks/neuvonta/answers/{answer.id}'] button").click()
        await expect(page.locator("main [role=status]")).to_be_visible()
        assert (await parties.company.get_ready_answer("neuvonta", answer.id)).text_sv == HOURS_SV

        asked = await parties.citizen.create_inquiry(
            "neuvonta", topic="kotihoito", subject="Öppettider", body="När?", language="sv"
        )
        await page.goto(f"/inquiries/{asked.id}")
        await page.locator(f"form[action='/inquiries/{asked.id}/claim'] button").click()
        await expect(page.locator("#ready_answer")).to_be_visible()
        await page.locator("#ready_answer").select_option(answer.id)
        await page.locator(f"button[formaction='/inquiries/{asked.id}/ready-answer#body']").click()
        await expect(page.locator("#body")).to_have_value(HOURS_SV)
        problems["a reply from a ready answer"] = await _checked(page)
        await page.locator(
            f"form[action='/inquiries/{asked.id}/messages'] button:not([formaction])"
        ).click()
        await expect(page.locator(".messages")).to_contain_text(HOURS_SV)

        await page.locator("#outcome").fill("Svarat")
        await page.locator(f"form[action='/inquiries/{asked.id}/close'] button").click()
        reopen = page.locator(f"form[action='/inquiries/{asked.id}/reopen'] button")
        await expect(reopen).to_be_visible()
        problems["closed, to reopen"] = await _checked(page)
        await reopen.click()
        await expect(page.locator("main [role=status]")).to_be_visible()
        await expect(page.locator(f"form[action='/inquiries/{asked.id}/claim']")).to_be_visible()
        problems["reopened"] = await _checked(page)
        reopened = await parties.municipality.get_inquiry(asked.id)
        assert (reopened.status, reopened.offered_to_organization_id) == ("queued", "kaupunki")
        assert reopened.history[-1].practitioner.display_name == "Kaisa Neuvoja"

        await page.goto(f"/desks/neuvonta/answers/{answer.id}")
        await page.locator(
            f"form[action='/desks/neuvonta/answers/{answer.id}/remove'] button"
        ).click()
        await expect(page.locator(".empty")).to_be_visible()
        await page.goto(f"/desks/neuvonta/answers/{answer.id}")
        assert await page.locator("form[action$='/remove']").count() == 0
        problems["a removed ready answer"] = await _checked(page)
    assert {k: v for k, v in problems.items() if v} == {}


async def test_a_clerk_adds_a_ready_answer_to_what_they_wrote_with_the_keyboard_and_no_script(
    browser: Browser,
    parties: Parties,
    store: Store,
    start_workspace: Callable[..., Awaitable[str]],
) -> None:
    desk_of_two(store)
    url = await start_workspace("kaupunki")
    await parties.municipality.create_ready_answer(
        "neuvonta", title="Aukioloajat", text_fi=HOURS_FI, text_sv=HOURS_SV
    )
    await parties.municipality.create_ready_answer(
        "neuvonta", title="Only in Finnish", text_fi="Vain suomeksi."
    )
    asked = await parties.citizen.create_inquiry(
        "neuvonta", topic="kotihoito", subject="Öppettider", body="När?", language="sv"
    )
    context = await browser.new_context(base_url=url, locale="fi-FI", java_script_enabled=False)
    page = await context.new_page()
    try:
        await sign_in_clerk(page, "Kaisa Neuvoja", "adviser")
        await page.goto(f"/inquiries/{asked.id}")
        await page.locator(f"form[action='/inquiries/{asked.id}/claim'] button").focus()
        await page.keyboard.press("Enter")
        await page.wait_for_url(f"**/inquiries/{asked.id}?done=claimed")
        picker = page.locator("#ready_answer")
        insert = page.locator(f"button[formaction='/inquiries/{asked.id}/ready-answer#body']")
        # Only the answers written in the citizen's language (Swedish) are offered.
        assert await picker.locator("option").all_inner_texts() == ["Valitse", "Aukioloajat"]
        # Inserting with none chosen says so, and keeps what was written.
        await page.locator("#body").fill("Hej!")
        await insert.focus()
        await page.keyboard.press("Enter")
        await expect(page.locator("#ready_answer-error")).to_contain_text("Valitse valmis vastaus")
        assert await page.locator("#body").input_value() == "Hej!"
        # The greeting the clerk wrote first stays; the ready answer comes after it.
        await picker.focus()
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Tab")
        await page.keyboard.press("Enter")
        await expect(page.locator("#body")).to_have_value(f"Hej!\n\n{HOURS_SV}")
        assert await page.locator("#ready_answer-error").count() == 0
        assert await picker.input_value() != ""  # still the one chosen
        await page.locator("#body").focus()
        await page.keyboard.press("Control+End")
        await page.keyboard.type(" Välkommen!")
        await page.locator(
            f"form[action='/inquiries/{asked.id}/messages'] button:not([formaction])"
        ).focus()
        await page.keyboard.press("Enter")
        await expect(page.locator(".messages")).to_contain_text("Välkommen!")
        said = [m.body async for m in parties.citizen.list_inquiry_messages(asked.id)]
        assert said[-1] == f"Hej!\n\n{HOURS_SV} Välkommen!"
    finally:
        await context.close()
