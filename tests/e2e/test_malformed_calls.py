"""Bytes that are no valid request, reflection for strangers, cancelled watches: clean answers."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import grpc
import pytest
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from luukku.client import TLSConfig, UnauthenticatedError
from luukku.domain.organizations import OrgKind, OrgStatus
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.v1 import threads_pb2, threads_pb2_grpc

CITIZEN = "131052-308T"


def _raw_unary(channel: grpc.aio.Channel, path: str):
    return channel.unary_unary(path, request_serializer=None, response_deserializer=None)


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()[:200]
        for r in caplog.records
        if r.exc_info or "Traceback" in r.getMessage() or "DecodeError" in r.getMessage()
    ]


@pytest.mark.parametrize("garbage", [b"\xff", b"\x0a\xff\xff\xff\xff\x0f", b"\x12" * 50])
async def test_undecodable_bytes_are_invalid_argument_without_a_traceback(
    register_org, raw_channel, caplog, garbage
):
    caplog.set_level(logging.DEBUG)
    channel = raw_channel(register_org("helsinki-social", OrgKind.PUBLIC))

    for path in (
        "/luukku.v1.DirectoryService/WhoAmI",
        "/luukku.v1.CaseService/CreateRecord",
        "/grpc.health.v1.Health/Check",
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await _raw_unary(channel, path)(garbage, timeout=5)
        assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT, (path, refused.value)

    assert _tracebacks(caplog) == []
    health = await channel.unary_unary(
        "/grpc.health.v1.Health/Check",
        request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
        response_deserializer=health_pb2.HealthCheckResponse.FromString,
    )(health_pb2.HealthCheckRequest(), timeout=5)
    assert health.status == health_pb2.HealthCheckResponse.SERVING


async def test_an_unregistered_certificate_sending_garbage_is_refused_as_unknown(
    register_org, raw_channel, caplog
):
    caplog.set_level(logging.DEBUG)
    channel = raw_channel(register_org("stranger-oy", OrgKind.PRIVATE, register=False))

    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await _raw_unary(channel, "/luukku.v1.DirectoryService/WhoAmI")(b"\xff", timeout=5)

    assert refused.value.code() is grpc.StatusCode.UNAUTHENTICATED
    assert _tracebacks(caplog) == []


async def _list_services(channel: grpc.aio.Channel) -> set[str]:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    services: set[str] = set()
    async for response in stub.ServerReflectionInfo(iter([request]), timeout=5):
        services = {s.name for s in response.list_services_response.service}
    return services


async def _reflection_status_sending_nothing(channel: grpc.aio.Channel) -> grpc.StatusCode:
    """How a reflection call ends that writes no request, only closes its side.

    A refusal comes as the call starts. A request written at that moment fails in
    grpc's own client, which then reports INTERNAL in place of the server's status;
    with nothing written, the status is the server's. An admitted caller's call ends
    OK here (no request, no answer).
    """
    call = reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(timeout=5)
    # The half-close itself may find the call refused already; the status says what it was.
    with contextlib.suppress(Exception):
        await call.done_writing()
    return await call.code()


async def test_reflection_answers_active_organisations_only(register_org, raw_channel, store):
    active = register_org("helsinki-social", OrgKind.PUBLIC)
    unregistered = register_org("stranger-oy", OrgKind.PRIVATE, register=False)
    revoked = register_org("revoked-oy", OrgKind.PRIVATE)
    directory.revoke_certificate(store, read_cert_info(revoked.client_cert).fingerprint)
    suspended = register_org("suspended-oy", OrgKind.PRIVATE)
    directory.set_organization_status(store, "suspended-oy", OrgStatus.SUSPENDED)

    assert "luukku.v1.CaseService" in await _list_services(raw_channel(active))
    assert await _reflection_status_sending_nothing(raw_channel(active)) is grpc.StatusCode.OK
    for tls in (unregistered, revoked, suspended):
        refused = await _reflection_status_sending_nothing(raw_channel(tls))
        assert refused is grpc.StatusCode.UNAUTHENTICATED


async def test_watchers_that_leave_mid_stream_cause_no_error_and_leave_an_end_event(
    register_org, connect, raw_channel, store, caplog
):
    caplog.set_level(logging.DEBUG)
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    social = await connect(tls)
    case = await social.create_case(CITIZEN, title="Housing", category="housing")
    thread = await social.create_thread(case.id, subject="Keys")
    for n in range(30):
        await social.post_message(thread.id, f"message {n} " + "x" * 2000)
    stub = threads_pb2_grpc.ThreadServiceStub(raw_channel(tls))

    streams = 40
    for n in range(streams):
        watch = stub.WatchThread(
            threads_pb2.WatchThreadRequest(thread_id=thread.id),
            metadata=(("x-request-id", f"leaver-{n}"),),
        )
        await watch.read()
        watch.cancel()
    await asyncio.sleep(0.5)

    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "different Context" in m or "never retrieved" in m]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    with store.read() as tx:
        ends = [
            s.event.request_id
            for s in tx.audit.scan()
            if s.event.action == "thread.watch.end" and s.event.request_id.startswith("leaver-")
        ]
    assert sorted(ends) == sorted(f"leaver-{n}" for n in range(streams))


async def test_the_hub_ca_certificate_is_refused_as_a_client_even_if_registered(
    pki, store, connect
):
    # Registered behind the CLI's back (the CLI refuses it): TLS would accept it.
    directory.register_organization(
        store,
        "rogue-ca",
        name="Rogue",
        kind=OrgKind.PUBLIC,
        business_id="0201256-6",
        cert=read_cert_info(pki.ca_cert.read_bytes()),
    )
    tls = TLSConfig(
        ca_cert=pki.ca_cert.read_bytes(),
        client_cert=pki.ca_cert.read_bytes(),
        client_key=pki.ca_key.read_bytes(),
    )

    with pytest.raises(UnauthenticatedError) as refused:
        await connect(tls)

    assert refused.value.reason == "CERTIFICATE_NOT_CLIENT"
