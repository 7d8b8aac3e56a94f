"""Mandates: the rights others hold over the citizen, those the citizen holds, giving an
adult a mandate, accepting one and ending one. Always the citizen's own, whomever they act
for at the moment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import (
    InvalidArgumentError,
    RepresentationRight,
    RepresentationState,
    RPCError,
    is_valid_identity_code,
)
from luukku.portal import acting, words
from luukku.portal.web import form_fields, own_client, page, redirect, request_key
from luukku.web import i18n
from luukku.web.i18n import HELSINKI
from luukku.web.sessions import session_of

MANDATE_YEARS = 5
NOTICES = {
    "given": words.N_(
        "The mandate was given. It comes into force when the other person accepts it "
        "in this portal."
    ),
    "accepted": words.N_(
        "You accepted the mandate. You can now choose to act for the person who gave it."
    ),
    "ended": words.N_("The right was ended. It no longer allows anything, from this moment."),
}


@dataclass
class MandateForm:
    """What the citizen typed into the mandate form, and what is wrong with it."""

    identity_code: str = ""
    codes: list[str] = field(default_factory=list)
    valid_until: str = ""
    errors: dict[str, str] = field(default_factory=dict)


async def mandate_list(request: Request) -> Response:
    """GET /mandates: the rights over the citizen, those they hold, and the mandate form."""
    default_until = (datetime.now(HELSINKI).date() + timedelta(days=365)).isoformat()
    return await _render(request, MandateForm(valid_until=default_until), 200)


async def give(request: Request) -> Response:
    """POST /mandates: give the mandate, or the form again with what is wrong by its field."""
    posted = await request.form()
    fields = await form_fields(request)
    form = MandateForm(
        identity_code=fields.get("identity_code", "").strip().upper(),
        codes=[c for c in posted.getlist("codes") if isinstance(c, str)],
        valid_until=fields.get("valid_until", ""),
    )
    until = _last_day(form.valid_until)
    if not is_valid_identity_code(form.identity_code):
        form.errors["identity_code"] = i18n.gettext_(FORM_MESSAGES["identity_code"])
    if not form.codes or not set(form.codes) <= set(words.MANDATE_CODES):
        form.errors["codes"] = i18n.gettext_(FORM_MESSAGES["codes"])
    if until is None:
        form.errors["valid_until"] = i18n.gettext_(FORM_MESSAGES["valid_until"])
    if form.errors or until is None:
        return await _render(request, form, 400)
    try:
        await own_client(request).give_mandate(
            form.identity_code,
            codes=form.codes,
            valid_until=i18n.end_of_day(until).astimezone(UTC),
            request_id=request_key(fields),
        )
    except RPCError as error:
        if not isinstance(error, InvalidArgumentError) and error.reason not in FIELD_OF_REASON:
            raise
        form.errors = _field_errors(error)
        return await _render(request, form, 400)
    acting.forget_rights(request)
    return redirect("/mandates?done=given")


async def accept(request: Request) -> Response:
    """POST /mandates/{right_id}/accept: accept a mandate given to the citizen."""
    await own_client(request).accept_mandate(request.path_params["right_id"])
    acting.forget_rights(request)
    return redirect("/mandates?done=accepted")


async def end(request: Request) -> Response:
    """POST /mandates/{right_id}/end: end a right at once (either party to a mandate)."""
    ended = await own_client(request).end_representation_right(request.path_params["right_id"])
    chosen = acting.current(session_of(request))
    if chosen is not None and chosen.right_id == ended.id:
        acting.choose(request, None)
    acting.forget_rights(request)
    return redirect("/mandates?done=ended")


async def _render(request: Request, form: MandateForm, status: int) -> Response:
    rights = await own_client(request).list_representation_rights()
    done = request.query_params.get("done", "")
    return await page(
        request,
        "mandates.html",
        status,
        section="mandates",
        held=_in_order(rights.held),
        over_me=_in_order(rights.over_me),
        form=form,
        codes=list(words.MANDATE_CODES),
        notice=i18n.gettext_(NOTICES[done]) if done in NOTICES and status == 200 else "",
    )


# What is in force first, then what awaits, then what is over.
_STATE_ORDER = (
    RepresentationState.AWAITING_ACCEPTANCE,
    RepresentationState.ACTIVE,
    RepresentationState.NOT_YET_VALID,
    RepresentationState.BLOCKED,
    RepresentationState.EXPIRED,
    RepresentationState.ENDED,
)


def _in_order(rights: Iterable[RepresentationRight]) -> list[RepresentationRight]:
    def key(right: RepresentationRight) -> int:
        return _STATE_ORDER.index(right.state) if right.state in _STATE_ORDER else 99

    return sorted(rights, key=key)


def _last_day(text: str) -> date | None:
    """The last day typed, when it is a date from today to five years on."""
    try:
        last = date.fromisoformat(text.strip())
    except ValueError:
        return None
    today = datetime.now(HELSINKI).date()
    if not today <= last <= today.replace(year=today.year + MANDATE_YEARS) - timedelta(days=1):
        return None
    return last


FORM_MESSAGES = {
    "identity_code": words.N_(
        "Enter the personal identity code of the adult you give the mandate to, like 010190-900P"
    ),
    "codes": words.N_("Choose at least one kind of matter the mandate covers"),
    "valid_until": words.N_("Choose a last day from today to at most five years away"),
}

# Which form field a broker refusal is about.
FIELD_OF_REASON = {
    "INVALID_IDENTITY_CODE": "identity_code",
    "REPRESENTATIVE_IS_SELF": "identity_code",
    "REPRESENTATIVE_NOT_ADULT": "identity_code",
    "MISSING_CODES": "codes",
    "INVALID_CODE": "codes",
    "INVALID_VALIDITY": "valid_until",
    "INVALID_TIMESTAMP": "valid_until",
}
_FIELD_OF_BROKER_FIELD = {
    "representative_identity_code": "identity_code",
    "codes": "codes",
    "valid_until": "valid_until",
    "valid_from": "valid_until",
}
# What the broker's refusals of the person typed say, where the field's own message
# does not tell it.
REASON_MESSAGES = {
    "REPRESENTATIVE_IS_SELF": words.N_("You cannot give a mandate to yourself"),
    "REPRESENTATIVE_NOT_ADULT": words.N_("A mandate can be given only to an adult"),
}


def _field_errors(error: RPCError) -> dict[str, str]:
    fields = {FIELD_OF_REASON.get(error.reason, "")}
    fields |= {_FIELD_OF_BROKER_FIELD.get(v.field, "") for v in error.field_violations}
    fields.discard("")
    errors = {f: i18n.gettext_(FORM_MESSAGES[f]) for f in fields or {"identity_code"}}
    if error.reason in REASON_MESSAGES:
        errors["identity_code"] = i18n.gettext_(REASON_MESSAGES[error.reason])
    return errors
