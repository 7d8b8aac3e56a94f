"""Demo data for `make run`: a dev PKI and four organisations, created only if missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths, init_pki, issue_client_cert, read_cert_info
from luukku.service import directory


@dataclass(frozen=True)
class DemoOrg:
    """A demo organisation."""

    id: str
    name: str
    kind: OrgKind
    business_id: str


DEMO_ORGS = (
    DemoOrg("helsinki-social", "Helsingin sosiaalipalvelut", OrgKind.PUBLIC, "0201256-6"),
    DemoOrg("vantaa-health", "Vantaan terveysasema", OrgKind.PUBLIC, "0124610-9"),
    DemoOrg("hoiva-oy", "Hoiva Oy (private care)", OrgKind.PRIVATE, "2845603-4"),
    DemoOrg("omaportaali", "Omaportaali (citizen portal)", OrgKind.PORTAL, "3366112-0"),
)


def setup_demo(pki: Path, database_url: str) -> Iterator[str]:
    """Create what is missing and say what was done, one line at a time."""
    from luukku.store.opening import open_store

    paths = PkiPaths(pki)
    if not paths.ca_cert.exists():
        init_pki(pki)
        yield f"created dev PKI in {pki}"
    store = open_store(database_url)
    try:
        for org in DEMO_ORGS:
            if not paths.org_cert(org.id).exists():
                issue_client_cert(pki, org.id)
                yield f"issued certificate for {org.id}"
            info = read_cert_info(paths.org_cert(org.id).read_bytes())
            with store.transaction() as tx:
                known_org = tx.directory.get_organization(org.id)
                known_cert = tx.directory.get_certificate(info.fingerprint)
            if known_org is None:
                directory.register_organization(
                    store,
                    org.id,
                    name=org.name,
                    kind=org.kind,
                    business_id=org.business_id,
                    cert=info,
                )
                yield f"registered {org.id} ({org.kind.value})"
            elif known_cert is None:
                directory.add_certificate(store, org.id, info)
                yield f"registered the new certificate of {org.id}"
    finally:
        store.dispose()
