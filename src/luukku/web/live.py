"""Server-sent events: a watch stream of the broker, pushed as rendered HTML fragments.

A stream starts after the cursor the page was rendered with (or, after a
reconnect, the newest the page has: ``after`` as luukku.js reopens the stream,
or the ``Last-Event-ID`` of a browser's own retry), so a dropped connection
resumes without a gap or a repeat. A comment line every 15 seconds keeps
proxies from closing an idle stream and notices a signed-out session.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from luukku.client import RPCError
from luukku.web.sessions import session_of

HEARTBEAT_S = 15.0
T = TypeVar("T")


@dataclass(frozen=True)
class Event:
    """One server-sent event: an HTML fragment, and the cursor to resume after it, if any."""

    html: str
    cursor: int | None = None
    name: str = "item"

    def encoded(self) -> str:
        """The event as the ``text/event-stream`` lines that carry it."""
        cursor = "" if self.cursor is None else f"id: {self.cursor}\n"
        data = "".join(f"data: {line}\n" for line in self.html.splitlines())
        return f"{cursor}event: {self.name}\n{data}\n"


async def opened(items: AsyncIterator[T]) -> AsyncIterator[T]:
    """``items`` once its first item has come: a refusal is raised here, as a page.

    For a watch that always begins with an item (an inquiry begins with itself).
    """
    first = await anext(items)

    async def from_first() -> AsyncIterator[T]:
        yield first
        async for item in items:
            yield item

    return from_first()


def cursor(request: Request) -> int:
    text = request.headers.get("last-event-id") or request.query_params.get("after", "0")
    return int(text) if text.isdigit() and len(text) < 19 else 0


def stream(
    request: Request,
    items: AsyncIterator[T],
    fragment: Callable[[T], list[Event]],
    rounds: Callable[[], Awaitable[list[Event]]] | None = None,
    round_s: float = 2.0,
) -> Response:
    """The events of ``items``, and those of ``rounds`` every ``round_s``, busy or quiet."""
    sessions = request.app.state.sessions
    session = session_of(request)

    async def body() -> AsyncIterator[str]:
        queue: asyncio.Queue[T | BaseException | None] = asyncio.Queue()

        async def pump() -> None:
            try:
                async for item in items:
                    await queue.put(item)
                await queue.put(None)
            except RPCError as error:
                await queue.put(error)

        task = asyncio.create_task(pump())
        clock = asyncio.get_running_loop().time
        heartbeat_at = clock() + HEARTBEAT_S
        round_at = clock() + round_s
        try:
            yield "retry: 2000\n\n"
            while True:
                if rounds is not None and clock() >= round_at:
                    for event in await rounds():
                        yield event.encoded()
                    round_at = clock() + round_s
                wake = min(heartbeat_at, round_at) if rounds is not None else heartbeat_at
                try:
                    item = await asyncio.wait_for(queue.get(), max(wake - clock(), 0))
                except TimeoutError:
                    if clock() < heartbeat_at:
                        continue
                    if not sessions.alive(session):
                        yield "event: signed-out\ndata: \n\n"
                        return
                    yield ": still here\n\n"
                    heartbeat_at = clock() + HEARTBEAT_S
                    continue
                if item is None or isinstance(item, BaseException):
                    yield "event: ended\ndata: \n\n"
                    return
                for event in fragment(item):
                    yield event.encoded()
                heartbeat_at = clock() + HEARTBEAT_S
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
