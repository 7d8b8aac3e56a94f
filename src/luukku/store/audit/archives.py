"""Months of the audit log in and out of the database: reading one out, and moving it out.

Moving a month out (PostgreSQL only, where each month is a partition) is the
last step of ``luukku audit archive``, taken only once its file is written and
checked: in one transaction the partition is detached, its rows counted
against the file, the month registered in ``audit_archives`` and the
partition dropped. Any mismatch rolls all of it back (the month stays in the
log). The tree is not touched: archived events keep their leaves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, func, insert, select, text

from luukku.audit.archive_file import ArchivedEvent
from luukku.store.audit import partitions
from luukku.store.audit.log import APPEND_LOCK, event_from_row
from luukku.store.audit.partitions import Month
from luukku.store.sql.tables import audit_archives, audit_events, audit_tree


@dataclass(frozen=True)
class ArchivedMonth:
    """A month registered as moved out of the database."""

    month: str
    file_name: str
    events: int
    first_seq: int
    last_seq: int
    checkpoint_size: int
    sha256: str
    archived_at: datetime


class MonthMismatch(RuntimeError):
    """The partition holds other events than the file: nothing was moved."""


class ArchiveRepository:
    """Reads a month's events and moves archived months out; reads the register."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def extent(self, month: Month) -> tuple[int, int, int]:
        """(events, first number, last number) of the events in ``month`` (0s if none)."""
        c = audit_events.c
        row = self._conn.execute(
            select(func.count(), func.min(c.seq), func.max(c.seq)).where(_in(month))
        ).one()
        return int(row[0]), int(row[1] or 0), int(row[2] or 0)

    def events(self, month: Month, batch: int = 5000) -> Iterator[ArchivedEvent]:
        """The events of ``month`` in number order, read in batches."""
        after = 0
        while True:
            rows = self._conn.execute(
                select(audit_events)
                .where(_in(month), audit_events.c.seq > after)
                .order_by(audit_events.c.seq)
                .limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield ArchivedEvent(row.seq, event_from_row(row), row.leaf_hash)
            after = rows[-1].seq

    def leaves(self, first: int, last: int) -> dict[int, bytes]:
        """The tree's leaf hashes of events ``first`` to ``last`` (numbers, inclusive)."""
        t = audit_tree.c
        rows = self._conn.execute(
            select(t.idx, t.hash).where(t.level == 0, t.idx >= first - 1, t.idx <= last - 1)
        )
        return {int(idx) + 1: bytes(h) for idx, h in rows}

    def registered(self) -> Sequence[ArchivedMonth]:
        """Every archived month, oldest first."""
        rows = self._conn.execute(select(audit_archives).order_by(audit_archives.c.month))
        return [ArchivedMonth(**row._mapping) for row in rows]

    def move_out(self, archived: ArchivedMonth) -> None:
        """Detach ``archived.month``'s partition, check it holds what the file does, drop it.

        Raises:
            MonthMismatch: the partition's events are not the file's (rolled back
                with the transaction: raise through it).
        """
        month = Month.parse(archived.month)
        # Detaching locks the whole log: rather give up (and leave the month in)
        # than make the brokers' calls wait long behind it.
        self._conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        # Appends wait: no event can slip into the month between the count and the drop.
        self._conn.execute(APPEND_LOCK)
        name = month.partition()
        self._conn.execute(text(f"ALTER TABLE {partitions.PARENT} DETACH PARTITION {name}"))
        counted = text(f"SELECT count(*), min(seq), max(seq) FROM {name}")  # noqa: S608 - no input
        row = self._conn.execute(counted).one()
        found = (int(row[0]), int(row[1] or 0), int(row[2] or 0))
        if found != (archived.events, archived.first_seq, archived.last_seq):
            raise MonthMismatch(
                f"{name} holds {found[0]} events ({found[1]}..{found[2]}), the file "
                f"{archived.events} ({archived.first_seq}..{archived.last_seq})"
            )
        self._conn.execute(insert(audit_archives).values(**archived.__dict__))
        self._conn.execute(text(f"DROP TABLE {name}"))


def _in(month: Month) -> ColumnElement[bool]:
    t = audit_events.c.time
    return and_(t >= month.start(), t < month.next().start())
