"""Acting for another person: representation rights, the orders that bar them, and a
minor's decision capacity (``RepresentationService``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from luukku.client._calls.base import ClientBase, new_request_id
from luukku.client._enums import (
    MandateCode,
    MinorCapacity,
    RepresentationBlockerKind,
    RepresentationKind,
    RepresentationSource,
    RepresentationState,
    from_proto,
    parse,
    to_proto,
)
from luukku.client._models import _time
from luukku.v1 import representation_pb2 as pb


@dataclass(frozen=True)
class RepresentationRight:
    """One person's right to act for another, as of the answer.

    Citizen ids are the caller's pseudonyms; names are those the people
    signed in with (empty until they have signed in).
    """

    id: str
    kind: RepresentationKind
    representative_citizen_id: str
    representative_name: str
    represented_citizen_id: str
    represented_name: str
    represented_birth_date: date | None
    codes: frozenset[MandateCode]
    valid_from: datetime
    valid_until: datetime | None
    """None: no set end (a guardian's right still ends when the child comes of age)."""
    source: RepresentationSource
    state: RepresentationState
    accept_time: datetime | None
    end_time: datetime | None
    create_time: datetime | None

    @classmethod
    def from_pb(cls, m: pb.RepresentationRight) -> RepresentationRight:
        return cls(
            m.id,
            from_proto(RepresentationKind, pb.RepresentationKind, m.kind),
            m.representative_citizen_id,
            m.representative_name,
            m.represented_citizen_id,
            m.represented_name,
            date.fromisoformat(m.represented_birth_date) if m.represented_birth_date else None,
            frozenset(from_proto(MandateCode, pb.MandateCode, c) for c in m.codes),
            _time(m.valid_from),
            _time(m.valid_until) if m.HasField("valid_until") else None,
            from_proto(RepresentationSource, pb.RepresentationSource, m.source),
            from_proto(RepresentationState, pb.RepresentationState, m.state),
            _time(m.accept_time) if m.HasField("accept_time") else None,
            _time(m.end_time) if m.HasField("end_time") else None,
            _time(m.create_time) if m.HasField("create_time") else None,
        )


@dataclass(frozen=True)
class RepresentationRights:
    """The rights that concern the signed-in citizen, newest first, ended ones too."""

    held: tuple[RepresentationRight, ...]
    """Those the citizen holds over others ("acting for")."""
    over_me: tuple[RepresentationRight, ...]
    """Those others hold over the citizen."""


@dataclass(frozen=True)
class RepresentationBlocker:
    """A care order or a non-disclosure order on a person, in force until lifted."""

    id: str
    kind: RepresentationBlockerKind
    represented_citizen_id: str
    valid_from: datetime
    lift_time: datetime | None

    @classmethod
    def from_pb(cls, m: pb.RepresentationBlocker) -> RepresentationBlocker:
        return cls(
            m.id,
            from_proto(RepresentationBlockerKind, pb.RepresentationBlockerKind, m.kind),
            m.represented_citizen_id,
            _time(m.valid_from),
            _time(m.lift_time) if m.HasField("lift_time") else None,
        )


@dataclass(frozen=True)
class CapacityJudgement:
    """A minor's decision capacity for one case, as recorded (the latest one counts)."""

    case_id: str
    capacity: MinorCapacity
    decide_time: datetime

    @classmethod
    def from_pb(cls, m: pb.JudgeMinorCapacityResponse) -> CapacityJudgement:
        return cls(
            m.case_id,
            from_proto(MinorCapacity, pb.MinorCapacity, m.capacity),
            _time(m.decide_time),
        )


_PAGE = 500
"""Rights a page: the broker's most (a person's rights are a handful; a public guardian's
wards may be hundreds)."""


def _codes(codes: Iterable[MandateCode | str]) -> list[Any]:
    return [to_proto(parse(MandateCode, c, "codes"), pb.MandateCode) for c in codes]


class RepresentationCalls(ClientBase):
    """Representation rights: given and accepted in the portal, registered by clerks."""

    async def list_representation_rights(self) -> RepresentationRights:
        """The rights the signed-in citizen holds and those held over them, newest first,
        ended ones too (a portal acting for a citizen only): every page, one call each."""
        held: list[RepresentationRight] = []
        over_me: list[RepresentationRight] = []
        token = ""
        while True:
            request = pb.ListRepresentationRightsRequest(page_size=_PAGE, page_token=token)
            resp = await self._call(self._representation.ListRepresentationRights, request)
            held += (RepresentationRight.from_pb(r) for r in resp.held)
            over_me += (RepresentationRight.from_pb(r) for r in resp.over_me)
            token = resp.next_page_token
            if not token:
                return RepresentationRights(tuple(held), tuple(over_me))

    async def give_mandate(
        self,
        representative_identity_code: str,
        *,
        codes: Iterable[MandateCode | str],
        valid_until: datetime,
        valid_from: datetime | None = None,
        request_id: str | None = None,
    ) -> RepresentationRight:
        """The signed-in citizen, an adult, gives another adult a mandate (a portal only).

        In force once the representative accepts it (:meth:`accept_mandate`).
        ``valid_until`` is required and at most five years ahead; a retry with
        the same ``request_id`` returns the first mandate.
        """
        request = pb.GiveMandateRequest(
            representative_identity_code=representative_identity_code,
            codes=_codes(codes),
            request_id=request_id or new_request_id(),
        )
        request.valid_until.FromDatetime(valid_until)
        if valid_from is not None:
            request.valid_from.FromDatetime(valid_from)
        resp = await self._call(self._representation.GiveMandate, request)
        return RepresentationRight.from_pb(resp.right)

    async def accept_mandate(self, right_id: str) -> RepresentationRight:
        """The signed-in citizen accepts a mandate given to them; accepting twice changes
        nothing. To anyone else it is ``NotFoundError`` (``RIGHT_NOT_FOUND``)."""
        request = pb.AcceptMandateRequest(right_id=right_id)
        resp = await self._call(self._representation.AcceptMandate, request)
        return RepresentationRight.from_pb(resp.right)

    async def end_representation_right(
        self, right_id: str, *, reason: str = ""
    ) -> RepresentationRight:
        """End a right now: a portal mandate by either party; a clerk's registration by a
        clerk of a public organisation, with ``reason`` (1-500 characters)."""
        request = pb.EndRepresentationRightRequest(right_id=right_id, reason=reason)
        resp = await self._call(self._representation.EndRepresentationRight, request)
        return RepresentationRight.from_pb(resp.right)

    async def register_representation_right(
        self,
        kind: RepresentationKind | str,
        *,
        representative_identity_code: str,
        represented_identity_code: str,
        codes: Iterable[MandateCode | str],
        reason: str,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        request_id: str | None = None,
    ) -> RepresentationRight:
        """A clerk of a public organisation registers a right after seeing the papers.

        ``reason`` says what was seen (1-500 characters); ``valid_until`` is
        required for an adult's mandate. A retry with the same ``request_id``
        returns the first right.
        """
        request = pb.RegisterRepresentationRightRequest(
            kind=to_proto(parse(RepresentationKind, kind, "kind"), pb.RepresentationKind),
            representative_identity_code=representative_identity_code,
            represented_identity_code=represented_identity_code,
            codes=_codes(codes),
            reason=reason,
            request_id=request_id or new_request_id(),
        )
        if valid_from is not None:
            request.valid_from.FromDatetime(valid_from)
        if valid_until is not None:
            request.valid_until.FromDatetime(valid_until)
        resp = await self._call(self._representation.RegisterRepresentationRight, request)
        return RepresentationRight.from_pb(resp.right)

    async def record_representation_blocker(
        self,
        kind: RepresentationBlockerKind | str,
        represented_identity_code: str,
        *,
        reason: str,
        valid_from: datetime | None = None,
        request_id: str | None = None,
    ) -> RepresentationBlocker:
        """A clerk of a public organisation records a care order (on a child) or a
        non-disclosure order, with ``reason``. A retry with the same ``request_id``
        returns the first."""
        request = pb.RecordRepresentationBlockerRequest(
            kind=to_proto(
                parse(RepresentationBlockerKind, kind, "kind"), pb.RepresentationBlockerKind
            ),
            represented_identity_code=represented_identity_code,
            reason=reason,
            request_id=request_id or new_request_id(),
        )
        if valid_from is not None:
            request.valid_from.FromDatetime(valid_from)
        resp = await self._call(self._representation.RecordRepresentationBlocker, request)
        return RepresentationBlocker.from_pb(resp.blocker)

    async def lift_representation_blocker(
        self, blocker_id: str, *, reason: str
    ) -> RepresentationBlocker:
        """A clerk of a public organisation lifts an order; lifting it twice changes nothing."""
        request = pb.LiftRepresentationBlockerRequest(blocker_id=blocker_id, reason=reason)
        resp = await self._call(self._representation.LiftRepresentationBlocker, request)
        return RepresentationBlocker.from_pb(resp.blocker)

    async def judge_minor_capacity(
        self, case_id: str, capacity: MinorCapacity | str
    ) -> CapacityJudgement:
        """The case's owner organisation records the decision capacity of the case's
        citizen, a minor, for this case. A child under 12 cannot be judged capable
        (``InvalidArgumentError``, ``TOO_YOUNG``)."""
        request = pb.JudgeMinorCapacityRequest(
            case_id=case_id,
            capacity=to_proto(parse(MinorCapacity, capacity, "capacity"), pb.MinorCapacity),
        )
        return CapacityJudgement.from_pb(
            await self._call(self._representation.JudgeMinorCapacity, request)
        )
