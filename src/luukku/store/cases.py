"""Repository of cases and their append-only records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from luukku.domain.caller import Practitioner
from luukku.domain.cases import Case, CaseStatus, Record, ServiceCategory
from luukku.domain.consents import Consent, Permission
from luukku.store.consents import consent_of
from luukku.store.sql.statements import Fields, Row, Statement
from luukku.store.sql.tables import cases, consents, record_revisions, records


def case_of(m: Fields) -> Case:
    return Case(
        id=m["id"],
        citizen_id=m["citizen_id"],
        owner_org_id=m["owner_org_id"],
        title=m["title"],
        category=ServiceCategory(m["category"]),
        status=CaseStatus(m["status"]),
        created_at=m["created_at"],
        closed_at=m["closed_at"],
    )


def _record(m: Fields) -> Record:
    return Record(
        case_id=m["case_id"],
        record_id=m["record_id"],
        revision=m["revision"],
        kind=m["kind"],
        text=m["text"],
        data=json.loads(m["data"]) if m["data"] is not None else None,
        author_org_id=m["author_org_id"],
        author=Practitioner(m["practitioner_id"], m["practitioner_name"], m["practitioner_role"]),
        created_at=m["created_at"],
    )


_RECORD_COLUMNS = (
    records.c.case_id,
    records.c.kind,
    records.c.seq,
    record_revisions.c.record_id,
    record_revisions.c.revision,
    record_revisions.c.text,
    record_revisions.c.data,
    record_revisions.c.author_org_id,
    record_revisions.c.practitioner_id,
    record_revisions.c.practitioner_name,
    record_revisions.c.practitioner_role,
    record_revisions.c.created_at,
)


# Hot-path statements, built once: constructing a statement costs more than running it.
_CASE_BY_ID = Statement(select(cases).where(cases.c.id == bindparam("case_id")))
_REVISIONS: Any = select(*_RECORD_COLUMNS).join(
    records, records.c.id == record_revisions.c.record_id
)
_RECORD_BY_IDS = _REVISIONS.where(
    records.c.case_id == bindparam("case_id"),
    record_revisions.c.record_id == bindparam("record_id"),
)
_LATEST_RECORD_QUERY = _RECORD_BY_IDS.order_by(record_revisions.c.revision.desc()).limit(1)
_RECORD_REVISION_QUERY = _RECORD_BY_IDS.where(record_revisions.c.revision == bindparam("revision"))
_LATEST_RECORD = Statement(_LATEST_RECORD_QUERY)
_RECORD_REVISION = Statement(_RECORD_REVISION_QUERY)
_RECORD_BY_REQUEST = Statement(
    _REVISIONS.where(
        record_revisions.c.author_org_id == bindparam("author_org_id"),
        record_revisions.c.request_id == bindparam("request_id"),
    )
)


class Reached(NamedTuple):
    """A case as an access decision needs it, read in one statement (``CaseRepository.reach``)."""

    case: Case
    consents: Sequence[Consent]
    """Every consent the case's citizen ever gave the organisation asked about."""
    record: Record | None
    """The record asked for, if one was and the case holds it."""


def _reach(record: Any | None) -> Statement:
    """The case, left-joined with the consents its citizen gave ``:org_id`` and with
    ``record`` (a one-row select of the record asked for): one row per consent, at
    least one if the case exists. The columns are prefixed, the three parts sharing names."""
    granted = consents.alias("granted")
    parts: list[Any] = [
        *(c.label(f"c_{c.name}") for c in cases.c),
        *(c.label(f"g_{c.name}") for c in granted.c),
    ]
    joined: Any = cases.outerjoin(
        granted,
        and_(granted.c.org_id == bindparam("org_id"), granted.c.citizen_id == cases.c.citizen_id),
    )
    if record is not None:
        found = record.subquery("found")
        parts += [c.label(f"r_{c.name}") for c in found.c]
        joined = joined.outerjoin(found, true())
    return Statement(select(*parts).select_from(joined).where(cases.c.id == bindparam("case_id")))


_REACH_CASE = _reach(None)
_REACH_LATEST = _reach(_LATEST_RECORD_QUERY)
_REACH_REVISION = _reach(_RECORD_REVISION_QUERY)
_CASE_COLUMNS = tuple(c.name for c in cases.c)
_CONSENT_COLUMNS = tuple(c.name for c in consents.c)
_FOUND_COLUMNS = tuple(c.name for c in _RECORD_COLUMNS)


