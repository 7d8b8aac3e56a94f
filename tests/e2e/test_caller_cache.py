"""Two brokers on one PostgreSQL keep their callers cached, and a revocation still bites at once.

Each broker serves a caller it has seen from its cache; the call's first
transaction finds out, in its BEGIN, whether the directory changed since
(``store.callers.check``). The admin CLI, another process that tells no broker,
revokes a certificate or suspends an organisation; the very next call on either
broker, warm cache and all, is refused, whether it reads the store (GetCase) or
not (WhoAmI). A change to another organisation leaves a cached caller served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from test_replicas import CITIZEN, _replica

from luukku.cli import main as cli
from luukku.client import Client, Practitioner, UnauthenticatedError
from luukku.domain.organizations import OrgKind

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


async def _refused(call: Callable[[], Awaitable[object]]) -> str:
    with pytest.raises(UnauthenticatedError) as refused:
        await call()
    return refused.value.reason


@pytest.fixture
async def brokers(database_url, pki, register_org):
    """Brokers A and B; the social services' and the company's clients on both, and a case
    of the company's own that both have read (so each broker has both callers cached)."""
    tls = {
        "social": register_org("helsinki-social", OrgKind.PUBLIC),
        "company": register_org("hoiva-oy", OrgKind.PRIVATE),
    }
    async with _replica(database_url, pki) as a, _replica(database_url, pki) as b:
        clients: dict[str, dict[str, Client]] = {"a": {}, "b": {}}
        for replica, broker in (("a", a), ("b", b)):
            for org, files in tls.items():
                clients[replica][org] = await Client.connect(
                    f"127.0.0.1:{broker.port}",
                    tls=files,
                    practitioner=Practitioner("p-1", "Pia", "clerk"),
                )
        case = await clients["a"]["company"].create_case(
            CITIZEN, title="Home care", category="home_care"
        )
        for replica in clients:
            for client in clients[replica].values():
                await client.who_am_i()
            assert (await clients[replica]["company"].get_case(case.id)).id == case.id
        try:
            yield clients, case.id, database_url, pki
        finally:
            for on in clients.values():
                for client in on.values():
                    await client.close()


async def test_a_certificate_revoked_by_the_cli_is_refused_on_the_next_call_on_both_brokers(
    brokers,
):
    clients, case_id, database_url, pki = brokers
    pem = str(pki.org_cert("hoiva-oy"))
    assert await asyncio.to_thread(cli, ["cert", "revoke", pem, "--database", database_url]) == 0

    for replica in ("a", "b"):
        company = clients[replica]["company"]
        assert await _refused(lambda c=company: c.get_case(case_id)) == "CERTIFICATE_REVOKED"
        assert await _refused(company.who_am_i) == "CERTIFICATE_REVOKED"


async def test_a_suspension_is_refused_on_the_next_call_even_one_that_reads_nothing(brokers):
    clients, case_id, database_url, _ = brokers
    code = await asyncio.to_thread(cli, ["org", "suspend", "hoiva-oy", "--database", database_url])
    assert code == 0

    # WhoAmI first on A (no transaction of its own), a read first on B.
    assert await _refused(clients["a"]["company"].who_am_i) == "ORG_SUSPENDED"
    assert await _refused(lambda: clients["b"]["company"].get_case(case_id)) == "ORG_SUSPENDED"
    code = await asyncio.to_thread(cli, ["org", "activate", "hoiva-oy", "--database", database_url])
    assert code == 0
    for replica in ("a", "b"):
        assert (await clients[replica]["company"].get_case(case_id)).id == case_id


async def test_another_organisations_suspension_leaves_a_cached_caller_served(brokers):
    clients, case_id, database_url, _ = brokers
    code = await asyncio.to_thread(
        cli, ["org", "suspend", "helsinki-social", "--database", database_url]
    )
    assert code == 0

    for replica in ("a", "b"):
        assert await _refused(clients[replica]["social"].who_am_i) == "ORG_SUSPENDED"
        company = clients[replica]["company"]
        assert (await company.get_case(case_id)).id == case_id
        assert (await company.who_am_i()).organization.id == "hoiva-oy"
