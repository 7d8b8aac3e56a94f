"""The portal as a citizen meets it: a real broker, the portal as its own process, Chromium.

The broker runs in the test's event loop on a real port with real mutual TLS;
the portal is started with ``luukku portal`` like in production; the browser
is Debian's Chromium driven by Playwright. Each test's portal log is scanned
for identity codes and tracebacks when the test ends.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import IO

import databases
import pytest
from citizen_tokens import TestIssuer, served_issuer
from playwright.async_api import Browser, Page, async_playwright
from portal_support import CHROMIUM, CITIZEN, Parties, RunningPortal

from luukku.client import Client, Practitioner, TLSConfig
from luukku.domain.organizations import OrgKind
from luukku.logs import IDENTITY_CODE
from luukku.pki import PkiPaths
from luukku.server.app import Broker


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The portal is no storage code: SQLite only (the broker's own tests cover PostgreSQL),
    a copy of a migrated database (``databases``)."""
    with databases.copy_of(databases.migrated("sqlite"), tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def citizen_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestIssuer]:
    """The test issuer, served: the portals' test identification gets citizens' tokens there."""
    issuer, process = served_issuer(tmp_path_factory.mktemp("issuer"))
    yield issuer
    process.terminate()
    process.wait()


@pytest.fixture
async def parties(
    register_org: Callable[..., TLSConfig], connect: Callable[..., Awaitable[Client]]
) -> Parties:
    """A municipal service, a care company and the portal organisation, registered."""
    municipal_tls = register_org("kaupunki", OrgKind.PUBLIC)
    company_tls = register_org("hoiva", OrgKind.PRIVATE)
    portal_tls = register_org("portaali", OrgKind.PORTAL)
    municipality = await connect(
        municipal_tls, practitioner=Practitioner("sw-1", "Sanna Virtanen", "social worker")
    )
    company = await connect(company_tls, practitioner=Practitioner("n-2", "Mikko Laine", "nurse"))
    citizen = await connect(portal_tls, on_behalf_of=CITIZEN)
    return Parties(municipality, company, citizen)


def _with_dev_issuer(options: tuple[str, ...], issuer: TestIssuer) -> tuple[str, ...]:
    """Test identification signs citizens in with the test issuer's tokens."""
    if "dev" in options and "--dev-issuer" not in options:
        return (*options, "--dev-issuer", issuer.signer.issuer)
    return options


@pytest.fixture
async def start_portal(
    broker: Broker, pki: PkiPaths, tmp_path: Path, citizen_issuer: TestIssuer
) -> AsyncIterator[Callable[..., Awaitable[RunningPortal]]]:
    """Start portals (``luukku portal`` processes) against the test's broker."""
    running: list[RunningPortal] = []

    async def start(*extra: str, broker_address: str | None = None) -> RunningPortal:
        log = tmp_path / f"portal-{len(running)}.log"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "luukku.cli",
            "portal",
            *("--listen", "127.0.0.1:0"),
            *("--broker", broker_address or f"127.0.0.1:{broker.port}"),
            *("--pki", str(pki.root), "--org", "portaali"),
            *("--ready-message", "READY {address}"),
            *_with_dev_issuer(extra or ("--identification", "dev"), citizen_issuer),
            stdout=asyncio.subprocess.PIPE,
            stderr=log.open("wb"),
        )
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line.startswith(b"READY "):
            await process.wait()
            pytest.fail(f"portal did not start: {log.read_text()[-2000:]}")
        portal = RunningPortal(line.split()[1].decode().rstrip("/"), log, process)
        running.append(portal)
        return portal

    yield start
    for portal in running:
        if portal.process.returncode is None:
            portal.process.terminate()
            try:
                await asyncio.wait_for(portal.process.wait(), 15)
            except TimeoutError:
                portal.process.kill()
                await portal.process.wait()
                pytest.fail("the portal did not stop within 15 s of SIGTERM")
    for portal in running:
        _assert_clean_log(portal.log)


def _assert_clean_log(log: Path) -> None:
    text = log.read_text(errors="replace")
    leaked = IDENTITY_CODE.findall(text)
    assert not leaked, f"identity codes in the log {log}"
    assert "Traceback" not in text, f"traceback in the log {log}:\n{text[-3000:]}"


@pytest.fixture
async def start_workspace(
    broker: Broker, pki: PkiPaths, tmp_path: Path, parties: Parties
) -> AsyncIterator[Callable[..., Awaitable[str]]]:
    """Start ``luukku workspace`` processes of member organisations (test identification
    unless options say otherwise); each start returns the workspace's URL."""
    running: list[tuple[asyncio.subprocess.Process, Path]] = []

    async def start(org: str, *options: str) -> str:
        log = tmp_path / f"workspace-{len(running)}-{org}.log"
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "luukku.cli", "workspace"),
            *("--listen", "127.0.0.1:0", "--broker", f"127.0.0.1:{broker.port}"),
            *("--pki", str(pki.root), "--org", org),
            *(options or ("--identification", "dev")),
            *("--ready-message", "READY {address}"),
            stdout=asyncio.subprocess.PIPE,
            stderr=log.open("wb"),
        )
        running.append((process, log))
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line.startswith(b"READY "):
            pytest.fail(f"workspace did not start: {log.read_text()[-2000:]}")
        return line.split()[1].decode().rstrip("/")

    yield start
    for process, _ in running:
        process.terminate()
        await asyncio.wait_for(process.wait(), 15)
    for _, log in running:
        _assert_clean_log(log)


@pytest.fixture
async def portal(
    start_portal: Callable[..., Awaitable[RunningPortal]], parties: Parties
) -> RunningPortal:
    """A portal with test identification, after the parties are registered."""
    return await start_portal()


# What Playwright's own launch passes (screenshots without scroll bars, pages in
# background tabs not throttled), and no calls out of this closed network.
_AS_PLAYWRIGHT_LAUNCHES_IT = (
    "--hide-scrollbars",
    "--mute-audio",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-back-forward-cache",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-popup-blocking",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--force-color-profile=srgb",
    "--password-store=basic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)


@pytest.fixture(scope="session")
def chromium_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One headless Chromium per test process, for every test's browser to connect to.

    Launching Chromium costs each test a second or more of CPU; a browser context is
    as separate as a new browser (its own cookies, storage and cache), so the tests
    share the process and each gets contexts of its own.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does)")
    process = subprocess.Popen(
        [
            str(CHROMIUM),
            *("--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0"),
            f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
            *_AS_PLAYWRIGHT_LAUNCHES_IT,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        endpoint = _devtools_address(process.stderr)
        # Chromium keeps writing to stderr; drained, it can never block on a full pipe.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _devtools_address(stderr: IO[str]) -> str:
    """The DevTools WebSocket address Chromium prints once it listens."""
    seen: list[str] = []
    for line in stderr:
        if line.startswith("DevTools listening on "):
            return line.split()[-1]
        seen.append(line)
    raise RuntimeError("Chromium stopped before listening:\n" + "".join(seen[-20:]))


@pytest.fixture
async def browser(chromium_endpoint: str) -> AsyncIterator[Browser]:
    """The test process's Chromium; the contexts a test opens are closed after it."""
    async with async_playwright() as p:
        chromium = await p.chromium.connect_over_cdp(chromium_endpoint)
        yield chromium
        for context in chromium.contexts:
            await context.close()
        await chromium.close()


@pytest.fixture
async def page(browser: Browser, portal: RunningPortal) -> AsyncIterator[Page]:
    """A fresh browser page in English (other languages: open another context)."""
    context = await browser.new_context(locale="en-GB", base_url=portal.url)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    yield page
    await context.close()
