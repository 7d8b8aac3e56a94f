"""Discussions: every thread of the citizen's cases, one thread, posting and reading."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, Message, ReadMark, RPCError, Thread
from luukku.portal.unread import all_threads, forget_unread, remember_unread
from luukku.portal.web import citizen_client, form_fields, page, portal_of, redirect
from luukku.web import i18n
from luukku.web.sessions import session_of

# The newest messages a thread page shows; older ones are behind a link.
MESSAGES_SHOWN = 200
MAX_BODY_BYTES = 8192  # the broker's limit on a message body


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
    names = await portal_of(request).broker.organization_names()
    readers = readers_by_message(thread.read_marks, names, messages)
    if thread.unread_count and messages:
        thread = await client.mark_read(thread.id, messages[-1].sequence)
        forget_unread(request)
    draft, error = _unsent_draft(request)
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
        request_id=uuid.uuid4().hex,
        author=author_of,
        draft=draft,
        error=error,
    )


async def post(request: Request) -> Response:
    """POST /threads/{thread_id}/messages: the citizen writes (a resubmitted form posts once)."""
    fields = await form_fields(request)
    thread_id = request.path_params["thread_id"]
    body = fields.get("body", "").strip()
    if not body:
        return await _form_error(request, body, i18n.gettext_("Write a message"))
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        return await _form_error(request, body, _too_long())
    client = citizen_client(request)
    try:
        message = await client.post_message(
            thread_id, body, request_id=fields.get("request_id") or None
        )
    except RPCError as error:
        if error.reason == "INVALID_CHARACTER":
            unprintable = i18n.gettext_("Remove invisible formatting characters from the message")
            return await _form_error(request, body, unprintable)
        if error.reason == "MESSAGE_TOO_LARGE":
            return await _form_error(request, body, _too_long())
        raise
    await client.mark_read(thread_id, message.sequence)
    forget_unread(request)
    return redirect(f"/threads/{thread_id}#message-{message.sequence}")


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


def author_of(message: Message, names: dict[str, str], citizen_id: str | None) -> str:
    """Who wrote a message, as the citizen reads it."""
    if message.author_citizen_id:
        if message.author_citizen_id == citizen_id:
            return i18n.gettext_("You")
        return i18n.gettext_("The citizen")
    org = names.get(message.author_organization_id, message.author_organization_id)
    person = message.author.display_name
    role = message.author.role
    return ", ".join(part for part in (person, role, org) if part)


async def _form_error(request: Request, body: str, error: str) -> Response:
    session_of(request).data["draft"] = {"body": body, "error": error}
    return redirect(f"/threads/{request.path_params['thread_id']}#reply")


def _unsent_draft(request: Request) -> tuple[str, str]:
    """The body and error of a refused post, shown once in the form after the redirect."""
    draft = session_of(request).data.pop("draft", None) or {}
    return draft.get("body", ""), draft.get("error", "")


async def _newest_messages(client: Client, thread: Thread) -> list[Message]:
    after = max(0, thread.last_sequence - MESSAGES_SHOWN)
    return [m async for m in client.list_messages(thread.id, after_sequence=after)]
