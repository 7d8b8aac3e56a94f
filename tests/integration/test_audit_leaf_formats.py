"""Old leaves stay valid, new ones commit to citizens: one log holds both formats.

An event written before migration 0017 keeps its leaf (format 1, citizen ids
in clear), never rewritten; events since are format 2 (keyed commitments).
The log verifies across both; a format 1 leaf naming a citizen is never shown
to a caller, a format 2 one always may be, and tells nothing of whom it is about.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from audit_months import nurse_read

from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import LEAF_CLEAR_IDS, AuditEvent, Outcome
from luukku.domain.access import Actor
from luukku.service.audit.proofs import sign_checkpoint
from luukku.service.audit.reading import shown_to
from luukku.service.audit.verification import verify_log
from luukku.store.audit.partitions import Month
from luukku.store.uow import Store

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
