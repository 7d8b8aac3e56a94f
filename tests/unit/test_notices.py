"""Notifications between replicas: ids only, far below NOTIFY's limit, read back as sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from luukku.domain.caller import Practitioner
from luukku.domain.events import (
    AuditRecorded,
    CallersChanged,
    ConsentGranted,
    ConsentRevoked,
    MessagePosted,
    ReadMarked,
    RepresentationChanged,
)
from luukku.domain.threads import Message
from luukku.store import notices

SECRET_BODY = "Henkilötunnus 131052-308T ja diagnoosi"


def _message(seq: int) -> Message:
    return Message(
        conversation_id="t" * 32,
        seq=seq,
        author_org_id="hoiva-oy",
        author=Practitioner("n-7", "Niko Näsi", "nurse"),
        author_citizen_id=None,
        body=SECRET_BODY,
        corrects_seq=None,
        created_at=datetime.now(UTC),
    )


def test_a_notification_carries_ids_and_never_a_body_or_a_name_nor_audit_events():
    events = [
        MessagePosted(_message(7)),
        ConsentRevoked(citizen_id="c" * 32, consent_id="k" * 32),
        ConsentGranted(citizen_id="c" * 32, consent_id="k" * 32),
        RepresentationChanged(represented_id="p" * 32),
        AuditRecorded(org_id="hoiva-oy", subject_citizen_id="c" * 32, acting_for_citizen_id=None),
        CallersChanged(),
    ]
    (payload,) = notices.payloads("replica-1", notices.entries(events))

    assert SECRET_BODY not in payload
    assert "Niko" not in payload
    assert notices.parse(payload) == (
        "replica-1",
        [
            ("m", "t" * 32, "7"),
            ("r", "c" * 32),
            ("p", "p" * 32),
            ("c",),
        ],
    )


def test_many_events_are_split_into_notifications_far_below_the_limit():
    entries = notices.entries(MessagePosted(_message(seq)) for seq in range(1, 2001))
    payloads = list(notices.payloads("replica-1", entries))

    assert len(payloads) > 1
    assert all(len(p.encode()) <= notices.MAX_PAYLOAD_BYTES < 8000 for p in payloads)
    heard = [entry for p in payloads for entry in notices.parse(p)[1]]
    assert heard == entries


def test_the_same_news_twice_in_a_batch_is_sent_once():
    entries = notices.entries([CallersChanged(), CallersChanged()])
    (payload,) = notices.payloads("cli", entries)
    assert notices.parse(payload) == ("cli", [("c",)])


@pytest.mark.parametrize("payload", ["", "[]", '{"e": 1}', '{"e": [1]}', "not json"])
def test_a_malformed_notification_is_refused(payload):
    with pytest.raises(ValueError, match=r".+"):
        notices.parse(payload)


def test_a_read_mark_travels_as_ids_its_sequence_and_its_time_and_comes_back_whole():
    at = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    by_org = ReadMarked("t" * 32, "hoiva-oy", None, 4, at)
    by_citizen = ReadMarked("t" * 32, "omaportaali", "c" * 32, 2, at)

    (payload,) = notices.payloads("replica-1", notices.entries([by_org, by_citizen]))

    _, heard = notices.parse(payload)
    assert heard == [
        ("s", "t" * 32, "hoiva-oy", None, "4", at.isoformat()),
        ("s", "t" * 32, "omaportaali", "c" * 32, "2", at.isoformat()),
    ]
    assert datetime.fromisoformat(str(heard[0][5])) == at
