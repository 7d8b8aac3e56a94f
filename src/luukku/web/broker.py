"""A web app's one connection to the broker, as the organisation whose certificate it holds."""

from __future__ import annotations

import time
from collections.abc import Callable

from luukku.client import Client, Organization, Practitioner, RPCError, TLSConfig

DIRECTORY_TTL_S = 60.0


class BrokerLink:
    """A mutual-TLS channel shared by every request; each request acts for its person."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._organizations: list[Organization] = []
        self._fetched = -DIRECTORY_TTL_S

    @classmethod
    async def connect(cls, target: str, tls: TLSConfig) -> BrokerLink:
        """Open the channel without a first call, so the app starts while the broker is down."""
        return cls(await Client.connect(target, tls=tls, verify=False))

    def for_citizen(
        self, identity_code: str, token: Callable[[], str], *, acting_for: str | None = None
    ) -> Client:
        """Calls that the broker audits as done by the portal for this citizen, proven by
        the identity provider's ``token`` (a function: the current one at each call).

        ``acting_for``: the id of a representation right the citizen holds; each call
        then acts for the person it represents (``luukku-acting-for``).
        """
        return self._client.acting_as(
            on_behalf_of=identity_code, citizen_token=token, acting_for=acting_for
        )

    def for_practitioner(self, practitioner: Practitioner) -> Client:
        """Calls that the broker audits as done by this practitioner of the organisation."""
        return self._client.acting_as(practitioner=practitioner)

    async def organizations(self) -> list[Organization]:
        """The directory, refreshed every minute; the last known one while the broker is away."""
        if time.monotonic() - self._fetched > DIRECTORY_TTL_S:
            try:
                self._organizations = [o async for o in self._client.list_organizations()]
            except RPCError:
                return self._organizations
            self._fetched = time.monotonic()
        return self._organizations

    async def organization_names(self) -> dict[str, str]:
        """Organisation names by id (people read names, never ids)."""
        return {o.id: o.name for o in await self.organizations()}

    async def close(self) -> None:
        """Close the channel."""
        await self._client.close()
