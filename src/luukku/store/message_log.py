"""Numbered messages of a conversation: a thread's, or an inquiry's.

Both number their messages 1, 2, 3… without gaps under the row lock of the
conversation they belong to, make a post idempotent by its request id, and
are read after a cursor. One class serves both tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, Row, Table, insert, select, update

from luukku.domain.caller import Practitioner
from luukku.domain.threads import Message


class MessageLog:
    """The messages of ``table``, whose conversation (a row of ``owners``) is named by
    the column ``owner_column``; ``owners`` keeps the newest number in ``last_seq``."""

    def __init__(self, conn: Connection, owners: Table, table: Table, owner_column: str) -> None:
        self._conn = conn
        self._owners = owners
        self._table = table
        self._owner: Column[Any] = table.c[owner_column]
        self._corrects = "corrects_seq" in table.c

    def _message(self, row: Row[Any]) -> Message:
        m = row._mapping
        return Message(
            conversation_id=m[self._owner.name],
            seq=m["seq"],
            author_org_id=m["author_org_id"],
            author=Practitioner(
                m["practitioner_id"], m["practitioner_name"], m["practitioner_role"]
            ),
            author_citizen_id=m["author_citizen_id"],
            body=m["body"],
            corrects_seq=m["corrects_seq"] if self._corrects else None,
            created_at=m["created_at"],
        )

    def next_seq(self, owner_id: str) -> int:
        """Claim the conversation's next sequence number.

        The UPDATE takes the conversation's row lock until commit, so concurrent
        posts number their messages one after another, and a rolled-back post
        gives its number back: no gaps.
        """
        owners = self._owners
        self._conn.execute(
            update(owners).where(owners.c.id == owner_id).values(last_seq=owners.c.last_seq + 1)
        )
        return int(
            self._conn.execute(
                select(owners.c.last_seq).where(owners.c.id == owner_id)
            ).scalar_one()
        )

    def add(self, message: Message, request_id: str | None) -> None:
        """Insert a message whose ``seq`` came from :meth:`next_seq`."""
        values: dict[str, Any] = {
            self._owner.name: message.conversation_id,
            "seq": message.seq,
            "author_org_id": message.author_org_id,
            "practitioner_id": message.author.id,
            "practitioner_name": message.author.display_name,
            "practitioner_role": message.author.role,
            "author_citizen_id": message.author_citizen_id,
            "body": message.body,
            "created_at": message.created_at,
            "request_id": request_id,
        }
        if self._corrects:
            values["corrects_seq"] = message.corrects_seq
        self._conn.execute(insert(self._table).values(**values))

    def by_request(self, owner_id: str, org_id: str, request_id: str) -> Message | None:
        """The message an earlier post with this request id made, if any."""
        t = self._table
        row = self._conn.execute(
            select(t).where(
                self._owner == owner_id, t.c.author_org_id == org_id, t.c.request_id == request_id
            )
        ).first()
        return self._message(row) if row else None

    def after(self, owner_id: str, after_seq: int, limit: int) -> Sequence[Message]:
        """Messages with seq > ``after_seq`` in order."""
        t = self._table
        rows = self._conn.execute(
            select(t)
            .where(self._owner == owner_id, t.c.seq > after_seq)
            .order_by(t.c.seq)
            .limit(limit)
        )
        return [self._message(r) for r in rows]
