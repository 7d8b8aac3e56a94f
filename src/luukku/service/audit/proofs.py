"""The audit log as a transparency log: signed checkpoints, inclusion and consistency proofs.

Each call is audited through the guard like any other access (and so grows
the tree it answers about). Checkpoints and consistency proofs concern no
one's data and are public to every authenticated caller; an inclusion proof
shows an event, so only whoever may list that event gets one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from luukku.audit import tree
from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent
from luukku.domain.access import Actor, Reason
from luukku.domain.acting import UNDISCLOSED_REASONS
from luukku.domain.caller import Caller
from luukku.domain.errors import failed_precondition, invalid_argument
from luukku.service.access.guard import Access, guard
from luukku.service.audit.reading import shown_to, withheld_cases
from luukku.store.audit.log import AuditRepository
from luukku.store.uow import Store

CHECKPOINTS = "audit-checkpoints"


@dataclass(frozen=True)
class InclusionProof:
    """That the event numbered ``seq`` is leaf ``seq - 1`` of the tree of ``tree_size`` leaves."""

    seq: int
    tree_size: int
    leaf_hash: bytes
    leaf_bytes: bytes
    """Empty when fields of the event are hidden from the caller."""
    hashes: list[bytes]


def _latest(repo: AuditRepository) -> tuple[int, str]:
    checkpoints = repo.checkpoints_latest()
    if checkpoints is None:
        raise failed_precondition("NO_CHECKPOINT", "no checkpoint of the audit log is signed yet")
    return checkpoints


def get_checkpoint(store: Store, caller: Caller) -> str:
    """The latest signed checkpoint, as the exact note text."""
    with guard(store, caller, action="audit.checkpoint", resource=CHECKPOINTS) as access:
        access.allow(Reason.AUTHENTICATED)
        return _latest(access.tx.audit)[1]


def _tree_size(access: Access, requested: int, field: str) -> int:
    """The size asked for, or the latest checkpoint's when 0 (a size the log has).

    A size asked for is checked against the log only by ``_proof``, in the
    statement that reads the proof (or by ``_within_log``).
    """
    if requested < 0:
        raise invalid_argument("INVALID_TREE_SIZE", field, "must not be negative")
    if requested == 0:
        return _latest(access.tx.audit)[0]
    return requested


def _within_log(access: Access, size: int, field: str) -> None:
    """INVALID_ARGUMENT if the log has fewer than ``size`` leaves."""
    if size > access.tx.audit.size():
        raise invalid_argument("INVALID_TREE_SIZE", field, "is larger than the audit log")


def _proof(
    access: Access, size: int, field: str, proof: Callable[[tree.Fetch], list[bytes]]
) -> list[bytes]:
    """``proof`` made from the stored nodes of the tree of ``size`` leaves, read in one
    statement together with leaf ``size - 1``: that the log has that leaf is what says
    it has ``size`` leaves (leaves are stored in order), so no statement of its own
    asks the log's size. A size beyond the log is INVALID_ARGUMENT; a node missing
    from a log that long, a broken tree (``KeyError``).
    """
    audit = access.tx.audit
    last_leaf = (0, size - 1)

    def fetch(wanted: Iterable[tree.Node]) -> Mapping[tree.Node, bytes]:
        return audit.nodes({*wanted, last_leaf})

    try:
        return proof(fetch)
    except KeyError:
        _within_log(access, size, field)
        raise


def get_inclusion_proof(store: Store, caller: Caller, seq: int, tree_size: int) -> InclusionProof:
    """The proof that event ``seq`` is in the tree of ``tree_size`` leaves (0: the latest
    checkpoint's). Permission before existence: an event one may not list and a
    missing one are refused alike.
    """
    if seq < 1:
        raise invalid_argument("INVALID_SEQUENCE", "sequence", "must be 1 or more")
    with guard(store, caller, action="audit.prove", resource=f"audit-events/{seq}") as access:
        stored = access.tx.audit.get(seq)
        actor = access.actor
        if stored is not None and actor.citizen_id is None:
            # Whose data the event is about: an attempt on it is that citizen's to see.
            access.subject = stored.event.subject_citizen_id
        if stored is None or not _listable(actor, stored.event) or _withheld(access, stored.event):
            access.deny(Reason.NOT_OWN_EVENT)
        access.allow(Reason.SELF if actor.citizen_id else Reason.OWN_ACCESSES)
        size = _tree_size(access, tree_size, "tree_size")
        if seq > size:
            _within_log(access, size, "tree_size")
            raise failed_precondition(
                "NO_CHECKPOINT", f"event {seq} is not in the tree of {size} events yet"
            )
        hashes = _proof(access, size, "tree_size", partial(tree.inclusion, seq - 1, size))
        shown = shown_to(stored, actor)
        return InclusionProof(
            seq, size, bytes.fromhex(stored.leaf_hash), shown.leaf_bytes(), hashes
        )


def _listable(actor: Actor, event: AuditEvent) -> bool:
    """Whether ``actor`` may list ``event`` (the rule of ListAuditEvents)."""
    if actor.citizen_id is None:
        return event.org_id == actor.org_id
    return actor.citizen_id in (event.subject_citizen_id, event.acting_for_citizen_id)


def _withheld(access: Access, event: AuditEvent) -> bool:
    """Whether the event is one a representative reading the log may not list
    (``reading.withheld``): a refusal they are not told of, or about a case the
    minor forbids them."""
    actor = access.actor
    if actor.representative_id is None:
        return False
    if event.reason in UNDISCLOSED_REASONS:
        return True
    kind, _, rest = event.resource.partition("/")
    resource_id = rest.partition("/")[0]
    case_id: str | None = resource_id if kind == "cases" else None
    if kind == "threads":
        thread = access.tx.threads.get(resource_id)
        case_id = thread.case_id if thread is not None else None
    withheld = withheld_cases(access.tx, actor)
    return case_id is not None and case_id in withheld


def get_consistency_proof(
    store: Store, caller: Caller, old_size: int, new_size: int
) -> tuple[int, list[bytes]]:
    """(new size, proof) that the tree of ``old_size`` leaves is a prefix of that of
    ``new_size`` (0: the latest checkpoint's).
    """
    with guard(store, caller, action="audit.consistency", resource=CHECKPOINTS) as access:
        access.allow(Reason.AUTHENTICATED)
        size = _tree_size(access, new_size, "new_size")
        if not 0 < old_size <= size:
            _within_log(access, size, "new_size")
            raise invalid_argument(
                "INVALID_TREE_SIZE", "old_size", f"must be between 1 and the new size {size}"
            )
        return size, _proof(access, size, "new_size", partial(tree.consistency, old_size, size))


def sign_checkpoint(store: Store, signer: LogSigner, now: datetime) -> int | None:
    """Sign and store a checkpoint of the tree as it is now, if it grew; the size signed."""
    with store.transaction() as tx:
        size = tx.audit.size()
        latest = tx.audit.checkpoints_latest()
        if size == 0 or (latest is not None and latest[0] >= size):
            return None
        root = tree.root(size, partial(AuditRepository.nodes, tx.audit))
        tx.audit.add_checkpoint(size, root, signer.checkpoint(size, root), now)
        return size
