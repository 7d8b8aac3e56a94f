"""A case's discussion as a clerk takes part in it: the messages live, a reply, and how
far the citizen and the other organisations have read.

Opening the page marks the discussion read for the organisation, as the signed-in
clerk (audited under their name); the broker keeps one read mark per participant.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, InvalidArgumentError, Message, ReadMark, Thread
from luukku.web import i18n
from luukku.web import live as sse
from luukku.web.pages import form_fields, redirect, render, request_key
from luukku.workspace.pages.cases import consent_decides
from luukku.workspace.state import clerk_client, workspace_of

MESSAGES_SHOWN = 200  # the newest messages a page shows
MAX_BODY_BYTES = 8192  # the broker's limit on a message

Readers = dict[int, list[tuple[str, str]]]


@consent_decides
async def thread_page(request: Request) -> Response:
    """GET /threads/{thread_id}: the messages, who has read how far, a reply form, and
    live updates (``?done=started`` after starting it)."""
    started = request.query_params.get("done") == "started"
    notice = i18n.gettext_("The discussion was started.") if started else ""
    return await thread_page_for(request, notice=notice)


async def thread_page_for(
    request: Request,
    *,
    status_code: int = 200,
    form: dict[str, Any] | None = None,
    notice: str = "",
) -> Response:
    """The discussion's page; ``form`` keeps the reply as typed and its error."""
    client = clerk_client(request)
    thread = await client.get_thread(request.path_params["thread_id"])
    case, messages = await asyncio.gather(
        client.get_case(thread.case_id), _newest_messages(client, thread)
    )
    if thread.unread_count and messages:
        thread = await client.mark_read(thread.id, messages[-1].sequence)
    workspace = workspace_of(request)
    names = await workspace.broker.organization_names()
    return render(
        request,
        "thread.html",
        status_code,
        section="cases",
        thread=thread,
        case=case,
        messages=messages,
        names=names,
        readers=readers_by_message(thread.read_marks, names, messages, workspace.config.org),
        last_sequence=messages[-1].sequence if messages else 0,
        form=form or {"values": {}, "errors": {}},
        notice=notice,
    )


async def _newest_messages(client: Client, thread: Thread) -> list[Message]:
    after = max(0, thread.last_sequence - MESSAGES_SHOWN)
    return [m async for m in client.list_messages(thread.id, after_sequence=after)]


@consent_decides
async def reply(request: Request) -> Response:
    """POST /threads/{thread_id}/messages: the clerk writes (a resubmitted form, with the
    same request id, posts once), and has then read the discussion up to it."""
    fields = await form_fields(request)
    body = fields.get("body", "").strip()
    thread_id = request.path_params["thread_id"]
    error = ""
    if not body:
        error = i18n.gettext_("Write a message")
    elif len(body.encode("utf-8")) > MAX_BODY_BYTES:
        error = i18n.gettext_("The message is too long. Shorten it and send it again.")
    if not error:
        client = clerk_client(request)
        try:
            message = await client.post_message(thread_id, body, request_id=request_key(fields))
        except InvalidArgumentError:
            error = i18n.gettext_("Remove invisible formatting characters from the message")
        else:
            await client.mark_read(thread_id, message.sequence)
            return redirect(f"/threads/{thread_id}", fragment=f"message-{message.sequence}")
    form = {"values": fields, "errors": {"body": error}}
    return await thread_page_for(request, status_code=400, form=form)


def reader_name(mark: ReadMark, names: dict[str, str]) -> str:
    """Who a read mark is: the citizen (through the portal), or an organisation."""
    if mark.citizen_id:
        return i18n.gettext_("The citizen")
    return names.get(mark.organization_id, mark.organization_id)


def readers_by_message(
    marks: Iterable[ReadMark], names: dict[str, str], messages: Iterable[Message], own_org: str
) -> Readers:
    """The others who have read up to each message, (id, name) by its sequence number:
    shown under the last message each has read. Not the clerk's own organisation (its
    page has just read it all), nor a writer under their own message (luukku.js does the
    same live)."""
    authors = {m.sequence: m.author_organization_id for m in messages}
    readers: Readers = defaultdict(list)
    for mark in marks:
        org = mark.organization_id
        if org != own_org and authors.get(mark.sequence) != org:
            readers[mark.sequence].append((org, reader_name(mark, names)))
    return readers


@consent_decides
async def thread_events(request: Request) -> Response:
    """GET /threads/{thread_id}/live: each new message as an ``<li>``, and each other
    participant that has read further as a ``seen`` event naming the message it reached.

    A writer's own message moves their receipt too (the broker counts it as read by
    them, without a read mark), as a page load would show.
    """
    client = clerk_client(request)
    thread_id = request.path_params["thread_id"]
    await client.get_thread(thread_id)  # refused or unknown: a page, before any event
    workspace = workspace_of(request)
    own_org = workspace.config.org
    names = await workspace.broker.organization_names()
    watch = client.watch_thread(thread_id, after_sequence=sse.cursor(request), read_marks=True)
    message, reader = (
        workspace.templates.get_template(n) for n in ("_message.html", "_reader.html")
    )

    def seen(org_id: str, name: str, sequence: int) -> sse.Event:
        html = reader.render(org_id=org_id, name=name, sequence=sequence)
        return sse.Event(html, name="seen")

    def fragments(item: Message | ReadMark) -> list[sse.Event]:
        if isinstance(item, ReadMark):
            if item.organization_id == own_org:
                return []
            return [seen(item.organization_id, reader_name(item, names), item.sequence)]
        html = message.render(message=item, names=names, when=i18n.when, readers={})
        events = [sse.Event(html, item.sequence)]
        if item.author_organization_id != own_org:
            name = (
                i18n.gettext_("The citizen")
                if item.author_citizen_id
                else names.get(item.author_organization_id, item.author_organization_id)
            )
            events.append(seen(item.author_organization_id, name, item.sequence))
        return events

    return sse.stream(request, watch, fragments)
