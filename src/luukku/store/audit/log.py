"""Repository of the append-only audit log."""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    LargeBinary,
    Row,
    Select,
    SmallInteger,
    bindparam,
    case,
    func,
    insert,
    select,
    text,
    union_all,
    update,
)

from luukku.audit import tree
from luukku.audit.events import LEAF_CLEAR_IDS, AuditEvent, LeafFields, Outcome, leaf_of
from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.domain.events import AuditRecorded
from luukku.domain.pseudonyms import CitizenKeys
from luukku.store.audit.conditions import selected, selected_apart
from luukku.store.sql.statements import Fields, Statement, copied_rows

if TYPE_CHECKING:
    from luukku.store.audit.archive_shelf import ArchiveShelf
from luukku.store.sql.tables import audit_checkpoints, audit_events, audit_tree, threads

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
    "citizen_token_hash",
    "leaf_version",
)


# The PostgreSQL advisory lock that orders audit appends, held to the end of
# the appending transaction; keyed by schema, since each schema holds one log.
APPEND_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('luukku.audit.' || current_schema()))")

# PostgreSQL: the advisory lock that orders audit appends, held to the end of the
# appending transaction (keyed by schema, since each schema holds one log), then the
# log's size and the siblings the next leaf completes: one statement (migration 0022).
_HEAD = Statement(
    text("SELECT size, level, hash FROM luukku_audit_head()").columns(
        size=BigInteger(), level=SmallInteger(), hash=LargeBinary()
    )
)


def event_from_row(row: Row[Any]) -> AuditEvent:
    """The event an ``audit_events`` row holds."""
    return event_from_fields(row._mapping)


def event_from_fields(fields: Fields) -> AuditEvent:
    """The event of an ``audit_events`` row's fields, keyed by column name."""
    values = {name: fields[name] for name in _FIELDS}
    values["outcome"] = Outcome(values["outcome"])
    return AuditEvent(**values)


# The scan's columns: the number, the recorded hash, then the event's fields in the
# order AuditEvent takes them.
_SCAN = (
    select(audit_events.c.seq, audit_events.c.leaf_hash, *(audit_events.c[f] for f in _FIELDS))
    .where(audit_events.c.seq > bindparam("after"))
    .order_by(audit_events.c.seq)
    .limit(bindparam("batch"))
)
_OUTCOME = _FIELDS.index("outcome")

# PostgreSQL: every event for ``luukku audit verify``, in one streamed COPY: the number, the
# recorded hash, then the leaf's fields (``LeafFields``), the time written as ``utc_text``
# writes it (FM: a year below 1000 unpadded, as strftime writes it).
_LEAF_COLUMNS = ", ".join(
    "to_char(time AT TIME ZONE 'UTC', 'FMYYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    if name == "time"
    else name
    for name in _FIELDS
)
_LEAVES = (
    f"COPY (SELECT seq, leaf_hash, {_LEAF_COLUMNS} FROM audit_events ORDER BY seq)"  # noqa: S608
    " TO STDOUT"
)

_INSERT = Statement(
    insert(audit_events).values({f: bindparam(f) for f in (*_FIELDS, "seq", "leaf_hash")})
)
# The tree's leaves, not the events' numbers, say how long the log is: a
# month moved out by ``luukku audit archive`` takes its events, never its leaves.
_SIZE = Statement(
    select((func.coalesce(func.max(audit_tree.c.idx), -1) + 1).label("size")).where(
        audit_tree.c.level == 0
    )
)
_NODE = Statement(
    select(audit_tree.c.hash).where(
        audit_tree.c.level == bindparam("level"), audit_tree.c.idx == bindparam("idx")
    )
)
_INSERT_NODE = Statement(
    insert(audit_tree).values(level=bindparam("level"), idx=bindparam("idx"), hash=bindparam("h"))
)
# Whom each event after a number concerns, in order: a replica's audit follower.
_CONCERNING_AFTER = Statement(
    select(
        audit_events.c.seq,
        audit_events.c.org_id,
        audit_events.c.subject_citizen_id,
        audit_events.c.acting_for_citizen_id,
    )
    .where(audit_events.c.seq > bindparam("after"))
    .order_by(audit_events.c.seq)
    .limit(bindparam("limit"))
)
# One event by its number: a proof's first read (the hot-path runner, no ORM machinery).
_GET = Statement(select(audit_events).where(audit_events.c.seq == bindparam("seq")))
_LATEST_CHECKPOINT = Statement(
    select(audit_checkpoints.c.tree_size, audit_checkpoints.c.note)
    .order_by(audit_checkpoints.c.tree_size.desc())
    .limit(1)
)
# PostgreSQL: any number of tree nodes in one statement of one text (so the driver
# prepares it once): the wanted (level, idx) pairs as two arrays, joined to the
# primary key, one index lookup each.
_NODES_PG = Statement(
    text(
        "SELECT t.level, t.idx, t.hash"
        " FROM unnest(CAST(:levels AS smallint[]), CAST(:idxs AS bigint[])) AS w(level, idx)"
        " JOIN audit_tree AS t ON t.level = w.level AND t.idx = w.idx"
    ).columns(level=SmallInteger(), idx=BigInteger(), hash=LargeBinary())
)


