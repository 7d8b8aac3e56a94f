"""Repository of the append-only audit log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    case,
    func,
    insert,
    select,
)

from luukku.audit.events import AuditEvent, Outcome
from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.store.audit_conditions import selected
from luukku.store.statements import Statement
from luukku.store.tables import audit_events

_FIELDS = (
    "event_id",
    "time",
    "org_id",
    "fingerprint",
    "practitioner_id",
    "practitioner_name",
    "practitioner_role",
    "acting_for_citizen_id",
    "action",
    "resource",
    "subject_citizen_id",
    "outcome",
    "reason",
    "consent_id",
    "request_id",
)


# How far below the newest event a missing sequence number may still be a
# commit in flight: far more events than commit in the moment between an
# audit event's insert and its transaction's commit.
RECENT = 10_000


def _event(row: Row[Any]) -> AuditEvent:
    m = row._mapping
    values = {name: m[name] for name in _FIELDS}
    values["outcome"] = Outcome(values["outcome"])
    return AuditEvent(**values)


_INSERT = Statement(insert(audit_events).values({f: bindparam(f) for f in (*_FIELDS, "leaf_hash")}))


class StoredEvent:
    """An event as stored: its position, content and the hash recorded with it."""

    __slots__ = ("event", "leaf_hash", "seq")

    def __init__(self, seq: int, event: AuditEvent, leaf_hash: str) -> None:
        self.seq = seq
        self.event = event
        self.leaf_hash = leaf_hash


class AuditRepository:
    """Appends events and reads them back; never updates or deletes."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def append(self, event: AuditEvent) -> None:
        """Insert ``event`` with its RFC 9162 leaf hash."""
        values: dict[str, Any] = {name: getattr(event, name) for name in _FIELDS}
        values["outcome"] = event.outcome.value
        values["leaf_hash"] = event.leaf_hash().hex()
        _INSERT.execute(self._conn, values)

    def newest_first(
        self, viewer: Actor, wanted: AuditFilter, before: int | None, limit: int
    ) -> Sequence[StoredEvent]:
        """The events ``viewer`` may list that ``wanted`` selects, newest first, below ``before``.

        A citizen may list the events about their data or done for them (an
        attempt by someone acting for one citizen on another's data is both
        citizens' to see); an organisation the events of its own calls.
        """
        query = select(audit_events).where(selected(viewer, wanted))
        if before is not None:
            query = query.where(audit_events.c.seq < before)
        return self._events(query.order_by(audit_events.c.seq.desc()).limit(limit))

    def oldest_first(
        self, viewer: Actor, wanted: AuditFilter, after: int, limit: int, upto: int | None = None
    ) -> Sequence[StoredEvent]:
        """The same events, oldest first, with a sequence number above ``after``
        (and at most ``upto``, if given).
        """
        seq = audit_events.c.seq
        query = select(audit_events).where(selected(viewer, wanted), seq > after)
        if upto is not None:
            query = query.where(seq <= upto)
        return self._events(query.order_by(seq).limit(limit))

    def count_by_org(
        self, viewer: Actor, wanted: AuditFilter, since: datetime
    ) -> Sequence[tuple[str, int, int]]:
        """(organisation, allowed, denied) of the selected events from ``since`` on,
        the organisation with the most first; counted by the database.
        """
        allowed = func.sum(case((audit_events.c.outcome == Outcome.ALLOWED.value, 1), else_=0))
        denied = func.sum(case((audit_events.c.outcome == Outcome.DENIED.value, 1), else_=0))
        rows = self._conn.execute(
            select(audit_events.c.org_id, allowed, denied)
            .where(selected(viewer, wanted), audit_events.c.time >= since)
            .group_by(audit_events.c.org_id)
            .order_by(func.count().desc(), audit_events.c.org_id)
        )
        return [(org, int(yes), int(no)) for org, yes, no in rows]

    def unsettled(self, after: int) -> tuple[int | None, Sequence[int]]:
        """How far a reader after ``after`` may read, and the numbers below that may yet appear.

        On PostgreSQL a sequence number is taken at insert and shows at
        commit, so a lower number can still appear after a higher one has:
        a hole is a transaction still committing, or one that rolled back.
        Returns the newest number now and the holes above ``after`` below it;
        holes more than ``RECENT`` below the newest are rollbacks and not
        looked for. Read this before the events: whatever commits in between
        is then a hole, not a number read past. SQLite commits one writer at
        a time, in order, and reuses a rolled-back number: (None, ()), no
        bound and no holes.
        """
        if self._conn.dialect.name == "sqlite":
            return None, ()
        seq = audit_events.c.seq
        newest = self._conn.execute(select(func.max(seq))).scalar() or 0
        low = max(after, newest - RECENT)
        in_range = and_(seq > low, seq <= newest)
        if newest <= low or self._conn.execute(select(func.count()).where(in_range)).scalar() == (
            newest - low
        ):
            return newest, ()
        present = set(self._conn.execute(select(seq).where(in_range)).scalars())
        return newest, [n for n in range(low + 1, newest + 1) if n not in present]

    def _events(self, query: Select[Any]) -> Sequence[StoredEvent]:
        return [StoredEvent(r.seq, _event(r), r.leaf_hash) for r in self._conn.execute(query)]

    def scan(self, batch: int = 1000) -> Iterator[StoredEvent]:
        """Every event in log order, read in batches."""
        after = 0
        while True:
            rows = self._conn.execute(
                select(audit_events)
                .where(audit_events.c.seq > after)
                .order_by(audit_events.c.seq)
                .limit(batch)
            ).all()
            if not rows:
                return
            for r in rows:
                yield StoredEvent(r.seq, _event(r), r.leaf_hash)
            after = rows[-1].seq
