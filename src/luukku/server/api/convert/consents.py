"""Conversions between consents and their protobuf messages."""

from __future__ import annotations

from typing import Any

from luukku.domain.consents import Consent, ConsentState, Permission
from luukku.domain.errors import invalid_argument
from luukku.domain.pseudonyms import CitizenView
from luukku.server.api.convert.cases import category
from luukku.server.api.convert.common import timestamp
from luukku.v1 import consents_pb2


def permission_from(number: int) -> Permission:
    """A permission from its proto enum number."""
    names = {
        consents_pb2.CONSENT_PERMISSION_READ_RECORDS: Permission.READ,
        consents_pb2.CONSENT_PERMISSION_WRITE_RECORDS: Permission.WRITE,
        consents_pb2.CONSENT_PERMISSION_DISCUSS: Permission.DISCUSS,
    }
    if number not in names:
        raise invalid_argument("INVALID_PERMISSION", "permissions", "unknown permission")
    return names[number]  # type: ignore[index]


PERMISSIONS = {
    Permission.READ: consents_pb2.CONSENT_PERMISSION_READ_RECORDS,
    Permission.WRITE: consents_pb2.CONSENT_PERMISSION_WRITE_RECORDS,
    Permission.DISCUSS: consents_pb2.CONSENT_PERMISSION_DISCUSS,
}

_STATE = {
    ConsentState.PENDING: consents_pb2.CONSENT_STATE_PENDING,
    ConsentState.ACTIVE: consents_pb2.CONSENT_STATE_ACTIVE,
    ConsentState.REVOKED: consents_pb2.CONSENT_STATE_REVOKED,
    ConsentState.EXPIRED: consents_pb2.CONSENT_STATE_EXPIRED,
}


def state_from(number: int) -> ConsentState | None:
    """A consent state filter from its proto enum number (0: no filter)."""
    for state, value in _STATE.items():
        if value == number:
            return state
    if number:
        raise invalid_argument("INVALID_STATE", "state", "unknown consent state")
    return None


def consent(c: Consent, now: Any, seen: CitizenView) -> consents_pb2.Consent:
    """The protobuf form of a consent, with its state as of ``now``; its citizen as ``seen``."""
    msg = consents_pb2.Consent(
        id=c.id,
        citizen_id=seen(c.citizen_id),
        organization_id=c.org_id,
        permissions=sorted(PERMISSIONS[p] for p in c.permissions),
        purpose=c.purpose,
        valid_from=timestamp(c.valid_from),
        valid_until=timestamp(c.valid_until),
        state=_STATE[c.state_at(now)],
        revision=c.revision,
        create_time=timestamp(c.created_at),
    )
    if c.case_id is not None:
        msg.case_id = c.case_id
    elif c.category is not None:
        msg.category = category(c.category)
    if c.revoked_at is not None:
        msg.revoke_time.CopyFrom(timestamp(c.revoked_at))
    return msg