def _seq(stored: StoredEvent) -> int:
    return stored.seq


def event_row(event: AuditEvent, seq: int, leaf: bytes) -> dict[str, Any]:
    """The ``audit_events`` row of ``event`` numbered ``seq``, whose leaf hash is ``leaf``."""
    values: dict[str, Any] = {name: getattr(event, name) for name in _FIELDS}
    values["outcome"] = event.outcome.value
    values["seq"] = seq
    values["leaf_hash"] = leaf.hex()
    return values


class StoredEvent:
    """An event as stored: its position, content, its leaf and the hash recorded with it."""

    __slots__ = ("event", "leaf", "leaf_hash", "representative_name", "seq")

    def __init__(
        self,
        seq: int,
        event: AuditEvent,
        leaf_hash: str,
        leaf: bytes,
        representative_name: str = "",
    ) -> None:
        self.seq = seq
        """The event's number in the log, from 1 without gaps; its leaf index is ``seq - 1``."""
        self.event = event
        self.leaf_hash = leaf_hash
        """The leaf hash recorded when the event was appended (hex)."""
        self.leaf = leaf
        """The leaf recomputed from the stored fields; empty in a view that hides it."""
        self.representative_name = representative_name
        """The name of the one who acted for the subject under a representation right,
        where a listing names them (``service/audit/reading.py``); else empty."""

    def leaf_bytes(self) -> bytes:
        """The leaf the hash covers; empty when the viewer may not see it."""
        return self.leaf


