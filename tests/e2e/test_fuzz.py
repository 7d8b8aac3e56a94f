"""Fuzzing every RPC: random and boundary values in every field, and raw garbage.

Every request message of every RPC in proto/ (from the descriptors) is filled
field by field with values drawn from boundary pools (empty, huge, negative,
2^63, NUL and control characters, bidi overrides, NaN, timestamps out of range,
unknown enum numbers, forged page tokens) and with real ids of the scene, so
that calls also reach deep into the use cases; then raw garbage bytes are sent
as the request. Called as an organisation of each kind. The broker must
answer each with a status other than INTERNAL or UNKNOWN, log no traceback and
no error, and still serve afterwards.

Seeded, so a failure replays; ``LUUKKU_FUZZ_EXAMPLES`` (default 25 per RPC and
caller) makes a longer run, e.g. LUUKKU_FUZZ_EXAMPLES=2000 make test.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from rpc_catalog import all_methods

from luukku.domain.organizations import OrgKind
from luukku.domain.representation.rights import FULL_SCOPE, Kind, Right, Source
from luukku.service.desks import admin as desks
from luukku.store.uow import Store
from luukku.verify.identity_code import make_identity_code

CITIZEN = "131052-308T"
EXAMPLES = int(os.environ.get("LUUKKU_FUZZ_EXAMPLES", "25"))
GARBAGE_PER_RPC = 4
FORBIDDEN = (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN)


def _token(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


STRINGS = [
    "",
    " ",
    "x",
    "a" * 200,
    "a" * 5000,
    "nul\x00inside",
    "line\nbreak",
    "rtl\u202eoverride",
    "del\x7f",
    "ä" * 100,
    "131052-308T",
    "010190-900P",
    "131052-308X",
    "hoiva-oy",
    "HOIVA_OY",
    "0" * 32,
    "f" * 33,
    "../../etc/passwd",
    "'; DROP TABLE cases; --",
    "%%%",
    _token({"k": "cases", "p": 5}),
    _token({"k": "records", "p": [2**63]}),
    _token({"k": "threads", "p": [-5]}),
    _token({"k": "audit", "p": [True]}),
    _token([1, 2, 3]),
]
INTS = [0, 1, -1, 2, 7, 2**31 - 1, -(2**31), 2**62, 2**63 - 1, -(2**63)]
UINTS = [0, 1, 2**31, 2**32 - 1, 2**64 - 1]
FLOATS = [0.0, -0.0, 1.5, math.nan, math.inf, -math.inf, 1e308]
SECONDS = [0, -1, 1_700_000_000, 253_402_300_799, 253_402_300_800, -(2**62), 2**62]
NANOS = [0, 999_999_999, 1_000_000_000, -1]


class Filler:
    """Fills messages field by field from the pools and the scene's real ids."""

    def __init__(self, rng: random.Random, real_ids: list[str]) -> None:
        self.rng = rng
        self.strings = [*STRINGS, *real_ids, *real_ids]

    def message(self, descriptor: Descriptor, depth: int = 0) -> Message:
        msg = message_factory.GetMessageClass(descriptor)()
        if descriptor.full_name == "google.protobuf.Timestamp":
            msg.seconds = self.rng.choice(SECONDS)
            msg.nanos = self.rng.choice(NANOS)
            return msg
        if descriptor.full_name == "google.protobuf.Struct":
            self._struct(msg, depth)
            return msg
        for field in descriptor.fields:
            if self.rng.random() < 0.3:
                continue  # left unset
            if field.is_repeated:
                for _ in range(self.rng.randint(0, 3)):
                    self._add(msg, field, depth)
            else:
                self._set(msg, field, depth)
        return msg

    def _struct(self, msg: Any, depth: int) -> None:
        choice = self.rng.random()
        if choice < 0.2:
            msg.update({"n": self.rng.choice(FLOATS)})
        elif choice < 0.4:
            msg.update({f"k{n}": n for n in range(self.rng.choice([1, 10, 20_000]))})
        elif choice < 0.6 and depth < 3:
            nested: dict[str, Any] = {}
            inner = nested
            for _ in range(self.rng.choice([5, 25])):
                inner["x"] = {}
                inner = inner["x"]
            msg.update(nested)
        else:
            msg.update({"s": self.rng.choice(self.strings), "b": True, "z": None})

    def _value(self, field: FieldDescriptor, depth: int) -> Any:
        kind = field.type
        if kind == FieldDescriptor.TYPE_STRING:
            return self.rng.choice(self.strings)
        if kind == FieldDescriptor.TYPE_BYTES:
            return self.rng.randbytes(self.rng.choice([0, 1, 64]))
        if kind == FieldDescriptor.TYPE_BOOL:
            return self.rng.random() < 0.5
        if kind == FieldDescriptor.TYPE_ENUM:
            numbers = [v.number for v in field.enum_type.values]
            return self.rng.choice([*numbers, 99, -1])
        if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
            return self.rng.choice(FLOATS)
        if kind in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_UINT64):
            limit = 2**32 - 1 if kind == FieldDescriptor.TYPE_UINT32 else 2**64 - 1
            return min(self.rng.choice(UINTS), limit)
        if kind in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32):
            return max(min(self.rng.choice(INTS), 2**31 - 1), -(2**31))
        return self.rng.choice(INTS)

    def _set(self, msg: Any, field: FieldDescriptor, depth: int) -> None:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            if depth < 3:
                getattr(msg, field.name).CopyFrom(self.message(field.message_type, depth + 1))
            return
        setattr(msg, field.name, self._value(field, depth))

    def _add(self, msg: Any, field: FieldDescriptor, depth: int) -> None:
        repeated = getattr(msg, field.name)
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            if depth < 3:
                repeated.add().CopyFrom(self.message(field.message_type, depth + 1))
            return
        repeated.append(self._value(field, depth))


