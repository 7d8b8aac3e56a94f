"""A desk's ready answers, kept up by its clerks: a page listing them with a form to add
one, and a page per answer to change or remove it. The broker refuses anybody but the
desk's members, and keeps who changed what; a clerk who saves over a colleague's newer
change is shown the colleague's version instead of overwriting it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import AbortedError, Client, Desk, Inquiry, ReadyAnswer, RPCError
from luukku.web import i18n
from luukku.web.pages import form_fields, redirect, render, request_key
from luukku.workspace.state import clerk_client, workspace_of

MAX_ANSWERS = 500  # what a desk keeps (the broker's limit)
MAX_TITLE = 100
MAX_TEXT = 4000
LANGUAGES = ("fi", "sv", "en")
FIELDS = ("title", "text_fi", "text_sv", "text_en")
# What the broker refuses in what was typed (beyond what the page checks first).
REFUSED_WORDING = ("INVALID_CHARACTER", "INVALID_READY_ANSWER_TITLE", "INVALID_READY_ANSWER_TEXT")

# What the page says after each change.
_DONE = {
    "added": lambda: i18n.gettext_("The ready answer was added."),
    "saved": lambda: i18n.gettext_("The ready answer was saved."),
    "removed": lambda: i18n.gettext_("The ready answer was removed."),
}


async def desk_answers(client: Client, desk_id: str) -> list[ReadyAnswer]:
    """The desk's ready answers, by title."""
    found = []
    async for answer in client.list_ready_answers(desk_id):
        found.append(answer)
        if len(found) >= MAX_ANSWERS:
            break
    return sorted(found, key=lambda a: (a.title.casefold(), a.id))


@dataclass(frozen=True)
class Choice:
    """The ready answers a clerk may start a reply from: those written in the citizen's
    language (Finnish when the inquiry does not say), and the one chosen, if any."""

    language: str
    answers: list[ReadyAnswer]
    chosen: ReadyAnswer | None


async def choice_for(client: Client, inquiry: Inquiry, chosen_id: str) -> Choice:
    """The desk's ready answers in the inquiry's language, ``chosen_id`` among them."""
    language = inquiry.language or i18n.DEFAULT_LANGUAGE
    answers = [a for a in await desk_answers(client, inquiry.desk_id) if a.text(language)]
    return Choice(language, answers, next((a for a in answers if a.id == chosen_id), None))


async def _desk(client: Client, desk_id: str) -> Desk:
    return await client.get_desk(desk_id)


async def answers_page(request: Request) -> Response:
    """GET /desks/{desk_id}/answers: the desk's ready answers and a form to add one."""
    client = clerk_client(request)
    desk_id = request.path_params["desk_id"]
    done = _DONE.get(request.query_params.get("done", ""))
    return await _list_page(request, client, desk_id, notice=done() if done else "")


async def _list_page(
    request: Request,
    client: Client,
    desk_id: str,
    *,
    status_code: int = 200,
    form: dict[str, Any] | None = None,
    notice: str = "",
) -> Response:
    answers = await desk_answers(client, desk_id)  # refused (404) unless a member's clerk
    names = await workspace_of(request).broker.organization_names()
    return render(
        request,
        "answers.html",
        status_code,
        section="queue",
        desk=await _desk(client, desk_id),
        answers=answers,
        names=names,
        form=form or {"values": {}, "errors": {}},
        notice=notice,
    )


def _errors(fields: dict[str, str]) -> dict[str, str]:
    """What is wrong with a ready answer's title and texts, by field."""
    errors = {}
    title = fields.get("title", "").strip()
    if not title:
        errors["title"] = i18n.gettext_("Write a title")
    elif len(title) > MAX_TITLE or "\n" in title:
        errors["title"] = i18n.gettext_(
            "Write the title on one line of at most %(num)d characters"
        ) % {"num": MAX_TITLE}
    for language in LANGUAGES:
        if len(fields.get(f"text_{language}", "").strip()) > MAX_TEXT:
            errors[f"text_{language}"] = i18n.gettext_("Write at most %(num)d characters") % {
                "num": MAX_TEXT
            }
    if not any(fields.get(f"text_{language}", "").strip() for language in LANGUAGES):
        errors["text_fi"] = i18n.gettext_("Write the answer in at least one language")
    return errors


