"""Flows beyond the main story: keyboard only, languages, narrow screens, timeouts, failures."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from eventually import reconnected
from playwright.async_api import Browser, Page, expect
from portal_support import CITIZEN, Parties, RunningPortal, context_in, open_story, sign_in

from luukku.domain.caller import Caller, Practitioner
from luukku.pki import PkiPaths, read_cert_info
from luukku.server.app import Broker, ServerTLS
from luukku.server.gate.citizen_token import CitizenTokens
from luukku.service.directory import authenticate
from luukku.service.threads import mark_read
from luukku.store.uow import Store


async def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never took the focus")


async def test_grant_and_withdraw_with_the_keyboard_alone(page: Page, parties: Parties) -> None:
    case = await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    await sign_in(page)
    await page.goto("/consents/new")
    await _tab_to(page, "#organization_id")
    await page.keyboard.type("hoiva")  # a closed select picks by typed letters
    await expect(page.locator("#organization_id")).to_have_value("hoiva")
    await _tab_to(page, "#case_id")
    await page.keyboard.type("Kotihoito")
    await expect(page.locator("#case_id")).to_have_value(case.id)
    await _tab_to(page, "#permissions-first")
    await page.keyboard.press("Space")
    await _tab_to(page, "#purpose")
    await page.keyboard.type("Keyboard only")
    await _tab_to(page, "form[action='/consents'] button[type=submit]")
    focus_style = await page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert focus_style != "none"  # visible focus
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("The consent was recorded")
    await _tab_to(page, ".card a.button.warning")
    await page.keyboard.press("Enter")
    await _tab_to(page, "form[action$='/revoke'] button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("access ended at once")
    consents = [c async for c in parties.citizen.list_consents()]
    assert [c.state for c in consents] == ["revoked"]


async def test_skip_link_is_the_first_stop(page: Page, parties: Parties) -> None:
    await sign_in(page)
    await page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    await expect(skip).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#main")).to_be_focused()


async def test_grant_form_shows_the_brokers_reasons_by_their_fields(
    page: Page, parties: Parties
) -> None:
    await parties.municipality.create_case(CITIZEN, title="Kotihoito", category="home_care")
    await sign_in(page)
    await page.goto("/consents/new")
    await page.locator("#organization_id").select_option("hoiva")
    await page.locator("#scope-category").check()
    await page.locator("#category").select_option("health")
    await page.locator("#valid_until").fill("2020-01-01")
    await page.get_by_role("button", name="Give consent").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()
    for field, text in (("permissions", "Choose at least one thing"),):
        error = page.locator(f"#{field}-error")
        await expect(error).to_contain_text(text)
    # Each error is tied to its field for screen readers.
    purpose = page.locator("#purpose")
    if await purpose.get_attribute("aria-invalid") == "true":
        assert "purpose-error" in (await purpose.get_attribute("aria-describedby") or "")
    # Fix what was wrong: the broker then refuses the past date, next to its field.
    await page.locator("#permissions-first").check()
    await page.locator("#purpose").fill("Testing")
    await page.get_by_role("button", name="Give consent").click()
    await expect(page.locator("#valid_until-error")).to_contain_text("Choose a last day")
    described = await page.locator("#valid_until").get_attribute("aria-describedby")
    assert described is not None
    assert "valid_until-error" in described
    assert [c async for c in parties.citizen.list_consents()] == []


async def test_language_follows_the_browser_and_the_switch(
    browser: Browser, portal: RunningPortal
) -> None:
    for locale, lang, sign_in_text in (
        ("fi-FI", "fi", "Kirjaudu"),
        ("sv-FI", "sv", "Logga in"),
        ("en-GB", "en", "Sign in"),
        ("de-DE", "fi", "Kirjaudu"),  # none of ours: Finnish
    ):
        async with context_in(browser, portal, locale) as page:
            await page.goto("/")
            assert await page.locator("html").get_attribute("lang") == lang
            await expect(page.locator("main")).to_contain_text(sign_in_text)
    async with context_in(browser, portal, "fi-FI") as page:
        await page.goto("/login")
        await page.get_by_role("link", name="På svenska").click()
        await expect(page).to_have_url(re.compile(r".*/login$"))
        assert await page.locator("html").get_attribute("lang") == "sv"
        await page.goto("/")
        assert await page.locator("html").get_attribute("lang") == "sv"


async def test_dates_are_in_helsinki_time_and_the_users_language(
    browser: Browser, portal: RunningPortal, parties: Parties
) -> None:
    story = await open_story(parties)
    async with context_in(browser, portal, "fi-FI") as page:
        await page.goto("/login")
        await page.locator("#identity_code").fill(CITIZEN)
        await page.locator("form[action='/login'] button[type=submit]").click()
        await page.goto(f"/cases/{story.case_id}")
        opened = await page.locator(".summary dd").nth(3).inner_text()
        case = await parties.citizen.get_case(story.case_id)
        from zoneinfo import ZoneInfo

        local = case.create_time.astimezone(ZoneInfo("Europe/Helsinki"))
        assert f"{local.day}.{local.month}.{local.year}" in opened
        assert f"{local.hour}.{local.minute:02d}" in opened


# Elements sticking out of the window (and so making the page scroll sideways).
WIDER_THAN_THE_WINDOW = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest(".visually-hidden"))
    .slice(0, 5)
    .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
}"""