GUARDIAN = make_identity_code(date(1975, 6, 1), 808)


def _legal_guardianship(store: Store) -> str:
    """A clerk-registered legal guardianship of ``CITIZEN`` held by ``GUARDIAN``; its id."""
    now = datetime.now(UTC)
    with store.transaction() as tx:
        right = Right(
            id=uuid.uuid4().hex,
            kind=Kind.LEGAL_GUARDIAN,
            representative_id=tx.citizens.get_or_create(GUARDIAN, now),
            represented_id=tx.citizens.get_or_create(CITIZEN, now),
            codes=FULL_SCOPE,
            valid_from=now - timedelta(days=1),
            valid_until=None,
            source=Source.CLERK_REGISTRATION,
            reason="court order seen at the service point",
        )
        tx.representation.add(right, now)
    return right.id


async def _call(channel: grpc.aio.Channel, path: str, method: Any, payload: bytes, metadata):
    """One call with raw bytes; the status code it ended with (OK included)."""
    if method.server_streaming:
        stream = channel.unary_stream(path, request_serializer=None, response_deserializer=None)(
            payload, metadata=metadata, timeout=2
        )
        try:
            async for _ in stream:
                break
        except grpc.aio.AioRpcError as err:
            return err.code(), err.details()
        stream.cancel()
        return grpc.StatusCode.OK, ""
    unary = channel.unary_unary(path, request_serializer=None, response_deserializer=None)
    try:
        await unary(payload, metadata=metadata, timeout=5)
    except grpc.aio.AioRpcError as err:
        return err.code(), err.details()
    return grpc.StatusCode.OK, ""


@pytest.mark.slow
async def test_no_input_ends_in_internal_or_unknown_or_a_logged_error(
    register_org, connect, raw_channel, caplog, store, citizen_issuer
):
    caplog.set_level(logging.INFO)
    public = register_org("helsinki-social", OrgKind.PUBLIC)
    private = register_org("hoiva-oy", OrgKind.PRIVATE)
    portal = register_org("omaportaali", OrgKind.PORTAL)
    social = await connect(public)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    record = await social.create_record(case.id, kind="note", text="Needs help.")
    thread = await social.create_thread(case.id, subject="Plan")
    await social.post_message(thread.id, "Visits start Monday.")
    desks.create_desk(
        store,
        "rural-advice",
        name="Rural advice",
        topics=["forestry"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=1),
    )
    desks.add_member(store, "rural-advice", "helsinki-social")
    asked = await (await connect(portal, on_behalf_of=CITIZEN)).create_inquiry(
        "rural-advice", topic="forestry", subject="Thinning", body="Which permits?"
    )
    real_ids = [case.id, record.record_id, thread.id, "helsinki-social", "hoiva-oy"]
    answer = await social.create_ready_answer("rural-advice", title="Hours", text_fi="8-16")
    real_ids += [asked.id, "rural-advice", "forestry", answer.id, "fi", "sv"]
    token = citizen_issuer.token_source(CITIZEN)
    guardian_token = citizen_issuer.token_source(GUARDIAN)
    right = _legal_guardianship(store)
    callers = [
        (raw_channel(public), ()),
        (raw_channel(private), ()),
        (
            raw_channel(portal),
            (
                ("luukku-on-behalf-of", CITIZEN),
                # Renewed as a portal renews it: the fuzz may outlast one token's life.
                ("authorization", lambda: f"Bearer {token()}"),
            ),
        ),
        (
            # The citizen's legal guardian acting for them: every path decided twice.
            raw_channel(portal),
            (
                ("luukku-on-behalf-of", GUARDIAN),
                ("authorization", lambda: f"Bearer {guardian_token()}"),
                ("luukku-acting-for", right),
            ),
        ),
    ]
    rng = random.Random(20261124)
    filler = Filler(rng, real_ids)
    bad: list[str] = []

    for path, method in all_methods():
        for channel, metadata in callers:
            for _ in range(EXAMPLES):
                request = filler.message(method.input_type)
                sent = tuple((k, v() if callable(v) else v) for k, v in metadata)
                code, details = await _call(
                    channel, path, method, request.SerializeToString(), sent
                )
                if code in FORBIDDEN:
                    bad.append(f"{path} {code.name} {details[:80]} <- {str(request)[:300]!r}")
        for _ in range(GARBAGE_PER_RPC):
            garbage = rng.randbytes(rng.choice([1, 7, 100, 5000]))
            code, details = await _call(callers[0][0], path, method, garbage, ())
            if code in FORBIDDEN:
                bad.append(f"{path} {code.name} {details[:80]} <- garbage {garbage[:20]!r}")

    assert bad == [], "\n".join(bad[:20])
    errors = [
        f"{r.name}: {r.getMessage()[:200]}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or "Traceback" in r.getMessage()
    ]
    assert errors == []
    assert (await social.who_am_i()).organization.id == "helsinki-social"
