"""Who has looked at my data: the access log with filters, a glance chart, live updates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import AuditEvent, Client, PermissionDeniedError
from luukku.portal.web import citizen_client, page, portal_of
from luukku.web import chart
from luukku.web.i18n import day

EVENTS_PER_PAGE = 50
GLANCE_DAYS = 90
# Repeated reads of one thing by one person within this while show as one row.
GROUP_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class AccessFilter:
    """The log's filters, as in the page's query string."""

    organization_id: str = ""
    case_id: str = ""
    outcome: str = ""
    include_own: bool = False

    @classmethod
    def of(cls, request: Request) -> AccessFilter:
        """Read the filters from the query; unknown outcomes mean both."""
        q = request.query_params
        outcome = q.get("outcome", "")
        return cls(
            organization_id=q.get("organization", "").strip(),
            case_id=q.get("case", "").strip(),
            outcome=outcome if outcome in ("allowed", "denied") else "",
            include_own=q.get("own") == "1",
        )

    def query(self, **extra: str) -> str:
        """The query string that reproduces these filters (plus ``extra``)."""
        params = {
            "organization": self.organization_id,
            "case": self.case_id,
            "outcome": self.outcome,
            "own": "1" if self.include_own else "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v})

    def page(self, client: Client, token: str) -> Awaitable[tuple[list[AuditEvent], str]]:
        """One page of the log with these filters."""
        return client.audit_events_page(
            organization_id=self.organization_id,
            case_id=self.case_id,
            outcome=self.outcome or None,
            exclude_own=not self.include_own,
            page_size=EVENTS_PER_PAGE,
            page_token=token,
        )

    def watch(self, client: Client, after: int) -> AsyncIterator[AuditEvent]:
        """New events with these filters, after the sequence number ``after``."""
        return client.watch_audit_events(
            after_sequence=after,
            organization_id=self.organization_id,
            case_id=self.case_id,
            outcome=self.outcome or None,
            exclude_own=not self.include_own,
        )


@dataclass(frozen=True)
class AccessGroup:
    """Accesses of one kind to one thing by one person, newest first: one row of the log."""

    events: tuple[AuditEvent, ...]

    @property
    def newest(self) -> AuditEvent:
        """The latest access of the group."""
        return self.events[0]

    @property
    def oldest(self) -> AuditEvent:
        """The earliest access of the group."""
        return self.events[-1]

    @property
    def one_day(self) -> bool:
        """Whether the group begins and ends on one day (then its end shows as a time only)."""
        return day(self.oldest.time) == day(self.newest.time)


def _alike(event: AuditEvent) -> tuple[object, ...]:
    """What two accesses share to be shown as one row: who, what, to which, how it went."""
    return (
        event.organization_id,
        event.practitioner,
        event.acting_for_citizen_id,
        event.action,
        event.resource,
        event.outcome,
        event.reason,
        event.consent_id,
    )


def grouped(events: list[AuditEvent]) -> list[AccessGroup]:
    """The log's rows: accesses (newest first) next to each other that are alike and lie
    within ``GROUP_WINDOW`` of the group's latest are one row. Each stays listed in it."""
    groups: list[AccessGroup] = []
    for event in events:
        last = groups[-1] if groups else None
        if (
            last is not None
            and _alike(last.newest) == _alike(event)
            and last.newest.time - event.time <= GROUP_WINDOW
        ):
            groups[-1] = AccessGroup((*last.events, event))
        else:
            groups.append(AccessGroup((event,)))
    return groups


async def access_log(request: Request) -> Response:
    """GET /access: a page of the log, newest first, with the glance view above it."""
    client = citizen_client(request)
    filters = AccessFilter.of(request)
    token = request.query_params.get("page", "")
    since = datetime.now(UTC) - timedelta(days=GLANCE_DAYS)
    (events, next_token), counts, cases, purposes = await asyncio.gather(
        filters.page(client, token),
        client.summarize_audit_events(since=since, exclude_own=not filters.include_own),
        case_titles(client),
        consent_purposes(client),
    )
    proofs = await portal_of(request).proofs.prove(client, events)
    names = await portal_of(request).broker.organization_names()
    rows = []
    for c in counts:
        name = names.get(c.organization_id, c.organization_id)
        rows.append((name, f"{name}: {c.allowed + c.denied}", (c.allowed, c.denied)))
    glance = chart.layout(rows, ("bar-allowed", "bar-denied"), hatched={"bar-denied"})
    newest = events[0].sequence if events and not token else 0
    return await page(
        request,
        "access.html",
        section="access",
        events=events,
        groups=grouped(events),
        next_page=filters.query(page=next_token) if next_token else "",
        first_page=not token,
        filters=filters,
        glance=glance,
        names=names,
        cases=cases,
        purposes=purposes,
        proofs=proofs,
        describe=describe,
        live_query=filters.query(after=str(newest)) if not token else "",
    )


async def signed_log(request: Request) -> Response:
    """GET /access/signed-log: what "proven in the signed log" means, and the checkpoint."""
    client = citizen_client(request)
    proofs = portal_of(request).proofs
    checkpoint = await proofs.latest(client)
    return await page(
        request,
        "signed_log.html",
        section="access",
        checkpoint=checkpoint,
        configured=proofs.verifier_key is not None,
        broken=bool(proofs.broken),
    )


def describe(event: AuditEvent, cases: dict[str, str]) -> str:
    """Which of the citizen's cases an event touched, by title, when it names one."""
    parts = event.resource.split("/")
    if len(parts) >= 2 and parts[0] == "cases":
        return cases.get(parts[1], "")
    return ""


async def consent_purposes(client: Client) -> dict[str, str]:
    """The purpose of each of the citizen's consents, to say which consent allowed an access;
    none when acting on a right that does not cover consents."""
    try:
        return {c.id: c.purpose async for c in client.list_consents()}
    except PermissionDeniedError:
        return {}


async def case_titles(client: Client) -> dict[str, str]:
    return {c.id: c.title async for c in client.list_cases()}
