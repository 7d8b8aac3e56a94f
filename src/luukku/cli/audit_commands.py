"""``luukku audit``: the audit log's key, checkpoints, proofs and verification."""

from __future__ import annotations

import argparse
import base64
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from luukku.audit.checkpoints import DEFAULT_NAME, LogKeyError, LogSigner
from luukku.cli._common import CliError, env_default, open_database, positive_int, with_database
from luukku.pki import PkiPaths
from luukku.store.audit.partitions import MONTHS_AHEAD

# A running broker signs within a second of a write: how long verify waits
# for events newer than the last checkpoint to be signed before failing.
SIGNING_GRACE_SECONDS = 2.5


def _verifier_key(args: argparse.Namespace) -> str:
    path = Path(args.key) if args.key else PkiPaths(Path(args.pki)).log_verifier_key
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read the audit log's verifier key {path}: {exc}") from exc


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from luukku.service.audit.verification import verify_log

    store = open_database(args, create=False)  # the database first: nothing to verify without it
    key = _verifier_key(args)
    notes, archives = _against(args.against or [])
    if len(notes) > 1:
        raise CliError("--against takes one saved checkpoint (and any number of archive files)")
    against = notes[0] if notes else None
    result = verify_log(store, key, against, archives)
    if result.unsigned_tail:
        time.sleep(SIGNING_GRACE_SECONDS)
        result = verify_log(store, key, against, archives)
    if result.problem is not None:
        print(f"luukku: audit log NOT intact: {result.problem}", file=sys.stderr)
        return 1
    print(
        f"{result.events} audit events verified against the signed checkpoint of "
        f"{result.signed_size}; RFC 9162 root {result.root.hex()}"
    )
    if result.archived:
        checked = (
            f"their events checked in {len(archives)} file(s)"
            if archives
            else ("pass their files with --against to check the events themselves")
        )
        print(f"{result.archived} of them archived, checked by their leaves in the tree; {checked}")
    return 0


def _against(paths: list[str]) -> tuple[list[str], list[Path]]:
    """The saved checkpoint notes and the archive files among ``--against`` files."""
    notes: list[str] = []
    archives: list[Path] = []
    for name in paths:
        path = Path(name)
        try:
            with open(path, "rb") as f:
                gzipped = f.read(2) == _GZIP_MAGIC
            if gzipped:
                archives.append(path)
            else:
                notes.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {name}: {exc}") from exc
    return notes, archives


_GZIP_MAGIC = b"\x1f\x8b"


def cmd_audit_archive(args: argparse.Namespace) -> int:
    from luukku.service.audit.archiving import ArchiveRefused, archive_before
    from luukku.store.audit.partitions import Month

    try:
        before = Month.parse(args.before)
    except ValueError as exc:
        raise CliError(f"--before: {exc}") from exc
    folder = Path(args.to)
    if not folder.is_dir():
        raise CliError(f"--to {folder}: no such folder")
    store = open_database(args, create=False)
    key = _verifier_key(args)
    try:
        archived = archive_before(store, before, folder, key, datetime.now(UTC))
    except ArchiveRefused as exc:
        raise CliError(f"archive stopped: {exc}") from exc
    if archived:
        from luukku.store.audit.archive_shelf import ArchiveShelf

        shelf = ArchiveShelf(folder)
        for month in archived:  # the read index `serve --audit-archive` uses, made now
            shelf.index(month.month)
        shelf.dispose()
    for month in archived:
        print(
            f"{month.month}: {month.events} events ({month.first_seq}..{month.last_seq}) "
            f"moved to {folder / month.file_name}, covered by the checkpoint of "
            f"{month.checkpoint_size}"
        )
    if not archived:
        print(f"no month before {before} is left in the database")
    return 0


def cmd_audit_partitions(args: argparse.Namespace) -> int:
    from luukku.store.audit import partitions
    from luukku.store.audit.partitions import Month

    try:
        since = Month.parse(args.since) if args.since else None
    except ValueError as exc:
        raise CliError(f"--from: {exc}") from exc
    store = open_database(args, create=False)
    with store.transaction() as tx:
        if not partitions.is_partitioned(tx.connection):
            print("the audit log is one table on SQLite: nothing to partition")
            return 0
        made = partitions.make_ahead(tx.connection, datetime.now(UTC), args.ahead, since)
        months = partitions.months(tx.connection)
    for month in made:
        print(f"made the partition of {month}")
    if months:
        print(f"the audit log has partitions for {months[0]}..{months[-1]}")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    with open_database(args, create=False).read() as tx:
        latest = tx.audit.checkpoints_latest()
    if latest is None:
        raise CliError("no checkpoint of the audit log is signed yet")
    sys.stdout.write(latest[1])
    return 0


