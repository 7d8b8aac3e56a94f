"""Reading the audit log (itself audited) and verifying that nobody rewrote it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from luukku.audit.merkle import EMPTY_ROOT, root_from_leaf_hashes
from luukku.domain.access import SELF, Decision
from luukku.domain.caller import Caller
from luukku.domain.errors import invalid_argument
from luukku.service.access_control import actor_of, record
from luukku.service.ids import now_utc
from luukku.service.paging import decode_token, encode_token, page_size
from luukku.store.audit import StoredEvent
from luukku.store.uow import Store


def list_audit_events(
    store: Store, caller: Caller, requested_size: int, page_token: str
) -> tuple[Sequence[StoredEvent], str]:
    """Newest first: accesses to the citizen's data, or the organisation's own accesses.

    The listing is audited before it is read, so it shows up in its own result.
    """
    size = page_size(requested_size)
    before = decode_token("audit", page_token)
    if before is not None and not isinstance(before, int):
        raise invalid_argument("INVALID_PAGE_TOKEN", "page_token", "malformed page token")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        record(
            tx,
            caller,
            actor,
            Decision(True, SELF if actor.citizen_id else "OWN_ACCESSES"),
            action="audit.list",
            resource="audit-events",
            subject=actor.citizen_id,
            now=now,
        )
        if actor.citizen_id is not None:
            events = tx.audit.list_for_citizen(actor.citizen_id, before, size + 1)
        else:
            events = tx.audit.list_for_org(actor.org_id, before, size + 1)
    page = [_redacted(e, actor.citizen_id) for e in events[:size]]
    return page, encode_token("audit", page[-1].seq) if len(events) > size else ""


def _redacted(stored: StoredEvent, viewer: str | None) -> StoredEvent:
    """Hide from a citizen which other citizen (if any) tried to reach their data.

    The leaf hash still covers the original event; only the view is redacted.
    """
    acting_for = stored.event.acting_for_citizen_id
    if viewer is None or acting_for in (None, viewer):
        return stored
    hidden = replace(stored.event, acting_for_citizen_id=REDACTED)
    return StoredEvent(stored.seq, hidden, stored.leaf_hash)


REDACTED = "redacted"


@dataclass(frozen=True)
class Verification:
    """The result of recomputing every leaf hash of the log."""

    events: int
    root: bytes
    first_bad_seq: int | None


def verify_log(store: Store) -> Verification:
    """Recompute each event's leaf hash from its stored fields; find the first mismatch.

    Also returns the RFC 9162 root of the whole log, to compare with a root
    published earlier: a deleted or reordered event changes it.
    """
    hashes: list[bytes] = []
    first_bad: int | None = None
    with store.read() as tx:
        for stored in tx.audit.scan():
            leaf = stored.event.leaf_hash()
            if first_bad is None and leaf.hex() != stored.leaf_hash:
                first_bad = stored.seq
            hashes.append(leaf)
    root = root_from_leaf_hashes(hashes) if hashes else EMPTY_ROOT
    return Verification(len(hashes), root, first_bad)
