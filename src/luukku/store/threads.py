"""Repository of threads, their messages and read receipts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from luukku.domain.caller import Practitioner
from luukku.domain.threads import Message, Thread
from luukku.store.tables import messages, thread_reads, threads


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


def _message(row: Row[Any]) -> Message:
    m = row._mapping
    return Message(
        thread_id=m["thread_id"],
        seq=m["seq"],
        author_org_id=m["author_org_id"],
        author=Practitioner(m["practitioner_id"], m["practitioner_name"], m["practitioner_role"]),
        author_citizen_id=m["author_citizen_id"],
        body=m["body"],
        corrects_seq=m["corrects_seq"],
        created_at=m["created_at"],
    )


class ThreadRepository:
    """Threads, messages and read receipts on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

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

    def next_seq(self, thread_id: str) -> int:
        """Claim the thread's next sequence number.

        The UPDATE takes the thread's row lock until commit, so concurrent
        posts number their messages one after another, and a rolled-back post
        gives its number back: no gaps.
        """
        self._conn.execute(
            update(threads).where(threads.c.id == thread_id).values(last_seq=threads.c.last_seq + 1)
        )
        return int(
            self._conn.execute(
                select(threads.c.last_seq).where(threads.c.id == thread_id)
            ).scalar_one()
        )

    def add_message(self, message: Message, request_id: str | None) -> None:
        """Insert a message whose ``seq`` came from :meth:`next_seq`."""
        self._conn.execute(
            insert(messages).values(
                thread_id=message.thread_id,
                seq=message.seq,
                author_org_id=message.author_org_id,
                practitioner_id=message.author.id,
                practitioner_name=message.author.display_name,
                practitioner_role=message.author.role,
                author_citizen_id=message.author_citizen_id,
                body=message.body,
                corrects_seq=message.corrects_seq,
                created_at=message.created_at,
                request_id=request_id,
            )
        )

    def message_by_request(self, thread_id: str, org_id: str, request_id: str) -> Message | None:
        """The message an earlier post with this request id made, if any."""
        row = self._conn.execute(
            select(messages).where(
                messages.c.thread_id == thread_id,
                messages.c.author_org_id == org_id,
                messages.c.request_id == request_id,
            )
        ).first()
        return _message(row) if row else None

    def messages_after(self, thread_id: str, after_seq: int, limit: int) -> Sequence[Message]:
        """Messages with seq > ``after_seq`` in order."""
        rows = self._conn.execute(
            select(messages)
            .where(messages.c.thread_id == thread_id, messages.c.seq > after_seq)
            .order_by(messages.c.seq)
            .limit(limit)
        )
        return [_message(r) for r in rows]

    def last_read(self, thread_id: str, participant: str) -> int:
        """How far ``participant`` has read (0: nothing)."""
        value = self._conn.execute(
            select(thread_reads.c.last_read_seq).where(
                thread_reads.c.thread_id == thread_id, thread_reads.c.participant == participant
            )
        ).scalar_one_or_none()
        return int(value or 0)

    def mark_read(self, thread_id: str, participant: str, seq: int) -> bool:
        """Move ``participant``'s receipt forward to ``seq`` (never backwards); whether it moved."""
        current = self._conn.execute(
            select(thread_reads.c.last_read_seq).where(
                thread_reads.c.thread_id == thread_id, thread_reads.c.participant == participant
            )
        ).scalar_one_or_none()
        if current is None:
            self._conn.execute(
                insert(thread_reads).values(
                    thread_id=thread_id, participant=participant, last_read_seq=seq
                )
            )
        elif seq > current:
            self._conn.execute(
                update(thread_reads)
                .where(
                    thread_reads.c.thread_id == thread_id,
                    thread_reads.c.participant == participant,
                )
                .values(last_read_seq=seq)
            )
        return seq > (current or 0)
