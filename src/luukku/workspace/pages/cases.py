"""The cases the clerk's organisation owns or may read by the citizen's consent: a case's
records (write one, correct one, read its earlier versions) and its discussions' list.

The broker decides and audits every access, as the signed-in clerk's. A page offers
only what the organisation's standing on the case allows (an owner everything, a
consent what it grants), and a refusal all the same (a consent withdrawn a moment
ago) is a page that says why, not an error page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import (
    Case,
    Client,
    Consent,
    FailedPreconditionError,
    InvalidArgumentError,
    Permission,
    PermissionDeniedError,
    Record,
    Thread,
)
from luukku.web import case_words, i18n
from luukku.web.pages import form_fields, redirect, render, request_key
from luukku.workspace.state import clerk_client, workspace_of

MAX_CASES = 200  # the newest cases the list shows
RECORDS_PER_PAGE = 50
REVISIONS_PER_CALL = 500  # one page holds all but the rarest histories
MAX_RECORD_BYTES = 64 * 1024  # the broker's limit on a record's text
MAX_SUBJECT = 200  # characters of a discussion's subject (the broker's limit)

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Standing:
    """What the organisation may do with one case now, as the broker answered with the
    case (the broker still decides each call), and the consents that let it."""

    owner: bool
    permissions: frozenset[Permission]
    consents: tuple[Consent, ...] = ()

    def may(self, permission: Permission) -> bool:
        """Whether the page offers what needs ``permission``."""
        return permission in self.permissions


async def case_and_standing(client: Client, case_id: str) -> tuple[Case, Standing]:
    """The case and the organisation's standing on it: owner, or the citizen's active
    consents covering it (each read as the organisation it was given to)."""
    access = await client.get_case_access(case_id)
    consents = await asyncio.gather(*(client.get_consent(c) for c in access.consent_ids))
    return access.case, Standing(access.owner, access.permissions, tuple(consents))


def consent_decides(handler: Handler) -> Handler:
    """``handler``, whose refusal by the broker (no consent, or one that does not allow
    this) is a page saying so: the clerk learns why and what to do next."""

    @wraps(handler)
    async def decided(request: Request) -> Response:
        try:
            return await handler(request)
        except PermissionDeniedError as refused:
            return render(
                request,
                "refused.html",
                403,
                section="cases",
                explanation=_why(refused.reason),
            )

    return decided


def _why(reason: str) -> str:
    texts = {
        "CONSENT_REVOKED": i18n.gettext_(
            "The citizen has withdrawn the consent that let your organisation see this."
        ),
        "CONSENT_EXPIRED": i18n.gettext_(
            "The citizen's consent that let your organisation see this has expired."
        ),
        "CONSENT_NOT_YET_VALID": i18n.gettext_(
            "The citizen's consent to your organisation is not in force yet."
        ),
        "PERMISSION_NOT_GRANTED": i18n.gettext_(
            "The citizen's consent does not let your organisation do this."
        ),
    }
    return texts.get(
        reason,
        i18n.gettext_(
            "Your organisation does not own a case at this address, and no consent of a "
            "citizen's lets it see one."
        ),
    )


async def case_list(request: Request) -> Response:
    """GET /cases: the organisation's own cases, and those it may read by consent."""
    client = clerk_client(request)
    org = workspace_of(request).config.org
    cases: list[Case] = []
    async for case in client.list_cases():
        cases.append(case)
        if len(cases) >= MAX_CASES:
            break
    names = await workspace_of(request).broker.organization_names()
    return render(
        request,
        "cases.html",
        section="cases",
        owned=[c for c in cases if c.owner_organization_id == org],
        by_consent=[c for c in cases if c.owner_organization_id != org],
        more=len(cases) >= MAX_CASES,
        names=names,
    )


@consent_decides
async def case_page(request: Request) -> Response:
    """GET /cases/{case_id}: the case, a page of its records (latest versions), its
    discussions, and the forms its standing allows."""
    return await case_page_for(request)


async def case_page_for(
    request: Request, *, status_code: int = 200, form: dict[str, Any] | None = None
) -> Response:
    """The case page; ``form`` keeps what was typed in one of its forms and its errors."""
    client = clerk_client(request)
    case, standing = await case_and_standing(client, request.path_params["case_id"])
    token = request.query_params.get("records", "")
    (records, next_token), threads = await asyncio.gather(
        client.records_page(case.id, page_size=RECORDS_PER_PAGE, page_token=token),
        _threads(client, case, standing),
    )
    names = await workspace_of(request).broker.organization_names()
    return render(
        request,
        "case.html",
        status_code,
        section="cases",
        case=case,
        standing=standing,
        records=records,
        next_token=next_token,
        first_page=not token,
        threads=threads,
        names=names,
        form=form or {"values": {}, "errors": {}},
        record_kinds=list(case_words.RECORD_KINDS),
    )


