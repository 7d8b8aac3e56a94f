"""Archived months read back for the broker's listings: ``luukku serve --audit-archive DIR``.

Each archive file of the folder gets a read index beside it, a SQLite
database holding the month's events in the very ``audit_events`` table the
log has (``DIR/.index/audit-events-YYYY-MM.sqlite``), made from the file once
(by ``luukku audit archive`` right after it writes the file, else on the
first read). A listing then runs the log's own query on it (who may see
what, the filters), so an archived month lists exactly as it did in the
database; the threads a case filter names are lent from the database into a
temporary table. The index is derived from the file and may be deleted: the
file is the archive.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, text

from luukku.audit import archive_file
from luukku.audit.archive_file import ArchiveHeader
from luukku.store.sql.tables import audit_events

_INDEX = ".index"
_BATCH = 5000

ThreadsOf = Callable[[Sequence[str]], Sequence[tuple[str, str]]]
"""(thread id, case id) of the threads of the given cases, read from the database."""


@dataclass(frozen=True)
class _Month:
    header: ArchiveHeader
    file: Path


class ArchiveShelf:
    """The archive files of one folder, listed as the log lists its events."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._engines: dict[str, Engine] = {}
        self._seen_change = -1
        self._shelved: list[_Month] = []

    @property
    def _months(self) -> list[_Month]:
        """The folder's archives, newest first; read again whenever the folder changed
        (a month archived while the broker runs is listed from the next call on)."""
        with self._lock:
            change = self.folder.stat().st_mtime_ns
            if change != self._seen_change:
                self._shelved = sorted(
                    (
                        _Month(archive_file.read_header(path), path)
                        for path in self.folder.glob(archive_file.file_name("*"))
                    ),
                    key=lambda m: m.header.last_seq,
                    reverse=True,
                )
                self._seen_change = change
            return self._shelved

    def months(self) -> Sequence[ArchiveHeader]:
        """The archived months' headers, newest first."""
        return [m.header for m in self._months]

    def newest_first(
        self,
        listing: Callable[[Connection], Sequence[Any]],
        seq_of: Callable[[Any], int],
        live: Sequence[Any],
        before: int | None,
        limit: int,
        threads: Sequence[tuple[str, str]],
    ) -> list[Any]:
        """``live`` merged with the archived months' answers to ``listing``, newest first.

        A month is read only while it may hold one of the newest ``limit``.
        """
        found = list(live)
        for month in self._months:
            if before is not None and month.header.first_seq >= before:
                continue
            if len(found) >= limit and min(seq_of(e) for e in found) > month.header.last_seq:
                break
            with self._connection(month, threads) as conn:
                found = _merged(found, listing(conn), seq_of, reverse=True)
            del found[limit:]
        return found

    def oldest_first(
        self,
        listing: Callable[[Connection], Sequence[Any]],
        seq_of: Callable[[Any], int],
        live: Sequence[Any],
        after: int,
        limit: int,
        threads: Sequence[tuple[str, str]],
    ) -> list[Any]:
        """``live`` merged with the archived months' answers to ``listing``, oldest first."""
        found = list(live)
        for month in reversed(self._months):
            if month.header.last_seq <= after:
                continue
            if len(found) >= limit and max(seq_of(e) for e in found) < month.header.first_seq:
                break
            with self._connection(month, threads) as conn:
                found = _merged(found, listing(conn), seq_of, reverse=False)
            del found[limit:]
        return found

    def at(self, seq: int, listing: Callable[[Connection], Sequence[Any]]) -> list[Any]:
        """``listing``'s answer in the archived month whose numbers span ``seq``, if any."""
        for month in self._months:
            if month.header.first_seq <= seq <= month.header.last_seq:
                with self._connection(month, ()) as conn:
                    return list(listing(conn))
        return []

    def index(self, month: str) -> Path:
        """Make the read index of ``month``'s file if it has none; its path."""
        (found,) = (m for m in self._months if m.header.month == month)
        return self._index(found)

    @contextmanager
    def _connection(
        self, month: _Month, threads: Sequence[tuple[str, str]]
    ) -> Iterator[Connection]:
        engine = self._engine(month)
        with engine.connect() as conn:
            # The log's query names ``threads``: a temporary one, with the rows it needs.
            conn.execute(text("CREATE TEMP TABLE IF NOT EXISTS threads (id TEXT, case_id TEXT)"))
            conn.execute(text("DELETE FROM temp.threads"))
            if threads:
                conn.execute(
                    text("INSERT INTO temp.threads (id, case_id) VALUES (:id, :case_id)"),
                    [{"id": t, "case_id": c} for t, c in threads],
                )
            yield conn
            conn.rollback()

    def _engine(self, month: _Month) -> Engine:
        with self._lock:
            engine = self._engines.get(month.header.month)
            if engine is None:
                path = self._index(month)
                engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
                self._engines[month.header.month] = engine
            return engine

    def _index(self, month: _Month) -> Path:
        path = self.folder / _INDEX / month.file.name.replace(".jsonl.gz", ".sqlite")
        if path.exists():
            return path
        path.parent.mkdir(exist_ok=True)
        # Its own name: a broker and `audit archive` may make the same index at once.
        partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.partial")
        engine = create_engine(f"sqlite:///{partial}")
        # A file made under a name of its own, flushed and renamed when whole: no journal.
        event.listen(engine, "connect", _unjournaled)
        try:
            audit_events.metadata.create_all(engine, tables=[audit_events])
            _, events = archive_file.read(month.file)
            with engine.begin() as conn:
                for batch in _batched(events):
                    conn.execute(insert(audit_events), batch)
            engine.dispose()
            with open(partial, "rb+") as made:  # whole on disk before it takes its name
                os.fsync(made.fileno())
            os.replace(partial, path)
        finally:
            engine.dispose()
            partial.unlink(missing_ok=True)
        return path

    def dispose(self) -> None:
        """Close the indexes' connections."""
        with self._lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()


def _unjournaled(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA journal_mode = OFF")
    dbapi_connection.execute("PRAGMA synchronous = OFF")


def _merged(
    found: list[Any], more: Sequence[Any], seq_of: Callable[[Any], int], *, reverse: bool
) -> list[Any]:
    """Both, in number order, each event once: a month's file is written before its
    events leave the database, so for a moment an event may be in both."""
    by_seq = {seq_of(e): e for e in more} | {seq_of(e): e for e in found}
    return [by_seq[seq] for seq in sorted(by_seq, reverse=reverse)]


def _batched(events: Iterable[archive_file.ArchivedEvent]) -> Iterator[list[dict[str, Any]]]:
    from luukku.store.audit.log import event_row

    batch: list[dict[str, Any]] = []
    for archived in events:
        row = event_row(archived.event, archived.seq, bytes.fromhex(archived.leaf_hash))
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
