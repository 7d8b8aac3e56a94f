"""Each row of the access log proven against a signed checkpoint, checked by the portal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect
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


@pytest.fixture
async def impostor_page(
    browser: Browser,
    parties: Parties,
    start_portal: Callable[..., Awaitable[RunningPortal]],
    tmp_path: Path,
) -> AsyncIterator[Page]:
    """A page of a portal that checks the log with a key the broker does not sign with
    (started, like ``portal``, after the parties are registered).
    """
    _, verifier = LogSigner.generate("luukku.localhost/audit-log").write(tmp_path / "impostor")
    portal = await start_portal("--identification", "dev", "--log-verifier-key", str(verifier))
    async with context_in(browser, portal, "en-GB") as page:
        yield page


async def test_a_checkpoint_signed_by_another_key_proves_nothing(
    impostor_page: Page, parties: Parties
) -> None:
    page = impostor_page
    await open_story(parties)
    await sign_in(page)
    await page.goto("/access")
    await expect(page.locator(".proof-failed").first).to_be_visible()
    await expect(page.locator(".proof-proven")).to_have_count(0)
    await page.goto("/access/signed-log")
    await expect(page.get_by_role("alert")).to_contain_text("could not verify")


async def test_a_row_that_arrives_live_turns_proven_without_a_reload(
    page: Page, parties: Parties
) -> None:
    live_row = await _company_reads_while_the_log_is_open(page, parties)
    await expect(live_row).to_have_count(1)
    await expect(live_row.locator(".proof")).to_have_text("Proven")
    await expect(page.locator("#announcer")).to_contain_text("hoiva name")
    await expect(page.locator("#announcer")).not_to_contain_text("Proof")  # no news is good


async def test_a_live_row_whose_proof_fails_says_so_and_is_announced(
    impostor_page: Page, parties: Parties
) -> None:
    live_row = await _company_reads_while_the_log_is_open(impostor_page, parties)
    await expect(live_row.locator(".proof")).to_have_text("Proof failed")
    await expect(live_row.locator(".proof-failed")).to_be_visible()
    await expect(impostor_page.locator("#announcer")).to_contain_text(
        "Proof failed: the signed log does not prove the access by hoiva name"
    )


async def _company_reads_while_the_log_is_open(page: Page, parties: Parties) -> Locator:
    """The row of the company's read, as the open access log receives it live."""
    story = await open_story(parties)
    await sign_in(page)
    await page.goto("/access")
    await expect(page.locator("#access-rows")).to_have_attribute("data-live-state", "open")
    _ = [r async for r in parties.company.list_records(story.case_id)]
    # Only the live stream inserts rows marked fresh, and it sends them "Not yet signed".
    return page.locator("#access-rows tr.fresh", has_text="Read the records of a case")


async def _case_id(parties: Parties) -> str:
    cases = [c async for c in parties.citizen.list_cases()]
    return cases[0].id
