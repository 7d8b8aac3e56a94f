"""Repository of threads, their messages and read receipts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, func, insert, select, update

from luukku.domain.cases import Case
from luukku.domain.consents import Permission
from luukku.domain.events import ReadMarked
from luukku.domain.threads import CITIZEN_KEY, Message, Thread
from luukku.store.cases import case_of, open_to
from luukku.store.message_log import MessageLog
from luukku.store.sql.tables import cases, messages, thread_reads, threads

_CASE_LABEL = "of_case_"


def _thread(row: Row[Any]) -> Thread:
    m = row._mapping
    return Thread(
        id=m["id"],
        case_id=m["case_id"],
        subject=m["subject"],
        created_by_org_id=m["created_by_org_id"],
        created_at=m["created_at"],
        last_seq=m["last_seq"],
    )


def _citizen_of(participant: str) -> str | None:
    """The citizen's opaque id in a citizen's participant key; None in an organisation's."""
    return participant.removeprefix(CITIZEN_KEY) if participant.startswith(CITIZEN_KEY) else None


class ThreadRepository:
    """Threads, messages and read receipts on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._messages = MessageLog(conn, threads, messages, "thread_id")

    def add(self, thread: Thread, request_id: str | None) -> None:
        """Insert a new thread."""
        self._conn.execute(
            insert(threads).values(
                id=thread.id,
                case_id=thread.case_id,
                subject=thread.subject,
                created_by_org_id=thread.created_by_org_id,
                created_at=thread.created_at,
                last_seq=thread.last_seq,
                request_id=request_id,
            )
        )

    def get(self, thread_id: str) -> Thread | None:
        """The thread with this id, or None."""
        row = self._conn.execute(select(threads).where(threads.c.id == thread_id)).first()
        return _thread(row) if row else None

    def by_request(self, org_id: str, request_id: str) -> Thread | None:
        """The thread an earlier create with this request id made, if any."""
        row = self._conn.execute(
            select(threads).where(
                threads.c.created_by_org_id == org_id, threads.c.request_id == request_id
            )
        ).first()
        return _thread(row) if row else None

    def list_for_case(self, case_id: str, after: int, limit: int) -> Sequence[Thread]:
        """A case's threads oldest first; ``after`` is an offset."""
        rows = self._conn.execute(
            select(threads)
            .where(threads.c.case_id == case_id)
            .order_by(threads.c.created_at, threads.c.id)
            .offset(after)
            .limit(limit)
        )
        return [_thread(r) for r in rows]

    def unread(
        self, participant: str, *, org_id: str | None, citizen_id: str | None, now: datetime
    ) -> Sequence[tuple[Thread, Case, int]]:
        """Threads with messages after ``participant``'s receipt, with their case and how far
        it has read; the newest message first. In the cases of ``citizen_id`` (for a
        citizen), or those ``org_id`` may discuss now (for an organisation).
        """
        read = func.coalesce(thread_reads.c.last_read_seq, 0).label("read_seq")
        query = (
            select(threads, *(c.label(_CASE_LABEL + c.name) for c in cases.c), read)
            .join(cases, cases.c.id == threads.c.case_id)
            .join(
                messages,
                and_(messages.c.thread_id == threads.c.id, messages.c.seq == threads.c.last_seq),
            )
            .outerjoin(
                thread_reads,
                and_(
                    thread_reads.c.thread_id == threads.c.id,
                    thread_reads.c.participant == participant,
                ),
            )
            .where(threads.c.last_seq > read)
            .order_by(messages.c.created_at.desc(), threads.c.id.desc())
        )
        if citizen_id is not None:
            query = query.where(cases.c.citizen_id == citizen_id)
        if org_id is not None:
            query = query.where(open_to(org_id, Permission.DISCUSS, now))
        found = []
        for row in self._conn.execute(query):
            m = row._mapping
            case = case_of({c.name: m[_CASE_LABEL + c.name] for c in cases.c})
            found.append((_thread(row), case, int(m["read_seq"])))
        return found

    def next_seq(self, thread_id: str) -> int:
        """Claim the thread's next sequence number (see ``MessageLog.next_seq``)."""
        return self._messages.next_seq(thread_id)

    def add_message(self, message: Message, request_id: str | None) -> None:
        """Insert a message whose ``seq`` came from :meth:`next_seq`."""
        self._messages.add(message, request_id)

    def message_by_request(self, thread_id: str, org_id: str, request_id: str) -> Message | None:
        """The message an earlier post with this request id made, if any."""
        return self._messages.by_request(thread_id, org_id, request_id)

    def messages_after(self, thread_id: str, after_seq: int, limit: int) -> Sequence[Message]:
        """Messages with seq > ``after_seq`` in order."""
        return self._messages.after(thread_id, after_seq, limit)

    def _receipt(self, thread_id: str, participant: str) -> ColumnElement[bool]:
        """The receipt's row condition: ``participant``'s in ``thread_id``."""
        c = thread_reads.c
        return (c.thread_id == thread_id) & (c.participant == participant)

    def last_read(self, thread_id: str, participant: str) -> int:
        """How far ``participant`` has read (0: nothing)."""
        return self._read_up_to(thread_id, participant) or 0

    def _read_up_to(self, thread_id: str, participant: str) -> int | None:
        """How far ``participant`` has read; None when it has no receipt yet."""
        value = self._conn.execute(
            select(thread_reads.c.last_read_seq).where(self._receipt(thread_id, participant))
        ).scalar_one_or_none()
        return None if value is None else int(value)

    def mark_read(
        self, thread_id: str, participant: str, seq: int, org_id: str, at: datetime
    ) -> bool:
        """Move ``participant``'s receipt forward to ``seq`` (never backwards), recording that
        ``org_id`` moved it at ``at``; whether it moved."""
        current = self._read_up_to(thread_id, participant)
        marked = {"last_read_seq": seq, "marked_by_org_id": org_id, "marked_at": at}
        if current is None:
            self._conn.execute(
                insert(thread_reads).values(thread_id=thread_id, participant=participant, **marked)
            )
        elif seq > current:
            self._conn.execute(
                update(thread_reads).where(self._receipt(thread_id, participant)).values(**marked)
            )
        return seq > (current or 0)

    def read_marks(self, thread_id: str) -> list[ReadMarked]:
        """How far each participant has read (the citizen first, then organisations by id)."""
        c = thread_reads.c
        rows = self._conn.execute(
            select(c.participant, c.last_read_seq, c.marked_by_org_id, c.marked_at)
            .where(c.thread_id == thread_id)
            .order_by(c.participant)
        )
        return [
            ReadMarked(
                thread_id,
                org_id,
                _citizen_of(participant),
                int(seq),
                at,
            )
            for participant, seq, org_id, at in rows
        ]
