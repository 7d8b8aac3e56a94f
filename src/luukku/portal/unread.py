"""The citizen's threads and the navigation's unread count, kept 15 s per session.

Both the pages (``web.page``) and the discussions (``pages.threads``) use it,
so it imports neither.
"""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request

from luukku.client import Case, Client, RPCError, Thread
from luukku.web.sessions import session_of

UNREAD_TTL_S = 15.0


async def all_threads(client: Client) -> list[tuple[Case, Thread]]:
    """Every thread of every case about the citizen, with its case."""
    cases = [c async for c in client.list_cases()]
    per_case = await asyncio.gather(*(_threads_of(client, c) for c in cases))
    return [pair for pairs in per_case for pair in pairs]


async def _threads_of(client: Client, case: Case) -> list[tuple[Case, Thread]]:
    return [(case, t) async for t in client.list_threads(case.id)]


async def unread_total(request: Request, client: Client) -> int:
    """The citizen's unread messages in all threads: one call, at most every 15 s."""
    cached = session_of(request).data.get("unread")
    if cached is not None and time.monotonic() - cached[0] < UNREAD_TTL_S:
        return int(cached[1])
    try:
        summary = await client.summarize_unread()
    except RPCError:
        return 0
    return remember_unread(request, summary.total_unread_count)


def remember_unread(request: Request, total: int) -> int:
    """Keep ``total`` as the session's unread count for the next 15 s; return it."""
    session_of(request).data["unread"] = (time.monotonic(), total)
    return total


def forget_unread(request: Request) -> None:
    """Drop the cached unread count (after reading or posting)."""
    session_of(request).data.pop("unread", None)
