"""Demo data for `make run`: a dev PKI, four organisations and a shared advice desk,
created only if missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from luukku.domain.desks.desks import Topic
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths, init_pki, issue_client_cert, read_cert_info
from luukku.service import directory
from luukku.service.desks import admin as desks
from luukku.store.uow import Store


@dataclass(frozen=True)
class DemoOrg:
    """A demo organisation."""

    id: str
    name: str
    kind: OrgKind
    business_id: str


DEMO_DESK = "advice-uusimaa"
# The two public services answer one counter: the social service in office
# hours, the health centre in the evening and at weekends.
DEMO_ROTA = "".join(
    [f"{day} 08:00-16:00 helsinki-social\n" for day in ("mon", "tue", "wed", "thu", "fri")]
    + [f"{day} 16:00-24:00 vantaa-health\n" for day in ("mon", "tue", "wed", "thu", "fri")]
    + [f"{day} 00:00-24:00 vantaa-health\n" for day in ("sat", "sun")]
)

# The desk's topics in Finnish, Swedish and English, as the portal shows them.
DEMO_TOPICS = (
    Topic("home-care", "Kotihoito", "Hemvård", "Home care"),
    Topic("health", "Terveys", "Hälsa", "Health"),
    Topic(
        "benefits", "Etuudet ja asiakasmaksut", "Förmåner och klientavgifter", "Benefits and fees"
    ),
)

# Their names as the organisations write them: a bilingual city's services in Finnish
# and Swedish, as Helsinki and Vantaa name theirs.
DEMO_ORGS = (
    DemoOrg(
        "helsinki-social",
        "Helsingin sosiaalipalvelut \u2013 Helsingfors socialtjänster",
        OrgKind.PUBLIC,
        "0201256-6",
    ),
    DemoOrg(
        "vantaa-health",
        "Vantaan terveysasema \u2013 Vanda hälsostation",
        OrgKind.PUBLIC,
        "0124610-9",
    ),
    DemoOrg("hoiva-oy", "Hoiva Oy", OrgKind.PRIVATE, "2845603-4"),
    DemoOrg("omaportaali", "Omaportaali", OrgKind.PORTAL, "3366112-0"),
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
        yield from demo_desk(store)
    finally:
        store.dispose()


def demo_desk(store: Store) -> Iterator[str]:
    """The shared advice desk of the two public services, if it is not there yet, and
    its topics' names (also on a desk made before topics had names)."""
    with store.read() as tx:
        known = tx.desks.get(DEMO_DESK)
    if known is None:
        desks.create_desk(
            store,
            DEMO_DESK,
            name="Sosiaali- ja terveysneuvonta, Uusimaa",
            topics=[t.id for t in DEMO_TOPICS],
            overflow=timedelta(minutes=10),
            reopen_within=timedelta(days=14),
        )
        for member in ("helsinki-social", "vantaa-health"):
            desks.add_member(store, DEMO_DESK, member)
        desks.set_rota(store, DEMO_DESK, DEMO_ROTA)
        yield f"created the shared desk {DEMO_DESK}"
    if known is None or set(known.topics) != set(DEMO_TOPICS):
        for t in DEMO_TOPICS:
            desks.set_topic(store, DEMO_DESK, t.id, fi=t.name_fi, sv=t.name_sv, en=t.name_en)
        yield f"named the topics of {DEMO_DESK} in fi, sv and en"
