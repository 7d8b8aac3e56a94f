"""``Client``: the SDK's connection to a Luukku broker."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar

import grpc

from luukku.client._config import Practitioner, TLSConfig
from luukku.client._errors import from_rpc_error
from luukku.v1 import directory_pb2 as directory
from luukku.v1 import directory_pb2_grpc as directory_grpc

Resp = TypeVar("Resp")
Item = TypeVar("Item")


class _Paged(Protocol):
    next_page_token: str


P = TypeVar("P", bound=_Paged)


class Client:
    """A connection to the broker as one organisation.

    Create with :meth:`connect`. Results are the ``luukku.v1`` protobuf
    messages; failures raise :class:`RPCError` subclasses.
    """

    def __init__(
        self,
        channel: grpc.aio.Channel,
        *,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        rpc_timeout: float = 10.0,
    ) -> None:
        self._channel = channel
        self._practitioner = practitioner
        self._on_behalf_of = on_behalf_of
        self._timeout = rpc_timeout
        self._directory = directory_grpc.DirectoryServiceStub(channel)

    @classmethod
    async def connect(
        cls,
        target: str,
        *,
        tls: TLSConfig,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        rpc_timeout: float = 10.0,
        verify: bool = True,
    ) -> Client:
        """Open a mutual-TLS channel to ``target`` (``host:port``).

        Args:
            target: the broker address.
            tls: CA, client certificate and key.
            practitioner: the person acting, sent with every call.
            on_behalf_of: (portal organisations only) the identity code of the
                logged-in citizen the calls act for.
            rpc_timeout: default deadline of each unary call, in seconds.
            verify: call WhoAmI once so that a refused certificate fails here.

        Raises:
            RPCError: if ``verify`` and the broker refuses the connection.
        """
        options: list[tuple[str, Any]] = [
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.keepalive_timeout_ms", 10_000),
        ]
        if tls.server_name:
            options.append(("grpc.ssl_target_name_override", tls.server_name))
        credentials = grpc.ssl_channel_credentials(
            root_certificates=tls.ca_cert,
            private_key=tls.client_key,
            certificate_chain=tls.client_cert,
        )
        channel = grpc.aio.secure_channel(target, credentials, options=options)
        client = cls(
            channel, practitioner=practitioner, on_behalf_of=on_behalf_of, rpc_timeout=rpc_timeout
        )
        if verify:
            try:
                await client.who_am_i()
            except BaseException:
                await channel.close(None)
                raise
        return client

    def acting_as(
        self, *, practitioner: Practitioner | None = None, on_behalf_of: str | None = None
    ) -> Client:
        """A client on the same channel that sends another practitioner or citizen."""
        return Client(
            self._channel,
            practitioner=practitioner or self._practitioner,
            on_behalf_of=on_behalf_of,
            rpc_timeout=self._timeout,
        )

    async def close(self) -> None:
        """Close the channel; calls in flight are cancelled."""
        await self._channel.close(None)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _metadata(self, request_id: str | None = None) -> tuple[tuple[str, str | bytes], ...]:
        md: list[tuple[str, str | bytes]] = [("x-request-id", request_id or uuid.uuid4().hex)]
        if self._practitioner:
            md.append(("luukku-practitioner-id", self._practitioner.id))
            md.append(("luukku-practitioner-name-bin", self._practitioner.display_name.encode()))
            md.append(("luukku-practitioner-role", self._practitioner.role))
        if self._on_behalf_of:
            md.append(("luukku-on-behalf-of", self._on_behalf_of))
        return tuple(md)

    async def _call(self, method: Callable[..., Awaitable[Resp]], request: Any) -> Resp:
        try:
            return await method(request, metadata=self._metadata(), timeout=self._timeout)
        except grpc.aio.AioRpcError as exc:
            raise from_rpc_error(exc) from None

    async def _pages(
        self,
        method: Callable[..., Awaitable[P]],
        request: Any,
        items: Callable[[P], list[Item]],
    ) -> AsyncIterator[Item]:
        while True:
            page = await self._call(method, request)
            for item in items(page):
                yield item
            if not page.next_page_token:
                return
            request.page_token = page.next_page_token

    # Directory ---------------------------------------------------------------

    async def who_am_i(self) -> directory.WhoAmIResponse:
        """The organisation, certificate and practitioner the broker sees."""
        return await self._call(self._directory.WhoAmI, directory.WhoAmIRequest())

    async def get_organization(self, org_id: str) -> directory.Organization:
        """One registered organisation."""
        resp = await self._call(
            self._directory.GetOrganization, directory.GetOrganizationRequest(id=org_id)
        )
        return resp.organization

    def list_organizations(self, *, page_size: int = 0) -> AsyncIterator[directory.Organization]:
        """Every registered organisation, fetched page by page as you iterate."""
        return self._pages(
            self._directory.ListOrganizations,
            directory.ListOrganizationsRequest(page_size=page_size),
            lambda page: list(page.organizations),
        )
