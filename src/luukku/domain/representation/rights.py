"""Representation rights: who may act for whom, in what, from when until when, and why.

A right joins a *representative* and the *represented* person, both by their
opaque citizen ids (never identity codes). Its scope is a set of mandate
codes, modelled on Suomi.fi e-Authorizations' codes for social-care and
health-care matters; each code allows some actions on some service categories
(docs/representation.md lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from luukku.domain.cases import ServiceCategory
from luukku.domain.errors import invalid_argument

# Ages and birthdays are counted in Finnish civil time, as the law counts them.
FINNISH_TIME = ZoneInfo("Europe/Helsinki")
AGE_OF_MAJORITY = 18


class Kind(StrEnum):
    """Why the representative may act at all."""

    GUARDIAN_OF_MINOR = "guardian_of_minor"  # huoltaja, from the population register
    ADULT_MANDATE = "adult_mandate"  # valtuutus, given by an adult to another adult
    LEGAL_GUARDIAN = "legal_guardian"  # edunvalvoja of an adult, appointed by a court or authority


class Source(StrEnum):
    """Where the right came from (kept for the audit trail and for who may end it)."""

    POPULATION_REGISTER = "population_register"
    PORTAL_MANDATE = "portal_mandate"  # given in the portal; in force only once accepted
    CLERK_REGISTRATION = "clerk_registration"  # after seeing the papers, with a reason


class Action(StrEnum):
    """What a representative may ask to do for the represented person."""

    READ = "read"  # read cases and records
    DISCUSS = "discuss"  # take part in a case's discussions
    MANAGE_CONSENTS = "manage_consents"  # grant and revoke consents
    ASK_DESK = "ask_desk"  # ask a service desk


SOCIAL_CARE = frozenset(
    {ServiceCategory.HOME_CARE, ServiceCategory.SOCIAL_WORK, ServiceCategory.HOUSING}
)
HEALTH_CARE = frozenset({ServiceCategory.HEALTH, ServiceCategory.REHABILITATION})
ALL_CATEGORIES = frozenset(ServiceCategory)


class MandateCode(StrEnum):
    """A unit of scope; a right holds one or more.

    Modelled on Suomi.fi e-Authorizations, where an adult authorises another
    for "social-care matters" or "health-care matters" separately, and where
    looking is a narrower mandate than acting.
    """

    SOCIAL_CARE = "sote-social-care"  # sosiaalihuollon asiointi
    HEALTH_CARE = "sote-health-care"  # terveydenhuollon asiointi
    CONSENTS = "sote-consents"  # suostumusten antaminen ja peruminen
    VIEW = "sote-view"  # tietojen katselu

    @property
    def actions(self) -> frozenset[Action]:
        """The actions this code allows."""
        return _ACTIONS[self]

    @property
    def categories(self) -> frozenset[ServiceCategory]:
        """The service categories whose cases this code reaches."""
        return _CATEGORIES[self]


_ACTIONS: dict[MandateCode, frozenset[Action]] = {
    MandateCode.SOCIAL_CARE: frozenset({Action.READ, Action.DISCUSS, Action.ASK_DESK}),
    MandateCode.HEALTH_CARE: frozenset({Action.READ, Action.DISCUSS, Action.ASK_DESK}),
    MandateCode.CONSENTS: frozenset({Action.MANAGE_CONSENTS}),
    MandateCode.VIEW: frozenset({Action.READ}),
}
_CATEGORIES: dict[MandateCode, frozenset[ServiceCategory]] = {
    MandateCode.SOCIAL_CARE: SOCIAL_CARE,
    MandateCode.HEALTH_CARE: HEALTH_CARE,
    MandateCode.CONSENTS: ALL_CATEGORIES,
    MandateCode.VIEW: ALL_CATEGORIES,
}

# A guardian of a minor has the whole custody: every code.
FULL_SCOPE = frozenset(MandateCode)


def allows(codes: frozenset[MandateCode], action: Action, category: ServiceCategory | None) -> bool:
    """Whether some code allows ``action`` on a case of ``category`` (None: not about a case)."""
    return any(
        action in code.actions and (category is None or category in code.categories)
        for code in codes
    )


def coming_of_age(birth_date: date) -> datetime:
    """The moment a person born on ``birth_date`` turns 18 (midnight, Finnish time).

    One born on 29 February comes of age on 28 February of a common year: a
    period in months or years ends on the month's last day when the month has
    no such day (laki säädettyjen määräaikain laskemisesta 150/1930, 3 §).
    """
    year = birth_date.year + AGE_OF_MAJORITY
    try:
        day = birth_date.replace(year=year)
    except ValueError:
        day = date(year, 2, 28)
    return datetime.combine(day, time(0), FINNISH_TIME)


@dataclass(frozen=True)
class Right:
    """One representation right as recorded.

    Attributes:
        id: Opaque id.
        kind: Why the representative may act.
        representative_id: The citizen id of the one who acts.
        represented_id: The citizen id of the one acted for.
        codes: The scope: at least one mandate code.
        valid_from: In force from this moment.
        valid_until: In force until just before this moment; None for no set end
            (a guardian's right still ends when the child comes of age).
        source: Where it came from.
        accepted_at: When the representative accepted a portal mandate (other
            sources need no acceptance).
        ended_at: When someone ended it early (either party, a clerk, the register).
        represented_birth_date: The represented person's birth date (from the
            identity code); required for a guardian of a minor.
        reason: A clerk's reason for a registration ("" otherwise).
    """

    id: str
    kind: Kind
    representative_id: str
    represented_id: str
    codes: frozenset[MandateCode]
    valid_from: datetime
    valid_until: datetime | None
    source: Source
    accepted_at: datetime | None = None
    ended_at: datetime | None = None
    represented_birth_date: date | None = None
    reason: str = ""
    created_at: datetime | None = None

    @property
    def ends(self) -> datetime | None:
        """The end of its validity: ``valid_until``, or the child's coming of age if sooner."""
        if self.kind is not Kind.GUARDIAN_OF_MINOR or self.represented_birth_date is None:
            return self.valid_until
        of_age = coming_of_age(self.represented_birth_date)
        return of_age if self.valid_until is None else min(self.valid_until, of_age)


