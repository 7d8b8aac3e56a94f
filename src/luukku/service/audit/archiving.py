"""Archiving months of the audit log to files, and checking those files against the tree.

``luukku audit archive --before MONTH`` moves each month before MONTH out of
the database, oldest first, and fails closed at every step: the month must be
covered by a signed checkpoint; its file is written (new, flushed, renamed)
and read back and checked, every event's leaf recomputed and compared with
the tree's; only then is the partition detached, counted against the file and
dropped, in one transaction with the month's registration. A month that fails
any step stays in the database, and so do the months after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from luukku.audit import archive_file, tree
from luukku.audit.archive_file import ArchivedEvent, ArchiveFormatError, ArchiveHeader
from luukku.store.audit import partitions
from luukku.store.audit.archives import ArchivedMonth
from luukku.store.audit.log import AuditRepository
from luukku.store.audit.partitions import Month
from luukku.store.uow import Store, Tx
from luukku.verify.transparency_log import VerificationError, verify_checkpoint

_BATCH = 5000


class ArchiveRefused(RuntimeError):
    """A month could not be archived; it (and every later one) stays in the database."""


@dataclass(frozen=True)
class FileCheck:
    """What checking an archive file found."""

    header: ArchiveHeader | None
    problem: str | None
    """One line naming the first problem; None when every event matches the tree."""


def make_partitions_ahead(store: Store, now: datetime) -> list[Month]:
    """The current month's partition and the next ones', where missing; the months made."""
    with store.transaction() as tx:
        return partitions.make_ahead(tx.connection, now)


def archive_before(
    store: Store, before: Month, folder: Path, verifier_key: str, now: datetime
) -> list[ArchivedMonth]:
    """Archive every partitioned month before ``before`` (never the current one) to ``folder``.

    Raises:
        ArchiveRefused: on SQLite, for the current month or later, or when a
            month fails a step (the months archived before it stay archived).
    """
    if before > Month.of(now):
        raise ArchiveRefused(f"{before} is after the current month: only past months are archived")
    with store.read() as tx:
        if not partitions.is_partitioned(tx.connection):
            raise ArchiveRefused("the audit log is partitioned on PostgreSQL only")
        due = [m for m in partitions.months(tx.connection) if m < before]
    return [_archive_month(store, month, folder, verifier_key, now) for month in due]


def _archive_month(
    store: Store, month: Month, folder: Path, verifier_key: str, now: datetime
) -> ArchivedMonth:
    with store.read() as tx:
        events, first, last = tx.audit_archives.extent(month)
        latest = tx.audit.checkpoints_latest()
        if latest is None or latest[0] < last:
            raise ArchiveRefused(
                f"{month}: its events up to {last} are not all in a signed checkpoint yet "
                "(a running broker signs within seconds)"
            )
        header = ArchiveHeader(str(month), events, first, last, latest[1])
        path = folder / archive_file.file_name(str(month))
        try:
            archive_file.write(path, header, tx.audit_archives.events(month, _BATCH))
        except (OSError, ArchiveFormatError) as exc:
            raise ArchiveRefused(f"{month}: the archive file was not written: {exc}") from exc
    # From here on the file is this run's own, and its events still in the database:
    # a step that fails takes the file away again, so that the month can be retried.
    try:
        with store.read() as tx:
            check = check_file(tx, path, verifier_key)
        if check.problem is not None:
            raise ArchiveRefused(f"{month}: {path} does not check out: {check.problem}")
        archived = ArchivedMonth(
            str(month), path.name, events, first, last, latest[0], _sha256(path), now
        )
        with store.transaction() as tx:
            tx.audit_archives.move_out(archived)
    except ArchiveRefused:
        path.unlink()
        raise
    except Exception as exc:
        path.unlink()
        raise ArchiveRefused(f"{month} stays in the database: {exc}") from exc
    return archived


def check_file(tx: Tx, path: Path, verifier_key: str) -> FileCheck:
    """Check an archive file against the log: its checkpoint and every event's leaf.

    The checkpoint must verify with the key and sign the root the stored tree
    has at its size; every event, numbered within it, must recompute to the
    leaf hash it carries and to the tree's leaf of its number; the events must
    be as many as the header says, in number order, within its range; and a
    month the database registered as archived must be the file's whole month.
    """
    try:
        header, events = archive_file.read(path)
    except (OSError, ArchiveFormatError) as exc:
        return FileCheck(None, f"{path}: {exc}")
    try:
        return FileCheck(header, _checked(tx, header, events, verifier_key))
    except ArchiveFormatError as exc:
        return FileCheck(header, str(exc))
    finally:
        events.close()


def _checked(
    tx: Tx, header: ArchiveHeader, events: Generator[ArchivedEvent, None, None], verifier_key: str
) -> str | None:
    try:
        checkpoint = verify_checkpoint(header.checkpoint, verifier_key)
    except VerificationError as exc:
        return f"its checkpoint does not verify: {exc}"
    if header.last_seq > checkpoint.size:
        return f"its checkpoint of {checkpoint.size} does not cover event {header.last_seq}"
    try:
        signed_root = tree.root(checkpoint.size, partial(AuditRepository.nodes, tx.audit))
    except KeyError:
        return f"the stored tree lacks nodes of the {checkpoint.size} events its checkpoint signs"
    if signed_root != checkpoint.root:
        return "its checkpoint does not sign the stored tree"
    keys = tx.audit.keys
    count, previous = 0, header.first_seq - 1
    for batch in _batched(events):
        leaves = tx.audit_archives.leaves(batch[0].seq, batch[-1].seq)
        for archived in batch:
            if not previous < archived.seq <= header.last_seq:
                span = f"{header.first_seq}..{header.last_seq}"
                return f"event {archived.seq} is out of order or outside {span}"
            leaf = archived.event.leaf_hash(archived.seq, keys)
            if leaf.hex() != archived.leaf_hash or leaves.get(archived.seq) != leaf:
                return f"event {archived.seq} does not match its leaf in the tree"
            count, previous = count + 1, archived.seq
    if count != header.events:
        return f"it holds {count} events where its header says {header.events}"
    registered = {m.month: m for m in tx.audit_archives.registered()}.get(header.month)
    if registered is not None and (
        registered.events,
        registered.first_seq,
        registered.last_seq,
    ) != (header.events, header.first_seq, header.last_seq):
        return f"the database archived other events of {header.month} than the file holds"
    return None


def _batched(events: Iterator[ArchivedEvent]) -> Iterator[list[ArchivedEvent]]:
    batch: list[ArchivedEvent] = []
    for archived in events:
        batch.append(archived)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(partial(f.read, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
