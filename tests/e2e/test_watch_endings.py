"""Every watch stream that starts has exactly one end event, whatever ends it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from eventually import WITHIN_S, eventually
from google.rpc import error_details_pb2, status_pb2

from luukku.client import Client, TLSConfig
from luukku.domain.organizations import OrgKind
from luukku.server.app import Broker, ServerTLS
from luukku.server.gate.quotas import Limits
from luukku.store.uow import Store
from luukku.v1 import threads_pb2, threads_pb2_grpc

CITIZEN = "131052-308T"


@dataclass
class Scene:
    port: int
    company: TLSConfig
    social: Client
    portal: Client
    thread_id: str
    consent_id: str


def _ends(store: Store, request_id: str) -> list:
    with store.read() as tx:
        return [
            s.event
            for s in tx.audit.scan()
            if s.event.action == "thread.watch.end" and s.event.request_id == request_id
        ]


def _channel(scene: Scene, **options: int) -> grpc.aio.Channel:
    tls = scene.company
    creds = grpc.ssl_channel_credentials(tls.ca_cert, tls.client_key, tls.client_cert)
    return grpc.aio.secure_channel(f"127.0.0.1:{scene.port}", creds, options=list(options.items()))


def _watch(channel: grpc.aio.Channel, scene: Scene, request_id: str, **kwargs: float):
    return threads_pb2_grpc.ThreadServiceStub(channel).WatchThread(
        threads_pb2.WatchThreadRequest(thread_id=scene.thread_id),
        metadata=(("x-request-id", request_id),),
        **kwargs,
    )


async def _read_to_the_end(watch) -> None:
    while True:
        await watch.read()


async def _read_bodies_to_the_end(watch, bodies: list[str]) -> None:
    while True:  # bounded only against a hang: the stream must end by itself
        bodies.append((await asyncio.wait_for(watch.read(), WITHIN_S)).message.body)


async def _scene(broker: Broker, register_org, connect) -> Scene:
    company = register_org("hoiva-oy", OrgKind.PRIVATE)
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    portal = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    thread = await social.create_thread(case.id, subject="Plan")
    consent = await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["discuss"],
        purpose="Care",
        valid_until=datetime.now(UTC) + timedelta(days=1),
    )
    return Scene(broker.port, company, social, portal, thread.id, consent.id)


async def test_a_deadline_ends_the_stream_with_one_end_event(broker, register_org, connect, store):
    scene = await _scene(broker, register_org, connect)
    await scene.social.post_message(scene.thread_id, "hello")
    async with _channel(scene) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as ended:
            async for _ in _watch(channel, scene, "deadline-1", timeout=0.5):
                pass
    assert ended.value.code() is grpc.StatusCode.DEADLINE_EXCEEDED
    await eventually(lambda: len(_ends(store, "deadline-1")) == 1)
    await asyncio.sleep(0.3)
    assert [e.reason for e in _ends(store, "deadline-1")] == ["DELIVERED"]


async def test_a_revocation_ends_the_stream_with_one_denied_end_event(
    broker, register_org, connect, store
):
    scene = await _scene(broker, register_org, connect)
    async with _channel(scene) as channel:
        watch = _watch(channel, scene, "revoked-1")
        await scene.social.post_message(scene.thread_id, "hello")
        await watch.read()
        await scene.portal.revoke_consent(scene.consent_id)
        with pytest.raises(grpc.aio.AioRpcError) as ended:
            await _read_to_the_end(watch)
    assert ended.value.code() is grpc.StatusCode.PERMISSION_DENIED
    await asyncio.sleep(0.3)
    assert [(e.outcome.value, e.reason) for e in _ends(store, "revoked-1")] == [
        ("denied", "CONSENT_REVOKED")
    ]


def _reason(error: grpc.aio.AioRpcError) -> str:
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    for detail in status_pb2.Status.FromString(raw).details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    raise AssertionError("no ErrorInfo")


@pytest.mark.parametrize("heartbeat_seconds", [3600])  # no heartbeat re-checks the stream
@pytest.mark.parametrize("limits", [Limits(streams_per_org=1)])
async def test_a_watcher_that_stops_reading_loses_its_stream_within_a_second_of_the_revocation(
    broker, register_org, connect, store
):
    scene = await _scene(broker, register_org, connect)
    # Small HTTP/2 windows: unread messages soon back up into the broker's writes.
    async with _channel(scene, **{"grpc.http2.bdp_probe": 0}) as channel:
        watch = _watch(channel, scene, "slow-reader")
        await scene.portal.post_message(scene.thread_id, "first")
        await watch.read()  # and then no more until the stream is over
        body = "x" * 8000
        for n in range(60):
            await scene.portal.post_message(scene.thread_id, f"{n:02d}{body}")
        await asyncio.sleep(0.5)

        # The stream is stuck in a write: only its guardian can act on the revocation.
        await scene.portal.revoke_consent(scene.consent_id)
        await eventually(lambda: len(_ends(store, "slow-reader")) == 1, within=1.0)
        await scene.portal.post_message(scene.thread_id, "after the revocation")

        # The broker holds the stream no more: the organisation's one stream is free,
        # so a new watch is refused for the revoked consent, not for the quota.
        with pytest.raises(grpc.aio.AioRpcError) as again:
            await _watch(channel, scene, "again").read()
        assert (again.value.code(), _reason(again.value)) == (
            grpc.StatusCode.PERMISSION_DENIED,
            "CONSENT_REVOKED",
        )
        # The reader, reading again, gets what was sent before the revocation and then
        # the refusal, instead of a stream that stays open for ever.
        received: list[str] = []
        with pytest.raises(grpc.aio.AioRpcError) as ended:
            await _read_bodies_to_the_end(watch, received)
    assert (ended.value.code(), _reason(ended.value)) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "CONSENT_REVOKED",
    )
    assert received
    assert "after the revocation" not in received
    (end,) = _ends(store, "slow-reader")
    assert (end.outcome.value, end.reason) == ("denied", "CONSENT_REVOKED")


async def test_streams_open_when_the_broker_stops_each_get_their_end_event(
    pki, store, register_org
):
    broker = Broker(store, db_workers=4)
    await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    social_tls = register_org("helsinki-social", OrgKind.PUBLIC)
    social = await Client.connect(f"127.0.0.1:{broker.port}", tls=social_tls)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    thread = await social.create_thread(case.id, subject="Plan")
    await social.post_message(thread.id, "hello")
    creds = grpc.ssl_channel_credentials(
        social_tls.ca_cert, social_tls.client_key, social_tls.client_cert
    )
    channel = grpc.aio.secure_channel(f"127.0.0.1:{broker.port}", creds)
    stub = threads_pb2_grpc.ThreadServiceStub(channel)
    watches = [
        stub.WatchThread(
            threads_pb2.WatchThreadRequest(thread_id=thread.id),
            metadata=(("x-request-id", f"stopping-{n}"),),
        )
        for n in range(10)
    ]
    for watch in watches:
        await watch.read()

    await broker.stop(grace=0.5)

    for n in range(10):
        assert len(_ends(store, f"stopping-{n}")) == 1, n
    await channel.close()
    await social.close()
