"""Per-organisation limits: one organisation cannot hold the broker, the others are still served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

from luukku.client import Client, RPCError
from luukku.domain.organizations import OrgKind
from luukku.server.app import Broker, ServerTLS
from luukku.server.gate.quotas import Limits
from luukku.v1 import threads_pb2, threads_pb2_grpc

CITIZEN = "131052-308T"


@pytest.fixture
async def small_broker(pki, store) -> AsyncIterator[Broker]:
    broker = Broker(store, db_workers=4, limits=Limits(calls_per_org=1, streams_per_org=2))
    await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    yield broker
    await broker.stop(grace=1)


async def _client(broker: Broker, tls) -> Client:
    return await Client.connect(f"127.0.0.1:{broker.port}", tls=tls)


def _retry_delay(error: grpc.aio.AioRpcError) -> float:
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    status = status_pb2.Status.FromString(raw)
    for detail in status.details:
        if detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            detail.Unpack(info)
            return info.retry_delay.ToTimedelta().total_seconds()
    raise AssertionError("no RetryInfo")


async def test_calls_beyond_an_organisations_limit_are_refused_and_others_still_served(
    small_broker, register_org
):
    flooder = await _client(small_broker, register_org("helsinki-social", OrgKind.PUBLIC))
    other = await _client(small_broker, register_org("hoiva-oy", OrgKind.PRIVATE))
    case = await flooder.create_case(CITIZEN, title="Care", category="home_care")

    results = await asyncio.gather(
        *(flooder.create_record(case.id, kind="note", text=f"n{n}") for n in range(30)),
        return_exceptions=True,
    )

    refused = [r for r in results if isinstance(r, RPCError)]
    assert refused, "30 concurrent writes never exceeded a limit of 1"
    assert {(e.code, e.reason) for e in refused} == {
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED")
    }
    assert len(refused) < 30
    assert (await other.who_am_i()).organization.id == "hoiva-oy"
    # Nothing is left held: the flooder is served again one call at a time.
    assert (await flooder.create_record(case.id, kind="note", text="again")).revision == 1
    for client in (flooder, other):
        await client.close()


async def test_watch_streams_beyond_the_limit_are_refused_with_a_time_to_retry(
    small_broker, register_org
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    social = await _client(small_broker, tls)
    case = await social.create_case(CITIZEN, title="Care", category="home_care")
    thread = await social.create_thread(case.id, subject="Plan")
    creds = grpc.ssl_channel_credentials(tls.ca_cert, tls.client_key, tls.client_cert)
    async with grpc.aio.secure_channel(f"127.0.0.1:{small_broker.port}", creds) as channel:
        stub = threads_pb2_grpc.ThreadServiceStub(channel)
        request = threads_pb2.WatchThreadRequest(thread_id=thread.id)
        open_streams = [stub.WatchThread(request) for _ in range(2)]
        for stream in open_streams:
            await stream.wait_for_connection()
        await asyncio.sleep(0.2)

        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.WatchThread(request).read()
        assert refused.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert _retry_delay(refused.value) == pytest.approx(0.5)

        open_streams[0].cancel()
        await asyncio.sleep(0.3)
        third = stub.WatchThread(request)
        await asyncio.sleep(0.3)
        assert not third.done()
        for stream in (*open_streams, third):
            stream.cancel()
    await social.close()