def _texts(fields: dict[str, str]) -> dict[str, str]:
    return {name: fields.get(name, "").strip() for name in FIELDS}


def _refused_by_broker(error: RPCError) -> dict[str, str]:
    """The broker's refusal of what was typed, by field (characters it cannot keep)."""
    violation = next(iter(error.field_violations), None)
    field = violation.field if violation and violation.field in FIELDS else "title"
    return {field: i18n.gettext_("Remove invisible formatting characters and line breaks")}


async def add_answer(request: Request) -> Response:
    """POST /desks/{desk_id}/answers: a new ready answer (a resubmitted form, with the same
    request id, adds it once)."""
    fields = await form_fields(request)
    client = clerk_client(request)
    desk_id = request.path_params["desk_id"]
    if errors := _errors(fields):
        form = {"values": fields, "errors": errors}
        return await _list_page(request, client, desk_id, status_code=400, form=form)
    try:
        answer = await client.create_ready_answer(
            desk_id, **_texts(fields), request_id=request_key(fields)
        )
    except RPCError as error:
        if error.reason not in REFUSED_WORDING:
            raise
        form = {"values": fields, "errors": _refused_by_broker(error)}
        return await _list_page(request, client, desk_id, status_code=400, form=form)
    return redirect(f"/desks/{desk_id}/answers?done=added", fragment=f"answer-{answer.id}")


async def answer_page(request: Request) -> Response:
    """GET /desks/{desk_id}/answers/{answer_id}: one ready answer, to change or remove."""
    client = clerk_client(request)
    desk_id, answer_id = request.path_params["desk_id"], request.path_params["answer_id"]
    answer = await client.get_ready_answer(desk_id, answer_id)
    return await _answer_page(request, client, answer)


async def _answer_page(
    request: Request,
    client: Client,
    answer: ReadyAnswer,
    *,
    status_code: int = 200,
    form: dict[str, Any] | None = None,
) -> Response:
    values = {name: getattr(answer, name) for name in FIELDS}
    names = await workspace_of(request).broker.organization_names()
    return render(
        request,
        "answer.html",
        status_code,
        section="queue",
        desk=await _desk(client, answer.desk_id),
        answer=answer,
        names=names,
        form=form or {"values": values, "errors": {}},
    )


async def save_answer(request: Request) -> Response:
    """POST /desks/{desk_id}/answers/{answer_id}: the answer's new title and texts, as of
    the revision the clerk read; a colleague's newer change is shown, not overwritten."""
    fields = await form_fields(request)
    client = clerk_client(request)
    desk_id, answer_id = request.path_params["desk_id"], request.path_params["answer_id"]
    answer = await client.get_ready_answer(desk_id, answer_id)
    if errors := _errors(fields):
        return await _answer_page(
            request, client, answer, status_code=400, form={"values": fields, "errors": errors}
        )
    revision = fields.get("revision", "")
    try:
        await client.update_ready_answer(
            desk_id,
            answer_id,
            revision=int(revision) if revision.isdigit() else answer.revision,
            **_texts(fields),
        )
    except AbortedError:
        newer = await client.get_ready_answer(desk_id, answer_id)
        values = {name: getattr(newer, name) for name in FIELDS}
        who = newer.update_practitioner.display_name or newer.update_organization_id
        errors = {
            "title": i18n.gettext_(
                "%(name)s changed this ready answer meanwhile. Here is their version: make "
                "your change again."
            )
            % {"name": who}
        }
        form = {"values": values, "errors": errors}
        return await _answer_page(request, client, newer, status_code=409, form=form)
    except RPCError as error:
        if error.reason not in REFUSED_WORDING:
            raise
        form = {"values": fields, "errors": _refused_by_broker(error)}
        return await _answer_page(request, client, answer, status_code=400, form=form)
    return redirect(f"/desks/{desk_id}/answers?done=saved", fragment=f"answer-{answer_id}")


async def remove_answer(request: Request) -> Response:
    """POST /desks/{desk_id}/answers/{answer_id}/remove: off the desk's list (removing it
    again, a double click, changes nothing)."""
    client = clerk_client(request)
    desk_id, answer_id = request.path_params["desk_id"], request.path_params["answer_id"]
    await client.delete_ready_answer(desk_id, answer_id)
    return redirect(f"/desks/{desk_id}/answers?done=removed")
