"""Fan-out across broker replicas sharing one PostgreSQL, through LISTEN/NOTIFY.

``PgFanOut`` is a ``LocalFanOut`` that also tells the other replicas: what a
use case committed is delivered to this process's watchers at once and sent,
by ids (``store.notices``), to the schema's channel by a sender task on its
own connection. A listener task on another connection hears the other
replicas (and the admin CLI) and feeds the same local deliveries: a new
message is read from the store once per thread, however many watch it here;
a read mark comes whole (ids, the sequence and the time) and is offered as heard.

Audit events are not announced: every audited call writes one, and a
notification for each would cost every call a share of a NOTIFY (whose commit
takes a lock of the whole database cluster) and every replica the parsing of
every other's. A replica with audit watches open follows the log's new rows
instead (``_follow_audit``, one indexed read every ``AUDIT_FOLLOW_S``), and
one without reads only where the log ends.

A notification is a hint, not the record: watchers read by sequence number
and fill any gap from the store. A listener whose connection dropped (the
database restarted, ``pg_terminate_backend``) reconnects by itself, and then
wakes every local watcher to re-read the store and check its access again,
so what was announced while it was away costs a re-read, not a message.
While the database cannot be reached, ``on_reachable(False)`` is called (the
broker reports NOT_SERVING), and ``on_reachable(True)`` once it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

import psycopg
from psycopg import sql

from luukku.domain.events import AuditRecorded, Event, ReadMarked
from luukku.server.live.fanout import DEFAULT_BACKLOG_LIMIT, LocalFanOut
from luukku.service.watching import backlog
from luukku.store import notices
from luukku.store.sql.engine import conninfo
from luukku.store.uow import Store

_log = logging.getLogger("luukku.server")

RETRY_MIN_S = 0.05
RETRY_MAX_S = 1.0
CONNECT_TIMEOUT_S = 3
KEEPALIVE_IDLE_S = 10
KEEPALIVE_INTERVAL_S = 5
SEND_WINDOW_S = 0.005
AUDIT_FOLLOW_S = 0.2
"""How often a replica reads the audit log: its newest rows with audit watches open,
else only where it ends."""
AUDIT_FOLLOW_LIMIT = 5000
"""Rows read at most a round; more wait for the next (the watches read the log themselves)."""
OUTGOING_LIMIT = 100_000
"""Entries kept while the database is away; past it the oldest are dropped (watchers re-read)."""
FETCH_LIMIT = 500

Reachable = Callable[[bool], None]


class PgFanOut(LocalFanOut):
    """Local fan-out plus NOTIFY to, and LISTEN from, the other replicas of the database."""

    def __init__(self, store: Store, backlog_limit: int = DEFAULT_BACKLOG_LIMIT) -> None:
        super().__init__(backlog_limit)
        self._store = store
        self._conninfo = conninfo(store.engine)
        self.origin = uuid.uuid4().hex[:12]
        """This replica's tag: its own notifications come back to it and are skipped."""
        self._outgoing: list[notices.Entry] = []
        self._send_wanted: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._on_reachable: Reachable = _ignore
        self.listening = asyncio.Event()
        """Set while the listener is connected and listening (tests wait for it)."""
        self.following_audit = asyncio.Event()
        """Set once the audit log is followed from a known end (tests wait for it)."""

    async def start(self, on_reachable: Reachable | None = None) -> None:
        """Start the listener and the sender; return once the listener listens (or failed once)."""
        self._on_reachable = on_reachable or _ignore
        self._send_wanted = asyncio.Event()
        first_round = asyncio.Event()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._listen(first_round)),
            loop.create_task(self._send()),
            loop.create_task(self._follow_audit()),
        ]
        await first_round.wait()

    async def close(self) -> None:
        """Stop listening and sending (what is still queued is dropped: watchers re-read)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    def deliver(self, events: Sequence[Event]) -> None:
        super().deliver(events)
        news = notices.entries(events)
        if not news or self._send_wanted is None:
            return
        self._outgoing.extend(news)
        if len(self._outgoing) > OUTGOING_LIMIT:
            del self._outgoing[: len(self._outgoing) - OUTGOING_LIMIT]
        self._send_wanted.set()

    # Sending ------------------------------------------------------------------------------

    async def _send(self) -> None:
        assert self._send_wanted is not None
        conn: psycopg.AsyncConnection[object] | None = None
        retry = RETRY_MIN_S
        loop = asyncio.get_running_loop()
        last_sent = loop.time() - SEND_WINDOW_S
        try:
            while True:
                await self._send_wanted.wait()
                # The first news after a quiet spell goes at once (after what this turn
                # of the loop commits); under load one NOTIFY a window carries what the
                # window committed, instead of one round trip each.
                await asyncio.sleep(max(0.0, last_sent + SEND_WINDOW_S - loop.time()))
                last_sent = loop.time()
                self._send_wanted.clear()
                batch, self._outgoing = self._outgoing, []
                try:
                    if conn is None or conn.closed:
                        conn = await self._connect()
                    for payload in notices.payloads(self.origin, batch):
                        await conn.execute(
                            sql.SQL(f"SELECT pg_notify({notices.CHANNEL_SQL}, %s)"), (payload,)
                        )
                    retry = RETRY_MIN_S
                except psycopg.Error as exc:
                    _log.warning("cannot notify the other replicas: %s", type(exc).__name__)
                    self._outgoing[:0] = batch  # sent again once the database is back
                    if conn is not None:
                        await conn.close()
                    conn = None
                    await asyncio.sleep(retry)
                    retry = min(retry * 2, RETRY_MAX_S)
                    self._send_wanted.set()
        finally:
            if conn is not None:
                await conn.close()

    # Following the audit log ---------------------------------------------------------------

    async def _follow_audit(self) -> None:
        """Offer this replica's audit watches the events any process appended since the
        last round (its own too: a watch woken twice reads nothing new the second time).

        With no watch open only the log's end is read, so that the next watch to
        open hears of every event after a point from before it opened: whatever is
        appended after the watch's own first reading of the log, it is offered.
        """
        after: int | None = None
        retry = RETRY_MIN_S
        while True:
            await asyncio.sleep(AUDIT_FOLLOW_S)
            try:
                if after is None or not self.audit_watched():
                    opened = self.audit_watches_opened()
                    size = await asyncio.to_thread(self._audit_size)
                    # A watch opened while the end was read may have read the log
                    # before it: the older end stays, and the next round reads from it.
                    if after is None or self.audit_watches_opened() == opened:
                        after = size
                    self.following_audit.set()
                    continue
                news = await asyncio.to_thread(self._audit_after, after)
                retry = RETRY_MIN_S
            except Exception as exc:  # the watches read the log themselves on quiet rounds
                _log.warning("cannot follow the audit log: %s", type(exc).__name__)
                await asyncio.sleep(retry)
                retry = min(retry * 2, RETRY_MAX_S)
                continue
            for seq, recorded in news:
                self.audit_recorded(recorded)
                after = seq

    def _audit_size(self) -> int:
        with self._store.lookup() as tx:
            return tx.audit.size()

    def _audit_after(self, after: int) -> list[tuple[int, AuditRecorded]]:
        with self._store.lookup() as tx:
            return tx.audit.concerning_after(after, AUDIT_FOLLOW_LIMIT)

    # Listening ----------------------------------------------------------------------------

    async def _listen(self, first_round: asyncio.Event) -> None:
        retry = RETRY_MIN_S
        connected_before = False
        reachable = True
        while True:
            try:
                conn = await self._connect()
            except psycopg.Error as exc:
                _log.warning("cannot listen for other replicas: %s", type(exc).__name__)
                if reachable:
                    reachable = False
                    self._on_reachable(False)
                first_round.set()
                await asyncio.sleep(retry)
                retry = min(retry * 2, RETRY_MAX_S)
                continue
            try:
                named = await conn.execute(sql.SQL(f"SELECT {notices.CHANNEL_SQL}"))
                channel = _first(await named.fetchone())
                await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                retry = RETRY_MIN_S
                if not reachable:
                    reachable = True
                    self._on_reachable(True)
                if connected_before:
                    # Whatever was announced while away: re-read and re-check it.
                    self.callers_changed()
                connected_before = True
                self.listening.set()
                first_round.set()
                async for notice in conn.notifies():
                    try:
                        self._heard(notice.payload)
                    except Exception as exc:  # one bad notification must not stop the listener
                        _log.warning("ignored a notification: %s", type(exc).__name__)
            except psycopg.Error as exc:
                _log.warning("lost the listener connection: %s", type(exc).__name__)
            finally:
                self.listening.clear()
                await conn.close()
            await asyncio.sleep(RETRY_MIN_S)  # never a busy loop, whatever keeps failing

    async def _connect(self) -> psycopg.AsyncConnection[object]:
        conn: psycopg.AsyncConnection[object] = await psycopg.AsyncConnection.connect(
            self._conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            # A listener waits in silence: keepalives notice a peer gone without a word.
            keepalives=1,
            keepalives_idle=KEEPALIVE_IDLE_S,
            keepalives_interval=KEEPALIVE_INTERVAL_S,
            keepalives_count=3,
        )
        return conn

    def _heard(self, payload: str) -> None:
        try:
            origin, entries = notices.parse(payload)
        except ValueError:
            _log.warning("ignored a malformed notification")
            return
        if origin == self.origin:
            return
        wanted: dict[str, int] = {}
        for entry in entries:
            match entry:
                case ("m", str(thread_id), str(seq)) if thread_id in self._by_thread:
                    wanted[thread_id] = min(int(seq), wanted.get(thread_id, int(seq)))
                case ("s", str(thread_id), str(org), citizen, str(seq), str(at)) if (
                    thread_id in self._by_thread
                ):
                    marked_at = datetime.fromisoformat(at)
                    self.publish(ReadMarked(thread_id, org, _id(citizen), int(seq), marked_at))
                case ("r", str(citizen_id)):
                    self.access_changed(citizen_id)
                case ("p", str(represented_id)):
                    self.representation_changed(represented_id)
                case ("c",):
                    self.callers_changed()
                case ("w", str(key)):
                    self.wake(key)
        for thread_id, first in wanted.items():
            self._tasks.append(
                asyncio.get_running_loop().create_task(self._fetch(thread_id, first))
            )
        self._tasks = [task for task in self._tasks if not task.done()]

    async def _fetch(self, thread_id: str, first: int) -> None:
        """Read the announced messages once and offer them to this replica's watchers."""
        try:
            messages = await asyncio.to_thread(
                backlog, self._store, thread_id, first - 1, FETCH_LIMIT
            )
        except Exception as exc:  # the watchers re-read on their next quiet round
            _log.warning("cannot read announced messages: %s", type(exc).__name__)
            return
        for message in messages:
            self.publish(message)


def _first(row: object) -> str:
    return str(row[0]) if isinstance(row, tuple) else ""


def _id(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _ignore(reachable: bool) -> None:
    """No one to tell."""
