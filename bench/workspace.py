"""``python -m bench.workspace [--database URL]``: the clerks' workspace with its queue
pages open while inquiries flow through two desks.

One ``luukku serve`` broker on a SQLite file (and, with ``--database``, one on a
fresh schema of that PostgreSQL), and one ``luukku workspace`` process of a
member organisation with test identification, each its own process on
loopback. Two desks, each of that member and a second one, with nobody on
duty, so that every inquiry is offered to both at once.

50 clerks sign in to the workspace as a person would (each its own HTTP
session: the sign-in form, its CSRF token, the session cookie) and hold the
queue page open: its live stream of each desk (``/desks/ID/live``, what the
page's script opens), read as server-sent events. Then inquiries are asked
at 1,000 an hour, alternating between the desks, and flow through: the
second member's clerk claims each 30 s after it is asked and closes
it, as a counter would. Meanwhile each clerk reloads the queue page now and
then. Measured:

- page: the queue page's GET latency (p50/p95/p99) over every reload;
- live delivery: from sending each CreateInquiry to the inquiry appearing in
  the queue of every open page of its desk, p99 over every (page, inquiry);
- CPU: the workspace process's user+system CPU time (from /proc) over the
  window, per page served; it also renders every live update, so it is the
  process's whole cost divided by the pages, live streams included.

The hour is compressed into a window (``--window``, 90 s by default, at the
stated rate: about 25 inquiries); ``--speedup N`` asks N times as fast. The
output says which. Prints the figures and writes them as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.harness.cli import Org, luukku, make_pki, register
from bench.harness.postgres import fresh_schema
from bench.harness.procs import Child, Supervisor, cpu_seconds
from bench.harness.stats import latency_summary
from luukku.client import Client, Practitioner, RPCError, TLSConfig

DESKS = ("advice-north", "advice-south")
TOPIC = "general"
WORKSPACE_ORG = "municipality-1"
OTHER_MEMBER = "municipality-2"
START_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 30.0
CLAIM_AFTER_S = 30.0
"""How long an inquiry waits before the second member's clerk claims it and closes it:
long enough that every open page has shown it first (a page shows the queue as it is,
so an inquiry claimed before a page's update arrives never shows there)."""
RELOAD_EVERY_S = 10.0
"""How often, on average, a clerk reloads the queue page."""
OPEN_ATTEMPTS = 3
DRAIN_S = 15.0
"""How long after the last inquiry the live streams may take to deliver it."""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clerk:
    """One signed-in clerk: an HTTP session with the queue page's live streams open."""

    n: int
    http: httpx.AsyncClient
    opened: list[asyncio.Event] = field(default_factory=list)
    seen: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per desk, when each inquiry first appeared on this clerk's page."""


async def bench(
    database_url: str,
    work: Path,
    *,
    clerks: int = 50,
    per_hour: float = 1000,
    window: float = 90.0,
    speedup: float = 1.0,
    reload_every: float = RELOAD_EVERY_S,
    claim_after: float = CLAIM_AFTER_S,
) -> dict[str, Any]:
    """Run the measurement against one broker on ``database_url``; the figures."""
    supervisor = Supervisor(work)
    pki = work / "pki"
    try:
        _set_up(database_url, pki)
        port = await _start_broker(supervisor, database_url, pki)
        workspace, url = await _start_workspace(supervisor, port, pki)
        load = Load(clerks, per_hour * speedup, window, speedup, reload_every, claim_after)
        return await _measure(f"127.0.0.1:{port}", pki, workspace, url, load)
    finally:
        await supervisor.close()


def _set_up(url: str, pki: Path) -> None:
    members = (WORKSPACE_ORG, OTHER_MEMBER)
    make_pki(pki, members)
    register(url, pki, (Org(org_id, org_id, "public") for org_id in members))
    for desk_id in DESKS:
        luukku(
            *("desk", "add", desk_id, "--name", desk_id.replace("-", " ").title()),
            *("--topic", TOPIC, "--overflow-minutes", "0", "--reopen-days", "1"),
            *("--database", url),
        )
        for org_id in members:
            luukku("desk", "member", "add", desk_id, org_id, "--database", url)


async def _start_broker(supervisor: Supervisor, url: str, pki: Path) -> int:
    _, port = await supervisor.start_server(
        "broker",
        [
            *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
            *("--pki", str(pki), "--database", url, "--ready-message", "READY {port}"),
            *("--workers", "1"),
        ],
        START_TIMEOUT_S,
    )
    return port


async def _start_workspace(supervisor: Supervisor, port: int, pki: Path) -> tuple[Child, str]:
    child, web_port = await supervisor.start_server(
        "workspace",
        [
            *("-m", "luukku.cli", "workspace", "--listen", "127.0.0.1:0"),
            *("--broker", f"127.0.0.1:{port}", "--pki", str(pki), "--org", WORKSPACE_ORG),
            *("--identification", "dev", "--ready-message", "READY {address}"),
        ],
        START_TIMEOUT_S,
    )
    return child, f"http://127.0.0.1:{web_port}"


async def sign_in(url: str, n: int) -> Clerk:
    """A clerk signed in through the test identification page, as a browser would."""
    http = httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S)
    form = await http.get("/login")
    token = _CSRF.search(form.text)
    if token is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    signed = await http.post(
        "/login",
        data={"csrf_token": token.group(1), "name": f"Clerk {n}", "role": "adviser"},
    )
    if signed.status_code != 303 or signed.headers.get("location") != "/":
        raise RuntimeError(f"signing in answered {signed.status_code}")
    return Clerk(n, http)


