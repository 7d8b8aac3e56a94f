"""The desks' queues as a clerk sees them, live."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import (
    Client,
    Desk,
    Inquiry,
    InquiryStatus,
    Practitioner,
    QueueEntry,
    QueueEntryKind,
)
from luukku.web import i18n
from luukku.web import live as sse
from luukku.web.pages import redirect, render
from luukku.web.sessions import session_of
from luukku.workspace import words
from luukku.workspace.state import clerk, clerk_client, workspace_of

MAX_QUEUE = 500  # inquiries read per page view


def holder(inquiry: Inquiry) -> Practitioner | None:
    """Who holds a claimed inquiry now, as the broker names them (None once closed: the
    broker then names who closed it)."""
    if inquiry.status is not InquiryStatus.CLAIMED:
        return None
    return inquiry.claimed_by_practitioner


@dataclass
class DeskQueue:
    """One desk's queue, as the signed-in clerk sorts it."""

    desk: Desk
    offered: list[Inquiry] = field(default_factory=list)
    overflowed: list[Inquiry] = field(default_factory=list)
    mine: list[Inquiry] = field(default_factory=list)
    colleagues: list[Inquiry] = field(default_factory=list)


async def desk_queues(request: Request, client: Client, desk_id: str = "") -> list[DeskQueue]:
    """The queues of the desks the organisation belongs to (or of ``desk_id`` only)."""
    org = workspace_of(request).config.org
    me = clerk(request)
    queues = {
        d.id: DeskQueue(d)
        async for d in client.list_desks()
        if org in d.member_organization_ids and desk_id in ("", d.id)
    }
    now = datetime.now(UTC)
    count = 0
    async for inquiry in client.list_inquiries():
        queue = queues.get(inquiry.desk_id)
        count += 1
        if count > MAX_QUEUE:
            break
        if queue is None or inquiry.status is InquiryStatus.CLOSED:
            continue
        if inquiry.status is InquiryStatus.QUEUED:
            overflowed = inquiry.overflow_time <= now
            (queue.overflowed if overflowed else queue.offered).append(inquiry)
        elif inquiry.claimed_by_organization_id == org:
            held_by = holder(inquiry)
            (queue.mine if held_by and held_by.id == me.id else queue.colleagues).append(inquiry)
    return list(queues.values())


def _context(queues: list[DeskQueue], names: dict[str, str]) -> dict[str, Any]:
    return {
        "queues": queues,
        "all_desks": [q.desk for q in queues],
        "names": names,
        "holder": holder,
        "now": datetime.now(UTC),
        "waited": _waited,
    }


def _waited(since: datetime) -> str:
    minutes = max(int((datetime.now(UTC) - since).total_seconds() // 60), 0)
    if minutes < 60:
        return i18n.ngettext_("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}
    hours = minutes // 60
    return i18n.ngettext_("%(num)d hour", "%(num)d hours", hours) % {"num": hours}


def _announcement(entry: QueueEntry, desks: list[Desk]) -> str:
    """What a screen reader is told of a change to the queue ("": nothing worth it)."""
    if entry.kind in (QueueEntryKind.ASKED, QueueEntryKind.OVERFLOWED):
        topic = words.topic_text(desks, entry.inquiry)
        return i18n.gettext_("New inquiry: %(topic)s") % {"topic": topic}
    if entry.kind is QueueEntryKind.CITIZEN_WROTE:
        title = words.title(desks, entry.inquiry)
        return i18n.gettext_("The citizen wrote: %(title)s") % {"title": title}
    return ""


async def queue_page(request: Request) -> Response:
    """GET /: the queues of the organisation's desks, or off to sign in."""
    if session_of(request).person_id is None:
        return redirect("/login")
    client = clerk_client(request)
    names = await workspace_of(request).broker.organization_names()
    queues = await desk_queues(request, client)
    return render(request, "queue.html", section="queue", **_context(queues, names))


async def queue_events(request: Request) -> Response:
    """GET /desks/{desk_id}/live: the desk's queue again after each change, as a ``state``
    event; a new or overflowed inquiry, and the citizen's reply, are announced to screen
    readers."""
    client = clerk_client(request)
    desk_id = request.path_params["desk_id"]
    names = await workspace_of(request).broker.organization_names()
    template = workspace_of(request).templates.get_template("_queue.html")
    session = session_of(request)
    watch = client.watch_queue(desk_id)

    async def changes() -> AsyncIterator[QueueEntry]:
        async for entry in watch:
            if entry.kind is not QueueEntryKind.OPEN:  # the page shows the opening view
                yield entry

    async def rendered(entries: AsyncIterator[QueueEntry]) -> AsyncIterator[str]:
        async for entry in entries:
            queues = await desk_queues(request, client, desk_id)
            announce = _announcement(entry, [q.desk for q in queues])
            yield template.render(
                **_context(queues, names),
                key=entry.cursor,
                announce=announce,
                csrf_token=session.csrf_token,
            )

    return sse.stream(request, rendered(changes()), lambda html: [sse.Event(html, name="state")])
