"""The SQL conditions of audit listings: whose events a viewer may see, and the filters."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, not_, or_, select

from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.domain.acting import UNDISCLOSED_REASONS
from luukku.store.sql.tables import audit_events, threads


def selected(viewer: Actor, wanted: AuditFilter) -> ColumnElement[bool]:
    """The SQL condition for the events ``viewer`` may list that ``wanted`` selects."""
    return or_(*selected_apart(viewer, wanted))


def selected_apart(viewer: Actor, wanted: AuditFilter) -> list[ColumnElement[bool]]:
    """The same condition as disjoint parts, each led by one indexed column's equality:
    an organisation's events; a citizen's events about them, and those done for
    them about someone else (or no one).

    Read newest first, each part walks its own index (``(subject_citizen_id, seq)``;
    the partial ``(acting_for_citizen_id, seq)`` of migration 0021) in order and the
    parts merge: a page costs what the citizen's own events cost, however long the
    log. An ``OR`` of the two can follow no index's order, and the planner walks the
    whole log backwards.
    """
    c = audit_events.c
    narrowing = _narrowing(viewer, wanted)
    if viewer.citizen_id is None:
        return [and_(c.org_id == viewer.org_id, *narrowing)]
    citizen = viewer.citizen_id
    about = and_(c.subject_citizen_id == citizen, *narrowing)
    if wanted.exclude_own:
        about = and_(
            about, or_(c.acting_for_citizen_id.is_(None), c.acting_for_citizen_id != citizen)
        )
        return [about]  # what was done for them about no one else is their own use
    for_them = and_(
        c.acting_for_citizen_id == citizen,
        # Written as the partial index on these rows is (tables.AUDIT_DONE_FOR_OTHERS),
        # so that the planners see it applies.
        or_(c.subject_citizen_id.is_(None), c.acting_for_citizen_id != c.subject_citizen_id),
        *narrowing,
    )
    return [about, for_them]


def _narrowing(viewer: Actor, wanted: AuditFilter) -> list[ColumnElement[bool]]:
    """The conditions besides whose events they are: the filters, and what a
    representative is not told."""
    c = audit_events.c
    conditions: list[ColumnElement[bool]] = []
    if viewer.representative_id is not None:
        # Someone reading the log of the person they represent learns nothing the
        # rules keep from them: neither the refusals they are not told of, nor
        # what happened in a case a capable minor keeps from them.
        conditions.append(c.reason.notin_(sorted(UNDISCLOSED_REASONS)))
        conditions.extend(not_(_about_case(case_id)) for case_id in wanted.withheld_cases)
    if wanted.org_id is not None:
        conditions.append(c.org_id == wanted.org_id)
    if wanted.outcome is not None:
        conditions.append(c.outcome == wanted.outcome.value)
    if wanted.case_id is not None:
        conditions.append(_about_case(wanted.case_id))
    return conditions


_THREAD_PREFIX = "threads/"


def _about_case(case_id: str) -> ColumnElement[bool]:
    """Events on the case's resource ("cases/{id}", "cases/{id}/...") or one of its threads'.

    A thread's resource ("threads/{id}", "threads/{id}/...") names no case: the
    thread id, cut out of it, is looked up among the case's threads.
    """
    resource = audit_events.c.resource
    start, length = len(_THREAD_PREFIX) + 1, 32  # ids are 32 hex digits
    end = start + length
    of_thread = and_(
        resource.like(f"{_THREAD_PREFIX}%"),
        func.substr(resource, start, length).in_(
            select(threads.c.id).where(threads.c.case_id == case_id)
        ),
        or_(func.length(resource) == end - 1, func.substr(resource, end, 1) == "/"),
    )
    return or_(resource == f"cases/{case_id}", resource.like(f"cases/{case_id}/%"), of_thread)