async def test_usable_at_320_pixels_and_200_percent_zoom(
    browser: Browser, portal: RunningPortal, parties: Parties
) -> None:
    story = await open_story(parties)
    for width, scale in ((320, 1), (640, 2)):  # 200 % zoom of a 1280 px window
        context = await browser.new_context(
            locale="en-GB",
            base_url=portal.url,
            viewport={"width": width, "height": 640},
            device_scale_factor=scale,
        )
        try:
            page = await context.new_page()
            await sign_in(page)
            for path in (
                "/cases",
                f"/cases/{story.case_id}",
                "/consents",
                "/consents/new",
                "/access",
                f"/threads/{story.thread_id}",
            ):
                await page.goto(path)
                wider = await page.evaluate(WIDER_THAN_THE_WINDOW)
                assert not wider, f"{path} at {width}px: {wider}"
        finally:
            await context.close()


async def test_idle_session_times_out_back_to_sign_in(
    browser: Browser,
    parties: Parties,
    start_portal: Callable[..., Awaitable[RunningPortal]],
) -> None:
    # 6 s: long enough that signing in on a busy machine is not itself idle past it.
    portal = await start_portal("--identification", "dev", "--idle-timeout", "0.1")
    async with context_in(browser, portal, "en-GB") as page:
        await sign_in(page)
        await page.wait_for_timeout(6500)
        await page.goto("/consents")
        await expect(page).to_have_url(re.compile(r".*/login$"))
        await expect(page.get_by_role("status")).to_contain_text("inactive")


async def test_sign_out_ends_the_session(page: Page, parties: Parties) -> None:
    await sign_in(page)
    await page.get_by_role("button", name="Sign out").click()
    await page.goto("/cases")
    await expect(page).to_have_url(re.compile(r".*/login$"))


async def test_broker_down_is_a_clear_page_in_the_citizens_language(
    browser: Browser,
    parties: Parties,
    start_portal: Callable[..., Awaitable[RunningPortal]],
) -> None:
    portal = await start_portal("--identification", "dev", broker_address="127.0.0.1:9")
    async with context_in(browser, portal, "en-GB") as page:
        await sign_in(page)  # identification does not need the broker
        response = await page.goto("/consents")
        assert response is not None
        assert response.status == 503
        await expect(page.locator("h1")).to_have_text("The service is not available right now")
        await expect(page.get_by_role("link", name="Try again")).to_be_visible()
        assert "Traceback" not in await page.content()


async def test_a_live_thread_resumes_by_itself_after_the_broker_restarts(
    page: Page,
    parties: Parties,
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    citizen_verifier: CitizenTokens,
) -> None:
    story = await open_story(parties)
    await sign_in(page)
    await page.goto(f"/threads/{story.thread_id}")
    messages = page.locator("#messages")
    await expect(messages).to_have_attribute("data-live-state", "open")
    port = broker.port
    await broker.stop(grace=0.5)
    # While the page's stream is away, the company reads the question (through the
    # service layer: no broker is up to call).
    fingerprint = read_cert_info(pki.org_cert("hoiva").read_bytes()).fingerprint
    company = Caller(authenticate(store, fingerprint), fingerprint, Practitioner(), "r-1", None)
    mark_read(store, company, story.thread_id, 1)
    restarted = Broker(store, db_workers=2, citizen_tokens=citizen_verifier)
    await restarted.start(f"127.0.0.1:{port}", ServerTLS.from_pki(pki.root))
    try:
        await reconnected(lambda: parties.municipality.get_thread(story.thread_id))
        await parties.municipality.post_message(story.thread_id, "Posted after the restart.")
        await expect(messages).to_contain_text("Posted after the restart.", timeout=15_000)
        # Resumed from its cursor: nothing shown twice.
        await expect(messages.locator("li")).to_have_count(2)
        # Read marks are not replayed by cursor: the resumed stream tells them as they stand.
        await expect(page.locator("#message-1 .seen")).to_have_text("Read by hoiva name")
    finally:
        await restarted.stop(grace=0.5)


async def test_the_citizen_sees_which_organisations_have_read_how_far_live_and_after_a_reload(
    page: Page, parties: Parties
) -> None:
    story = await open_story(parties)  # the municipality's question is message 1
    await sign_in(page)
    await page.goto(f"/threads/{story.thread_id}")
    await expect(page.locator("#messages")).to_have_attribute("data-live-state", "open")
    # The municipality has read up to its own question: nothing worth saying under it.
    await expect(page.locator(".seen:visible")).to_have_count(0)

    await parties.citizen.post_message(story.thread_id, "Mornings suit me best.")
    await expect(page.locator("#message-2")).to_be_visible()
    await parties.company.mark_read(story.thread_id, 1)
    await expect(page.locator("#message-1 .seen")).to_have_text("Read by hoiva name")
    await parties.company.mark_read(story.thread_id, 2)
    await parties.municipality.mark_read(story.thread_id, 2)

    async def seen_on_the_page() -> None:
        # As read out and shown: the names separated by commas (the stylesheet's).
        await expect(page.locator("#message-2 .seen")).to_match_aria_snapshot(
            "- paragraph: /Read by (hoiva name, kaupunki name|kaupunki name, hoiva name)/"
        )
        await expect(page.locator("#message-1 .seen")).to_be_hidden()
        await expect(page.locator(".reader")).to_have_count(2)

    await seen_on_the_page()
    await page.reload()
    await seen_on_the_page()

    # An answer moves its author's name out of sight (it has read its own answer), live
    # and after a reload alike.
    await expect(page.locator("#messages")).to_have_attribute("data-live-state", "open")
    await parties.municipality.post_message(story.thread_id, "Mornings it is.")
    await expect(page.locator("#message-3")).to_be_visible()
    await expect(page.locator("#message-2 .seen")).to_have_text("Read by hoiva name")
    await expect(page.locator("#message-3 .seen")).to_be_hidden()
    await page.reload()
    await expect(page.locator("#message-2 .seen")).to_have_text("Read by hoiva name")
    await expect(page.locator(".seen:visible")).to_have_count(1)
