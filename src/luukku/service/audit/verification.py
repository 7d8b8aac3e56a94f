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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from luukku.audit import tree
from luukku.audit.merkle import Frontier, leaf_hash
from luukku.store.audit.log import AuditRepository
from luukku.store.uow import Store
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


def verify_log(store: Store, verifier_key: str, against: str | None = None) -> Verification:
    """Check the log against its checkpoints (and ``against``, a note kept elsewhere)."""
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
        frontier = Frontier()
        by_size: dict[int, list[Checkpoint]] = {}
        for checkpoint in checkpoints:
            by_size.setdefault(checkpoint.size, []).append(checkpoint)
        for stored in repo.scan():
            if problem is not None:
                break
            expected = frontier.size + 1
            if stored.seq != expected:
                problem = f"audit event {expected} is missing (the next is {stored.seq})"
                break
            leaf = leaf_hash(stored.leaf)
            if leaf.hex() != stored.leaf_hash:
                problem = f"audit event {stored.seq} does not match its leaf hash"
                break
            frontier.append(leaf)
            if frontier.size in by_size:  # the root only where a checkpoint signed one
                problem = _against(by_size[frontier.size], frontier)
        size, root = frontier.size, frontier.root()
        signed = max((c.size for c in checkpoints), default=0)
        if problem is None and signed > size:
            problem = (
                f"the log has {size} events but a checkpoint of {signed} was signed: "
                f"{signed - size} cut off (truncated)"
            )
        if problem is None:
            problem = _stored_tree(repo, size, root)
    if problem is None and size > signed:
        return Verification(
            size,
            root,
            signed,
            f"{size - signed} events after the last signed checkpoint ({signed}) "
            "are not signed by the log key",
            unsigned_tail=True,
        )
    return Verification(size, root, signed, problem)


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
