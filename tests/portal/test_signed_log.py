"""Each row of the access log proven against a signed checkpoint, checked by the portal."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Browser, Locator, Page, expect
from portal_support import (
    OTHER_CITIZEN,
    Parties,
    RunningPortal,
    context_in,
    open_story,
    sign_in,
)

from luukku.audit.checkpoints import LogSigner
from luukku.client import verify_checkpoint
from luukku.pki import PkiPaths
from luukku.server import checkpointer
from luukku.server.app import Broker

# The broker signs once when it starts, then only when the test says (sign_now).
SIGNED_BY_THE_TEST = pytest.mark.parametrize("checkpoint_seconds", [3600.0])


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


@SIGNED_BY_THE_TEST
async def test_rows_rendered_not_yet_signed_turn_proven_without_a_reload(
    page: Page, parties: Parties, broker: Broker, pki: PkiPaths
) -> None:
    await _signed_before_the_story(parties, broker, pki)
    await sign_in(page)
    await page.goto("/access")
    rows = page.locator("#access-rows tr")
    waiting = page.locator("#access-rows .proof-pending")
    assert await waiting.count() == await rows.count() >= 5
    await expect(page.locator("#access-rows")).to_have_attribute("data-live-state", "open")
    await page.evaluate("window.sameDocument = true")
    await _sign_now(broker, pki)
    await expect(waiting).to_have_count(0)
    await expect(page.locator("#access-rows .proof-proven")).to_have_count(await rows.count())
    assert await page.evaluate("window.sameDocument === true")  # no reload
    await expect(page.locator("#announcer")).not_to_contain_text("Proof")  # proven silently


@SIGNED_BY_THE_TEST
async def test_a_dropped_stream_reconnects_following_every_row_still_not_yet_signed(
    browser: Browser, portal: RunningPortal, parties: Parties, broker: Broker, pki: PkiPaths
) -> None:
    await _signed_before_the_story(parties, broker, pki)
    async with _cuttable(portal) as (proxied, cut), context_in(browser, proxied, "en-GB") as page:
        streams: list[str] = []
        page.on("request", lambda r: streams.append(r.url) if "/access/live" in r.url else None)
        await sign_in(page)
        await page.goto("/access")
        region = page.locator("#access-rows")
        await expect(region).to_have_attribute("data-live-state", "open")
        _ = [c async for c in parties.company.list_cases()]
        live_row = page.locator("#access-rows tr.fresh .proof-pending")
        await expect(live_row).to_have_count(1)
        live = await live_row.get_attribute("data-pending")
        shown = [
            await c.get_attribute("data-pending") for c in await region.locator(".proof").all()
        ]
        cut()
        await expect(region).to_have_attribute("data-live-state", "reconnecting")
        await expect(region).to_have_attribute("data-live-state", "open")
        again = parse_qs(urlsplit(streams[-1]).query)
        assert (again["after"], again["pending"]) == ([live], [",".join(map(str, shown))])
        await _sign_now(broker, pki)
        await expect(region.locator(".proof-pending")).to_have_count(0)
        await expect(region.locator(".proof-proven")).to_have_count(len(shown))


@SIGNED_BY_THE_TEST
async def test_a_bogus_pending_list_is_ignored_and_proves_no_other_citizens_event(
    page: Page, parties: Parties, broker: Broker, pki: PkiPaths
) -> None:
    await _signed_before_the_story(parties, broker, pki)
    others = await parties.municipality.create_case(
        OTHER_CITIZEN, title="Someone else's case", category="home_care"
    )
    others_event = [
        e.sequence
        async for e in parties.municipality.list_audit_events()
        if e.resource == f"cases/{others.id}"
    ][-1]
    await _sign_now(broker, pki)  # the other citizen's event is in the signed log too
    await sign_in(page)
    await page.goto("/access")
    own = int((await page.locator("#access-rows tr").first.get_attribute("id") or "")[7:])
    await page.goto("/access/signed-log")  # no stream of its own: the browser's 6 are free
    queries = [
        "pending=abc",
        "pending=12x,13",
        "pending=99999999999999999999999",
        "pending=0,-1",
        "pending=" + ",".join(str(n) for n in range(1, 501)),
        f"pending={others_event},{own}",
    ]
    streams = await page.evaluate(
        """([queries, ms]) => Promise.all(queries.map((query) => new Promise((done) => {
            const seen = {opened: false, errors: 0, items: 0, states: ""};
            const source = new EventSource("/access/live?" + query);
            source.onopen = () => { seen.opened = true; };
            source.onerror = () => { seen.errors += 1; };
            source.addEventListener("item", () => { seen.items += 1; });
            source.addEventListener("state", (event) => { seen.states += event.data; });
            setTimeout(() => { source.close(); done(seen); }, ms);
        })))""",
        [[f"after={own}&{q}" for q in queries], 4500],
    )
    for query, seen in zip(queries, streams, strict=True):
        assert (seen["opened"], seen["errors"], seen["items"]) == (True, 0, 0), query
        assert f'id="proof-{others_event}"' not in seen["states"], query
    assert all(seen["states"] == "" for seen in streams[:-1])
    assert f'id="proof-{own}"' in streams[-1]["states"]  # the citizen's own, proven


async def _signed_before_the_story(parties: Parties, broker: Broker, pki: PkiPaths) -> None:
    """A signed checkpoint, then the story: its rows are newer than the checkpoint."""
    _ = [c async for c in parties.citizen.list_cases()]  # a log to sign
    await _sign_now(broker, pki)
    await open_story(parties)


@contextlib.asynccontextmanager
async def _cuttable(
    portal: RunningPortal,
) -> AsyncIterator[tuple[RunningPortal, Callable[[], None]]]:
    """The portal behind a loopback proxy, and a way to drop every connection through it."""
    target = urlsplit(portal.url)
    connections: set[asyncio.Transport] = set()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream = await asyncio.open_connection(target.hostname, target.port)
        for end in (writer, upstream):
            connections.add(cast(asyncio.Transport, end.transport))
        await asyncio.gather(pipe(reader, upstream), pipe(upstream_reader, writer))

    def cut() -> None:
        for transport in connections:
            transport.abort()
        connections.clear()

    server = await asyncio.start_server(relay, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield replace(portal, url=f"http://127.0.0.1:{port}"), cut
    finally:
        cut()
        server.close()


async def _sign_now(broker: Broker, pki: PkiPaths) -> None:
    signed = await checkpointer.sign_now(broker.store, broker.runner, LogSigner.load(pki.log_key))
    assert signed is not None


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
