"""``Client``: the SDK's connection to a Luukku broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import grpc

from luukku.client._calls.audit import AuditCalls
from luukku.client._calls.base import CitizenToken
from luukku.client._calls.cases import CaseCalls
from luukku.client._calls.consent_requests import ConsentRequestCalls
from luukku.client._calls.consents import ConsentCalls
from luukku.client._calls.desks import DeskCalls
from luukku.client._calls.ready_answers import ReadyAnswerCalls
from luukku.client._calls.representation import RepresentationCalls
from luukku.client._calls.threads import ThreadCalls
from luukku.client._config import Practitioner, TLSConfig
from luukku.client._models import Identity, Organization
from luukku.client._targets import channel_target
from luukku.v1 import directory_pb2 as directory
from luukku.v1 import directory_pb2_grpc as directory_grpc


class Client(
    CaseCalls,
    ConsentCalls,
    AuditCalls,
    ThreadCalls,
    DeskCalls,
    ConsentRequestCalls,
    ReadyAnswerCalls,
    RepresentationCalls,
):
    """A connection to the broker as one organisation.

    Create with :meth:`connect`. Results are frozen dataclasses with the
    field names of ``proto/luukku/v1`` and string enums (``consent.state ==
    "active"``); failures raise :class:`RPCError` subclasses. List calls return
    async iterators that fetch further pages as you iterate.
    """

    def __init__(
        self,
        channel: grpc.aio.Channel,
        *,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        citizen_token: CitizenToken = None,
        rpc_timeout: float = 10.0,
        acting_for: str | None = None,
    ) -> None:
        super().__init__(
            channel,
            practitioner=practitioner,
            on_behalf_of=on_behalf_of,
            citizen_token=citizen_token,
            rpc_timeout=rpc_timeout,
            acting_for=acting_for,
        )
        self._directory = directory_grpc.DirectoryServiceStub(channel)

    @classmethod
    async def connect(
        cls,
        target: str | Sequence[str],
        *,
        tls: TLSConfig,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        citizen_token: CitizenToken = None,
        rpc_timeout: float = 10.0,
        verify: bool = True,
    ) -> Client:
        """Open a mutual-TLS channel to ``target``: one broker, or several replicas.

        Calls are balanced across the replicas (gRPC ``round_robin``); one that
        is down is skipped, and a watch whose replica died resumes on another.

        Args:
            target: the broker address (``host:port``; a DNS name with several
                addresses is balanced across them), or a list of ``host:port``
                of replicas.
            tls: CA, client certificate and key.
            practitioner: the person acting, sent with every call.
            on_behalf_of: (portal organisations only) the identity code of the
                logged-in citizen the calls act for.
            citizen_token: (with ``on_behalf_of``) the identity provider's signed
                token for that citizen, sent as ``authorization: Bearer``; or a
                function giving the current one. The broker refuses a call for a
                citizen without a valid one (``CITIZEN_TOKEN_*`` reasons).
            rpc_timeout: default deadline of each unary call, in seconds.
            verify: call WhoAmI once so that a refused certificate fails here.

        Raises:
            RPCError: if ``verify`` and the broker refuses the connection.
        """
        address, balancing = await asyncio.to_thread(channel_target, target)
        options: list[tuple[str, Any]] = [
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.keepalive_timeout_ms", 10_000),
            *balancing,
        ]
        if tls.server_name:
            options.append(("grpc.ssl_target_name_override", tls.server_name))
        credentials = grpc.ssl_channel_credentials(
            root_certificates=tls.ca_cert,
            private_key=tls.client_key,
            certificate_chain=tls.client_cert,
        )
        channel = grpc.aio.secure_channel(address, credentials, options=options)
        client = cls(
            channel,
            practitioner=practitioner,
            on_behalf_of=on_behalf_of,
            citizen_token=citizen_token,
            rpc_timeout=rpc_timeout,
        )
        if verify:
            try:
                await client.who_am_i()
            except BaseException:
                await channel.close(None)
                raise
        return client

    def acting_as(
        self,
        *,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        citizen_token: CitizenToken = None,
        acting_for: str | None = None,
    ) -> Client:
        """A client on the same channel that sends another practitioner or citizen
        (with the token proving that citizen).

        ``acting_for`` (with ``on_behalf_of``): the id of a representation right
        that citizen holds; every call then acts for the person it represents
        (sent as ``luukku-acting-for``; see ``proto/luukku/v1/representation.proto``).
        """
        return Client(
            self._channel,
            practitioner=practitioner or self._practitioner,
            on_behalf_of=on_behalf_of,
            citizen_token=citizen_token,
            rpc_timeout=self._timeout,
            acting_for=acting_for,
        )

    async def close(self) -> None:
        """Close the channel; calls in flight are cancelled."""
        await self._channel.close(None)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # Directory ---------------------------------------------------------------

    async def who_am_i(self) -> Identity:
        """The organisation, certificate and practitioner the broker sees."""
        return Identity.from_pb(await self._call(self._directory.WhoAmI, directory.WhoAmIRequest()))

    async def get_organization(self, org_id: str) -> Organization:
        """One registered organisation."""
        resp = await self._call(
            self._directory.GetOrganization, directory.GetOrganizationRequest(id=org_id)
        )
        return Organization.from_pb(resp.organization)

    def list_organizations(self, *, page_size: int = 0) -> AsyncIterator[Organization]:
        """Every registered organisation, fetched page by page as you iterate."""
        return self._pages(
            self._directory.ListOrganizations,
            directory.ListOrganizationsRequest(page_size=page_size),
            lambda page: [Organization.from_pb(o) for o in page.organizations],
        )
