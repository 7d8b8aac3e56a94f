"""The audit log's monthly partitions on PostgreSQL (SQLite keeps one table).

``audit_events`` is partitioned by range of ``time``, one partition per UTC
calendar month (``audit_events_2026_12`` holds December 2026), plus a default
partition that catches an event whose month has no partition yet, so that a
missing partition never refuses an audit write (which would fail the call).
Partitions are made ahead: at migration, at every broker start and then daily
(``make_ahead``), and by ``luukku audit partitions``. The Merkle tree
(``audit_tree``) is not partitioned: it stays whole when a month is archived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

PARENT = "audit_events"
DEFAULT_PARTITION = "audit_events_default"
MONTHS_AHEAD = 2
"""How many months after the current one get their partition ahead of time."""

_MAKING_LOCK = text(
    "SELECT pg_advisory_xact_lock(hashtext('luukku.partitions.' || current_schema()))"
)
_NAME = re.compile(r"^audit_events_(\d{4})_(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A UTC calendar month: the unit of partitions and archives."""

    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime) -> Month:
        """The month ``moment`` falls in, in UTC."""
        utc = moment.astimezone(UTC)
        return cls(utc.year, utc.month)

    @classmethod
    def parse(cls, value: str) -> Month:
        """``YYYY-MM``; ValueError otherwise."""
        found = _MONTH.match(value)
        if found is None or not 1 <= int(found[2]) <= 12:
            raise ValueError(f"{value!r} is not a month (YYYY-MM)")
        return cls(int(found[1]), int(found[2]))

    def next(self) -> Month:
        """The month after."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def start(self) -> datetime:
        """Its first instant, UTC."""
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    def partition(self) -> str:
        """The name of its partition."""
        return f"{PARENT}_{self.year:04d}_{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def is_partitioned(conn: Connection) -> bool:
    """Whether the log is partitioned here: PostgreSQL only."""
    return conn.dialect.name == "postgresql"


def create_default(conn: Connection) -> None:
    """The partition for events whose month has none (kept empty when partitions are ahead)."""
    conn.execute(text(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {PARENT} DEFAULT"))
    _refuse_truncate(conn, DEFAULT_PARTITION)


def months(conn: Connection) -> list[Month]:
    """The months that have a partition, oldest first."""
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = :parent AND p.relnamespace = to_regnamespace(current_schema())"
        ),
        {"parent": PARENT},
    )
    found = (_NAME.match(name) for (name,) in rows)
    return sorted(Month(int(m[1]), int(m[2])) for m in found if m is not None)


def create(conn: Connection, month: Month) -> bool:
    """Give ``month`` its partition unless it has one; whether one was made.

    Not made (False) when the default partition already holds events of that
    month: PostgreSQL refuses a partition that would strand rows in the
    default, and those events stay there, listed and verified like any other.
    """
    if month in months(conn):
        return False
    bounds = {"start": month.start(), "end": month.next().start()}
    in_default = f"SELECT 1 FROM {DEFAULT_PARTITION} WHERE time >= :start AND time < :end"  # noqa: S608
    stranded = conn.execute(text(in_default), bounds).first()
    if stranded is not None:
        return False
    name = month.partition()
    start, end = (f"'{b.isoformat()}'" for b in bounds.values())
    conn.execute(
        text(f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM ({start}) TO ({end})")
    )
    _refuse_truncate(conn, name)
    return True


def make_ahead(
    conn: Connection, now: datetime, ahead: int = MONTHS_AHEAD, since: Month | None = None
) -> list[Month]:
    """Partitions for the current month (or from ``since`` on, for a log loaded with
    earlier events) to ``ahead`` months after it; the months newly made."""
    if not is_partitioned(conn):
        return []
    # Replicas starting together: one makes the partitions, the others find them made.
    conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('luukku.partitions.' || current_schema()))")
    )
    made = []
    month, last = Month.of(now), Month.of(now)
    for _ in range(ahead):
        last = last.next()
    if since is not None:
        month = min(month, since)
    while month <= last:
        if create(conn, month):
            made.append(month)
        month = month.next()
    return made


def _refuse_truncate(conn: Connection, table: str) -> None:
    # Row triggers reach every partition from the parent; TRUNCATE of one
    # partition by name does not fire the parent's statement trigger.
    conn.execute(
        text(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION luukku_append_only()"
        )
    )


_PARTITION = re.compile(r"^audit_events_(\d{4}_\d{2}|default)$")
_WIDENED_EVENT_ID = ["event_id", "time"]


def undeclared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object``: False for what partitioning adds to the declared schema.

    The partitions themselves, and the event id's unique key widened by the
    partition key; everything else is compared with the tables as declared.
    """
    if type_ == "table":
        return not (reflected and name is not None and _PARTITION.match(name))
    if type_ == "unique_constraint":
        found = obj if reflected else compare_to
        return found is None or [c.name for c in found.columns] != _WIDENED_EVENT_ID
    return True
