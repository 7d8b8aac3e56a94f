"""Shared service desks: member organisations, topics and the on-duty rota.

A desk is run jointly by several member organisations. Its rota says which
member answers first at which times, in Helsinki time: a weekly pattern, and
dated exceptions (holidays, a changed shift) that replace the whole day's
pattern. Membership gives no access to anybody's case data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from luukku.domain.errors import invalid_argument
from luukku.domain.organizations import validate_org_id
from luukku.domain.text import one_line

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_NAME = 200
MAX_TOPIC_NAME = 100
LANGUAGES = ("fi", "sv", "en")
_TOPIC = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
_SHIFT = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)\Z")


@dataclass(frozen=True)
class Shift:
    """Minutes ``start``..``end`` (end exclusive, at most 24:00) of a day, and who is on duty.

    ``org_id`` None: nobody is on duty (a closed day), so every member is offered at once.
    """

    start: int
    end: int
    org_id: str | None

    def covers(self, minute: int) -> bool:
        """Whether the shift runs at ``minute`` past midnight."""
        return self.start <= minute < self.end

    def text(self) -> str:
        """``08:00-16:00 org`` as in the rota file."""
        if self.org_id is None:
            return "closed"
        s, e = self.start, self.end
        return f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d} {self.org_id}"


@dataclass(frozen=True)
class Duty:
    """One dated shift: ``org_id`` is on duty from ``start`` until ``end`` (exclusive)."""

    org_id: str
    start: datetime
    end: datetime


def _wall(day: date, minute: int) -> datetime:
    """``minute`` minutes past the start of ``day``, as Helsinki clocks show it (24:00 is
    the next day's midnight)."""
    return datetime.combine(day + timedelta(days=minute // (24 * 60)), time(), HELSINKI).replace(
        hour=minute % (24 * 60) // 60, minute=minute % 60
    )


@dataclass(frozen=True)
class Rota:
    """A weekly pattern (shifts per weekday, Monday = 0) and dated exceptions."""

    weekly: tuple[tuple[int, Shift], ...] = ()
    dated: tuple[tuple[date, Shift], ...] = ()

    def on_duty(self, at: datetime) -> str | None:
        """The member on duty at ``at`` (None: nobody, every member is offered)."""
        local = at.astimezone(HELSINKI)
        minute = local.hour * 60 + local.minute
        shifts = [s for d, s in self.dated if d == local.date()]
        if not shifts:
            shifts = [s for day, s in self.weekly if day == local.weekday()]
        return next((s.org_id for s in shifts if s.covers(minute)), None)

    def upcoming(self, at: datetime, *, days: int = 7, most: int = 8) -> tuple[Duty, ...]:
        """The shifts in progress at ``at`` and after it, in time order: at most ``most``,
        starting within ``days`` days (closed days and hours name nobody, so none of theirs).
        """
        today = at.astimezone(HELSINKI).date()
        found: list[Duty] = []
        for offset in range(days + 1):
            day = today + timedelta(days=offset)
            shifts = [s for d, s in self.dated if d == day]
            if not shifts:
                shifts = [s for weekday, s in self.weekly if weekday == day.weekday()]
            for shift in shifts:
                if shift.org_id is None:
                    continue
                duty = Duty(shift.org_id, _wall(day, shift.start), _wall(day, shift.end))
                if duty.end > at:
                    found.append(duty)
        return tuple(sorted(found, key=lambda d: (d.start, d.org_id))[:most])

    def members(self) -> frozenset[str]:
        """Every organisation the rota names."""
        return frozenset(s.org_id for _, s in (*self.weekly, *self.dated) if s.org_id)

    def text(self) -> str:
        """The rota in its file format (see :func:`parse_rota`)."""
        lines = [f"{WEEKDAYS[d]} {s.text()}" for d, s in self.weekly]
        lines += [f"{d.isoformat()} {s.text()}" for d, s in self.dated]
        return "".join(f"{line}\n" for line in lines)


@dataclass(frozen=True)
class Topic:
    """A topic of a desk: its slug, and its names in Finnish, Swedish and English.

    A topic the operator has not named yet has empty names.
    """

    id: str
    name_fi: str = ""
    name_sv: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Desk:
    """A shared service desk."""

    id: str
    name: str
    topics: tuple[Topic, ...]
    overflow: timedelta
    """How long an inquiry is offered to the member on duty only."""
    reopen_within: timedelta
    """How long after closing the citizen may reopen an inquiry."""
    rota: Rota
    members: frozenset[str]
    created_at: datetime

    def has_topic(self, topic_id: str) -> bool:
        """Whether ``topic_id`` is one of the desk's topics."""
        return any(t.id == topic_id for t in self.topics)


def validate_desk_name(name: str) -> str:
    """A stripped name of 1-200 characters on one line."""
    name = one_line(name, "name").strip()
    if not name or len(name) > MAX_NAME:
        raise invalid_argument("INVALID_DESK_NAME", "name", f"1-{MAX_NAME} characters")
    return name


def validate_topics(topics: list[str]) -> tuple[Topic, ...]:
    """One or more distinct topic slugs (``farm-subsidies``), not named yet."""
    if not topics or any(not _TOPIC.match(t) for t in topics) or len(set(topics)) < len(topics):
        raise invalid_argument(
            "INVALID_TOPIC", "topics", "one or more distinct slugs of a-z, 0-9 and '-'"
        )
    return tuple(Topic(t) for t in topics)


def named_topic(topic_id: str, *, fi: str, sv: str, en: str) -> Topic:
    """A topic with its names in all three languages, each 1-100 characters on one line."""
    validate_topics([topic_id])
    names = {}
    for language, name in zip(LANGUAGES, (fi, sv, en), strict=True):
        name = one_line(name, f"name_{language}").strip()
        if not name or len(name) > MAX_TOPIC_NAME:
            raise invalid_argument(
                "INVALID_TOPIC_NAME", f"name_{language}", f"1-{MAX_TOPIC_NAME} characters"
            )
        names[language] = name
    return Topic(topic_id, names["fi"], names["sv"], names["en"])


def _shift(words: list[str], where: str) -> Shift:
    if words == ["closed"]:
        return Shift(0, 24 * 60, None)
    match = _SHIFT.match(words[0]) if len(words) == 2 else None
    if match is None:
        raise invalid_argument("INVALID_ROTA", where, "expected HH:MM-HH:MM ORG or 'closed'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or not 0 <= start < end <= 24 * 60:
        raise invalid_argument("INVALID_ROTA", where, "a shift runs from 00:00 to 24:00 at most")
    return Shift(start, end, validate_org_id(words[1], where))


def parse_rota(text: str) -> Rota:
    """Read a rota file: one shift a line, ``#`` starts a comment.

    ``mon 08:00-16:00 kuopio`` is a weekly shift (mon..sun);
    ``2026-12-24 10:00-14:00 siilinjarvi`` or ``2026-12-24 closed`` is a dated
    exception, which replaces that day's weekly shifts. Times are Helsinki time.
    """
    weekly: list[tuple[int, Shift]] = []
    dated: list[tuple[date, Shift]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        where = f"rota line {number}"
        day, rest = words[0].lower(), words[1:]
        if day in WEEKDAYS:
            weekly.append((WEEKDAYS.index(day), _shift(rest, where)))
            continue
        try:
            on = date.fromisoformat(day)
        except ValueError:
            raise invalid_argument(
                "INVALID_ROTA", where, "starts with mon..sun or a date YYYY-MM-DD"
            ) from None
        dated.append((on, _shift(rest, where)))
    return Rota(tuple(weekly), tuple(dated))
