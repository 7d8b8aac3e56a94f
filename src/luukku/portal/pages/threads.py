"""Discussions: every thread of the citizen's cases, one thread, posting and reading."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, Message, ReadMark, RPCError, Thread
from luukku.portal.unread import all_threads, forget_unread, remember_unread
from luukku.portal.web import (
    citizen_client,
    form_fields,
    own_citizen_id,
    page,
    portal_of,
    redirect,
    refuse_form,
    refused_form,
    request_key,
)
from luukku.web import i18n

# The newest messages a thread page shows; older ones are behind a link.
MESSAGES_SHOWN = 200
MAX_BODY_BYTES = 8192  # the broker's limit on a message body

# Sends a message body with an idempotency key (None: the SDK makes one).
SendMessage = Callable[[str, str | None], Awaitable[Message]]


async def discussions(request: Request) -> Response:
    """GET /discussions: all threads, unread first."""
    threads = await all_threads(citizen_client(request))
    threads.sort(key=lambda pair: (pair[1].unread_count == 0, -pair[1].last_sequence))
    # The threads at hand give the navigation's unread count: no second round to the broker.
    unread_total = remember_unread(request, sum(t.unread_count for _, t in threads))
    return await page(
        request,
        "discussions.html",
        section="discussions",
        threads=threads,
        unread_total=unread_total,
    )


async def thread_page(request: Request) -> Response:
    """GET /threads/{thread_id}: the messages, a reply form, and live updates."""
    client = citizen_client(request)
    thread = await client.get_thread(request.path_params["thread_id"])
    # The thread is the citizen's, so its case and messages are too: asked for together.
    case, messages = await asyncio.gather(
        client.get_case(thread.case_id), _newest_messages(client, thread)
    )
    names, own_id = await asyncio.gather(
        portal_of(request).broker.organization_names(), own_citizen_id(request)
    )
    readers = readers_by_message(thread.read_marks, names, messages)
    if thread.unread_count and messages:
        thread = await client.mark_read(thread.id, messages[-1].sequence)
        forget_unread(request)
    draft, errors = refused_form(request)
    return await page(
        request,
        "thread.html",
        section="discussions",
        thread=thread,
        case=case,
        messages=messages,
        names=names,
        readers=readers,
        last_sequence=messages[-1].sequence if messages else 0,
        author=author_of,
        own_id=own_id,
        draft=draft.get("body", ""),
        error=errors.get("reply", ""),
    )


async def post(request: Request) -> Response:
    """POST /threads/{thread_id}/messages: the citizen writes (a resubmitted form posts once)."""
    thread_id = request.path_params["thread_id"]
    client = citizen_client(request)

    async def send(body: str, request_id: str | None) -> Message:
        message = await client.post_message(thread_id, body, request_id=request_id)
        await client.mark_read(thread_id, message.sequence)
        forget_unread(request)
        return message

    return await post_and_land(request, f"/threads/{thread_id}", send)


async def post_and_land(request: Request, place: str, send: SendMessage) -> Response:
    """Send the posted form's message with its idempotency key and land on ``place`` at
    the message (``#message-N``); a message to correct lands on its form (``#reply``) with
    what was typed and why. Discussions and questions both post through here.
    """
    fields = await form_fields(request)
    error = message_error(fields)
    if not error:
        try:
            message = await send(fields["body"].strip(), request_key(fields))
        except RPCError as refused:
            error = message_refusal(refused)
            if not error:
                raise
        else:
            return redirect(f"{place}#message-{message.sequence}")
    return refuse_form(request, place, "reply", fields, error)


def message_error(fields: dict[str, str]) -> str:
    """What is wrong with the message a form sent, in plain words; empty when nothing."""
    body = fields.get("body", "").strip()
    if not body:
        return i18n.gettext_("Write a message")
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        return _too_long()
    return ""


def message_refusal(error: RPCError) -> str:
    """The broker's refusal of a message's text, in plain words; empty for other refusals."""
    if error.reason == "INVALID_CHARACTER":
        return i18n.gettext_("Remove invisible formatting characters from the message")
    if error.reason == "MESSAGE_TOO_LARGE":
        return _too_long()
    return ""


def _too_long() -> str:
    return i18n.gettext_("The message is too long. Shorten it and send it again.")


def readers_by_message(
    marks: Iterable[ReadMark], names: dict[str, str], messages: Iterable[Message]
) -> dict[int, list[tuple[str, str]]]:
    """The organisations that have read up to each message, (id, name) by the message's
    sequence number: shown under the last message each has read. The citizen's own
    receipt is not shown to the citizen, nor an organisation's name under its own
    message (it wrote it: that says nothing; luukku.js does the same live)."""
    authors = {m.sequence: m.author_organization_id for m in messages if not m.author_citizen_id}
    readers: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for mark in marks:
        org = mark.organization_id
        if not mark.citizen_id and authors.get(mark.sequence) != org:
            readers[mark.sequence].append((org, names.get(org, org)))
    return readers


def author_of(message: Message, names: dict[str, str], own_id: str) -> str:
    """Who wrote a message, as the citizen whose opaque id is ``own_id`` reads it."""
    if message.author_citizen_id:
        if message.author_citizen_id == own_id:
            return i18n.gettext_("You")
        return i18n.gettext_("The citizen")
    org = names.get(message.author_organization_id, message.author_organization_id)
    person = message.author.display_name
    role = message.author.role
    return ", ".join(part for part in (person, role, org) if part)


async def _newest_messages(client: Client, thread: Thread) -> list[Message]:
    after = max(0, thread.last_sequence - MESSAGES_SHOWN)
    return [m async for m in client.list_messages(thread.id, after_sequence=after)]
