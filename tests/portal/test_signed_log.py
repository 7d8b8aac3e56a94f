"""Each row of the access log proven against a signed checkpoint, checked by the portal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from playwright.async_api import Browser, Page, expect
from portal_support import Parties, RunningPortal, context_in, open_story, sign_in

from luukku.audit.checkpoints import LogSigner
from luukku.client import verify_checkpoint
from luukku.pki import PkiPaths


async def test_rows_are_proven_against_a_verified_checkpoint(
    page: Page, parties: Parties, pki: PkiPaths
) -> None:
    await open_story(parties)
    _ = [r async for r in parties.company.list_records(await _case_id(parties))]
    await page.wait_for_timeout(300)  # the test broker signs a checkpoint every 50 ms
    await sign_in(page)
    await page.goto("/access")
    rows = page.locator("#access-rows tr")
    assert await rows.count() >= 5
    await expect(page.locator(".proof-failed")).to_have_count(0)
    await expect(page.locator(".proof-unchecked")).to_have_count(0)
    proven = await page.locator(".proof-proven").count()
    assert proven == await rows.count()  # every row older than the checkpoint
    await page.get_by_role("link", name="How we prove that this log is complete").click()
    note = await page.locator("pre.note").text_content()
    assert note is not None
    checkpoint = verify_checkpoint(note, pki.log_verifier_key.read_text().strip())
    assert checkpoint.size >= proven
    await expect(page.locator(".summary")).to_contain_text(str(checkpoint.size))


async def test_a_checkpoint_signed_by_another_key_proves_nothing(
    browser: Browser,
    parties: Parties,
    start_portal: Callable[..., Awaitable[RunningPortal]],
    tmp_path: Path,
) -> None:
    await open_story(parties)
    impostor = tmp_path / "impostor"
    _, verifier = LogSigner.generate("luukku.localhost/audit-log").write(impostor)
    portal = await start_portal("--identification", "dev", "--log-verifier-key", str(verifier))
    async with context_in(browser, portal, "en-GB") as page:
        await sign_in(page)
        await page.goto("/access")
        await expect(page.locator(".proof-failed").first).to_be_visible()
        await expect(page.locator(".proof-proven")).to_have_count(0)
        await page.goto("/access/signed-log")
        await expect(page.get_by_role("alert")).to_contain_text("could not verify")


async def _case_id(parties: Parties) -> str:
    cases = [c async for c in parties.citizen.list_cases()]
    return cases[0].id
