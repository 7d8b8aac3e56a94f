"""The audit leaf's canonical form: what ``json.dumps`` of its fields writes, byte for byte.

``leaf_of`` writes the leaf key by key (``luukku audit verify`` makes every leaf
of the log); a leaf written before it was made with a dictionary and the JSON
encoder, and must hash the same forever. Each case here is held to that
encoding, written out as it was.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from luukku.audit.events import LEAF_CLEAR_IDS, LEAF_COMMITTED_IDS, AuditEvent, Outcome, leaf_of
from luukku.domain.pseudonyms import CitizenKeys

KEYS = CitizenKeys(b"k" * 32)
AWKWARD = [
    "",
    'a "quoted" name',
    "back\\slash",
    "tab\tnew\nline\rreturn\x00nul\x1fus\x7fdel",
    "Äijälä Öljymäki Åström",
    "emoji \U0001f600 and \u2028 line separator \u2029 and \ufeff",
    "</script>&<>'",
    "\\N",
]


def _reference(event: AuditEvent, seq: int, keys: CitizenKeys | None) -> bytes:
    """The leaf as a dictionary encoded by ``json`` (the form before ``leaf_of``)."""
    utc = event.time.astimezone(UTC)
    fields: dict[str, object] = {
        "seq": seq,
        "event_id": event.event_id,
        "time": utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "org_id": event.org_id,
        "fingerprint": event.fingerprint,
        "practitioner": [event.practitioner_id, event.practitioner_name, event.practitioner_role],
        "acting_for_citizen_id": event.acting_for_citizen_id,
        "action": event.action,
        "resource": event.resource,
        "subject_citizen_id": event.subject_citizen_id,
        "outcome": event.outcome.value,
        "reason": event.reason,
        "consent_id": event.consent_id,
        "request_id": event.request_id,
    }
    if event.citizen_token_hash is not None:
        fields["citizen_token_hash"] = event.citizen_token_hash
    if event.leaf_version == LEAF_COMMITTED_IDS:
        assert keys is not None
        del fields["acting_for_citizen_id"], fields["subject_citizen_id"]
        fields["v"] = LEAF_COMMITTED_IDS
        fields["acting_for_citizen"] = keys.commitment(
            "acting_for", event.event_id, event.acting_for_citizen_id
        )
        fields["subject_citizen"] = keys.commitment(
            "subject", event.event_id, event.subject_citizen_id
        )
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def _event(rng: random.Random, version: int) -> AuditEvent:
    def text() -> str:
        return rng.choice(AWKWARD) + rng.choice(["", "x", "cases/" + "d" * 32])

    def maybe() -> str | None:
        return None if rng.random() < 0.4 else text()

    return AuditEvent(
        event_id=rng.randbytes(16).hex(),
        time=datetime(2026, 12, 6, tzinfo=UTC)
        + timedelta(microseconds=rng.randrange(10**12) * rng.choice([0, 1, 1000])),
        org_id=text(),
        fingerprint=text(),
        practitioner_id=text(),
        practitioner_name=text(),
        practitioner_role=text(),
        acting_for_citizen_id=maybe(),
        action=text(),
        resource=text(),
        subject_citizen_id=maybe(),
        outcome=rng.choice(list(Outcome)),
        reason=text(),
        consent_id=maybe(),
        request_id=text(),
        citizen_token_hash=maybe(),
        leaf_version=version,
    )


@pytest.mark.parametrize("version", [LEAF_CLEAR_IDS, LEAF_COMMITTED_IDS])
def test_every_leaf_is_the_json_encoding_of_its_fields(version: int) -> None:
    rng = random.Random(version)
    for seq in range(1, 2001):
        event = _event(rng, version)
        assert event.leaf_bytes(seq, KEYS) == _reference(event, seq, KEYS)


def test_a_time_in_any_zone_or_year_is_written_as_utc_with_microseconds() -> None:
    event = _event(random.Random(0), LEAF_COMMITTED_IDS)
    helsinki = timezone(timedelta(hours=2))
    for time in (
        datetime(2026, 12, 7, 1, 0, tzinfo=helsinki),
        datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(999, 3, 4, 5, 6, 7, 8, tzinfo=UTC),
        datetime(5, 1, 1, tzinfo=UTC),
    ):
        moved = replace(event, time=time)
        assert moved.leaf_bytes(7, KEYS) == _reference(moved, 7, KEYS)


def test_a_leaf_of_an_unknown_format_or_format_2_without_keys_is_refused() -> None:
    event = _event(random.Random(1), LEAF_COMMITTED_IDS)
    with pytest.raises(ValueError, match="keys"):
        event.leaf_bytes(1)
    with pytest.raises(ValueError, match="unknown audit leaf format 3"):
        leaf_of(1, replace(event, leaf_version=3).leaf_fields(), KEYS)
