"""The portal's one bridge to the broker's RepresentationService and to ``luukku-acting-for``.

Issue 21's broker side and its SDK methods are being written alongside the portal: until
``Client`` has the representation calls and ``Client.acting_as(acting_for=...)``, this
module makes those calls on the SDK client's own channel with the SDK client's own
metadata (who is signed in, their token, a request id; hence its use of the client's
private parts), and turns refusals into the SDK's ``RPCError`` family. Its classes, calls
and values have the SDK's names (``list_representation_rights``, ``"sote-social-care"``),
so when the SDK has them this module goes and nothing else in the portal changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from luukku.client import Client
from luukku.client._calls.base import Metadata
from luukku.client._errors import from_rpc_error
from luukku.v1 import representation_pb2 as pb
from luukku.v1 import representation_pb2_grpc as pb_grpc

ACTING_FOR_HEADER = "luukku-acting-for"

KINDS = {
    pb.REPRESENTATION_KIND_GUARDIAN_OF_MINOR: "guardian_of_minor",
    pb.REPRESENTATION_KIND_ADULT_MANDATE: "adult_mandate",
    pb.REPRESENTATION_KIND_LEGAL_GUARDIAN: "legal_guardian",
}
SOURCES = {
    pb.REPRESENTATION_SOURCE_POPULATION_REGISTER: "population_register",
    pb.REPRESENTATION_SOURCE_PORTAL_MANDATE: "portal_mandate",
    pb.REPRESENTATION_SOURCE_CLERK_REGISTRATION: "clerk_registration",
}
STATES = {
    pb.REPRESENTATION_STATE_ACTIVE: "active",
    pb.REPRESENTATION_STATE_AWAITING_ACCEPTANCE: "awaiting_acceptance",
    pb.REPRESENTATION_STATE_NOT_YET_VALID: "not_yet_valid",
    pb.REPRESENTATION_STATE_ENDED: "ended",
    pb.REPRESENTATION_STATE_EXPIRED: "expired",
    pb.REPRESENTATION_STATE_BLOCKED: "blocked",
}
CODES = {
    pb.MANDATE_CODE_SOCIAL_CARE: "sote-social-care",
    pb.MANDATE_CODE_HEALTH_CARE: "sote-health-care",
    pb.MANDATE_CODE_CONSENTS: "sote-consents",
    pb.MANDATE_CODE_VIEW: "sote-view",
}
CODE_OF = {name: value for value, name in CODES.items()}


@dataclass(frozen=True)
class RepresentationRight:
    """A representation right as the portal shows it; enums as plain strings."""

    id: str
    kind: str
    representative_citizen_id: str
    representative_name: str
    represented_citizen_id: str
    represented_name: str
    represented_birth_date: date | None
    codes: tuple[str, ...]
    valid_from: datetime | None
    valid_until: datetime | None
    source: str
    state: str
    accept_time: datetime | None
    end_time: datetime | None

    @classmethod
    def from_pb(cls, m: pb.RepresentationRight) -> RepresentationRight:
        """The broker's message as a :class:`RepresentationRight`."""
        return cls(
            m.id,
            KINDS.get(m.kind, "unknown"),
            m.representative_citizen_id,
            m.representative_name,
            m.represented_citizen_id,
            m.represented_name,
            _date(m.represented_birth_date),
            tuple(CODES[c] for c in m.codes if c in CODES),
            _time(m, "valid_from"),
            _time(m, "valid_until"),
            SOURCES.get(m.source, "unknown"),
            STATES.get(m.state, "unknown"),
            _time(m, "accept_time"),
            _time(m, "end_time"),
        )


@dataclass(frozen=True)
class RepresentationRights:
    """The rights that concern the signed-in citizen."""

    held: list[RepresentationRight]
    """Those they hold over others (whom they may act for)."""
    over_me: list[RepresentationRight]
    """Those others hold over them."""


class RepresentationCalls:
    """RepresentationService as the signed-in citizen (a client without ``acting_for``)."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._stub = pb_grpc.RepresentationServiceStub(_channel(client))

    async def list_representation_rights(self) -> RepresentationRights:
        """Every right held by or over the citizen, ended ones too."""
        resp = await self._call(
            self._stub.ListRepresentationRights, pb.ListRepresentationRightsRequest()
        )
        return RepresentationRights(
            [RepresentationRight.from_pb(r) for r in resp.held],
            [RepresentationRight.from_pb(r) for r in resp.over_me],
        )

    async def give_mandate(
        self,
        representative_identity_code: str,
        *,
        codes: list[str],
        valid_until: datetime,
        request_id: str | None = None,
    ) -> RepresentationRight:
        """Give another adult a mandate (in force once they accept)."""
        request = pb.GiveMandateRequest(
            representative_identity_code=representative_identity_code,
            codes=[CODE_OF[c] for c in codes if c in CODE_OF],
            valid_until=_timestamp(valid_until),
            request_id=request_id or "",
        )
        return RepresentationRight.from_pb(
            (await self._call(self._stub.GiveMandate, request)).right
        )

    async def accept_mandate(self, right_id: str) -> RepresentationRight:
        """Accept a mandate given to the citizen."""
        request = pb.AcceptMandateRequest(right_id=right_id)
        return RepresentationRight.from_pb(
            (await self._call(self._stub.AcceptMandate, request)).right
        )

    async def end_representation_right(self, right_id: str) -> RepresentationRight:
        """End a mandate the citizen gave or holds, at once."""
        request = pb.EndRepresentationRightRequest(right_id=right_id)
        return RepresentationRight.from_pb(
            (await self._call(self._stub.EndRepresentationRight, request)).right
        )

    async def _call(self, method: Any, request: Any) -> Any:
        try:
            return await method(request, metadata=_metadata(self._client), timeout=10.0)
        except grpc.aio.AioRpcError as exc:
            raise from_rpc_error(exc) from None


def acting_for(client: Client, right_id: str) -> Client:
    """``client``'s calls, each carrying ``luukku-acting-for: right_id``: they act for the
    right's represented person, on the signed-in citizen's right."""
    return _ActingFor(client, right_id)


class _ActingFor(Client):
    """The SDK client of the signed-in citizen with the one header it does not send yet."""

    def __init__(self, base: Client, right_id: str) -> None:
        super().__init__(
            _channel(base),
            practitioner=base._practitioner,
            on_behalf_of=base._on_behalf_of,
            citizen_token=base._citizen_token,
            rpc_timeout=base._timeout,
        )
        self._right_id = right_id

    def _metadata(self, request_id: str | None = None) -> Metadata:
        return (*super()._metadata(request_id), (ACTING_FOR_HEADER, self._right_id))


def _channel(client: Client) -> grpc.aio.Channel:
    return client._channel


def _metadata(client: Client) -> Metadata:
    return client._metadata()


def _time(m: pb.RepresentationRight, name: str) -> datetime | None:
    if not m.HasField(name):
        return None
    stamp: Timestamp = getattr(m, name)
    return stamp.ToDatetime(tzinfo=UTC)


def _timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