def _part(row: Row, prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[prefix + name] for name in names}


_RECORD_FIELDS = ("id", "case_id", "kind", "created_at")
_ADD_RECORD = Statement(insert(records).values({f: bindparam(f) for f in _RECORD_FIELDS}))
_REVISION_FIELDS = (
    "record_id",
    "revision",
    "text",
    "data",
    "author_org_id",
    "practitioner_id",
    "practitioner_name",
    "practitioner_role",
    "created_at",
    "request_id",
)
_ADD_REVISION = Statement(
    insert(record_revisions).values({f: bindparam(f) for f in _REVISION_FIELDS})
)


def open_to(org_id: str, need: Permission, now: datetime) -> ColumnElement[bool]:
    """The cases on which ``org_id`` may exercise ``need`` at ``now``: those it owns and
    those an active consent granting ``need`` covers, by case or by category.

    A query's narrowing only: the use case still decides each case by the domain rule.
    """
    granting = select(consents.c.case_id, consents.c.category, consents.c.citizen_id).where(
        consents.c.org_id == org_id,
        consents.c.revoked_at.is_(None),
        consents.c.valid_from <= now,
        consents.c.valid_until > now,
        consents.c.permissions.contains(need.value),
    )
    by_case = granting.with_only_columns(consents.c.case_id).where(consents.c.case_id.is_not(None))
    by_category = granting.where(consents.c.category.is_not(None)).subquery()
    return or_(
        cases.c.owner_org_id == org_id,
        cases.c.id.in_(by_case),
        select(by_category.c.category)
        .where(
            by_category.c.category == cases.c.category,
            by_category.c.citizen_id == cases.c.citizen_id,
        )
        .exists(),
    )


# The rows the repository writes, shared with the bulk loader (luukku.store.bulk).


def case_row(case: Case, request_id: str | None) -> dict[str, Any]:
    """A new case's ``cases`` row."""
    return {
        "id": case.id,
        "citizen_id": case.citizen_id,
        "owner_org_id": case.owner_org_id,
        "title": case.title,
        "category": case.category.value,
        "status": case.status.value,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
        "request_id": request_id,
    }


def record_row(record: Record) -> dict[str, Any]:
    """A record's ``records`` row (its header, written with the first revision)."""
    return {
        "id": record.record_id,
        "case_id": record.case_id,
        "kind": record.kind,
        "created_at": record.created_at,
    }


def revision_row(record: Record, request_id: str | None) -> dict[str, Any]:
    """A revision's ``record_revisions`` row."""
    return {
        "record_id": record.record_id,
        "revision": record.revision,
        "text": record.text,
        "data": None if record.data is None else json.dumps(record.data, sort_keys=True),
        "author_org_id": record.author_org_id,
        "practitioner_id": record.author.id,
        "practitioner_name": record.author.display_name,
        "practitioner_role": record.author.role,
        "created_at": record.created_at,
        "request_id": request_id,
    }


