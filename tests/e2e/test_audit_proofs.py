"""Proofs from a running broker, checked only with the SDK's verifier and the RFC's own hashing."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from luukku.client import (
    FailedPreconditionError,
    InvalidArgumentError,
    PermissionDeniedError,
    leaf_hash,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths

SIZES = [*range(1, 301), 511, 512, 513, 1023, 1024, 1025]


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.1, written out recursively as the RFC does."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:])).digest()


@pytest.mark.slow
async def test_proofs_for_every_tree_size_to_300_and_around_powers_of_two_verify(
    register_org, connect, pki: PkiPaths
):
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    for _ in range(max(SIZES) // 50 + 1):  # each listing is an audit event
        await asyncio.gather(*(social.audit_events_page(page_size=1) for _ in range(50)))
    events = sorted(
        [e async for e in social.list_audit_events(page_size=500)], key=lambda e: e.sequence
    )
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert all(e.leaf_index == e.sequence - 1 for e in events)
    leaves = [leaf_hash(e.leaf_bytes) for e in events]
    assert [leaf.hex() for leaf in leaves] == [e.leaf_hash for e in events]

    for size in SIZES:
        root = _mth(leaves[:size])
        for seq in sorted({1, size // 2 + 1, size}):
            proof = await social.get_inclusion_proof(seq, tree_size=size)
            assert (proof.leaf_index, proof.tree_size) == (seq - 1, size)
            verify_inclusion(leaf_hash(proof.leaf_bytes), seq - 1, size, proof.hashes, root)
        for old in sorted({1, size // 2 + 1, size}):
            consistency = await social.get_consistency_proof(old, new_size=size)
            verify_consistency(old, size, _mth(leaves[:old]), root, consistency.hashes)

    await asyncio.sleep(1.5)  # the broker signs at least every second
    checkpoint = verify_checkpoint(
        await social.get_checkpoint(), pki.log_verifier_key.read_text().strip()
    )
    now = sorted(
        [e async for e in social.list_audit_events(page_size=500)], key=lambda e: e.sequence
    )
    assert checkpoint.size <= len(now)
    assert checkpoint.root == _mth([leaf_hash(e.leaf_bytes) for e in now][: checkpoint.size])


async def test_an_organisation_gets_no_proof_of_another_organisations_event(register_org, connect):
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    company = await connect(register_org("hoiva-oy", OrgKind.PRIVATE))
    await social.audit_events_page(page_size=1)

    with pytest.raises(PermissionDeniedError) as refused:
        await company.get_inclusion_proof(1, tree_size=1)
    assert refused.value.reason == "NOT_OWN_EVENT"
    with pytest.raises(PermissionDeniedError):
        await company.get_inclusion_proof(10_000, tree_size=1)  # missing: refused alike


async def test_a_tree_size_beyond_the_log_is_refused_and_an_event_newer_than_the_tree_too(
    register_org, connect
):
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    for _ in range(3):
        await social.audit_events_page(page_size=1)  # events 1-3, and 4 for the first proof
    assert (await social.get_inclusion_proof(2, tree_size=3)).tree_size == 3

    beyond = 1_000
    refusals = [
        (social.get_inclusion_proof(1, tree_size=beyond), "tree_size"),
        (social.get_inclusion_proof(3, tree_size=beyond), "tree_size"),
        (social.get_consistency_proof(1, new_size=beyond), "new_size"),
        (social.get_consistency_proof(beyond + 1, new_size=beyond), "new_size"),
        (social.get_consistency_proof(5, new_size=4), "old_size"),
        (social.get_inclusion_proof(1, tree_size=2**63 - 1), "tree_size"),
        (social.get_consistency_proof(2**62, new_size=2**63 - 1), "new_size"),
    ]
    for call, field in refusals:
        with pytest.raises(InvalidArgumentError) as refused:
            await call
        assert refused.value.reason == "INVALID_TREE_SIZE"
        assert [v.field for v in refused.value.field_violations] == [field]

    with pytest.raises(FailedPreconditionError) as newer:
        await social.get_inclusion_proof(3, tree_size=2)
    assert newer.value.reason == "NO_CHECKPOINT"
