"""Directory use cases: authenticating callers and managing organisations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from luukku.domain.caller import Caller
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument, not_found
from luukku.domain.organizations import (
    Certificate,
    CertState,
    Organization,
    OrgKind,
    OrgStatus,
    admit,
    validate_business_id,
    validate_org_id,
)
from luukku.service.access.acting import represented_actor
from luukku.service.access.clock import now_utc
from luukku.service.paging import Listing, page_size
from luukku.store.callers.check import CachedCaller, CallerCheck
from luukku.store.callers.directory import DirectoryRepository
from luukku.store.uow import Store


class CertificateFacts(Protocol):
    """What the directory keeps of a client certificate (``pki.CertInfo`` has it)."""

    @property
    def fingerprint(self) -> str: ...

    @property
    def subject(self) -> str: ...

    @property
    def not_after(self) -> datetime: ...


def authenticate(store: Store, fingerprint: str) -> Organization:
    """The active organisation holding the certificate ``fingerprint``.

    Looked up on every call, uncached, so that a suspension or revocation bites
    on the caller's very next request (on SQLite, and for a stream; a broker on
    PostgreSQL serves unary calls from ``CallerCache``, checked in each call's
    first transaction).
    """
    with store.lookup() as tx:
        cert, org = tx.directory.find_caller(fingerprint)
    return admit(cert, org)


class CallerCache:
    """A PostgreSQL broker's admitted callers by certificate fingerprint.

    Each call served from here carries a ``CallerCheck`` that its first
    transaction settles against the directory's version (``store.callers.check``),
    so a suspension or revocation still bites on the caller's very next request,
    on every broker, without a lookup of its own. Only admitted callers are
    kept: one entry per registered certificate at most.
    """

    def __init__(self) -> None:
        self._entries: dict[str, CachedCaller] = {}

    def cached(self, fingerprint: str) -> tuple[Organization, CallerCheck] | None:
        """The caller as cached, with the check its call must pass; None if not cached."""
        entry = self._entries.get(fingerprint)
        if entry is None:
            return None
        return admit(*entry.rows), CallerCheck(fingerprint, entry)

    def look_up(self, store: Store, fingerprint: str) -> tuple[Organization, CallerCheck]:
        """``authenticate`` from the directory, keeping the caller once admitted.

        Raises:
            LuukkuError: UNAUTHENTICATED, as ``authenticate``.
        """
        self._entries.pop(fingerprint, None)
        with store.lookup() as tx:
            cert, org, version = tx.directory.find_caller_at_version(fingerprint)
        admitted = admit(cert, org)
        assert version is not None  # a registered certificate was read with it
        entry = CachedCaller((cert, org), version)
        self._entries[fingerprint] = entry
        return admitted, CallerCheck(fingerprint, entry, confirmed=True)

    def forget(self, fingerprint: str) -> None:
        """Drop a caller the directory changed (``CallerChanged``)."""
        self._entries.pop(fingerprint, None)


def confirm_caller(store: Store) -> None:
    """Settle the call's pending caller check, for a call that began no transaction."""
    with store.read():
        pass


def holder_of(store: Store, fingerprint: str) -> str:
    """The id of the organisation a certificate is registered to; empty if it is not."""
    with store.lookup() as tx:
        cert, _ = tx.directory.find_caller(fingerprint)
    return cert.org_id if cert else ""


def acting_citizen(store: Store, caller: Caller) -> str:
    """The opaque id of the citizen ``caller`` acts for; empty when it acts for nobody.

    Made on first sight, as any call acting for the citizen makes it: the answer is
    an id either way, so it never tells whether the hub knew the person. Under a
    representation right (``luukku-acting-for``), the person it represents, if the
    right is the signed-in citizen's (else ``REPRESENTATION_MISSING``).
    """
    if caller.on_behalf_of is None:
        return ""
    with store.transaction() as tx:
        citizen = tx.citizens.get_or_create(caller.on_behalf_of, now_utc())
        if caller.acting_for is None:
            return citizen
        org = caller.organization.id
        represented = represented_actor(tx, org, citizen, caller.acting_for).citizen_id
        assert represented is not None
        return represented


def get_organization(store: Store, org_id: str) -> Organization:
    """One organisation, or NOT_FOUND (ORG_NOT_FOUND)."""
    if not org_id:
        raise invalid_argument("MISSING_FIELD", "id", "required")
    validate_org_id(org_id)
    with store.read() as tx:
        org = tx.directory.get_organization(org_id)
    if org is None:
        raise not_found("ORG_NOT_FOUND", "no such organisation")
    return org


