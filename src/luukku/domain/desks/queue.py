"""A desk's queue as its members watch it: the log of what happened, and where a watch stands.

Each change to a desk's queue is an entry numbered 1, 2, 3… per desk. Who
hears of an entry is decided when it is written, when it is known to whom
the inquiry was offered: the member on duty alone hears of a new inquiry
until it overflows, then every member does. The overflow itself writes
nothing (it is only time passing): a watch announces it when the time comes,
and its cursor remembers up to when it has announced overflows, so that a
resumed watch announces the ones it missed and no other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from luukku.domain.desks.inquiries import Inquiry, StepKind
from luukku.domain.errors import LuukkuError, invalid_argument


class QueueEntryKind(StrEnum):
    """What a queue watch tells of an inquiry."""

    OPEN = "open"
    """An open inquiry as it stood when the watch began without a cursor."""
    ASKED = StepKind.ASKED.value
    CLAIMED = StepKind.CLAIMED.value
    HANDED_OVER = StepKind.HANDED_OVER.value
    CLOSED = StepKind.CLOSED.value
    REOPENED = StepKind.REOPENED.value
    OVERFLOWED = "overflowed"
    """Nobody claimed it within the desk's overflow time: every member is offered it now."""
    CITIZEN_WROTE = "citizen_wrote"
    """The citizen wrote after a clerk's answer: the desk's turn again."""
    ANSWERED = "answered"
    """A clerk answered what the citizen wrote."""


@dataclass(frozen=True)
class QueueEntry:
    """One change to a desk's queue (``seq`` 0: an entry a watch made up, never logged)."""

    desk_id: str
    seq: int
    inquiry_id: str
    kind: QueueEntryKind
    org_id: str
    """Who acted (the portal, for a citizen; empty for an overflow or an opening view)."""
    visible_to_org_id: str | None
    """The member it concerns besides the actor; None: every member."""
    at: datetime

    def concerns(self, org_id: str) -> bool:
        """Whether the member ``org_id`` hears of this entry."""
        return self.visible_to_org_id in (None, org_id) or self.org_id == org_id


def audience(inquiry: Inquiry, now: datetime) -> str | None:
    """Whom a queued inquiry is offered to at ``now``: one member, or None for every member."""
    if inquiry.offered_to_org_id is None or now >= inquiry.overflow_at:
        return None
    return inquiry.offered_to_org_id


@dataclass(frozen=True)
class QueueCursor:
    """Where a queue watch stands: the last log entry it considered, and up to when it
    has announced overflows. Sent to the watcher as an opaque text."""

    seq: int
    overflows_until: datetime

    _TEXT = re.compile(r"q1\.([0-9]{1,18})\.([0-9]{1,17})\Z")
    _EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

    def text(self) -> str:
        """The cursor as the watcher keeps it."""
        micros = (self.overflows_until - self._EPOCH) // timedelta(microseconds=1)
        return f"q1.{self.seq}.{micros}"

    @classmethod
    def parse(cls, text: str, field: str) -> QueueCursor:
        """A cursor from ``text``; anything but a cursor a queue watch sent is refused."""
        match = cls._TEXT.match(text)
        if match is None:
            raise _bad_cursor(field)
        try:
            until = cls._EPOCH + timedelta(microseconds=int(match[2]))
        except OverflowError:
            raise _bad_cursor(field) from None
        return cls(int(match[1]), until)


def _bad_cursor(field: str) -> LuukkuError:
    return invalid_argument("INVALID_CURSOR", field, "not a cursor a queue watch sent")
