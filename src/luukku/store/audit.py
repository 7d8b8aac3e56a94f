"""Repository of the append-only audit log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, or_, select

from luukku.audit.events import AuditEvent, Outcome
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

    def list_for_citizen(
        self, citizen_id: str, before: int | None, limit: int
    ) -> Sequence[StoredEvent]:
        """Events about ``citizen_id``'s data or done for them; newest first, below ``before``.

        An attempt by someone acting for one citizen on another's data is both
        citizens' to see.
        """
        about = audit_events.c.subject_citizen_id == citizen_id
        acted = audit_events.c.acting_for_citizen_id == citizen_id
        return self._list(or_(about, acted), before, limit)

    def list_for_org(self, org_id: str, before: int | None, limit: int) -> Sequence[StoredEvent]:
        """Events of accesses by ``org_id``, newest first, with seq below ``before``."""
        return self._list(audit_events.c.org_id == org_id, before, limit)

    def _list(self, condition: Any, before: int | None, limit: int) -> Sequence[StoredEvent]:
        query = select(audit_events).where(condition)
        if before is not None:
            query = query.where(audit_events.c.seq < before)
        rows = self._conn.execute(query.order_by(audit_events.c.seq.desc()).limit(limit))
        return [StoredEvent(r.seq, _event(r), r.leaf_hash) for r in rows]

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
