"""Server-sent events: new messages and new accesses, pushed as rendered HTML fragments.

Each stream is fed by one of the broker's watch streams (``WatchThread``,
``WatchAuditEvents``) and starts after the cursor the page was rendered with
(or the browser's ``Last-Event-ID`` after a reconnect), so a dropped
connection resumes without a gap or a repeat. A comment line every 15 seconds
keeps proxies from closing an idle stream and notices a signed-out session.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from luukku.client import AuditEvent, Message, RPCError
from luukku.portal.pages_access import AccessFilter, case_titles, consent_purposes, describe
from luukku.portal.pages_threads import author_of
from luukku.portal.sessions import session_of
from luukku.portal.web import citizen_client, portal_of

HEARTBEAT_S = 15.0
T = TypeVar("T")


async def thread_events(request: Request) -> Response:
    """GET /threads/{thread_id}/live: each new message as an ``<li>``."""
    client = citizen_client(request)
    thread_id = request.path_params["thread_id"]
    after = _cursor(request)
    names = await portal_of(request).broker.organization_names()
    template = portal_of(request).templates.get_template("_message.html")
    session = session_of(request)

    def fragment(message: Message) -> tuple[int, str]:
        html = template.render(message=message, names=names, session=session, author=author_of)
        return message.sequence, html

    messages = client.watch_thread(thread_id, after_sequence=after)
    return _stream(request, messages, fragment)


async def access_events(request: Request) -> Response:
    """GET /access/live: each new access to the citizen's data as a ``<tr>``."""
    client = citizen_client(request)
    filters = AccessFilter.of(request)
    after = _cursor(request)
    names = await portal_of(request).broker.organization_names()
    cases, purposes = await asyncio.gather(case_titles(client), consent_purposes(client))
    template = portal_of(request).templates.get_template("_access_row.html")

    def fragment(event: AuditEvent) -> tuple[int, str]:
        html = template.render(
            event=event,
            names=names,
            cases=cases,
            purposes=purposes,
            proofs={},  # a new event is newer than the latest checkpoint: proven on reload
            describe=describe,
        )
        return event.sequence, html

    return _stream(request, filters.watch(client, after), fragment)


def _cursor(request: Request) -> int:
    text = request.headers.get("last-event-id") or request.query_params.get("after", "0")
    return int(text) if text.isdigit() and len(text) < 19 else 0


def _stream(
    request: Request, items: AsyncIterator[T], fragment: Callable[[T], tuple[int, str]]
) -> Response:
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
        try:
            yield "retry: 2000\n\n"
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
                except TimeoutError:
                    if not sessions.alive(session):
                        yield "event: signed-out\ndata: \n\n"
                        return
                    yield ": still here\n\n"
                    continue
                if item is None or isinstance(item, BaseException):
                    yield "event: ended\ndata: \n\n"
                    return
                sequence, html = fragment(item)
                data = "".join(f"data: {line}\n" for line in html.splitlines())
                yield f"id: {sequence}\nevent: item\n{data}\n"
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