def list_organizations(
    store: Store, requested_page_size: int, page_token: str
) -> tuple[Sequence[Organization], str]:
    """One page of organisations in id order, and the next page's token."""
    size = page_size(requested_page_size)
    listing = Listing("organizations")
    after = listing.after_text(page_token) or ""
    with store.transaction() as tx:
        orgs = tx.directory.list_organizations(after, size + 1)
    if len(orgs) > size:
        return orgs[:size], listing.token(orgs[size - 1].id)
    return orgs, ""


def register_organization(
    store: Store,
    org_id: str,
    *,
    name: str,
    kind: OrgKind,
    business_id: str,
    cert: CertificateFacts,
    oidc_client_id: str | None = None,
) -> Organization:
    """Register a new organisation with its first client certificate, atomically.

    ``oidc_client_id`` is a portal's OpenID client id at the citizens' identity
    provider (see :func:`set_oidc_client_id`).
    """
    validate_org_id(org_id)
    if not name.strip():
        raise invalid_argument("MISSING_FIELD", "name", "required")
    now = datetime.now(UTC)
    org = Organization(
        id=org_id,
        name=name.strip(),
        business_id=validate_business_id(business_id),
        kind=kind,
        status=OrgStatus.ACTIVE,
        created_at=now,
        oidc_client_id=_client_id(kind, oidc_client_id),
    )
    with store.transaction() as tx:
        if tx.directory.get_organization(org_id) is not None:
            raise LuukkuError(
                ErrorCode.ALREADY_EXISTS, "ORG_EXISTS", f"organisation {org_id!r} exists"
            )
        tx.directory.add_organization(org)
        _add_certificate(tx.directory, org_id, cert, now)
    return org


def set_oidc_client_id(store: Store, org_id: str, client_id: str | None) -> None:
    """Register (or, with None, forget) a portal organisation's OpenID client id.

    The broker then accepts the citizens' tokens made for that client (the
    portal's own sign-in) from this organisation's calls, besides those made
    for the broker itself.
    """
    with store.transaction() as tx:
        org = tx.directory.get_organization(org_id)
        if org is None:
            raise not_found("ORG_NOT_FOUND", f"no organisation {org_id!r}")
        tx.directory.set_oidc_client_id(org_id, _client_id(org.kind, client_id))


def _client_id(kind: OrgKind, client_id: str | None) -> str | None:
    if client_id is None:
        return None
    client_id = client_id.strip()
    if kind is not OrgKind.PORTAL:
        raise invalid_argument(
            "NOT_A_PORTAL", "oidc_client_id", "only a portal organisation acts for citizens"
        )
    if not 1 <= len(client_id) <= 255 or not client_id.isprintable():
        raise invalid_argument("INVALID_CLIENT_ID", "oidc_client_id", "1-255 printable characters")
    return client_id


def add_certificate(store: Store, org_id: str, cert: CertificateFacts) -> None:
    """Register another client certificate (e.g. a renewal) for an organisation."""
    with store.transaction() as tx:
        if tx.directory.get_organization(org_id) is None:
            raise not_found("ORG_NOT_FOUND", f"no organisation {org_id!r}")
        _add_certificate(tx.directory, org_id, cert, datetime.now(UTC))


def _add_certificate(
    directory: DirectoryRepository, org_id: str, cert: CertificateFacts, now: datetime
) -> None:
    if directory.get_certificate(cert.fingerprint) is not None:
        raise LuukkuError(
            ErrorCode.ALREADY_EXISTS, "CERTIFICATE_EXISTS", "certificate is already registered"
        )
    directory.add_certificate(
        Certificate(cert.fingerprint, org_id, CertState.ACTIVE, cert.subject, cert.not_after),
        added_at=now,
    )


def set_organization_status(store: Store, org_id: str, status: OrgStatus) -> None:
    """Suspend or reactivate an organisation; effective on its next call."""
    with store.transaction() as tx:
        if not tx.directory.set_status(org_id, status):
            raise not_found("ORG_NOT_FOUND", f"no organisation {org_id!r}")


def access_states(store: Store) -> frozenset[tuple[str, str, str]]:
    """What decides who may connect: each certificate's state and its organisation's status,
    and who may watch a desk's queue: each desk membership (``("desk", desk, member)``).

    Compared from one moment to the next, it shows that a suspension, a
    revocation or a membership's end happened, wherever it was made (the admin
    CLI is another process).
    """
    with store.read() as tx:
        memberships = {("desk", desk, org) for desk, org in tx.desks.memberships()}
        return tx.directory.access_states() | memberships


def revoke_certificate(store: Store, fingerprint: str) -> Certificate:
    """Revoke a registered certificate; effective on its holder's next call."""
    with store.transaction() as tx:
        cert = tx.directory.get_certificate(fingerprint)
        if cert is None:
            raise not_found("CERTIFICATE_NOT_FOUND", "certificate is not registered")
        tx.directory.revoke_certificate(fingerprint, datetime.now(UTC))
    return cert
