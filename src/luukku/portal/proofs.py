"""Proving the access log to the citizen: each row checked against the signed audit log.

The portal does what any citizen's own software could: it fetches the broker's
latest checkpoint, checks its Ed25519 signature with the log's published
verifier key, checks that it extends the checkpoint seen before (a
consistency proof, so the log cannot be rewritten behind the portal's back),
and proves each event shown to be a leaf of that tree (an inclusion proof),
after checking that the leaf says what the row says. Proven events stay
proven (events never change), so each is proven once per portal process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from enum import StrEnum

from luukku.client import (
    AuditEvent,
    Checkpoint,
    Client,
    RPCError,
    VerificationError,
    leaf_hash,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)

log = logging.getLogger("luukku.portal")

CHECKPOINT_TTL_S = 1.0  # the broker signs a new one at least every second while the log grows
REMEMBERED = 100_000  # proven events kept in memory
PROOFS_AT_ONCE = 10
PENDING_PER_STREAM = 200  # rows a stream goes on proving; older ones wait for a reload


class Proof(StrEnum):
    """What the portal could say about one row of the access log."""

    PROVEN = "proven"  # in the signed log, checked here
    PENDING = "pending"  # newer than the latest signed checkpoint
    FAILED = "failed"  # the broker's proof did not hold: say so, never hide it
    UNCHECKED = "unchecked"  # no verifier key configured, or the broker did not answer


class LogProofs:
    """The latest verified checkpoint and the events proven against it."""

    def __init__(self, verifier_key: str | None) -> None:
        self.verifier_key = verifier_key
        self.checkpoint: Checkpoint | None = None
        self.broken = ""  # why the log stopped being trusted (a failed signature or consistency)
        self._fetched = -CHECKPOINT_TTL_S
        self._lock = asyncio.Lock()
        self._proven: OrderedDict[int, int] = OrderedDict()  # sequence -> proven in tree size

    async def latest(self, client: Client) -> Checkpoint | None:
        """The newest checkpoint that verified and extends the one before, else None."""
        if self.verifier_key is None or self.broken:
            return None
        async with self._lock:
            if time.monotonic() - self._fetched < CHECKPOINT_TTL_S:
                return self.checkpoint
            try:
                fresh = verify_checkpoint(await client.get_checkpoint(), self.verifier_key)
                await self._check_extends(client, fresh)
            except RPCError:
                return self.checkpoint  # the broker is away: keep what was verified
            except VerificationError as exc:
                self.broken = str(exc)
                log.error("audit log checkpoint refused", extra={"fields": {"why": str(exc)}})
                return None
            self.checkpoint, self._fetched = fresh, time.monotonic()
            return fresh

    async def _check_extends(self, client: Client, fresh: Checkpoint) -> None:
        known = self.checkpoint
        if known is None or known.size == 0 or (known.size, known.root) == (fresh.size, fresh.root):
            return  # nothing to compare with (an empty tree proves nothing), or no change
        if fresh.size < known.size:
            raise VerificationError(f"the log shrank from {known.size} to {fresh.size} events")
        proof = await client.get_consistency_proof(known.size, new_size=fresh.size)
        verify_consistency(known.size, fresh.size, known.root, fresh.root, proof.hashes)

    async def prove(self, client: Client, events: list[AuditEvent]) -> dict[int, Proof]:
        """A proof state for each event (by sequence number)."""
        checkpoint = await self.latest(client)
        if checkpoint is None:
            return {e.sequence: Proof.FAILED if self.broken else Proof.UNCHECKED for e in events}
        limit = asyncio.Semaphore(PROOFS_AT_ONCE)

        async def one(event: AuditEvent) -> Proof:
            if event.sequence in self._proven:
                return Proof.PROVEN
            if event.leaf_index >= checkpoint.size:
                return Proof.PENDING
            async with limit:
                return await self._prove(client, event, checkpoint)

        states = await asyncio.gather(*(one(e) for e in events))
        return {e.sequence: state for e, state in zip(events, states, strict=True)}

    async def _prove(self, client: Client, event: AuditEvent, checkpoint: Checkpoint) -> Proof:
        try:
            proof = await client.get_inclusion_proof(event.sequence, tree_size=checkpoint.size)
        except RPCError:
            return Proof.UNCHECKED
        hashed = _leaf_of(event)
        try:
            if hashed is None or proof.leaf_hash != hashed:
                raise VerificationError("the leaf does not say what the row says")
            verify_inclusion(
                hashed, event.leaf_index, checkpoint.size, proof.hashes, checkpoint.root
            )
        except VerificationError as exc:
            log.error(
                "audit event not proven",
                extra={"fields": {"sequence": event.sequence, "why": str(exc)}},
            )
            return Proof.FAILED
        self._proven[event.sequence] = checkpoint.size
        while len(self._proven) > REMEMBERED:
            self._proven.popitem(last=False)
        return Proof.PROVEN


class PendingRows:
    """The rows one live stream shows as not yet signed (those it sent, and those the page
    it serves was rendered with), proven once a checkpoint covers them.

    Each round asks the shared :class:`LogProofs` once: its checkpoint is fetched
    at most once a second for the whole portal, and rows past the checkpoint
    cost nothing. At most ``limit`` rows wait; past that the oldest are
    forgotten and stay "not yet signed" until the citizen reloads.
    """

    def __init__(self, proofs: LogProofs, limit: int = PENDING_PER_STREAM) -> None:
        self._proofs = proofs
        self._limit = limit
        self._waiting: dict[int, AuditEvent] = {}  # by sequence, oldest first

    def add(self, event: AuditEvent) -> Proof:
        """Follow a row just sent; returns what its row says now."""
        if self._proofs.verifier_key is None:
            return Proof.UNCHECKED  # nothing will ever prove it: say so at once
        self._waiting[event.sequence] = event
        while len(self._waiting) > self._limit:
            del self._waiting[next(iter(self._waiting))]
        return Proof.PENDING

    async def settled(self, client: Client) -> list[tuple[AuditEvent, Proof]]:
        """The rows now proven or failed, no longer followed. A row the broker could not
        prove this time (it did not answer) is tried again next round.
        """
        if not self._waiting:
            return []
        states = await self._proofs.prove(client, list(self._waiting.values()))
        done = [
            (event, states[sequence])
            for sequence, event in self._waiting.items()
            if states[sequence] in (Proof.PROVEN, Proof.FAILED)
        ]
        for event, _ in done:
            del self._waiting[event.sequence]
        return done


def _leaf_of(event: AuditEvent) -> bytes | None:
    """The leaf hash of the row as shown, or None when its leaf says something else.

    Where the broker hides fields of the event from this citizen the leaf bytes
    are empty; then only the recorded hash can be proven, which still proves the
    event was logged, unchanged, at that place.
    """
    if not event.leaf_bytes:
        return bytes.fromhex(event.leaf_hash)
    if leaf_hash(event.leaf_bytes).hex() != event.leaf_hash:
        return None
    try:
        leaf = json.loads(event.leaf_bytes)
    except ValueError:
        return None
    shown = {
        "seq": event.sequence,
        "org_id": event.organization_id,
        "action": event.action,
        "outcome": str(event.outcome),
        "reason": event.reason,
    }
    if any(leaf.get(key) != value for key, value in shown.items()):
        return None
    practitioner = leaf.get("practitioner")
    if not isinstance(practitioner, list) or practitioner[:1] != [event.practitioner.id]:
        return None
    return bytes.fromhex(event.leaf_hash)
