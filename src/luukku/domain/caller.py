"""Who is making a call, as established by the transport for every request."""

from __future__ import annotations

from dataclasses import dataclass

from luukku.domain.organizations import Organization


@dataclass(frozen=True)
class Practitioner:
    """The person inside the calling organisation, as that organisation asserts."""

    id: str = ""
    display_name: str = ""
    role: str = ""


@dataclass(frozen=True)
class Caller:
    """An authenticated call: the organisation, its certificate and who acts.

    ``on_behalf_of`` is the identity code a portal passes for the logged-in
    citizen (None otherwise), proven by the identity provider's token whose
    SHA-256 is ``citizen_token_hash``, and ``citizen_name`` the name the provider
    signed into it ("" if none); the ``repr`` shows none of them. ``acting_for``
    is the id of a representation right that citizen holds, when they act for
    the person it represents (None: for themselves); the ``repr`` shows only
    that there is one: the right names both people.
    """

    organization: Organization
    fingerprint: str
    practitioner: Practitioner
    request_id: str
    on_behalf_of: str | None = None
    citizen_token_hash: str | None = None
    acting_for: str | None = None
    citizen_name: str = ""

    def __repr__(self) -> str:
        acting = "<citizen>" if self.on_behalf_of else None
        right = "<right>" if self.acting_for else None
        return (
            f"Caller(org={self.organization.id!r}, practitioner={self.practitioner.id!r}, "
            f"request_id={self.request_id!r}, on_behalf_of={acting}, acting_for={right})"
        )