async def _follow(clerk: Clerk, desk_id: str, opened: asyncio.Event) -> None:
    """Read the desk's live stream as the queue page's script does; note when each
    inquiry first shows in a ``state`` event."""
    seen = clerk.seen.setdefault(desk_id, {})
    for attempt in range(OPEN_ATTEMPTS):
        try:
            await _read_events(clerk, desk_id, opened, seen)
            return
        except httpx.TransportError:
            # A keep-alive connection the server closed as the request went out: a
            # browser's EventSource opens the stream again, and so does the bench.
            if opened.is_set() or attempt == OPEN_ATTEMPTS - 1:
                raise
            await asyncio.sleep(1.0)


async def _read_events(
    clerk: Clerk, desk_id: str, opened: asyncio.Event, seen: dict[str, float]
) -> None:
    async with clerk.http.stream("GET", f"/desks/{desk_id}/live", timeout=None) as events:
        if events.status_code != 200:
            raise RuntimeError(f"the live stream answered {events.status_code}")
        opened.set()
        name, data = "", []
        async for line in events.aiter_lines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:])
            elif not line:
                if name == "state":
                    now = time.perf_counter()
                    for inquiry_id in re.findall(r'id="inquiry-([0-9a-f]+)"', "".join(data)):
                        seen.setdefault(inquiry_id, now)
                name, data = "", []


async def _reload(
    clerk: Clerk, every: float, until: float, latencies: list[float], errors: list[str]
) -> None:
    """Reload the queue page about every ``every`` seconds until ``until``."""
    rng = random.Random(clerk.n)
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(rng.uniform(0, 2 * every))
        if loop.time() >= until:
            return
        started = time.perf_counter()
        try:
            page = await clerk.http.get("/")
        except httpx.HTTPError as failed:
            errors.append(type(failed).__name__)
            continue
        if page.status_code == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(str(page.status_code))


async def _flow(
    asker: Client,
    other: Client,
    count: int,
    gap: float,
    sent: dict[str, tuple[str, float]],
    failed: Counter[str],
    claim_after: float,
) -> None:
    """Ask ``count`` inquiries ``gap`` seconds apart, alternating between the desks; the
    other member's clerk claims and closes each a little later. A call the broker
    refuses or does not answer in time is counted in ``failed``, by call and code."""
    handled: list[asyncio.Task[None]] = []

    async def handle(inquiry_id: str) -> None:
        await asyncio.sleep(claim_after)
        try:
            await other.claim_inquiry(inquiry_id)
            await other.close_inquiry(inquiry_id, outcome="Answered on the phone")
        except RPCError as refused:
            failed[f"claim or close: {refused.code.name}"] += 1

    for n in range(count):
        desk_id = DESKS[n % len(DESKS)]
        started = time.perf_counter()
        try:
            asked = await asker.create_inquiry(
                desk_id, topic=TOPIC, channel="phone", subject=f"Call {n}", body="Which office?"
            )
        except RPCError as refused:
            failed[f"ask: {refused.code.name}"] += 1
        else:
            sent[asked.id] = (desk_id, started)
            handled.append(asyncio.create_task(handle(asked.id)))
        await asyncio.sleep(max(gap - (time.perf_counter() - started), 0))
    await asyncio.gather(*handled)


@dataclass(frozen=True)
class Load:
    """How hard the run pushes."""

    clerks: int
    per_hour: float
    window: float
    speedup: float
    reload_every: float
    claim_after: float


