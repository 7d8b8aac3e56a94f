"""Server-sent events: new messages, read receipts, new accesses and an inquiry's steps,
pushed as rendered HTML fragments.

Each stream is fed by one of the broker's watch streams (``WatchThread``,
``WatchAuditEvents``, ``WatchInquiry``) and resumes as :mod:`luukku.web.live`
says. The access stream also proves, every couple of seconds, the rows it
sent before the broker had signed them, and those the page was rendered with
as not yet signed (``?pending=12,13``), and replaces their proof cells.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import AuditEvent, ConsentRequest, Inquiry, InquiryEvent, Message, ReadMark
from luukku.portal.pages.access import AccessFilter, case_titles, consent_purposes, describe
from luukku.portal.pages.inquiries import inquiry_parts
from luukku.portal.pages.threads import author_of
from luukku.portal.proofs import PENDING_PER_STREAM, PendingRows
from luukku.portal.web import citizen_client, own_citizen_id, portal_of
from luukku.web import live as sse
from luukku.web.sessions import session_of

PROOF_ROUND_S = 2.0  # the broker signs a checkpoint every second by default
SEQUENCE = re.compile(r"[1-9][0-9]{0,17}")  # 1 or more, within int64


async def thread_events(request: Request) -> Response:
    """GET /threads/{thread_id}/live: each new message as an ``<li>``, and each organisation
    that has read further as a ``seen`` event naming the message it has read up to.

    An organisation's own post moves its receipt too (the broker counts its own
    message as read by it, without a read mark), as a page load would show.
    """
    client = citizen_client(request)
    thread_id = request.path_params["thread_id"]
    after = sse.cursor(request)
    names = await portal_of(request).broker.organization_names()
    news = client.watch_thread(thread_id, after_sequence=after, read_marks=True)
    message_event = _message_event(request, names, await own_citizen_id(request), readers={})
    reader = portal_of(request).templates.get_template("_reader.html")

    def seen(org_id: str, sequence: int) -> sse.Event:
        name = names.get(org_id, org_id)
        return sse.Event(reader.render(org_id=org_id, name=name, sequence=sequence), name="seen")

    def fragments(item: Message | ReadMark) -> list[sse.Event]:
        if isinstance(item, ReadMark):
            return [] if item.citizen_id else [seen(item.organization_id, item.sequence)]
        if item.author_citizen_id:
            return [message_event(item)]
        return [message_event(item), seen(item.author_organization_id, item.sequence)]

    return sse.stream(request, news, fragments)


async def inquiry_events(request: Request) -> Response:
    """GET /inquiries/{inquiry_id}/live: each new message as an ``<li>``, the inquiry's
    changing parts (status, who handles it, the forms, its history) after each step, and
    each consent request asked from it as an ``<li>`` when new and as a part once answered.

    Another citizen's inquiry, or none, is a 404 before any event is sent.
    """
    client = citizen_client(request)
    parts = await inquiry_parts(request)
    watch = client.watch_inquiry(
        request.path_params["inquiry_id"],
        after_sequence=sse.cursor(request),
        with_consent_requests=True,
    )
    items = await sse.opened(watch)
    state, asked = (
        portal_of(request).templates.get_template(n)
        for n in ("_inquiry_state.html", "_consent_request.html")
    )
    csrf_token = session_of(request).csrf_token
    message_event = _message_event(request, parts["names"], await own_citizen_id(request))

    def fragment(item: InquiryEvent) -> list[sse.Event]:
        if isinstance(item, Message):
            return [message_event(item)]
        if isinstance(item, ConsentRequest):
            html = asked.render(asked=item, csrf_token=csrf_token, back="inquiry", **parts)
            return [sse.Event(html), sse.Event(html, name="state")]
        if not isinstance(item, Inquiry):
            return []
        html = state.render(
            inquiry=item, csrf_token=csrf_token, request_id=uuid.uuid4().hex, **parts
        )
        return [sse.Event(html, name="state")]

    return sse.stream(request, items, fragment)


def _message_event(
    request: Request, names: dict[str, str], own_id: str, **context: object
) -> Callable[[Message], sse.Event]:
    template = portal_of(request).templates.get_template("_message.html")

    def fragment(message: Message) -> sse.Event:
        html = template.render(
            message=message, names=names, own_id=own_id, author=author_of, **context
        )
        return sse.Event(html, message.sequence)

    return fragment


async def access_events(request: Request) -> Response:
    """GET /access/live: each new access to the citizen's data as a ``<tr>``, and its
    proof cell again (a ``state`` event) once a signed checkpoint proves it or not;
    so too for the rows the page names in ``pending`` (see :func:`_pending`).
    """
    client = citizen_client(request)
    filters = AccessFilter.of(request)
    after = sse.cursor(request)
    portal = portal_of(request)
    names = await portal.broker.organization_names()
    cases, purposes = await asyncio.gather(case_titles(client), consent_purposes(client))
    row, cell = (portal.templates.get_template(n) for n in ("_access_row.html", "_proof.html"))
    pending = PendingRows(portal.proofs)  # a new event is newer than the latest checkpoint
    shown = _pending(request) if portal.proofs.verifier_key is not None else frozenset()

    def fragment(event: AuditEvent) -> list[sse.Event]:
        html = row.render(
            event=event,
            names=names,
            cases=cases,
            purposes=purposes,
            proofs={event.sequence: pending.add(event)},
            describe=describe,
        )
        return [sse.Event(html, event.sequence)]

    async def proven() -> list[sse.Event]:
        cells = [
            cell.render(event=event, proofs={event.sequence: proof}, names=names)
            for event, proof in await pending.settled(client)
        ]
        return [sse.Event("\n".join(cells), name="state")] if cells else []

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
    return sse.stream(
        request, unsent(filters.watch(client, start)), fragment, proven, PROOF_ROUND_S
    )


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
