"""Server-sent events: new messages, read receipts, new accesses and an inquiry's steps,
pushed as rendered HTML fragments.

Each stream is fed by one of the broker's watch streams (``WatchThread``,
``WatchAuditEvents``, ``WatchInquiry``) and starts after the cursor the page
was rendered with (or, after a reconnect, the newest the page has: ``after`` as
portal.js reopens the stream, or the ``Last-Event-ID`` of a browser's own retry),
so a dropped connection resumes without a gap or a repeat. A comment line every 15
seconds keeps proxies from closing an idle stream and notices a signed-out
session. The access stream also proves, every couple of seconds, the rows it
sent before the broker had signed them, and those the page was rendered with
as not yet signed (``?pending=12,13``), and replaces their proof cells.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from luukku.client import AuditEvent, Inquiry, Message, ReadMark, RPCError
from luukku.portal.pages_access import AccessFilter, case_titles, consent_purposes, describe
from luukku.portal.pages_inquiries import inquiry_parts
from luukku.portal.pages_threads import author_of
from luukku.portal.proofs import PENDING_PER_STREAM, PendingRows
from luukku.portal.sessions import session_of
from luukku.portal.web import citizen_client, own_citizen_id, portal_of

HEARTBEAT_S = 15.0
PROOF_ROUND_S = 2.0  # the broker signs a checkpoint every second by default
SEQUENCE = re.compile(r"[1-9][0-9]{0,17}")  # 1 or more, within int64
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


async def thread_events(request: Request) -> Response:
    """GET /threads/{thread_id}/live: each new message as an ``<li>``, and each organisation
    that has read further as a ``seen`` event naming the message it has read up to.

    An organisation's own post moves its receipt too (the broker counts its own
    message as read by it, without a read mark), as a page load would show.
    """
    client = citizen_client(request)
    thread_id = request.path_params["thread_id"]
    after = _cursor(request)
    names = await portal_of(request).broker.organization_names()
    news = client.watch_thread(thread_id, after_sequence=after, read_marks=True)
    message_event = _message_event(request, names, await own_citizen_id(request), readers={})
    reader = portal_of(request).templates.get_template("_reader.html")

    def seen(org_id: str, sequence: int) -> Event:
        name = names.get(org_id, org_id)
        return Event(reader.render(org_id=org_id, name=name, sequence=sequence), name="seen")

    def fragments(item: Message | ReadMark) -> list[Event]:
        if isinstance(item, ReadMark):
            return [] if item.citizen_id else [seen(item.organization_id, item.sequence)]
        if item.author_citizen_id:
            return [message_event(item)]
        return [message_event(item), seen(item.author_organization_id, item.sequence)]

    return _stream(request, news, fragments)


async def inquiry_events(request: Request) -> Response:
    """GET /inquiries/{inquiry_id}/live: each new message as an ``<li>``, and the inquiry's
    changing parts (status, who handles it, the forms, its history) after each step.

    Another citizen's inquiry, or none, is a 404 before any event is sent.
    """
    client = citizen_client(request)
    parts = await inquiry_parts(request)
    watch = client.watch_inquiry(request.path_params["inquiry_id"], after_sequence=_cursor(request))
    items = await _opened(watch)
    state = portal_of(request).templates.get_template("_inquiry_state.html")
    csrf_token = session_of(request).csrf_token
    message_event = _message_event(request, parts["names"], await own_citizen_id(request))

    def fragment(item: Inquiry | Message) -> list[Event]:
        if isinstance(item, Message):
            return [message_event(item)]
        html = state.render(
            inquiry=item, csrf_token=csrf_token, request_id=uuid.uuid4().hex, **parts
        )
        return [Event(html, name="state")]

    return _stream(request, items, fragment)


def _message_event(
    request: Request, names: dict[str, str], own_id: str, **context: object
) -> Callable[[Message], Event]:
    template = portal_of(request).templates.get_template("_message.html")

    def fragment(message: Message) -> Event:
        html = template.render(
            message=message, names=names, own_id=own_id, author=author_of, **context
        )
        return Event(html, message.sequence)

    return fragment


async def _opened(items: AsyncIterator[T]) -> AsyncIterator[T]:
    """``items`` once its first item has come: a refusal is raised here, as a page.

    For a watch that always begins with an item (an inquiry begins with itself).
    """
    first = await anext(items)

    async def from_first() -> AsyncIterator[T]:
        yield first
        async for item in items:
            yield item

    return from_first()


async def access_events(request: Request) -> Response:
    """GET /access/live: each new access to the citizen's data as a ``<tr>``, and its
    proof cell again (a ``state`` event) once a signed checkpoint proves it or not;
    so too for the rows the page names in ``pending`` (see :func:`_pending`).
    """
    client = citizen_client(request)
    filters = AccessFilter.of(request)
    after = _cursor(request)
    portal = portal_of(request)
    names = await portal.broker.organization_names()
    cases, purposes = await asyncio.gather(case_titles(client), consent_purposes(client))
    row, cell = (portal.templates.get_template(n) for n in ("_access_row.html", "_proof.html"))
    pending = PendingRows(portal.proofs)  # a new event is newer than the latest checkpoint
    shown = _pending(request) if portal.proofs.verifier_key is not None else frozenset()

    def fragment(event: AuditEvent) -> list[Event]:
        html = row.render(
            event=event,
            names=names,
            cases=cases,
            purposes=purposes,
            proofs={event.sequence: pending.add(event)},
            describe=describe,
        )
        return [Event(html, event.sequence)]

    async def proven() -> list[Event]:
        cells = [
            cell.render(event=event, proofs={event.sequence: proof}, names=names)
            for event, proof in await pending.settled(client)
        ]
        return [Event("\n".join(cells), name="state")] if cells else []

    async def unsent(events: AsyncIterator[AuditEvent]) -> AsyncIterator[AuditEvent]:
        # The watch starts before the oldest row the page shows as not yet signed, so
        # those rows come again, as the broker lets this citizen see them (another
        # citizen's number never comes): they are followed, not sent again.
        async for event in events:
            if event.sequence > after:
                yield event
            elif event.sequence in shown:
                pending.add(event)

    start = min([after, *(sequence - 1 for sequence in shown)])
    return _stream(request, unsent(filters.watch(client, start)), fragment, proven)


def _pending(request: Request) -> frozenset[int]:
    """The rows the page shows as not yet signed, by sequence number (``?pending=12,13``).

    Anything but up to ``PENDING_PER_STREAM`` numbers of 1 or more, comma-separated,
    is ignored as a whole: the stream then follows only the rows it sends. An old
    number only starts the watch earlier, as ``?after=0`` would: the broker still
    sends only the events this citizen may see.
    """
    text = request.query_params.get("pending", "")
    numbers = text.split(",") if text else []
    if len(numbers) > PENDING_PER_STREAM or not all(SEQUENCE.fullmatch(n) for n in numbers):
        return frozenset()
    return frozenset(int(n) for n in numbers)


def _cursor(request: Request) -> int:
    text = request.headers.get("last-event-id") or request.query_params.get("after", "0")
    return int(text) if text.isdigit() and len(text) < 19 else 0


def _stream(
    request: Request,
    items: AsyncIterator[T],
    fragment: Callable[[T], list[Event]],
    rounds: Callable[[], Awaitable[list[Event]]] | None = None,
) -> Response:
    """The events of ``items``, and those of ``rounds`` every ``PROOF_ROUND_S``, busy or quiet."""
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
        round_at = clock() + PROOF_ROUND_S
        try:
            yield "retry: 2000\n\n"
            while True:
                if rounds is not None and clock() >= round_at:
                    for event in await rounds():
                        yield event.encoded()
                    round_at = clock() + PROOF_ROUND_S
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