class AuditRepository:
    """Appends events and reads them back; never updates or deletes."""

    def __init__(
        self, conn: Connection, keys: CitizenKeys | None = None, shelf: ArchiveShelf | None = None
    ) -> None:
        self._conn = conn
        self._keys = keys
        """For format 2 leaves; None only where the log holds format 1 alone (migration 0006)."""
        self._shelf = shelf
        """Archived months the listings read as well; None: the database's events only."""

    @property
    def keys(self) -> CitizenKeys | None:
        """The keys format 2 leaves are made with."""
        return self._keys

    def append(self, event: AuditEvent) -> int:
        """Insert ``event`` as the log's next number and its leaf into the tree; return the number.

        Appends are serialised to the end of the transaction (SQLite has one
        writer; on PostgreSQL an advisory lock), so numbers are given and
        committed in one order without gaps, and the tree follows it.
        """
        if self._conn.dialect.name == "postgresql":
            return self._append_in_two_statements(event)
        size = self.size()
        seq = size + 1
        leaf = event.leaf_hash(seq, self._keys)
        _INSERT.execute(self._conn, event_row(event, seq, leaf))
        self._add_leaf(size, leaf)
        return seq

    def _append_in_two_statements(self, event: AuditEvent) -> int:
        """PostgreSQL's append: two round trips, each held under the append lock.

        The first takes the lock and reads the head; the second inserts the
        event and every tree node its leaf completes. Each round trip here is
        time the lock is held and the broker spends in the driver.
        """
        rows = _HEAD.all(self._conn, {})
        size = int(rows[0]["size"])
        siblings = {
            (int(r["level"]), (size >> int(r["level"])) - 1): bytes(r["hash"])
            for r in rows
            if r["level"] is not None
        }
        missing = set(tree.completed_by(size)) - siblings.keys()
        if missing:
            raise KeyError(f"the audit tree lacks nodes {sorted(missing)}")
        seq = size + 1
        leaf = event.leaf_hash(seq, self._keys)
        nodes = tree.appended(size, leaf, siblings)
        values = event_row(event, seq, leaf)
        for i, ((level, idx), h) in enumerate(nodes):
            values[f"l{i}"], values[f"i{i}"], values[f"h{i}"] = level, idx, h
        _event_with_nodes(len(nodes)).execute(self._conn, values)
        return seq

    def _add_leaf(self, index: int, leaf: bytes) -> None:
        siblings = {}
        for level, idx in tree.completed_by(index):
            row = _NODE.first(self._conn, {"level": level, "idx": idx})
            if row is None:
                raise KeyError(f"the audit tree lacks node {level}/{idx}")
            siblings[(level, idx)] = bytes(row["hash"])
        for (level, idx), h in tree.appended(index, leaf, siblings):
            _INSERT_NODE.execute(self._conn, {"level": level, "idx": idx, "h": h})

    def size(self) -> int:
        """How many events the log holds: the tree's size."""
        row = _SIZE.first(self._conn, {})
        return int(row["size"]) if row is not None else 0

    def concerning_after(self, after: int, limit: int) -> list[tuple[int, AuditRecorded]]:
        """The events numbered after ``after``, at most ``limit`` of them in order: each
        one's number and whom it concerns (what an audit watch is woken by)."""
        rows = _CONCERNING_AFTER.all(self._conn, {"after": after, "limit": limit})
        return [
            (
                int(r["seq"]),
                AuditRecorded(r["org_id"], r["subject_citizen_id"], r["acting_for_citizen_id"]),
            )
            for r in rows
        ]

    def nodes(self, wanted: Iterable[tree.Node]) -> Mapping[tree.Node, bytes]:
        """The stored hashes of the complete subtrees ``wanted``; a missing one is a KeyError."""
        keys = list(wanted)
        if not keys:
            return {}
        if self._conn.dialect.name == "postgresql":
            # As array literals: the driver's own adaptation of a list costs more than the lookups.
            levels = ",".join(str(level) for level, _ in keys)
            idxs = ",".join(str(idx) for _, idx in keys)
            rows = _NODES_PG.all(self._conn, {"levels": f"{{{levels}}}", "idxs": f"{{{idxs}}}"})
        else:
            params = {
                f"{name}{i}": value
                for i, key in enumerate(keys)
                for name, value in zip("li", key, strict=True)
            }
            rows = _nodes_query(len(keys)).all(self._conn, params)
        found = {(r["level"], r["idx"]): bytes(r["hash"]) for r in rows}
        return {key: found[key] for key in keys}

    def get(self, seq: int) -> StoredEvent | None:
        """The event numbered ``seq``, also from an archived month where listings read them."""
        row = _GET.first(self._conn, {"seq": seq})
        if row is not None:
            return self._stored(row)
        if self._shelf is None:
            return None
        query = select(audit_events).where(audit_events.c.seq == seq)
        found = self._shelf.at(seq, lambda conn: AuditRepository(conn, self._keys)._events(query))
        return found[0] if found else None

    def add_checkpoint(self, size: int, root: bytes, note: str, now: datetime) -> bool:
        """Store a signed checkpoint unless one of that size is stored; whether it was."""
        exists = self._conn.execute(
            select(audit_checkpoints.c.tree_size).where(audit_checkpoints.c.tree_size == size)
        ).first()
        if exists:
            return False
        self._conn.execute(
            insert(audit_checkpoints).values(
                tree_size=size, root_hash=root, note=note, signed_at=now
            )
        )
        return True

    def checkpoints_latest(self) -> tuple[int, str] | None:
        """(tree size, note) of the largest stored checkpoint."""
        row = _LATEST_CHECKPOINT.first(self._conn, {})
        return None if row is None else (int(row["tree_size"]), str(row["note"]))

    def checkpoints(self) -> Sequence[tuple[int, str]]:
        """(tree size, note) of every stored checkpoint, smallest first."""
        c = audit_checkpoints.c
        rows = self._conn.execute(select(c.tree_size, c.note).order_by(c.tree_size))
        return [(int(size), str(note)) for size, note in rows]

    def newest_first(
        self, viewer: Actor, wanted: AuditFilter, before: int | None, limit: int
    ) -> Sequence[StoredEvent]:
        """The events ``viewer`` may list that ``wanted`` selects, newest first, below ``before``.

        A citizen may list the events about their data or done for them (an
        attempt by someone acting for one citizen on another's data is both
        citizens' to see); an organisation the events of its own calls.
        """
        seq = audit_events.c.seq
        below = [] if before is None else [seq < before]
        live = self._merged(viewer, wanted, below, limit, newest=True)
        if self._shelf is None:
            return live
        return self._shelf.newest_first(
            lambda conn: AuditRepository(conn, self._keys).newest_first(
                viewer, wanted, before, limit
            ),
            _seq,
            live,
            before,
            limit,
            self._threads_of(wanted),
        )

    def oldest_first(
        self, viewer: Actor, wanted: AuditFilter, after: int, limit: int, upto: int | None = None
    ) -> Sequence[StoredEvent]:
        """The same events, oldest first, with a sequence number above ``after``
        (and at most ``upto``, if given).
        """
        seq = audit_events.c.seq
        within = [seq > after] if upto is None else [seq > after, seq <= upto]
        live = self._merged(viewer, wanted, within, limit, newest=False)
        if self._shelf is None:
            return live
        return self._shelf.oldest_first(
            lambda conn: AuditRepository(conn, self._keys).oldest_first(
                viewer, wanted, after, limit, upto
            ),
            _seq,
            live,
            after,
            limit,
            self._threads_of(wanted),
        )

    def _threads_of(self, wanted: AuditFilter) -> Sequence[tuple[str, str]]:
        """(thread, case) of the cases ``wanted`` names: what an archived month's query asks."""
        cases = [c for c in (wanted.case_id, *wanted.withheld_cases) if c is not None]
        if not cases:
            return []
        rows = self._conn.execute(
            select(threads.c.id, threads.c.case_id).where(threads.c.case_id.in_(cases))
        )
        return [(str(t), str(c)) for t, c in rows]

    def _merged(
        self,
        viewer: Actor,
        wanted: AuditFilter,
        within: list[ColumnElement[bool]],
        limit: int,
        *,
        newest: bool,
    ) -> Sequence[StoredEvent]:
        """The first ``limit`` selected events, newest or oldest first: each disjoint part
        of the selection read in its own index's order, then merged (``selected_apart``)."""

        def ordered(seq: ColumnElement[int]) -> ColumnElement[int]:
            return seq.desc() if newest else seq.asc()

        parts = [
            select(audit_events).where(part, *within).order_by(ordered(audit_events.c.seq))
            for part in selected_apart(viewer, wanted)
        ]
        if len(parts) == 1:
            return self._events(parts[0].limit(limit))
        # Each part a subquery of its own: SQLite takes no ORDER BY or LIMIT in a UNION's parts.
        merged = union_all(*(select(p.limit(limit).subquery()) for p in parts)).subquery()
        return self._events(select(merged).order_by(ordered(merged.c.seq)).limit(limit))

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

    def who_acted(self, subject: str, action: str, resource: str) -> tuple[str, str] | None:
        """(acting citizen, reason) of the first allowed ``action`` on ``resource`` about
        ``subject``: who made it, for whom (an inquiry asked under a right)."""
        c = audit_events.c
        row = self._conn.execute(
            select(c.acting_for_citizen_id, c.reason)
            .where(
                c.subject_citizen_id == subject,
                c.action == action,
                c.resource == resource,
                c.outcome == Outcome.ALLOWED.value,
            )
            .order_by(c.seq)
            .limit(1)
        ).first()
        if row is None or row[0] is None:
            return None
        return str(row[0]), str(row[1])

    def _events(self, query: Select[Any]) -> Sequence[StoredEvent]:
        return [self._stored(r._mapping) for r in self._conn.execute(query)]

    def _stored(self, fields: Fields) -> StoredEvent:
        event = event_from_fields(fields)
        seq = fields["seq"]
        return StoredEvent(seq, event, fields["leaf_hash"], event.leaf_bytes(seq, self._keys))

    def leaves(self) -> Generator[tuple[int, str, bytes], None, None]:
        """(number, recorded leaf hash in hex, the leaf made anew from the stored fields) of
        every event in log order: what ``luukku audit verify`` checks, millions of rows.

        On PostgreSQL one COPY streamed on a connection of its own (``copied_rows``), so
        this transaction may read the tree and archives while it runs; elsewhere ``scan``.
        """
        if self._conn.dialect.name != "postgresql":
            for stored in self.scan():
                yield stored.seq, stored.leaf_hash, stored.leaf
            return
        keys = self._keys
        for row in copied_rows(self._conn.engine, _LEAVES):
            seq = int(row[0])  # type: ignore[arg-type]  # no NULL: a NOT NULL column
            fields = cast(LeafFields, (*row[2:-1], int(row[-1])))  # type: ignore[arg-type]
            yield seq, cast(str, row[1]), leaf_of(seq, fields, keys)

    def scan(self, batch: int = 5000) -> Iterator[StoredEvent]:
        """Every event in log order, read in batches.

        Built from the columns by position (``luukku audit verify`` reads the
        whole log through here, millions of rows).
        """
        after = 0
        keys = self._keys
        while True:
            rows = self._conn.execute(_SCAN, {"after": after, "batch": batch}).all()
            if not rows:
                return
            for seq, leaf_hash, *values in rows:
                values[_OUTCOME] = Outcome(values[_OUTCOME])
                event = AuditEvent(*values)
                yield StoredEvent(seq, event, leaf_hash, event.leaf_bytes(seq, keys))
            after = rows[-1][0]


