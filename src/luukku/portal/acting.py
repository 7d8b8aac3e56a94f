"""Whom the signed-in citizen acts for: kept in the server-side session, never in a cookie.

A citizen who holds a representation right (a parent, a mandatary, a legal guardian) may
choose to act for the person it is over; every broker call the portal then makes for them
carries the right's id (``representation.acting_for``), and the broker decides on that
person's data and the citizen's right. The rights they hold are asked at most once a
minute per session, for the navigation's "Acting for" link.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date

from starlette.requests import Request

from luukku.client import Client, RepresentationRight, RepresentationState, RPCError
from luukku.web import i18n
from luukku.web.sessions import Session, session_of

HELD_TTL_S = 60.0
_CHOICE = "acting_for"
_HELD = "rights_held"


@dataclass(frozen=True)
class Choice:
    """The right the citizen acts on, and what the pages say of the person it is over."""

    right_id: str
    name: str
    birth_date: str  # YYYY-MM-DD, or empty
    kind: str

    @classmethod
    def of(cls, right: RepresentationRight) -> Choice:
        """The choice of acting on ``right``."""
        birth = right.represented_birth_date.isoformat() if right.represented_birth_date else ""
        return cls(right.id, right.represented_name, birth, right.kind.value)

    @property
    def label(self) -> str:
        """The person by name, or by birth date until they have signed in themselves."""
        return person_label(self.name, self.birth_date)


def person_label(name: str, birth_date: str) -> str:
    """A person as the pages name them: their name, else "the person born 3.5.1941"."""
    if name:
        return name
    try:
        born = date.fromisoformat(birth_date)
    except ValueError:
        return i18n.gettext_("a person without a name on record")
    return i18n.gettext_("the person born %(day)s") % {
        "day": f"{born.day}.{born.month}.{born.year}"
    }


def current(session: Session) -> Choice | None:
    """Whom the session acts for; None: the signed-in citizen themselves."""
    chosen = session.data.get(_CHOICE)
    return Choice(**chosen) if chosen else None


def choose(request: Request, right: RepresentationRight | None) -> None:
    """Act on ``right`` from the next call on; None: for oneself."""
    data = session_of(request).data
    if right is None:
        data.pop(_CHOICE, None)
    else:
        data[_CHOICE] = asdict(Choice.of(right))
    # What the navigation counted was the other person's.
    data.pop("unread", None)


async def rights_held(request: Request, own: Client) -> list[RepresentationRight]:
    """The rights in force that the citizen holds (whom they may act for), kept a minute;
    none while the broker cannot say."""
    data = session_of(request).data
    cached = data.get(_HELD)
    if cached is not None and time.monotonic() - cached[0] < HELD_TTL_S:
        return list(cached[1])
    try:
        rights = await own.list_representation_rights()
    except RPCError:
        return []
    held = [r for r in rights.held if r.state is RepresentationState.ACTIVE]
    data[_HELD] = (time.monotonic(), held)
    return held


def forget_rights(request: Request) -> None:
    """Ask the broker again on the next page (after a right was given, accepted or ended)."""
    session_of(request).data.pop(_HELD, None)
