"""Committed events as PostgreSQL notifications, for the broker replicas sharing a database.

A notification carries ids only (never a body, a name or an identity code):
which thread has a new message at which sequence, who marked a thread read up
to which sequence (and when), whose consents changed, and that the directory
changed. Audit events are not announced (every call writes one): replicas with
audit watches follow the log itself (``server.live.pg_fanout``). Receivers read
anything else from the store. Several events travel in one notification,
split so that none comes near NOTIFY's 8,000-byte limit.

The channel is named after the database schema, so that brokers of different
schemas in one database (tests run like that) do not hear each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import text

from luukku.domain.events import (
    AuditRecorded,
    CallersChanged,
    ConsentGranted,
    ConsentRevoked,
    Event,
    InquiryChanged,
    MessagePosted,
    QueueChanged,
    ReadMarked,
    RepresentationChanged,
)
from luukku.store.uow import Store

CHANNEL_SQL = "left('luukku_' || current_schema(), 63)"
"""The channel's name as an SQL expression: the same for every replica of one schema
(and within PostgreSQL's 63-byte limit on names, however long the schema's)."""

MAX_PAYLOAD_BYTES = 4000
"""Well below NOTIFY's limit of 8,000 bytes."""

Entry = tuple[str | None, ...]
"""One event by ids: ``("m", thread_id, seq)``, ``("r", citizen_id)``,
``("p", represented_id)``, ``("c",)``, ``("w", "desk:<id>" or "inquiry:<id>")``."""


def entries(events: Iterable[Event]) -> list[Entry]:
    """The events other replicas must hear of, by ids (a grant opens no stream, and audit
    events are followed in the log: skipped)."""
    out: list[Entry] = []
    for event in events:
        match event:
            case MessagePosted(message=message):
                out.append(("m", message.conversation_id, str(message.seq)))
            case ReadMarked(thread_id=thread_id, org_id=org, citizen_id=citizen, seq=seq):
                out.append(("s", thread_id, org, citizen, str(seq), event.marked_at.isoformat()))
            case ConsentRevoked(citizen_id=citizen_id):
                out.append(("r", citizen_id))
            case RepresentationChanged(represented_id=represented_id):
                out.append(("p", represented_id))
            case CallersChanged():
                out.append(("c",))
            case QueueChanged() | InquiryChanged():
                out.append(("w", event.wake_key))
            case ConsentGranted() | AuditRecorded():
                pass
    return out


def payloads(origin: str, batch: Sequence[Entry]) -> Iterator[str]:
    """``batch`` as JSON payloads of at most ``MAX_PAYLOAD_BYTES``, each tagged with ``origin``."""
    head = len(json.dumps({"o": origin, "e": []}))
    chunk: list[Entry] = []
    size = head
    for entry in dict.fromkeys(batch):  # the same news twice in a batch is news once
        length = len(json.dumps(entry)) + 1
        if chunk and size + length > MAX_PAYLOAD_BYTES:
            yield json.dumps({"o": origin, "e": chunk}, separators=(",", ":"))
            chunk, size = [], head
        chunk.append(entry)
        size += length
    if chunk:
        yield json.dumps({"o": origin, "e": chunk}, separators=(",", ":"))


def parse(payload: str) -> tuple[str, list[Entry]]:
    """The origin and entries of a payload; raises ``ValueError`` on anything else."""
    decoded = json.loads(payload)
    if not isinstance(decoded, dict) or not isinstance(decoded.get("e"), list):
        raise ValueError("not a Luukku notification")
    if not all(isinstance(entry, list) for entry in decoded["e"]):
        raise ValueError("not a Luukku notification")
    return str(decoded.get("o", "")), [tuple(entry) for entry in decoded["e"]]


def announce(store: Store, events: Sequence[Event], origin: str) -> None:
    """Notify every replica of ``events`` now (PostgreSQL only; elsewhere nothing to do).

    For processes without a listener of their own, such as the admin CLI.
    """
    if store.engine.dialect.name != "postgresql":
        return
    with store.engine.connect() as conn:
        for payload in payloads(origin, entries(events)):
            conn.execute(text(f"SELECT pg_notify({CHANNEL_SQL}, :p)"), {"p": payload})
        conn.commit()
