"""Asking the citizen of an inquiry for consent to one of their cases, and what came of it.

The clerk holding an inquiry asks for a case (the one linked to the inquiry,
or one the citizen named by its reference), a purpose, a last day and what
the consent would allow. The inquiry page lists the requests its organisation
made from the inquiry, each with its state as the broker gives it, live; once
the citizen approved one, the case and its records show beside it, read
through the SDK like any other access (the broker decides and audits it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from luukku.client import (
    Case,
    Client,
    ConsentRequest,
    ConsentRequestState,
    Permission,
    PermissionDeniedError,
    Record,
)
from luukku.web import i18n

MAX_REQUESTS = 50  # an inquiry's consent requests shown
MAX_RECORDS = 50  # records of an approved case shown on the inquiry page
MAX_PURPOSE = 500  # characters, one line (the broker's limit)
LONGEST_DAYS = 365  # the broker allows at most a year (366 days) from now
PERMISSIONS = (Permission.READ, Permission.WRITE, Permission.DISCUSS)


@dataclass(frozen=True)
class CaseShown:
    """What the clerk sees of an approved request's case: the case and its first records,
    or nothing (the consent ended or was withdrawn)."""

    case: Case | None
    records: list[Record]


@dataclass(frozen=True)
class RequestShown:
    """One consent request on the inquiry page, with its case once approved."""

    request: ConsentRequest
    shown: CaseShown | None


async def requests_of(client: Client, inquiry_id: str) -> list[RequestShown]:
    """The requests the clerk's organisation made from the inquiry, oldest first (as the
    live stream adds them), each approved one with its case."""
    found: list[ConsentRequest] = []
    async for asked in client.list_consent_requests(inquiry_id=inquiry_id):
        found.append(asked)
        if len(found) >= MAX_REQUESTS:
            break
    return [await request_shown(client, asked) for asked in reversed(found)]


async def request_shown(client: Client, asked: ConsentRequest) -> RequestShown:
    """The request, and its case's records if it was approved and the consent still lets
    the organisation read them."""
    if asked.state is not ConsentRequestState.APPROVED:
        return RequestShown(asked, None)
    try:
        case = await client.get_case(asked.case_id)
        records: list[Record] = []
        async for record in client.list_records(asked.case_id):
            records.append(record)
            if len(records) >= MAX_RECORDS:
                break
    except PermissionDeniedError:
        return RequestShown(asked, CaseShown(None, []))
    return RequestShown(asked, CaseShown(case, records))


def permission_text(permission: Permission) -> str:
    """What a consent would allow, as the clerk reads it."""
    texts = {
        Permission.READ: i18n.gettext_("Read the records"),
        Permission.WRITE: i18n.gettext_("Write records"),
        Permission.DISCUSS: i18n.gettext_("Discuss the case"),
    }
    return texts.get(permission, str(permission))


def state_text(state: ConsentRequestState) -> str:
    """Where a consent request stands."""
    texts = {
        ConsentRequestState.PENDING: i18n.gettext_("Waiting for the citizen's answer"),
        ConsentRequestState.APPROVED: i18n.gettext_("Approved by the citizen"),
        ConsentRequestState.DECLINED: i18n.gettext_("Declined by the citizen"),
        ConsentRequestState.EXPIRED: i18n.gettext_("Expired without an answer"),
    }
    return texts.get(state, str(state))


def last_day_default() -> str:
    """The last day the form suggests: 30 days from today."""
    return (datetime.now(i18n.HELSINKI).date() + timedelta(days=30)).isoformat()


@dataclass
class Asked:
    """The ask-for-consent form as the clerk filled it, and what is wrong with it."""

    case_id: str
    purpose: str
    last_day: date | None
    permissions: list[Permission]
    errors: dict[str, str]


def read_form(fields: dict[str, str], chosen: list[str], linked_case: str) -> Asked:
    """The form's fields checked; the reference typed is used unless the linked case was
    chosen (then it is ignored, as a person who chose the linked case expects)."""
    errors: dict[str, str] = {}
    if fields.get("case") == "linked" and linked_case:
        case_id = linked_case
    else:
        case_id = fields.get("case_reference", "").strip().lower()
        if not case_id:
            errors["case_reference"] = i18n.gettext_("Write the case's reference")
    purpose = fields.get("purpose", "").strip()
    if not purpose:
        errors["purpose"] = i18n.gettext_("Write why you need to see the case")
    elif len(purpose) > MAX_PURPOSE or "\n" in purpose or "\r" in purpose:
        errors["purpose"] = i18n.gettext_("Write at most %(num)d characters on one line") % {
            "num": MAX_PURPOSE
        }
    last_day = _day(fields.get("last_day", ""))
    today = datetime.now(i18n.HELSINKI).date()
    if last_day is None or not today <= last_day <= today + timedelta(days=LONGEST_DAYS):
        errors["last_day"] = i18n.gettext_(
            "Choose a last day from today to at most a year away, like %(day)s"
        ) % {"day": last_day_default()}
    permissions = [p for p in PERMISSIONS if p.value in chosen]
    if not permissions:
        errors["permissions"] = i18n.gettext_("Choose what the consent would allow")
    return Asked(case_id, purpose, last_day, permissions, errors)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