class CaseRepository:
    """Cases, records and revisions on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # Cases -------------------------------------------------------------------

    def add(self, case: Case, request_id: str | None) -> None:
        """Insert a new case."""
        self._conn.execute(insert(cases).values(case_row(case, request_id)))

    def get(self, case_id: str) -> Case | None:
        """The case with this id, or None."""
        row = _CASE_BY_ID.first(self._conn, {"case_id": case_id})
        return case_of(row) if row else None

    def reach(
        self, case_id: str, org_id: str | None, record_id: str = "", revision: int = 0
    ) -> Reached | None:
        """The case, the consents its citizen gave ``org_id`` (None: none read) and, with
        ``record_id``, that record's ``revision`` (0: the latest): one statement. None if
        there is no such case. Only rows: what they allow is the access rule's to decide.
        """
        params: dict[str, Any] = {"case_id": case_id, "org_id": org_id}
        statement = _REACH_CASE
        if record_id:
            params |= {"record_id": record_id, "revision": revision}
            statement = _REACH_REVISION if revision else _REACH_LATEST
        rows = statement.all(self._conn, params)
        if not rows:
            return None
        first = rows[0]
        granted = [
            consent_of(_part(r, "g_", _CONSENT_COLUMNS)) for r in rows if r["g_id"] is not None
        ]
        found = None
        if record_id and first["r_record_id"] is not None:
            found = _record(_part(first, "r_", _FOUND_COLUMNS))
        return Reached(case_of(_part(first, "c_", _CASE_COLUMNS)), granted, found)

    def by_request(self, owner_org_id: str, request_id: str) -> Case | None:
        """The case an earlier create with this request id made, if any."""
        row = self._conn.execute(
            select(cases).where(
                cases.c.owner_org_id == owner_org_id, cases.c.request_id == request_id
            )
        ).first()
        return case_of(row._mapping) if row else None

    def owns_case_of(self, org_id: str, citizen_id: str) -> bool:
        """Whether ``org_id`` owns any case of the citizen."""
        found = self._conn.execute(
            select(cases.c.id)
            .where(cases.c.owner_org_id == org_id, cases.c.citizen_id == citizen_id)
            .limit(1)
        ).first()
        return found is not None

    def close(self, case_id: str, at: datetime) -> None:
        """Mark a case closed."""
        self._conn.execute(
            update(cases)
            .where(cases.c.id == case_id)
            .values(status=CaseStatus.CLOSED.value, closed_at=at)
        )

    def list_visible(
        self,
        *,
        org_id: str | None,
        citizen_id: str | None,
        category: ServiceCategory | None,
        now: datetime,
        after: tuple[str, str] | None,
        limit: int,
    ) -> Sequence[Case]:
        """Cases visible to an organisation (or, with ``org_id`` None, a citizen's own).

        An organisation sees the cases it owns and those an active consent with
        the read permission covers (:func:`open_to`); ordered newest first by
        (created_at, id).
        """
        query = select(cases)
        if citizen_id is not None:
            query = query.where(cases.c.citizen_id == citizen_id)
        if category is not None:
            query = query.where(cases.c.category == category.value)
        if org_id is not None:
            query = query.where(open_to(org_id, Permission.READ, now))
        if after is not None:
            created, case_id = after
            query = query.where(
                or_(
                    cases.c.created_at < datetime.fromisoformat(created),
                    and_(
                        cases.c.created_at == datetime.fromisoformat(created), cases.c.id < case_id
                    ),
                )
            )
        rows = self._conn.execute(
            query.order_by(cases.c.created_at.desc(), cases.c.id.desc()).limit(limit)
        )
        return [case_of(r._mapping) for r in rows]

    # Records -----------------------------------------------------------------

    def add_record(self, record: Record, request_id: str | None) -> None:
        """Insert a record's first revision (and its header)."""
        if record.revision == 1:
            _ADD_RECORD.execute(self._conn, record_row(record))
        _ADD_REVISION.execute(self._conn, revision_row(record, request_id))

    def get_record(self, case_id: str, record_id: str, revision: int = 0) -> Record | None:
        """A revision of a record in ``case_id`` (0: the latest), or None."""
        params = {"case_id": case_id, "record_id": record_id, "revision": revision}
        row = (_RECORD_REVISION if revision else _LATEST_RECORD).first(self._conn, params)
        return _record(row) if row else None

    def record_revisions(
        self, case_id: str, record_id: str, below: int | None, limit: int
    ) -> Sequence[Record]:
        """A record's revisions newest first, those numbered below ``below`` (None: all)."""
        query = _RECORD_BY_IDS
        if below is not None:
            query = query.where(record_revisions.c.revision < below)
        params = {"case_id": case_id, "record_id": record_id}
        rows = self._conn.execute(
            query.order_by(record_revisions.c.revision.desc()).limit(limit), params
        )
        return [_record(r._mapping) for r in rows]

    def record_by_request(self, author_org_id: str, request_id: str) -> Record | None:
        """The revision an earlier create or revise with this request id made, if any."""
        row = _RECORD_BY_REQUEST.first(
            self._conn, {"author_org_id": author_org_id, "request_id": request_id}
        )
        return _record(row) if row else None

    def list_records(
        self, case_id: str, after_seq: int, limit: int
    ) -> Sequence[tuple[int, Record]]:
        """Latest revisions of a case's records in creation order, after ``after_seq``."""
        # An alias, or auto-correlation would strip both tables from the subquery.
        newer = record_revisions.alias("newer")
        latest = (
            select(func.max(newer.c.revision))
            .where(newer.c.record_id == records.c.id)
            .scalar_subquery()
        )
        rows = self._conn.execute(
            _REVISIONS.where(
                records.c.case_id == case_id,
                records.c.seq > after_seq,
                record_revisions.c.revision == latest,
            )
            .order_by(records.c.seq)
            .limit(limit)
        )
        return [(r.seq, _record(r._mapping)) for r in rows]