def cmd_audit_prove(args: argparse.Namespace) -> int:
    from luukku.audit import tree
    from luukku.store.audit.log import AuditRepository
    from luukku.verify.transparency_log import verify_checkpoint, verify_inclusion

    key = _verifier_key(args)
    with open_database(args, create=False).read() as tx:
        latest = tx.audit.checkpoints_latest()
        stored = tx.audit.get(args.event)
        if stored is None:
            raise CliError(f"there is no audit event {args.event}")
        if latest is None or latest[0] < args.event:
            raise CliError(f"audit event {args.event} is not in a signed checkpoint yet")
        size, note = latest
        proof = tree.inclusion(args.event - 1, size, partial(AuditRepository.nodes, tx.audit))
    leaf = bytes.fromhex(stored.leaf_hash)
    verify_inclusion(leaf, args.event - 1, size, proof, verify_checkpoint(note, key).root)
    print(f"event {args.event}: leaf index {args.event - 1} in the tree of {size}")
    print(f"leaf hash {leaf.hex()}")
    print(f"leaf bytes {stored.leaf.decode('utf-8')}")
    print("inclusion proof (base64, from the leaf up):")
    for node in proof:
        print(f"  {base64.b64encode(node).decode('ascii')}")
    print("checkpoint:")
    sys.stdout.write(note)
    return 0


def cmd_audit_keygen(args: argparse.Namespace) -> int:
    paths = PkiPaths(Path(args.dir))
    if paths.log_key.exists():
        raise CliError(f"{paths.log_key} exists: the log keeps its key (checkpoints name it)")
    try:
        signer = LogSigner.generate(args.log_name)
    except LogKeyError as exc:
        raise CliError(f"--log-name: {exc}") from exc
    _, verifier = signer.write(paths.root)
    print(f"created the audit log key {paths.log_key}")
    print(f"audit log verifier key ({verifier}):")
    print(signer.verifier_key())
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit verify``, ``archive``, ``partitions``, ``checkpoint``, ``prove``, ``keygen``."""
    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit", required=True
    )
    default_pki = env_default("LUUKKU_PKI", "certs/dev")

    def with_key(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--pki", default=default_pki, help="PKI folder (default: LUUKKU_PKI, else certs/dev)"
        )
        p.add_argument(
            "--key",
            default="",
            metavar="FILE",
            help="the audit log's verifier key (default: audit-log.vkey in --pki)",
        )
        return p

    p = with_key(
        with_database(
            audit.add_parser(
                "verify",
                help="check every event, the tree and the signed checkpoints; exit 0 only "
                "on an intact log",
            )
        )
    )
    p.add_argument(
        "--against",
        action="append",
        metavar="CHECKPOINT_OR_ARCHIVE",
        help="also check the log against a checkpoint saved earlier outside the database, "
        "or an archive file of `audit archive` (its every event against the tree); repeatable",
    )
    p.set_defaults(func=cmd_audit_verify)
    p = with_key(
        with_database(
            audit.add_parser(
                "archive",
                help="move the months before MONTH out of the database (PostgreSQL) into "
                "checked files; the tree keeps their leaves",
            )
        )
    )
    p.add_argument("--before", required=True, metavar="MONTH", help="YYYY-MM, not after now")
    p.add_argument("--to", required=True, metavar="DIR", help="folder of the archive files")
    p.set_defaults(func=cmd_audit_archive)
    p = with_database(
        audit.add_parser("partitions", help="make the audit log's monthly partitions ahead")
    )
    p.add_argument(
        "--ahead",
        type=positive_int,
        default=MONTHS_AHEAD,
        help=f"months after the current one (default {MONTHS_AHEAD})",
    )
    p.add_argument(
        "--from",
        dest="since",
        default="",
        metavar="MONTH",
        help="also every month from MONTH (YYYY-MM) on: for events loaded from earlier months",
    )
    p.set_defaults(func=cmd_audit_partitions)
    p = with_database(audit.add_parser("checkpoint", help="print the latest signed checkpoint"))
    p.set_defaults(func=cmd_audit_checkpoint)
    p = with_key(with_database(audit.add_parser("prove", help="print an event's inclusion proof")))
    p.add_argument("--event", type=positive_int, required=True, metavar="SEQ")
    p.set_defaults(func=cmd_audit_prove)
    p = audit.add_parser("keygen", help="make the audit log's signing key for an existing PKI")
    p.add_argument(
        "--dir", default=default_pki, help="PKI folder (default: LUUKKU_PKI, else certs/dev)"
    )
    p.add_argument(
        "--log-name",
        default=DEFAULT_NAME,
        help=f"the audit log's name in its checkpoints (default {DEFAULT_NAME})",
    )
    p.set_defaults(func=cmd_audit_keygen)
