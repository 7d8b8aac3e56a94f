"""The SQL conditions of audit listings: whose events a viewer may see, and the filters."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, not_, or_, select

from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.domain.acting import UNDISCLOSED_REASONS
from luukku.store.sql.tables import audit_events, threads


def selected(viewer: Actor, wanted: AuditFilter) -> ColumnElement[bool]:
    """The SQL condition for the events ``viewer`` may list that ``wanted`` selects."""
    c = audit_events.c
    if viewer.citizen_id is None:
        conditions = [c.org_id == viewer.org_id]
    else:
        conditions = [
            or_(
                c.subject_citizen_id == viewer.citizen_id,
                c.acting_for_citizen_id == viewer.citizen_id,
            )
        ]
        if wanted.exclude_own:
            conditions.append(
                or_(c.acting_for_citizen_id.is_(None), c.acting_for_citizen_id != viewer.citizen_id)
            )
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
    return and_(*conditions)


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
