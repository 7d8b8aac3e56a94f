"""Checking the whole audit log against its signed checkpoints: what ``luukku audit verify`` does.

Every event's leaf is recomputed from its fields and number (a format 2 leaf with
the citizen keys, so a citizen id changed in its row is caught); the numbers must
run from 1 without a gap; the root of the first N leaves must be the root
every stored checkpoint of size N signed (so each checkpoint is consistent
with the next, and with the events); no checkpoint may be larger than the
log (truncation); the stored tree must give the same root (it serves the
proofs); and every event must be covered by a checkpoint signed with the
log's key, which the database does not hold. Optionally a checkpoint kept
outside the database is checked the same way.

Events archived out of the database keep their leaves in the tree: a missing
number passes only inside a month registered as archived, and only as many
as were archived; the archive files, when given, are checked event by event
(``service/audit/archiving.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from luukku.audit import tree
from luukku.audit.merkle import Frontier, leaf_hash
from luukku.service.audit.archiving import check_file
from luukku.store.audit.log import AuditRepository
from luukku.store.uow import Store, Tx
from luukku.verify.transparency_log import Checkpoint, VerificationError, verify_checkpoint


@dataclass(frozen=True)
class Verification:
    """What the check found: the log's size and root, and the first problem, if any."""

    events: int
    root: bytes
    signed_size: int
    """The largest checkpoint's size."""
    problem: str | None
    """One line naming the first problem found; None for an intact log."""
    unsigned_tail: bool = False
    """The problem is only that the newest events are not signed yet (a live log catches up)."""
    archived: int = 0
    """Of the events, how many are archived out of the database (checked by their leaves)."""


def verify_log(
    store: Store,
    verifier_key: str,
    against: str | None = None,
    archive_files: Sequence[Path] = (),
) -> Verification:
    """Check the log against its checkpoints (and ``against``, a note kept elsewhere).

    An event archived out of the database (``luukku audit archive``) is checked
    by its leaf, which the tree keeps: its number must fall in a month the
    database registered as archived, and as many must be missing as were
    archived. Its content is checked only in its file, one of ``archive_files``.
    """
    with store.read() as tx:
        repo = tx.audit
        checkpoints, problem = _checked_checkpoints(repo.checkpoints(), verifier_key)
        if against is not None and problem is None:
            try:
                saved = verify_checkpoint(against, verifier_key)
            except VerificationError as exc:
                problem = f"the saved checkpoint does not verify: {exc}"
            else:
                checkpoints.append(saved)
        walk = _Walk(tx, checkpoints)
        leaves = repo.leaves()
        for seq, recorded, leaf_bytes in leaves:
            if problem is not None:
                break
            if seq != walk.size + 1:
                problem = walk.archived_upto(seq - 1, f" (the next is {seq})")
                if problem is not None:
                    break
            leaf = leaf_hash(leaf_bytes)
            if leaf.hex() != recorded:
                problem = f"audit event {seq} does not match its leaf hash"
                break
            problem = walk.add(leaf)
        leaves.close()  # a stream left early is cancelled before the reads below
        if problem is None and repo.size() > walk.size:
            problem = walk.archived_upto(repo.size(), "")
        if problem is None:
            problem = walk.all_archived_accounted_for()
        size, root = walk.size, walk.frontier.root()
        signed = max((c.size for c in checkpoints), default=0)
        if problem is None and signed > size:
            problem = (
                f"the log has {size} events but a checkpoint of {signed} was signed: "
                f"{signed - size} cut off (truncated)"
            )
        if problem is None:
            problem = _stored_tree(repo, size, root)
        for path in archive_files:
            if problem is None:
                problem = check_file(tx, path, verifier_key).problem
    if problem is None and size > signed:
        return Verification(
            size,
            root,
            signed,
            f"{size - signed} events after the last signed checkpoint ({signed}) "
            "are not signed by the log key",
            unsigned_tail=True,
            archived=walk.archived,
        )
    return Verification(size, root, signed, problem, archived=walk.archived)


class _Walk:
    """The tree rebuilt leaf by leaf, each size checked against the checkpoints of that size."""

    def __init__(self, tx: Tx, checkpoints: Sequence[Checkpoint]) -> None:
        self._tx = tx
        self.frontier = Frontier()
        self._by_size: dict[int, list[Checkpoint]] = {}
        for checkpoint in checkpoints:
            self._by_size.setdefault(checkpoint.size, []).append(checkpoint)
        self._months = tx.audit_archives.registered()
        self.archived = 0
        """How many events were found archived (their leaves taken from the tree)."""

    @property
    def size(self) -> int:
        return self.frontier.size

    def add(self, leaf: bytes) -> str | None:
        self.frontier.append(leaf)
        checkpoints = self._by_size.get(self.frontier.size)
        # The root only where a checkpoint signed one: computing it costs a hash per level.
        return None if checkpoints is None else _against(checkpoints, self.frontier)

    def archived_upto(self, last: int, next_note: str) -> str | None:
        """Take the leaves of the events missing up to ``last`` from the tree, if archived."""
        while self.size < last:
            first = self.size + 1
            upto = min(last, first + _LEAF_BATCH - 1)
            leaves = self._tx.audit_archives.leaves(first, upto)
            for seq in range(first, upto + 1):
                if seq not in leaves:
                    return f"the stored Merkle tree lacks the leaf of archived event {seq}"
                if not any(m.first_seq <= seq <= m.last_seq for m in self._months):
                    return f"audit event {seq} is missing{next_note}"
                self.archived += 1
                problem = self.add(leaves[seq])
                if problem is not None:
                    return problem
        return None

    def all_archived_accounted_for(self) -> str | None:
        registered = sum(m.events for m in self._months)
        if registered != self.archived:
            return (
                f"{registered} events are registered as archived, but {self.archived} "
                "are missing from the database"
            )
        return None


_LEAF_BATCH = 5000


def _checked_checkpoints(
    stored: Sequence[tuple[int, str]], verifier_key: str
) -> tuple[list[Checkpoint], str | None]:
    checkpoints: list[Checkpoint] = []
    for size, note in stored:
        try:
            checkpoint = verify_checkpoint(note, verifier_key)
        except VerificationError as exc:
            return checkpoints, f"the stored checkpoint of {size} events does not verify: {exc}"
        if checkpoint.size != size:
            return checkpoints, f"the stored checkpoint of {size} events signs {checkpoint.size}"
        checkpoints.append(checkpoint)
    return checkpoints, None


def _against(checkpoints: Sequence[Checkpoint], frontier: Frontier) -> str | None:
    root = frontier.root()
    for checkpoint in checkpoints:
        if checkpoint.root != root:
            return (
                f"the first {frontier.size} events do not match the root signed in their "
                "checkpoint: events were changed, reordered or replaced"
            )
    return None


def _stored_tree(repo: AuditRepository, size: int, root: bytes) -> str | None:
    try:
        stored = tree.root(size, partial(AuditRepository.nodes, repo))
    except KeyError:
        return f"the stored Merkle tree lacks nodes of the {size} events"
    if stored != root:
        return "the stored Merkle tree does not match the events"
    return None