async def _threads(client: Client, case: Case, standing: Standing) -> list[Thread]:
    if not standing.may(Permission.DISCUSS):
        return []  # listing them would be refused: the page says why there are none
    return [t async for t in client.list_threads(case.id)]


@consent_decides
async def write_record(request: Request) -> Response:
    """POST /cases/{case_id}/records: a new record (a resubmitted form, with the same
    request id, writes once); off to the record's page."""
    fields = await form_fields(request)
    kind, text = fields.get("kind", "").strip(), fields.get("text", "").strip()
    errors = {}
    if kind not in case_words.RECORD_KINDS:
        errors["kind"] = i18n.gettext_("Choose the kind of record")
    if text_error := _record_text_error(text):
        errors["text"] = text_error
    case_id = request.path_params["case_id"]
    if not errors:
        client = clerk_client(request)
        try:
            record = await client.create_record(
                case_id, kind=kind, text=text, request_id=request_key(fields)
            )
        except (FailedPreconditionError, InvalidArgumentError) as refused:
            errors["text"] = _record_refusal(refused)
        else:
            return redirect(f"/cases/{case_id}/records/{record.record_id}?done=written")
    return await case_page_for(request, status_code=400, form={"values": fields, "errors": errors})


@consent_decides
async def record_page(request: Request) -> Response:
    """GET /cases/{case_id}/records/{record_id}: every version of one record, newest
    first, and the form to correct it."""
    done = _RECORD_DONE.get(request.query_params.get("done", ""))
    return await record_page_for(request, notice=done() if done else "")


_RECORD_DONE = {
    "written": lambda: i18n.gettext_("The record was written."),
    "revised": lambda: i18n.gettext_("The record was corrected. The earlier version stays."),
}


async def record_page_for(
    request: Request,
    *,
    status_code: int = 200,
    form: dict[str, Any] | None = None,
    notice: str = "",
) -> Response:
    """The record's page; ``form`` keeps the correction as typed and its error."""
    client = clerk_client(request)
    case_id, record_id = request.path_params["case_id"], request.path_params["record_id"]
    (case, standing), revisions = await asyncio.gather(
        case_and_standing(client, case_id), _history(client, case_id, record_id)
    )
    names = await workspace_of(request).broker.organization_names()
    return render(
        request,
        "record.html",
        status_code,
        section="cases",
        case=case,
        standing=standing,
        revisions=revisions,
        names=names,
        form=form or {"values": {"text": revisions[0].text}, "errors": {}},
        notice=notice,
    )


async def _history(client: Client, case_id: str, record_id: str) -> list[Record]:
    pages = client.list_record_revisions(case_id, record_id, page_size=REVISIONS_PER_CALL)
    return [r async for r in pages]


@consent_decides
async def revise_record(request: Request) -> Response:
    """POST /cases/{case_id}/records/{record_id}/revisions: a corrected version (a
    resubmitted form, with the same request id, corrects once)."""
    fields = await form_fields(request)
    text = fields.get("text", "").strip()
    case_id, record_id = request.path_params["case_id"], request.path_params["record_id"]
    error = _record_text_error(text)
    if not error:
        client = clerk_client(request)
        try:
            await client.revise_record(
                case_id, record_id, text=text, request_id=request_key(fields)
            )
        except (FailedPreconditionError, InvalidArgumentError) as refused:
            error = _record_refusal(refused)
        else:
            return redirect(f"/cases/{case_id}/records/{record_id}?done=revised")
    form = {"values": fields, "errors": {"text": error}}
    return await record_page_for(request, status_code=400, form=form)


@consent_decides
async def start_discussion(request: Request) -> Response:
    """POST /cases/{case_id}/threads: a new discussion on the case, with the citizen and
    whoever may discuss it (a resubmitted form starts one)."""
    fields = await form_fields(request)
    subject = fields.get("subject", "").strip()
    case_id = request.path_params["case_id"]
    error = ""
    if not subject:
        error = i18n.gettext_("Write the subject")
    elif len(subject) > MAX_SUBJECT:
        error = i18n.gettext_("Write at most %(num)d characters") % {"num": MAX_SUBJECT}
    if not error:
        client = clerk_client(request)
        try:
            thread = await client.create_thread(
                case_id, subject=subject, request_id=request_key(fields)
            )
        except InvalidArgumentError:
            error = i18n.gettext_("The subject has characters that cannot be saved")
        else:
            return redirect(f"/threads/{thread.id}?done=started")
    form = {"values": fields, "errors": {"subject": error}}
    return await case_page_for(request, status_code=400, form=form)


def _record_text_error(text: str) -> str:
    if not text:
        return i18n.gettext_("Write the record")
    if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
        return i18n.gettext_("The record is too long. Shorten it and save it again.")
    return ""


def _record_refusal(refused: FailedPreconditionError | InvalidArgumentError) -> str:
    if isinstance(refused, FailedPreconditionError):
        return i18n.gettext_("The case is closed: it takes no new records.")
    return i18n.gettext_("The record has characters that cannot be saved")
