"""The broker over real mutual TLS: who gets in, who is refused, and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from luukku.client import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    Practitioner,
    TLSConfig,
    UnauthenticatedError,
    UnavailableError,
)
from luukku.domain.organizations import OrgKind, OrgStatus
from luukku.pki import PkiPaths, init_pki, issue_client_cert, read_cert_info
from luukku.server.app import Broker
from luukku.service import directory
from luukku.store.uow import Store


async def test_a_registered_organisation_is_answered_with_its_identity(register_org, connect):
    tls = register_org("helsinki-social")
    worker = Practitioner("p-17", "Päivi Äijälä", "social worker")
    client = await connect(tls, practitioner=worker)

    me = await client.who_am_i()

    assert me.organization.id == "helsinki-social"
    assert me.certificate_fingerprint == read_cert_info(tls.client_cert).fingerprint
    assert (me.practitioner.id, me.practitioner.display_name, me.practitioner.role) == (
        "p-17",
        "Päivi Äijälä",
        "social worker",
    )
    assert len(me.request_id) >= 16
    assert me.citizen_id == ""  # it acts for nobody


async def test_a_portal_learns_which_messages_are_the_citizens_own(register_org, connect):
    social = await connect(register_org("helsinki-social"))
    portal_tls = register_org("portaali", OrgKind.PORTAL)
    citizen = await connect(portal_tls, on_behalf_of="131052-308T")
    other = await connect(portal_tls, on_behalf_of="010190-900P")
    case = await social.create_case("131052-308T", title="Housing", category="housing")
    thread = await social.create_thread(case.id, subject="Keys")
    own = await citizen.post_message(thread.id, "I have lost my key.")

    me, someone_else = await citizen.who_am_i(), await other.who_am_i()

    assert me.citizen_id == own.author_citizen_id
    assert someone_else.citizen_id not in ("", me.citizen_id)


async def test_a_client_without_a_certificate_cannot_even_connect(pki, broker):
    creds = grpc.ssl_channel_credentials(root_certificates=pki.ca_cert.read_bytes())
    async with grpc.aio.secure_channel(f"127.0.0.1:{broker.port}", creds) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert err.value.code() is grpc.StatusCode.UNAVAILABLE


async def test_a_certificate_from_another_ca_is_refused(tmp_path: Path, pki, register_org, connect):
    register_org("helsinki-social")
    other = init_pki(tmp_path / "other")
    issue_client_cert(other.root, "helsinki-social")
    forged = TLSConfig(
        ca_cert=pki.ca_cert.read_bytes(),
        client_cert=other.org_cert("helsinki-social").read_bytes(),
        client_key=other.org_key("helsinki-social").read_bytes(),
    )
    with pytest.raises(UnavailableError):
        await connect(forged)


async def test_an_expired_certificate_is_refused_even_when_registered(pki, store, connect):
    cert, _ = issue_client_cert(
        pki.root, "old-clinic", days=30, not_before=datetime.now(UTC) - timedelta(days=60)
    )
    directory.register_organization(
        store,
        "old-clinic",
        name="Old",
        kind=OrgKind.PRIVATE,
        business_id="0201256-6",
        cert=read_cert_info(cert.read_bytes()),
    )
    with pytest.raises(UnavailableError):
        await connect(TLSConfig.from_pki_dir(pki.root, "old-clinic"))


async def test_a_certificate_of_an_unregistered_organisation_is_unauthenticated(
    register_org, connect
):
    tls = register_org("stranger-oy", register=False)
    with pytest.raises(UnauthenticatedError) as err:
        await connect(tls)
    assert err.value.reason == "CERTIFICATE_UNKNOWN"


async def test_a_certificate_revoked_while_the_broker_runs_is_refused_on_the_next_call(
    register_org, connect, store: Store
):
    tls = register_org("hoiva-oy", OrgKind.PRIVATE)
    client = await connect(tls)
    assert (await client.who_am_i()).organization.id == "hoiva-oy"

    directory.revoke_certificate(store, read_cert_info(tls.client_cert).fingerprint)

    with pytest.raises(UnauthenticatedError) as err:
        await client.who_am_i()
    assert err.value.reason == "CERTIFICATE_REVOKED"


async def test_an_organisation_suspended_while_the_broker_runs_is_refused_until_reactivated(
    register_org, connect, store: Store
):
    tls = register_org("vantaa-health")
    client = await connect(tls)
    await client.who_am_i()

    directory.set_organization_status(store, "vantaa-health", OrgStatus.SUSPENDED)
    with pytest.raises(UnauthenticatedError) as err:
        await client.who_am_i()
    assert err.value.reason == "ORG_SUSPENDED"

    directory.set_organization_status(store, "vantaa-health", OrgStatus.ACTIVE)
    assert (await client.who_am_i()).organization.id == "vantaa-health"


async def test_a_renewed_certificate_works_beside_the_old_one(
    pki: PkiPaths, register_org, connect, store
):
    old = register_org("helsinki-social")
    old_client = await connect(old)
    # Renewal: a new key pair for the same organisation, registered as a second certificate.
    cert, _ = issue_client_cert(pki.root, "helsinki-social")
    directory.add_certificate(store, "helsinki-social", read_cert_info(cert.read_bytes()))
    new_client = await connect(TLSConfig.from_pki_dir(pki.root, "helsinki-social"))

    old_me, new_me = await old_client.who_am_i(), await new_client.who_am_i()
    assert old_me.organization.id == new_me.organization.id == "helsinki-social"
    assert old_me.certificate_fingerprint == read_cert_info(old.client_cert).fingerprint
    assert new_me.certificate_fingerprint == read_cert_info(cert.read_bytes()).fingerprint


async def test_health_and_reflection_answer_stock_tools(pki, register_org, broker: Broker):
    tls = register_org("helsinki-social")
    async with _raw_channel(broker, tls) as channel:
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="luukku.v1.DirectoryService"), timeout=5
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING

        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        services = set()
        async for response in stub.ServerReflectionInfo(iter([request]), timeout=5):
            services = {s.name for s in response.list_services_response.service}
    assert {"luukku.v1.DirectoryService", "grpc.health.v1.Health"} <= services


async def test_organisations_are_listed_page_by_page(register_org, connect):
    tls = register_org("org-a")
    for org_id in ("org-b", "org-c", "org-d", "org-e"):
        register_org(org_id)
    client = await connect(tls)

    ids = [o.id async for o in client.list_organizations(page_size=2)]

    assert ids == ["org-a", "org-b", "org-c", "org-d", "org-e"]


async def test_an_unknown_organisation_is_not_found(register_org, connect):
    client = await connect(register_org("org-a"))
    with pytest.raises(NotFoundError) as err:
        await client.get_organization("nobody-here")
    assert err.value.reason == "ORG_NOT_FOUND"
    assert (await client.get_organization("org-a")).name == "org-a name"


async def test_a_forged_page_token_is_an_invalid_argument_with_a_field_violation(
    register_org, broker: Broker
):
    from luukku.client._errors import from_rpc_error
    from luukku.v1 import directory_pb2, directory_pb2_grpc

    tls = register_org("org-a")
    async with _raw_channel(broker, tls) as channel:
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ListOrganizations(
                directory_pb2.ListOrganizationsRequest(page_token="not-a-token!"), timeout=5
            )
    error = from_rpc_error(err.value)
    assert isinstance(error, InvalidArgumentError)
    assert error.reason == "INVALID_PAGE_TOKEN"
    assert [v.field for v in error.field_violations] == ["page_token"]


async def test_only_a_portal_may_act_on_behalf_of_a_citizen(register_org, connect):
    tls = register_org("helsinki-social")
    with pytest.raises(PermissionDeniedError) as err:
        await connect(tls, on_behalf_of="131052-308T")
    assert err.value.reason == "ON_BEHALF_NOT_ALLOWED"


async def test_a_portal_passing_a_malformed_identity_code_gets_an_invalid_argument(
    register_org, connect
):
    tls = register_org("omaportaali", OrgKind.PORTAL)
    with pytest.raises(InvalidArgumentError) as err:
        await connect(tls, on_behalf_of="131052-308X")
    assert err.value.reason == "INVALID_IDENTITY_CODE"
    assert "131052" not in str(err.value)


async def test_the_request_id_is_echoed_in_the_trailers_of_answers_and_errors(
    register_org, broker: Broker
):
    from luukku.v1 import directory_pb2, directory_pb2_grpc

    tls = register_org("org-a")
    async with _raw_channel(broker, tls) as channel:
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        answered = stub.WhoAmI(
            directory_pb2.WhoAmIRequest(), metadata=(("x-request-id", "req-ok-1"),), timeout=5
        )
        me = await answered
        refused = stub.GetOrganization(
            directory_pb2.GetOrganizationRequest(id="no-such-org"),
            metadata=(("x-request-id", "req-err-2"),),
            timeout=5,
        )
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await refused
        unnamed = stub.WhoAmI(directory_pb2.WhoAmIRequest(), timeout=5)
        await unnamed

        assert me.request_id == "req-ok-1"
        assert ("x-request-id", "req-ok-1") in tuple(await answered.trailing_metadata())
        assert err.value.code() is grpc.StatusCode.NOT_FOUND
        assert ("x-request-id", "req-err-2") in tuple(err.value.trailing_metadata())
        generated = dict(await unnamed.trailing_metadata())["x-request-id"]
        assert len(generated) >= 16


async def test_a_failed_fsync_turns_the_broker_unhealthy_and_no_write_is_acknowledged(
    register_org, connect, broker: Broker, monkeypatch: pytest.MonkeyPatch
):
    from luukku.store.errors import DurabilityLost

    if broker.store.sync is None:
        pytest.skip("PostgreSQL makes its own commits durable")
    client = await connect(register_org("helsinki-social"))
    prober = register_org("vantaa-health")

    def failing_disk() -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(broker.store.sync, "_fsync", failing_disk)
    with pytest.raises(UnavailableError) as first:
        await client.create_case("131052-308T", title="Home care", category="home_care")
    monkeypatch.undo()  # the disk works again: still nothing is acknowledged
    with pytest.raises(UnavailableError) as second:
        await client.create_case("131052-308T", title="Meals", category="home_care")

    assert first.value.reason == second.value.reason == "STORAGE_UNAVAILABLE"

    assert isinstance(broker.lost, DurabilityLost)
    assert broker.failed.is_set()
    async with _raw_channel(broker, prober) as channel:
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=5
        )
    assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING


def _raw_channel(broker: Broker, tls: TLSConfig) -> grpc.aio.Channel:
    """A plain grpc.aio channel to the broker with an organisation's certificate (no SDK)."""
    creds = grpc.ssl_channel_credentials(tls.ca_cert, tls.client_key, tls.client_cert)
    return grpc.aio.secure_channel(f"127.0.0.1:{broker.port}", creds)
