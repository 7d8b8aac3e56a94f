"""Consents: what the citizen has allowed, giving a new one, and withdrawing one."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, Consent, InvalidArgumentError, OrganizationKind, RPCError
from luukku.portal import words
from luukku.portal.pages import consent_requests
from luukku.portal.pages.access import case_titles
from luukku.portal.web import citizen_client, form_fields, page, portal_of, redirect, request_key
from luukku.web import i18n
from luukku.web.i18n import HELSINKI

# The order the citizen reads them in: what is in force first.
STATE_ORDER = ("active", "pending", "expired", "revoked")


async def consent_list(request: Request) -> Response:
    """GET /consents: every consent, grouped by state."""
    client = citizen_client(request)
    consents, cases, names, asked = await asyncio.gather(
        _consents(client),
        case_titles(client),
        portal_of(request).broker.organization_names(),
        consent_requests.requests_of(client),
    )
    groups = [(state, [c for c in consents if c.state == state]) for state in STATE_ORDER]
    notice = ""
    if request.query_params.get("revoked"):
        notice = i18n.gettext_(
            "The consent was withdrawn. The organisation's access ended at once, "
            "including any open connection."
        )
    elif request.query_params.get("granted"):
        notice = i18n.gettext_("The consent was recorded.")
    elif answered := request.query_params.get("answered"):
        notice = consent_requests.answered_notice(answered)
    return await page(
        request,
        "consents.html",
        section="consents",
        groups=groups,
        names=names,
        cases=cases,
        case_titles=cases,
        consent_requests=[r for r in asked if r.state.value == "pending"],
        back="consents",
        notice=notice,
        scope_text=scope_text,
    )


@dataclass
class GrantForm:
    """What the citizen typed into the grant form, and what is wrong with it."""

    organization_id: str = ""
    scope: str = "case"
    case_id: str = ""
    category: str = ""
    permissions: list[str] = field(default_factory=list)
    purpose: str = ""
    valid_until: str = ""
    errors: dict[str, str] = field(default_factory=dict)


async def grant_page(request: Request) -> Response:
    """GET /consents/new: the grant form (``?case=`` preselects a case)."""
    default_until = (datetime.now(HELSINKI).date() + timedelta(days=365)).isoformat()
    form = GrantForm(case_id=request.query_params.get("case", ""), valid_until=default_until)
    return await _render_form(request, form, 200)


async def grant(request: Request) -> Response:
    """POST /consents: grant, or the form again with the broker's reasons by their fields."""
    posted = await request.form()
    fields = await form_fields(request)
    form = GrantForm(
        organization_id=fields.get("organization_id", ""),
        scope=fields.get("scope", ""),
        case_id=fields.get("case_id", ""),
        category=fields.get("category", ""),
        permissions=[p for p in posted.getlist("permissions") if isinstance(p, str)],
        purpose=fields.get("purpose", ""),
        valid_until=fields.get("valid_until", ""),
    )
    until = _end_of_day(form.valid_until)
    if until is None:
        form.errors["valid_until"] = i18n.gettext_("Enter the last day as a date, like 2027-12-31")
    if form.scope not in ("case", "category"):
        form.errors["scope"] = i18n.gettext_("Choose one case or a whole service area")
    if form.errors or until is None:
        return await _render_form(request, form, 400)
    client = citizen_client(request)
    try:
        await client.grant_consent(
            form.organization_id,
            permissions=form.permissions,
            purpose=form.purpose,
            valid_until=until,
            case_id=form.case_id if form.scope == "case" else None,
            category=(form.category or None) if form.scope == "category" else None,
            request_id=request_key(fields),
        )
    except RPCError as error:
        if isinstance(error, InvalidArgumentError) or error.reason in FIELD_OF_REASON:
            form.errors = _field_errors(error)
            return await _render_form(request, form, 400)
        raise
    return redirect("/consents?granted=1")


async def revoke_page(request: Request) -> Response:
    """GET /consents/{consent_id}/revoke: confirm the withdrawal."""
    client = citizen_client(request)
    consent = await client.get_consent(request.path_params["consent_id"])
    names = await portal_of(request).broker.organization_names()
    case_title = (await client.get_case(consent.case_id)).title if consent.case_id else ""
    return await page(
        request,
        "consent_revoke.html",
        section="consents",
        consent=consent,
        names=names,
        case_title=case_title,
    )


async def revoke(request: Request) -> Response:
    """POST /consents/{consent_id}/revoke: withdraw it now."""
    client = citizen_client(request)
    await client.revoke_consent(request.path_params["consent_id"])
    return redirect("/consents?revoked=1")


async def _consents(client: Client) -> list[Consent]:
    return [c async for c in client.list_consents()]


def scope_text(consent: Consent, cases: dict[str, str]) -> str:
    """What a consent covers: a case by its title, or a whole service area."""
    if consent.case_id:
        return i18n.gettext_("The case “%(title)s”") % {
            "title": cases.get(consent.case_id, consent.case_id)
        }
    return i18n.gettext_("All cases in the service area %(area)s") % {
        "area": words.category(consent.category or "")
    }


async def _render_form(request: Request, form: GrantForm, status: int) -> Response:
    client = citizen_client(request)
    cases = [c async for c in client.list_cases()]
    known = await portal_of(request).broker.organizations()
    organizations = [o for o in known if o.kind is not OrganizationKind.PORTAL]
    return await page(
        request,
        "consent_new.html",
        status,
        section="consents",
        form=form,
        cases=cases,
        organizations=organizations,
        categories=list(words.CATEGORIES),
        permission_codes=list(words.PERMISSIONS),
    )


def _end_of_day(text: str) -> datetime | None:
    """The end of the given Helsinki day, in UTC; None when it is not a date."""
    try:
        last_day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return i18n.end_of_day(last_day).astimezone(UTC)


# Which form field a broker refusal is about, and what to tell the citizen.
FIELD_OF_REASON = {
    "ORG_NOT_FOUND": "organization_id",
    "INVALID_ORGANIZATION_ID": "organization_id",
    "INVALID_SCOPE": "scope",
    "INVALID_CATEGORY": "category",
    "MISSING_PERMISSIONS": "permissions",
    "INVALID_PERMISSION": "permissions",
    "INVALID_PURPOSE": "purpose",
    "INVALID_CHARACTER": "purpose",
    "INVALID_VALIDITY": "valid_until",
    "INVALID_TIMESTAMP": "valid_until",
    "CASE_NOT_FOUND": "case_id",
    "NOT_CASE_CITIZEN": "case_id",
    "INVALID_CASE_ID": "case_id",
}

FORM_MESSAGES = {
    "organization_id": words.N_("Choose the organisation that may see your information"),
    "scope": words.N_("Choose one case or a whole service area"),
    "category": words.N_("Choose a service area"),
    "permissions": words.N_("Choose at least one thing the organisation may do"),
    "purpose": words.N_("Write the purpose in at most 500 characters, without special characters"),
    "valid_until": words.N_("Choose a last day after today and at most five years away"),
    "case_id": words.N_("Choose one of your cases"),
}


def _field_errors(error: RPCError) -> dict[str, str]:
    fields = {FIELD_OF_REASON.get(error.reason, "")}
    fields |= {_form_field(v.field) for v in error.field_violations}
    fields.discard("")
    if not fields:
        fields = {"organization_id"}
    return {f: i18n.gettext_(FORM_MESSAGES[f]) for f in fields if f in FORM_MESSAGES}


def _form_field(broker_field: str) -> str:
    name = broker_field.split(".")[0]
    if name in ("valid_from",):
        return "valid_until"
    return name if name in FORM_MESSAGES else ""
