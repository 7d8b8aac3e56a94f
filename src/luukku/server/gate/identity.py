"""Establishing the caller of every call: certificate, organisation, practitioner, request id."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

import grpc
from google.protobuf.message import Message as ProtoMessage

from luukku.domain.caller import Caller, Practitioner
from luukku.domain.errors import ErrorCode, LuukkuError, permission_denied, unauthenticated
from luukku.domain.organizations import OrgKind
from luukku.pki.certs import fingerprint, is_client_cert
from luukku.server.blocking import StoreRunner
from luukku.server.gate.citizen_token import (
    CitizenTokens,
    ProvenCitizen,
    TokenRefusal,
    bearer,
    refused,
    token_hash,
)
from luukku.service.audit.refused_calls import RefusedCall
from luukku.service.directory import CallerCache, authenticate, holder_of
from luukku.store.callers.check import CallerCheck
from luukku.store.uow import Store
from luukku.verify.identity_code import IdentityCode, InvalidIdentityCode

REQUEST_ID = "x-request-id"
PRACTITIONER_ID = "luukku-practitioner-id"
PRACTITIONER_NAME = "luukku-practitioner-name"
PRACTITIONER_ROLE = "luukku-practitioner-role"
ON_BEHALF_OF = "luukku-on-behalf-of"
ACTING_FOR = "luukku-acting-for"
AUTHORIZATION = "authorization"

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}\Z")
_RIGHT_ID = re.compile(r"^[0-9a-f]{32}\Z")
# Control characters (C0, DEL, C1) and the bidi overrides that would make a
# name display as something else in the audit log.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MAX_FIELD = 200

Metadata = Sequence[tuple[str, str | bytes]]


def _bad_metadata(key: str, description: str) -> LuukkuError:
    return LuukkuError(
        ErrorCode.INVALID_ARGUMENT,
        "INVALID_METADATA",
        f"metadata {key}: {description}",
        metadata={"key": key},
    )


def _text(metadata: dict[str, str | bytes], key: str) -> str:
    value = metadata.get(key, "")
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _bad_metadata(key, "not UTF-8") from exc
    if len(value) > _MAX_FIELD or _UNPRINTABLE.search(value):
        raise _bad_metadata(key, f"at most {_MAX_FIELD} printable characters on one line")
    return value


def _free_text(metadata: dict[str, str | bytes], key: str) -> str:
    """A practitioner field, from ``KEY-bin`` (UTF-8: names with ä and ö) or plain ``KEY``."""
    return _text(metadata, f"{key}-bin") or _text(metadata, key)


def peer_fingerprint(context: grpc.aio.ServicerContext[object, object]) -> str:
    """SHA-256 fingerprint of the client certificate of this call."""
    certs = list(context.auth_context().get("x509_pem_cert") or ())
    if not certs:
        raise unauthenticated("CERTIFICATE_MISSING", "no client certificate")
    return fingerprint(certs[0])


def require_client_cert(context: grpc.aio.ServicerContext[object, object]) -> None:
    """Refuse a CA certificate, or one not for client authentication, whatever the directory says.

    TLS accepts the hub CA's own certificate as a client certificate; a
    directory that once registered one must not let it in.
    """
    certs = list(context.auth_context().get("x509_pem_cert") or ())
    if certs and not is_client_cert(certs[0]):
        raise unauthenticated(
            "CERTIFICATE_NOT_CLIENT", "a CA certificate, or one not for client authentication"
        )


def request_id_of(metadata: Metadata) -> str:
    """The caller's request id if it sent a well-formed one, else a fresh one."""
    for key, value in metadata:
        if key == REQUEST_ID and isinstance(value, str) and _REQUEST_ID.match(value):
            return value
    return uuid.uuid4().hex


