"""Old leaves stay valid, new ones commit to citizens: one log holds both formats.

An event written before migration 0017 keeps its leaf (format 1, citizen ids
in clear), never rewritten; events since are format 2 (keyed commitments).
The log verifies across both; a format 1 leaf naming a citizen is never shown
to a caller, a format 2 one always may be, and tells nothing of whom it is about.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from audit_months import nurse_read
from sqlalchemy import text

from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import LEAF_CLEAR_IDS, AuditEvent, Outcome
from luukku.domain.access import Actor
from luukku.service.audit.proofs import sign_checkpoint
from luukku.service.audit.reading import shown_to
from luukku.service.audit.verification import verify_log
from luukku.store.audit.partitions import Month
from luukku.store.uow import Store, Tx

CITIZEN_ID = "c" * 32


def _event(subject: str | None, outcome: Outcome = Outcome.ALLOWED) -> AuditEvent:
    return replace(
        nurse_read(Month(2026, 12), 6, subject),
        time=datetime(2026, 12, 6, tzinfo=UTC),
        outcome=outcome,
        reason="CONSENT" if outcome is Outcome.ALLOWED else "CONSENT_REQUIRED",
        request_id="r-1",
    )


def test_a_log_of_old_and_new_leaves_verifies(store: Store):
    signer = LogSigner.generate()
    with store.transaction() as tx:
        tx.audit.append(replace(_event(CITIZEN_ID), leaf_version=LEAF_CLEAR_IDS))
        tx.audit.append(_event(CITIZEN_ID))
    sign_checkpoint(store, signer, datetime.now(UTC))

    verification = verify_log(store, signer.verifier_key())

    assert verification.problem is None
    with store.read() as tx:
        old, new = list(tx.audit.scan())
    assert json.loads(old.leaf)["subject_citizen_id"] == CITIZEN_ID
    assert CITIZEN_ID.encode() not in new.leaf


def test_a_citizen_id_changed_in_a_new_events_row_is_caught_by_its_leaf(store: Store):
    with store.transaction() as tx:
        tx.audit.append(_event(CITIZEN_ID))
    with store.read() as tx:
        (stored,) = list(tx.audit.scan())
    moved = replace(stored.event, subject_citizen_id="e" * 32)

    assert moved.leaf_bytes(1, store.citizen_keys) != stored.leaf


def test_commitments_link_no_two_events_and_hide_whether_a_citizen_is_named(store: Store):
    with store.transaction() as tx:
        for subject in (CITIZEN_ID, CITIZEN_ID, None):
            tx.audit.append(_event(subject))
    with store.read() as tx:
        leaves = [json.loads(s.leaf) for s in tx.audit.scan()]

    subjects = [leaf["subject_citizen"] for leaf in leaves]
    assert len(set(subjects)) == 3
    assert all(len(s) == 64 for s in subjects)


def test_an_old_leaf_naming_a_citizen_is_shown_to_no_caller_a_new_one_to_its_viewers(
    store: Store,
):
    with store.transaction() as tx:
        tx.audit.append(replace(_event(CITIZEN_ID), leaf_version=LEAF_CLEAR_IDS))
        tx.audit.append(replace(_event(None), leaf_version=LEAF_CLEAR_IDS))
        tx.audit.append(_event(CITIZEN_ID))
    with store.read() as tx:
        old_named, old_no_one, new = list(tx.audit.scan())
    org, citizen = Actor("hoiva-oy"), Actor("omaportaali", CITIZEN_ID)

    assert shown_to(old_named, org).leaf_bytes() == b""
    assert shown_to(old_named, citizen).leaf_bytes() == b""
    assert shown_to(old_no_one, org).leaf_bytes() == old_no_one.leaf
    assert shown_to(new, org).leaf_bytes() == new.leaf
    assert shown_to(new, citizen).leaf_bytes() == new.leaf
    assert shown_to(new, org).leaf_hash == new.leaf_hash


def test_an_organisations_own_refusals_name_no_citizen_whatever_they_reached(store: Store):
    with store.transaction() as tx:
        tx.audit.append(_event(CITIZEN_ID, Outcome.DENIED))
        tx.audit.append(_event(None, Outcome.DENIED))
    with store.read() as tx:
        reached, missed = [shown_to(s, Actor("hoiva-oy")) for s in tx.audit.scan()]

    assert reached.event.subject_citizen_id is None
    assert missed.event.subject_citizen_id is None
    assert len(reached.leaf_bytes()) == len(missed.leaf_bytes()) > 0
    assert sorted(json.loads(reached.leaf_bytes())) == sorted(json.loads(missed.leaf_bytes()))


AWKWARD = ["Tab\there", "new\nline", "back\\slash \\N", "\\N", "\x01\x7f\u2028", "Äö 'q' \"dq\""]


def _awkward_log(store: Store) -> LogSigner:
    """Events whose every text field holds what COPY escapes or a NULL could be
    mistaken for, in both leaf formats, signed."""
    signer = LogSigner.generate()
    with store.transaction() as tx:
        for n, name in enumerate(AWKWARD):
            event = replace(
                _event(CITIZEN_ID if n % 2 else None),
                practitioner_name=name,
                practitioner_id=name[::-1],
                resource=f"cases/{name}",
                consent_id=name if n % 3 == 0 else None,
                citizen_token_hash=name if n % 2 == 0 else None,
            )
            tx.audit.append(event if n < 4 else replace(event, leaf_version=LEAF_CLEAR_IDS))
    sign_checkpoint(store, signer, datetime.now(UTC))
    return signer


def _tampered(tx: Tx, statement: str) -> None:
    """Run ``statement`` past the log's append-only triggers, as an attacker who can."""
    if tx.connection.dialect.name == "postgresql":
        tx.connection.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        tx.connection.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
    tx.connection.execute(text(statement))


def test_events_holding_what_copy_escapes_verify_as_they_were_written(store: Store):
    signer = _awkward_log(store)

    verification = verify_log(store, signer.verifier_key())

    assert (verification.problem, verification.events) == (None, len(AWKWARD))


@pytest.mark.parametrize(
    "change",
    [
        lambda seq: f"UPDATE audit_events SET consent_id = '\\N' WHERE seq = {seq}",
        lambda seq: f"UPDATE audit_events SET practitioner_name = 'back\\slash' WHERE seq = {seq}",
        lambda seq: f"UPDATE audit_events SET citizen_token_hash = NULL WHERE seq = {seq}",
    ],
    ids=["a NULL made text \\N", "a backslash less", "a value made NULL"],
)
def test_one_changed_character_or_null_in_an_awkward_event_is_caught(
    store: Store, change: Callable[[int], str]
):
    signer = _awkward_log(store)
    with store.transaction() as tx:
        _tampered(tx, change(3))

    verification = verify_log(store, signer.verifier_key())

    assert verification.problem == "audit event 3 does not match its leaf hash"