# The register records custody only; the portal records mandates only; a clerk
# registers any kind (a court's order of legal guardianship, a custody decision).
_SOURCES: dict[Source, Kind | None] = {
    Source.POPULATION_REGISTER: Kind.GUARDIAN_OF_MINOR,
    Source.PORTAL_MANDATE: Kind.ADULT_MANDATE,
    Source.CLERK_REGISTRATION: None,
}


def validate_right(right: Right) -> Right:
    """Check a right before it is stored; raises ``INVALID_ARGUMENT`` naming the field."""
    if right.representative_id == right.represented_id:
        raise invalid_argument("SELF_REPRESENTATION", "representative", "not oneself")
    if not right.codes:
        raise invalid_argument("EMPTY_SCOPE", "codes", "at least one mandate code is needed")
    if right.valid_until is not None and right.valid_until <= right.valid_from:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "must be after valid_from")
    if right.kind is Kind.GUARDIAN_OF_MINOR and right.represented_birth_date is None:
        raise invalid_argument("BIRTH_DATE_REQUIRED", "represented", "the child's birth date")
    if right.kind is Kind.ADULT_MANDATE and right.valid_until is None:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "a mandate needs an end date")
    if _SOURCES[right.source] is not None and right.kind is not _SOURCES[right.source]:
        raise invalid_argument("KIND_NOT_FROM_SOURCE", "kind", "this source gives no such right")
    if right.source is Source.CLERK_REGISTRATION and not right.reason.strip():
        raise invalid_argument("REASON_REQUIRED", "reason", "a clerk's registration needs a reason")
    return right