def rebuild_for_migration(conn: Connection) -> None:
    """Recompute every stored event's leaf (now including its number) and build the tree.

    For migration 0006 only, with the log's update trigger lifted.

    Raises:
        RuntimeError: if the numbers have gaps: no total order for the tree to follow.
    """
    repo = AuditRepository(conn)
    # The columns of that time, every leaf of format 1 (later columns do not exist yet).
    c = audit_events.c
    columns = [c.seq, *(c[name] for name in _FIELDS if name != "leaf_version")]
    expected = 1
    for row in conn.execute(select(*columns).order_by(c.seq)).all():
        if row.seq != expected:
            raise RuntimeError(
                f"audit event {expected} is missing: the log cannot be put in a Merkle tree"
            )
        m = row._mapping
        values: dict[str, Any] = {name: m[name] for name in _FIELDS if name != "leaf_version"}
        values["outcome"] = Outcome(values["outcome"])
        event = AuditEvent(**values, leaf_version=LEAF_CLEAR_IDS)
        leaf = event.leaf_hash(row.seq)
        conn.execute(update(audit_events).where(c.seq == row.seq).values(leaf_hash=leaf.hex()))
        repo._add_leaf(row.seq - 1, leaf)
        expected += 1


@functools.cache
def _event_with_nodes(count: int) -> Statement:
    """One statement inserting an event and the ``count`` tree nodes its leaf completes
    (PostgreSQL: the event's insert in a WITH clause); built once per count."""
    event = insert(audit_events).values({f: bindparam(f) for f in (*_FIELDS, "seq", "leaf_hash")})
    nodes = insert(audit_tree).values(
        [
            {"level": bindparam(f"l{i}"), "idx": bindparam(f"i{i}"), "hash": bindparam(f"h{i}")}
            for i in range(count)
        ]
    )
    return Statement(nodes.add_cte(event.cte("appended_event")))


@functools.cache
def _nodes_query(count: int) -> Statement:
    """SQLite: ``count`` nodes in one statement, built once per count (a proof needs about 20).

    One indexed lookup per node (``level = :l0 AND idx = :i0 OR ...``): SQLite
    scans a row-value IN list.
    """
    wanted = " OR ".join(f"(level = :l{i} AND idx = :i{i})" for i in range(count))
    query = text(f"SELECT level, idx, hash FROM audit_tree WHERE {wanted}")  # noqa: S608 - no input
    return Statement(query.columns(level=SmallInteger(), idx=BigInteger(), hash=LargeBinary()))