async def resolve_caller(
    context: grpc.aio.ServicerContext[object, object],
    metadata: Metadata,
    request_id: str,
    store: Store,
    runner: StoreRunner,
    citizen_tokens: CitizenTokens | None = None,
    callers: CallerCache | None = None,
) -> tuple[Caller, CallerCheck | None]:
    """Authenticate the call and read who acts in it from the metadata.

    A portal acting for a citizen must prove the citizen with the identity
    provider's token (``citizen_tokens``; none: no call may act for a citizen).
    With ``callers`` (PostgreSQL) the organisation may come from the cache,
    with the check the call must then pass (see ``CallerCache``).
    """
    fp = peer_fingerprint(context)
    require_client_cert(context)
    check: CallerCheck | None = None
    if callers is None:
        org = await runner.run(authenticate, store, fp)
    else:
        cached = callers.cached(fp)
        if cached is None:
            cached = await runner.run(callers.look_up, store, fp)
        org, check = cached
    fields = dict(metadata)
    practitioner = Practitioner(
        id=_free_text(fields, PRACTITIONER_ID),
        display_name=_free_text(fields, PRACTITIONER_NAME),
        role=_free_text(fields, PRACTITIONER_ROLE),
    )
    on_behalf_of = _text(fields, ON_BEHALF_OF) or None
    proven: ProvenCitizen | None = None
    if on_behalf_of is not None:
        if org.kind is not OrgKind.PORTAL:
            raise permission_denied(
                "ON_BEHALF_NOT_ALLOWED", "only a portal organisation may act for a citizen"
            )
        try:
            on_behalf_of = IdentityCode.parse(on_behalf_of).value
        except InvalidIdentityCode as exc:
            raise LuukkuError(
                ErrorCode.INVALID_ARGUMENT,
                "INVALID_IDENTITY_CODE",
                f"metadata {ON_BEHALF_OF}: not a valid personal identity code",
            ) from exc
        if citizen_tokens is None:
            raise refused(TokenRefusal.NO_ISSUER)
        proven = await citizen_tokens.prove_citizen(
            bearer(fields.get(AUTHORIZATION)),
            acting_for=on_behalf_of,
            client_id=org.oidc_client_id,
        )
    caller = Caller(
        organization=org,
        fingerprint=fp,
        practitioner=practitioner,
        request_id=request_id,
        on_behalf_of=on_behalf_of,
        citizen_token_hash=proven.hash if proven else None,
        citizen_name=proven.name if proven else "",
        acting_for=_acting_for(fields, on_behalf_of),
    )
    return caller, check


def _acting_for(fields: dict[str, str | bytes], on_behalf_of: str | None) -> str | None:
    """The representation right a portal's citizen acts under (``luukku-acting-for``).

    Only the form is checked here; whether the right exists and is the
    citizen's is decided with the call's access, audited (``REPRESENTATION_MISSING``
    either way: no oracle of rights).
    """
    right_id = _text(fields, ACTING_FOR) or None
    if right_id is None:
        return None
    if on_behalf_of is None:
        raise permission_denied(
            "ACTING_FOR_NEEDS_CITIZEN",
            f"metadata {ACTING_FOR}: only a portal acting for a signed-in citizen may act "
            "for someone that citizen represents",
        )
    if not _RIGHT_ID.match(right_id):
        raise _bad_metadata(ACTING_FOR, "not the id of a representation right")
    return right_id


def rpc_action(method: str) -> str:
    """The audited action of a call refused before its use case: ``rpc:Service/Method``."""
    service, _, name = method.strip("/").rpartition("/")
    return f"rpc:{service.rpartition('.')[2]}/{name}"[:64]


def attempted_resource(store: Store, request: object) -> str:
    """What a refused call asked for, as the audit log may name it: ``request/`` and a
    keyed digest of the request message (its request id left out: a retry is the same
    attempt), never its content; ``call`` where there is no message to digest.
    """
    if not isinstance(request, ProtoMessage):
        return "call"
    asked = type(request)()
    asked.CopyFrom(request)
    if "request_id" in asked.DESCRIPTOR.fields_by_name:
        asked.ClearField("request_id")
    digest = store.citizen_keys.request_digest(asked.SerializeToString(deterministic=True))
    return f"request/{digest}"


def refused_call(
    store: Store,
    cert_fingerprint: str,
    metadata: Metadata,
    method: str,
    request_id: str,
    error: LuukkuError,
    request: object = None,
) -> RefusedCall:
    """What the audit log records of a call refused before its use case.

    Only what the broker has checked is kept: the certificate (which TLS
    verified), its organisation, and an on-behalf-of identity code if it is
    well-formed (so that the citizen sees the attempt), and the hash of the
    bearer token it presented; no other metadata. The request itself only as a
    digest that tells attempts apart.
    """
    fields = dict(metadata)
    presented = bearer(fields.get(AUTHORIZATION))
    claimed = fields.get(ON_BEHALF_OF)
    identity_code: str | None = None
    if isinstance(claimed, str):
        try:
            identity_code = IdentityCode.parse(claimed).value
        except InvalidIdentityCode:
            identity_code = None
    return RefusedCall(
        fingerprint=cert_fingerprint,
        org_id=holder_of(store, cert_fingerprint),
        action=rpc_action(method),
        reason=error.reason,
        request_id=request_id,
        identity_code=identity_code,
        citizen_token_hash=token_hash(presented) if presented is not None else None,
        resource=attempted_resource(store, request),
    )