async def _measure(
    broker: str, pki: Path, workspace: Child, url: str, load: Load
) -> dict[str, Any]:
    clerks, per_hour, window, speedup = load.clerks, load.per_hour, load.window, load.speedup
    team = [await sign_in(url, n) for n in range(clerks)]
    asker = await Client.connect(
        broker,
        tls=TLSConfig.from_pki_dir(pki, OTHER_MEMBER),
        practitioner=Practitioner("phone-1", "Puhelinpalvelu", "adviser"),
    )
    other = await Client.connect(
        broker,
        tls=TLSConfig.from_pki_dir(pki, OTHER_MEMBER),
        practitioner=Practitioner("south-1", "Sanna Etelä", "adviser"),
    )
    streams: list[asyncio.Task[None]] = []
    latencies: list[float] = []
    errors: list[str] = []
    sent: dict[str, tuple[str, float]] = {}
    failed: Counter[str] = Counter()
    gap = 3600 / per_hour
    count = max(int(window / gap), 1)
    try:
        for clerk in team:
            for desk_id in DESKS:
                opened = asyncio.Event()
                clerk.opened.append(opened)
                streams.append(asyncio.create_task(_follow(clerk, desk_id, opened)))
        await _all_open(team, streams)
        loop = asyncio.get_running_loop()
        until = loop.time() + count * gap
        cpu_before = cpu_seconds(workspace.pid)
        began = time.perf_counter()
        reloads = [_reload(c, load.reload_every, until, latencies, errors) for c in team]
        flow = _flow(asker, other, count, gap, sent, failed, load.claim_after)
        await asyncio.gather(flow, *reloads)
        await _delivered(team, sent, DRAIN_S)
        seconds = time.perf_counter() - began
        cpu = cpu_seconds(workspace.pid) - cpu_before
        ended = [t for t in streams if t.done() and t.exception() is not None]
    finally:
        for task in streams:
            task.cancel()
        await asyncio.gather(*streams, return_exceptions=True)
        for clerk in team:
            await clerk.http.aclose()
        await asker.close()
        await other.close()
    delays = [
        (clerk.seen[desk_id][inquiry_id] - started) * 1000
        for clerk in team
        for inquiry_id, (desk_id, started) in sent.items()
        if inquiry_id in clerk.seen.get(desk_id, {})
    ]
    delivery = latency_summary(delays)
    return {
        "clerks": clerks,
        "open_streams": clerks * len(DESKS),
        "rate": f"{per_hour:g} inquiries an hour"
        + (f" ({speedup:g} x the stated 1,000)" if speedup != 1 else ""),
        "window_s": round(count * gap, 1),
        "inquiries": len(sent),
        "broker_calls_failed": dict(failed),
        "pages": len(latencies),
        "page_errors": len(errors),
        **{f"page_{k}": v for k, v in latency_summary(latencies).items()},
        "deliveries": len(delays),
        "missed": clerks * len(sent) - len(delays),
        "streams_failed": len(ended),
        "delivery_p50_ms": delivery["p50_ms"],
        "delivery_p99_ms": delivery["p99_ms"],
        "delivery_max_ms": delivery["max_ms"],
        "workspace_cpu_s": round(cpu, 2),
        "workspace_cpu_ms_per_page": round(cpu * 1000 / len(latencies), 1) if latencies else None,
        "workspace_cpu_share": round(cpu / seconds, 3),
    }


async def _all_open(team: list[Clerk], streams: list[asyncio.Task[None]]) -> None:
    """Wait until every live stream has answered; raise the first that failed."""

    async def every_one() -> None:
        await asyncio.gather(*(o.wait() for c in team for o in c.opened))

    opening = asyncio.create_task(every_one())
    done, _ = await asyncio.wait(
        [opening, *streams], timeout=START_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
    )
    for task in streams:
        if task in done:
            task.result()  # a stream that ended before the run began: its error
    if not opening.done():
        opening.cancel()
        raise RuntimeError(f"the live streams did not all open within {START_TIMEOUT_S:g} s")


async def _delivered(team: list[Clerk], sent: dict[str, tuple[str, float]], within: float) -> None:
    """Wait until every open page has shown every inquiry, or ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if all(i in c.seen.get(d, {}) for c in team for i, (d, _) in sent.items()):
            return
        await asyncio.sleep(0.1)


async def run_all(database: str | None, work: Path, **sizes: Any) -> dict[str, Any]:
    """The bench on SQLite, then on PostgreSQL if a URL is given."""
    figures = {"sqlite": await bench(f"sqlite:///{work / 'ws.db'}", work / "sqlite", **sizes)}
    _print("sqlite", figures["sqlite"])
    if database:
        with fresh_schema(database, prefix="bench_workspace") as url:
            figures["postgresql"] = await bench(url, work / "postgresql", **sizes)
        _print("postgresql", figures["postgresql"])
    return figures


def _print(engine: str, figure: dict[str, Any]) -> None:
    print(f"{engine:11} workspace    {json.dumps(figure)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.workspace", description=__doc__)
    parser.add_argument("--database", metavar="URL", help="also on this PostgreSQL")
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--per-hour", type=float, default=1000)
    parser.add_argument("--window", type=float, default=90.0, metavar="SECONDS")
    parser.add_argument("--speedup", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=Path("var/bench-workspace.json"))
    args = parser.parse_args(argv)
    sizes = {
        "clerks": args.clerks,
        "per_hour": args.per_hour,
        "window": args.window,
        "speedup": args.speedup,
    }
    print(
        f"workspace: {args.clerks} clerks with the queue page open, "
        f"{args.per_hour * args.speedup:g} inquiries an hour through two desks, "
        f"the hour compressed into a {args.window:g} s window",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="luukku-bench-workspace-") as work:
        figures = asyncio.run(run_all(args.database, Path(work), **sizes))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
