"""The portal's load generator: ``python -m bench.portal.load SPEC.json``.

Each citizen is an httpx client with its own session cookie, signed in
through the test identification page as a person would be; like a browser
without JavaScript, it opens no live streams. The conversation with the
orchestrator is that of :mod:`bench.phases.load`: ``READY`` once every citizen
is signed in; on the next stdin line the heavy citizen's pages are requested
one at a time and reported as ``FIRST {...}``; on the next the citizens browse
together, and the last stdout line is the JSON report.

A page counts when it answered 200 within the measured period; any other
answer (a redirect to sign in, an error page) or failed request is an error.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.phases.load import say, stdin_lines

REQUEST_TIMEOUT = 30.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Citizen:
    """A citizen the load signs in as, with the case and thread whose pages it opens."""

    identity_code: str
    case_id: str
    thread_id: str

    def pages(self) -> list[tuple[str, str]]:
        """The main pages, as (name, path): what a citizen looks at on a visit."""
        return [
            ("cases", "/cases"),
            ("case", f"/cases/{self.case_id}"),
            ("consents", "/consents"),
            ("access", "/access"),
            ("discussions", "/discussions"),
            ("thread", f"/threads/{self.thread_id}"),
        ]


@dataclass(frozen=True)
class PortalSpec:
    """What the orchestrator asks for; written as JSON."""

    url: str
    heavy: Citizen
    citizens: list[Citizen]
    samples: int
    warmup: float
    duration: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PortalSpec:
        return cls(
            **{
                **data,
                "heavy": Citizen(**data["heavy"]),
                "citizens": [Citizen(**c) for c in data["citizens"]],
            }
        )


async def sign_in(url: str, citizen: Citizen) -> httpx.AsyncClient:
    """A client signed in as ``citizen``: the form's CSRF token, then the identity code."""
    client = httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT)
    try:
        form = await client.get("/login")
        token = _CSRF.search(form.text)
        if form.status_code != 200 or token is None:
            raise RuntimeError(f"GET /login answered {form.status_code} without a form")
        signed = await client.post(
            "/login", data={"csrf_token": token[1], "identity_code": citizen.identity_code}
        )
        if signed.status_code != 303 or signed.headers.get("location") != "/cases":
            raise RuntimeError(f"POST /login answered {signed.status_code}, not a way in")
    except BaseException:
        await client.aclose()
        raise
    return client


async def _get(client: httpx.AsyncClient, path: str) -> tuple[float, str]:
    """Milliseconds to the whole page, and its status (or the failure's name)."""
    started = time.perf_counter()
    try:
        response = await client.get(path)
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    else:
        status = str(response.status_code)
    return round((time.perf_counter() - started) * 1000, 3), status


async def first_pages(client: httpx.AsyncClient, heavy: Citizen, samples: int) -> dict[str, Any]:
    """The heavy citizen's access log and big case, alternately, one request at a time."""
    paths = {"access": "/access", "case": f"/cases/{heavy.case_id}"}
    for path in paths.values():  # the first request of a session fills the portal's caches
        await _get(client, path)
    latencies: dict[str, list[float]] = {name: [] for name in paths}
    errors: Counter[str] = Counter()
    for _ in range(samples):
        for name, path in paths.items():
            ms, status = await _get(client, path)
            if status == "200":
                latencies[name].append(ms)
            else:
                errors[f"{name} {status}"] += 1
    return {"latencies_ms": latencies, "errors": dict(errors)}


async def browse(
    clients: Sequence[httpx.AsyncClient], citizens: Sequence[Citizen], spec: PortalSpec
) -> dict[str, Any]:
    """Every citizen goes round their pages, one request after another, until the end."""
    measure_from = time.perf_counter() + spec.warmup
    until = measure_from + spec.duration
    latencies: dict[str, list[float]] = {name: [] for name, _ in citizens[0].pages()}
    errors: Counter[str] = Counter()

    async def visit(index: int) -> None:
        pages = citizens[index].pages()
        step = index  # each starts elsewhere, so the pages are mixed at every moment
        while time.perf_counter() < until:
            name, path = pages[step % len(pages)]
            step += 1
            ms, status = await _get(clients[index], path)
            if not measure_from <= time.perf_counter() <= until:
                continue
            if status == "200":
                latencies[name].append(ms)
            else:
                errors[f"{name} {status}"] += 1

    await asyncio.gather(*(visit(i) for i in range(len(clients))))
    return {"seconds": spec.duration, "latencies_ms": latencies, "errors": dict(errors)}


async def run(spec: PortalSpec) -> dict[str, Any]:
    """Sign in, say READY, then the two stages, each on its go line."""
    stdin = await stdin_lines()
    people = [spec.heavy, *spec.citizens]
    clients = list(await asyncio.gather(*(sign_in(spec.url, c) for c in people)))
    try:
        say("READY")
        await stdin.readline()
        first = await first_pages(clients[0], spec.heavy, spec.samples)
        say("FIRST " + json.dumps(first, separators=(",", ":")))
        await stdin.readline()
        return await browse(clients[1:], spec.citizens, spec)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def main(argv: Sequence[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if len(args) != 1:
        sys.exit("usage: python -m bench.portal.load SPEC.json")
    spec = PortalSpec.from_json(json.loads(Path(args[0]).read_text()))
    report = asyncio.run(run(spec))
    say(json.dumps(report, separators=(",", ":")))


if __name__ == "__main__":
    main()
