"""The live access stream's pending rows: bounded, settled once proven or failed, else kept.

The rows a page names as pending are taken only from a well-formed list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from starlette.requests import Request

from luukku.client import AuditEvent, Client, Outcome, Practitioner
from luukku.portal.pages import live
from luukku.portal.proofs import LogProofs, PendingRows, Proof

NO_CLIENT = cast(Client, None)  # the stand-in log below never calls the broker


class _Log(LogProofs):
    """A signed log whose proof states the test sets, and which records what it was asked."""

    def __init__(self, verifier_key: str | None = "key") -> None:
        super().__init__(verifier_key)
        self.states: dict[int, Proof] = {}
        self.asked: list[list[int]] = []

    async def prove(self, client: Client, events: list[AuditEvent]) -> dict[int, Proof]:
        self.asked.append([e.sequence for e in events])
        return {e.sequence: self.states.get(e.sequence, Proof.PENDING) for e in events}


def _event(sequence: int) -> AuditEvent:
    return AuditEvent(
        sequence=sequence,
        id=f"e{sequence}",
        time=datetime.now(UTC),
        organization_id="hoiva",
        certificate_fingerprint="",
        practitioner=Practitioner("n-2"),
        acting_for_citizen_id="",
        action="read_records",
        resource="cases/c1",
        subject_citizen_id="",
        outcome=Outcome.ALLOWED,
        reason="consent",
        consent_id="",
        request_id="",
        leaf_hash="",
        leaf_bytes=b"",
        leaf_index=sequence - 1,
    )


async def test_rows_leave_once_proven_or_failed_and_the_rest_are_asked_again() -> None:
    log = _Log()
    pending = PendingRows(log)
    assert [pending.add(_event(n)) for n in (1, 2, 3, 4)] == [Proof.PENDING] * 4
    log.states = {1: Proof.PROVEN, 2: Proof.FAILED, 3: Proof.UNCHECKED}
    settled = await pending.settled(NO_CLIENT)
    assert [(e.sequence, state) for e, state in settled] == [(1, Proof.PROVEN), (2, Proof.FAILED)]
    assert await pending.settled(NO_CLIENT) == []
    assert log.asked == [[1, 2, 3, 4], [3, 4]]  # one question a round, for all rows at once


async def test_past_the_limit_the_oldest_rows_wait_for_a_reload() -> None:
    log = _Log()
    pending = PendingRows(log, limit=3)
    for n in range(1, 6):
        pending.add(_event(n))
    await pending.settled(NO_CLIENT)
    assert log.asked == [[3, 4, 5]]


async def test_without_a_verifier_key_a_row_is_unchecked_and_never_asked_about() -> None:
    log = _Log(verifier_key=None)
    pending = PendingRows(log)
    assert pending.add(_event(1)) == Proof.UNCHECKED
    assert await pending.settled(NO_CLIENT) == []
    assert log.asked == []


def _pending_of(query: str) -> frozenset[int]:
    return live._pending(Request({"type": "http", "query_string": query.encode()}))


def test_the_pages_pending_rows_are_at_most_200_sequence_numbers_else_none() -> None:
    assert _pending_of("pending=12,13,12") == {12, 13}
    assert _pending_of("pending=" + ",".join(map(str, range(1, 201)))) == set(range(1, 201))
    for bogus in (
        "",
        "pending=",
        "pending=abc",
        "pending=12x,13",
        "pending=0",
        "pending=-1",
        "pending=012",
        "pending=12,,13",
        "pending=%D9%A1",  # an Arabic-Indic one: a digit to str.isdigit, not here
        "pending=" + "9" * 19,
        "pending=" + ",".join(map(str, range(1, 202))),
    ):
        assert _pending_of(bogus) == frozenset(), bogus
