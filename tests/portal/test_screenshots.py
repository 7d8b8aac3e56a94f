"""Screenshots of the main pages with the demo story, for the README.

``LUUKKU_SCREENSHOTS=1`` writes them into docs/screenshots/ (commit the PNGs
afterwards); otherwise they go to the test's temporary folder, so the suite
never changes the checkout but still fails when a page cannot be shown.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Awaitable, Callable
from pathlib import Path

from citizen_tokens import TestIssuer
from playwright.async_api import Browser, FloatRect, Locator, Page, expect
from portal_support import RunningPortal, register_demo_orgs, sign_in

from luukku.client import Client, TLSConfig
from luukku.demo_story import DEMO_CITIZEN, seed_demo
from luukku.pki import PkiPaths
from luukku.server.app import Broker
from luukku.store.uow import Store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 900
MAX_BYTES = 200_000


async def _demo_ids(broker: Broker, pki: PkiPaths, issuer: TestIssuer) -> tuple[str, str]:
    """The home-care case and its thread, as the demo citizen sees them."""
    client = await Client.connect(
        f"127.0.0.1:{broker.port}",
        tls=TLSConfig.from_pki_dir(pki.root, "omaportaali"),
        on_behalf_of=DEMO_CITIZEN,
        citizen_token=issuer.token_source(DEMO_CITIZEN),
    )
    try:
        case = await anext(client.list_cases(category="home_care"))
        thread = await anext(client.list_threads(case.id))
        return case.id, thread.id
    finally:
        await client.close()


async def _shoot(page: Page, folder: Path, name: str, *, until: Locator | None = None) -> Path:
    """The whole page, or down to the end of ``until`` when the whole would be too long."""
    # The focus ring of a clicked link or the caret would be noise in a picture.
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    path = folder / f"{name}.png"
    clip = None
    if until is not None:
        box = await until.bounding_box()
        assert box is not None
        bottom = box["y"] + box["height"] + 1
        clip = FloatRect(x=0, y=0, width=WIDTH, height=max(HEIGHT, bottom))
    await page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled")
    return path


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


async def test_screenshots_of_the_main_pages(
    browser: Browser,
    broker: Broker,
    store: Store,
    pki: PkiPaths,
    start_portal: Callable[..., Awaitable[RunningPortal]],
    tmp_path: Path,
    citizen_issuer: TestIssuer,
) -> None:
    folder = DOCS if os.environ.get("LUUKKU_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    register_demo_orgs(store, pki)
    told = await seed_demo(
        f"127.0.0.1:{broker.port}", pki.root, citizen_issuer.token_source(DEMO_CITIZEN)
    )
    assert told[0].startswith("demo story told")
    case_id, thread_id = await _demo_ids(broker, pki, citizen_issuer)
    portal = await start_portal("--org", "omaportaali", "--identification", "dev")

    context = await browser.new_context(
        locale="en-GB", base_url=portal.url, viewport={"width": WIDTH, "height": HEIGHT}
    )
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        await sign_in(page, DEMO_CITIZEN)
        shots = []

        await expect(page.get_by_role("link", name="Diabeteksen seuranta")).to_be_visible()
        shots.append(await _shoot(page, folder, "cases"))

        await page.goto(f"/cases/{case_id}")
        await expect(page.locator("main")).to_contain_text("kolmesti päivässä")
        shots.append(await _shoot(page, folder, "case"))

        await page.goto("/consents")
        await expect(page.locator("main")).to_contain_text("Kotihoidon käyntien suunnittelu")
        shots.append(await _shoot(page, folder, "consents"))

        await page.goto(f"/consents/new?case={case_id}")
        await expect(page.get_by_label("Purpose")).to_be_visible()
        shots.append(await _shoot(page, folder, "grant-consent"))

        await page.goto("/access")
        await expect(page.locator("#access-rows")).to_have_attribute("data-live-state", "open")
        await expect(page.locator(".glance svg")).to_be_visible()
        denied = page.locator("#access-rows tr", has_text="Vantaan terveysasema")
        await expect(denied.filter(has_text="Denied").first).to_be_visible()
        # The chart and the newest rows: the whole log would be a very long picture.
        newest = page.locator("#access-rows tr").nth(3)
        shots.append(await _shoot(page, folder, "access-log", until=newest))

        await page.goto(f"/threads/{thread_id}")
        await expect(page.locator("#messages")).to_have_attribute("data-live-state", "open")
        await expect(page.locator("#messages li")).to_have_count(4)
        shots.append(await _shoot(page, folder, "discussion"))
    finally:
        await context.close()

    for shot in shots:
        width, height = _png_size(shot)
        assert width == WIDTH, shot
        assert height >= HEIGHT, shot
        assert shot.stat().st_size < MAX_BYTES, f"{shot} is {shot.stat().st_size} bytes"
