"""The SDK across several targets: a broker that is down among them is skipped."""

from __future__ import annotations

from ports import free_port

from luukku.client import Client
from luukku.domain.organizations import OrgKind


async def test_calls_go_to_the_live_broker_when_another_target_is_down(broker, register_org):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    targets = [f"127.0.0.1:{free_port()}", f"127.0.0.1:{broker.port}"]
    async with await Client.connect(targets, tls=tls) as client:
        for _ in range(10):  # round_robin would send every other call to the dead one
            assert (await client.who_am_i()).organization.id == "helsinki-social"
