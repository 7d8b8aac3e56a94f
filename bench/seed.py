"""Realistic bench data, written before the broker starts.

Organisations and their certificates go through the directory use case, as an
operator's ``luukku org add`` would; the bulk (citizens, cases, records,
consents) is inserted with SQLAlchemy Core ``executemany`` into the same
tables the broker uses, in the shape its repositories write.
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert

from luukku.domain.business_id import InvalidBusinessId, make_business_id
from luukku.domain.cases import CaseStatus, ServiceCategory
from luukku.domain.identity_code import make_identity_code
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths, init_pki, issue_client_cert, read_cert_info
from luukku.service import directory
from luukku.store.tables import (
    cases,
    citizens,
    consent_revisions,
    consents,
    record_revisions,
    records,
)
from luukku.store.uow import Store

OWNER = "bench-social"
"""The public organisation that owns every seeded case (writes records, runs threads)."""
READER = "bench-care"
"""The private organisation that reads records under the citizens' consents."""
PORTAL = "bench-portal"
"""The citizen portal's organisation (the portal phase's portal acts for its citizens)."""


@dataclass(frozen=True)
class BenchOrg:
    id: str
    name: str
    kind: OrgKind


ORGS = (
    BenchOrg(OWNER, "Kaupungin sosiaalipalvelut (bench)", OrgKind.PUBLIC),
    BenchOrg(READER, "Hoivapalvelu Oy (bench)", OrgKind.PRIVATE),
    BenchOrg("bench-health", "Terveysasema (bench)", OrgKind.PUBLIC),
    BenchOrg("bench-care-2", "Kotihoito Oy (bench)", OrgKind.PRIVATE),
    BenchOrg("bench-care-3", "Kuntoutus Oy (bench)", OrgKind.PRIVATE),
    BenchOrg("bench-care-4", "Asumispalvelu Oy (bench)", OrgKind.PRIVATE),
    BenchOrg("bench-care-5", "Hyvinvointi Oy (bench)", OrgKind.PRIVATE),
    BenchOrg(PORTAL, "Omaportaali (bench)", OrgKind.PORTAL),
)
# Organisations a citizen may consent to, besides the reader.
_CONSENTED_ORGS = tuple(o.id for o in ORGS if o.id not in (OWNER, READER, PORTAL))

_KINDS = ("assessment", "care-plan", "note", "visit", "decision")
_PERMISSIONS = ("read", "discuss,read", "discuss,read,write", "read,write")
_PURPOSES = (
    "Arranging home care",
    "Planning rehabilitation together",
    "Coordinating housing support",
    "Follow-up after hospital discharge",
)
_SENTENCES = (
    "Asiakas asuu yksin kerrostalon kolmannessa kerroksessa, hissi on käytössä.",
    "Kotihoidon käynnit kaksi kertaa päivässä, aamulla ja illalla.",
    "Lääkitys tarkistettu, annosjakelu apteekin kautta jatkuu.",
    "Omainen osallistui palaveriin puhelimitse ja toivoo viikoittaista yhteydenottoa.",
    "Liikkuminen sujuu rollaattorin kanssa; kaatumisriski arvioitu kohtalaiseksi.",
    "Ateriapalvelu aloitetaan ensi viikolla, ruokavaliossa huomioidaan diabetes.",
    "Asiakas toivoo saunavuoroa ja apua kauppa-asioinnissa.",
    "Seuraava arviointikäynti sovittu kuukauden päähän.",
)
_NAMES = ("Aino Virtanen", "Mikko Korhonen", "Sanna Nieminen", "Jukka Mäkinen", "Laura Hämäläinen")
_ROLES = ("social worker", "nurse", "physiotherapist", "case manager")
_CHUNK = 5000


def setup_pki(root: Path) -> PkiPaths:
    """The hub CA, the server certificate and one client certificate per bench organisation."""
    paths = init_pki(root)
    for org in ORGS:
        issue_client_cert(root, org.id)
    return paths


def _business_ids() -> Iterator[str]:
    for n in range(2_000_000, 10_000_000, 7919):
        try:
            yield make_business_id(f"{n:07d}")
        except InvalidBusinessId:
            continue


def register_orgs(store: Store, pki: Path) -> None:
    """Register every bench organisation with its certificate, as ``luukku org add`` does."""
    paths = PkiPaths(pki)
    for org, business_id in zip(ORGS, _business_ids(), strict=False):
        directory.register_organization(
            store,
            org.id,
            name=org.name,
            kind=org.kind,
            business_id=business_id,
            cert=read_cert_info(paths.org_cert(org.id).read_bytes()),
        )


@dataclass(frozen=True)
class Sizes:
    citizens: int
    cases: int
    records: int


@dataclass(frozen=True)
class SeededCase:
    id: str
    citizen_id: str
    is_open: bool


@dataclass
class BaseData:
    """What the load generators and consent grants need to know about the seeded data."""

    now: datetime
    citizen_ids: list[str]
    cases: list[SeededCase]
    records_by_case: dict[str, list[str]] = field(default_factory=dict)
    cases_by_citizen: dict[str, list[str]] = field(default_factory=dict)

    def open_case_ids(self) -> list[str]:
        return [c.id for c in self.cases if c.is_open]


@contextmanager
def _bulk(store: Store) -> Iterator[Connection]:
    """One transaction for a bulk load, with a page cache big enough for its indexes."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
        yield conn


def _insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(table), list(rows[start : start + _CHUNK]))


def _new_id(rng: random.Random) -> str:
    """A uuid4 in the broker's 32-hex form, reproducible from the seed."""
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _identity_codes(rng: random.Random, n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(80 * 365))
        codes.add(make_identity_code(born, rng.randrange(2, 900)))
    return sorted(codes)


def _text(rng: random.Random) -> str:
    return " ".join(rng.sample(_SENTENCES, rng.randrange(2, 6)))


def seed_base(store: Store, sizes: Sizes, rng: random.Random) -> BaseData:
    """Citizens, their cases (all owned by :data:`OWNER`) and records with one revision each."""
    now = datetime.now(UTC)
    citizen_rows: list[dict[str, Any]] = [
        {"id": _new_id(rng), "identity_code": code, "created_at": now - timedelta(days=800)}
        for code in _identity_codes(rng, sizes.citizens)
    ]
    base = BaseData(now=now, citizen_ids=[r["id"] for r in citizen_rows], cases=[])
    case_rows: list[dict[str, Any]] = []
    for _ in range(sizes.cases):
        category = rng.choice(list(ServiceCategory))
        opened = now - timedelta(days=rng.uniform(30, 700))
        closed = rng.random() < 0.1
        case = SeededCase(_new_id(rng), rng.choice(base.citizen_ids), not closed)
        base.cases.append(case)
        case_rows.append(
            {
                "id": case.id,
                "citizen_id": case.citizen_id,
                "owner_org_id": OWNER,
                "title": f"{category.value.replace('_', ' ').capitalize()} {opened:%Y-%m}",
                "category": category.value,
                "status": (CaseStatus.CLOSED if closed else CaseStatus.OPEN).value,
                "created_at": opened,
                "closed_at": opened + timedelta(days=20) if closed else None,
                "request_id": None,
            }
        )
    by_citizen: defaultdict[str, list[str]] = defaultdict(list)
    for case in base.cases:
        by_citizen[case.citizen_id].append(case.id)
    base.cases_by_citizen = dict(by_citizen)
    record_rows: list[dict[str, Any]] = []
    revision_rows: list[dict[str, Any]] = []
    by_case: defaultdict[str, list[str]] = defaultdict(list)
    for _ in range(sizes.records):
        case_id = rng.choice(base.cases).id
        record_id = _new_id(rng)
        written = now - timedelta(days=rng.uniform(0, 30))
        by_case[case_id].append(record_id)
        record_rows.append(
            {"id": record_id, "case_id": case_id, "kind": rng.choice(_KINDS), "created_at": written}
        )
        data = {"visits_per_day": rng.randrange(1, 4)} if rng.random() < 0.3 else None
        revision_rows.append(
            {
                "record_id": record_id,
                "revision": 1,
                "text": _text(rng),
                "data": json.dumps(data, sort_keys=True) if data is not None else None,
                "author_org_id": OWNER,
                "practitioner_id": f"p-{rng.randrange(1, 60)}",
                "practitioner_name": rng.choice(_NAMES),
                "practitioner_role": rng.choice(_ROLES),
                "created_at": written,
                "request_id": None,
            }
        )
    base.records_by_case = dict(by_case)
    with _bulk(store) as conn:
        _insert(conn, citizens, citizen_rows)
        _insert(conn, cases, case_rows)
        _insert(conn, records, record_rows)
        _insert(conn, record_revisions, revision_rows)
    return base


@dataclass(frozen=True)
class Grants:
    """The reader's consents: the records it may read and whose consents they are."""

    pairs: list[tuple[str, str]]
    citizen_ids: frozenset[str]
    consents: int


def _consent_rows(
    rng: random.Random,
    *,
    citizen_id: str,
    org_id: str,
    case_id: str | None,
    category: str | None,
    permissions: str,
    purpose: str,
    valid_from: datetime,
    valid_until: datetime,
    revoked_at: datetime | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    consent_id = _new_id(rng)
    consent = {
        "id": consent_id,
        "citizen_id": citizen_id,
        "org_id": org_id,
        "case_id": case_id,
        "category": category,
        "permissions": permissions,
        "purpose": purpose,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "created_at": valid_from,
        "revision": 2 if revoked_at else 1,
        "revoked_at": revoked_at,
        "request_id": None,
    }
    history = [
        {
            "consent_id": consent_id,
            "revision": 1,
            "state": "active",
            "changed_at": valid_from,
            "request_id": _new_id(rng),
        }
    ]
    if revoked_at is not None:
        history.append(
            {
                "consent_id": consent_id,
                "revision": 2,
                "state": "revoked",
                "changed_at": revoked_at,
                "request_id": _new_id(rng),
            }
        )
    return consent, history


def _write_consents(
    store: Store, rows: list[dict[str, Any]], history: list[dict[str, Any]]
) -> None:
    with _bulk(store) as conn:
        _insert(conn, consents, rows)
        _insert(conn, consent_revisions, history)


def grant_reads(store: Store, base: BaseData, n: int, rng: random.Random) -> Grants:
    """Active consents letting :data:`READER` read ``n`` cases that have records.

    Distinct citizens where possible, so each read's consent lookup finds one row.
    """
    candidates = [c for c in base.cases if base.records_by_case.get(c.id)]
    rng.shuffle(candidates)
    seen: set[str] = set()
    distinct: list[SeededCase] = []
    repeats: list[SeededCase] = []
    for case in candidates:
        (repeats if case.citizen_id in seen else distinct).append(case)
        seen.add(case.citizen_id)
    chosen = (distinct + repeats)[:n]
    rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for case in chosen:
        start = base.now - timedelta(days=rng.uniform(1, 60))
        consent, revisions = _consent_rows(
            rng,
            citizen_id=case.citizen_id,
            org_id=READER,
            case_id=case.id,
            category=None,
            permissions=rng.choice(("read", "discuss,read")),
            purpose=rng.choice(_PURPOSES),
            valid_from=start,
            valid_until=start + timedelta(days=365),
        )
        rows.append(consent)
        history += revisions
    _write_consents(store, rows, history)
    pairs = [(c.id, r) for c in chosen for r in base.records_by_case[c.id]]
    return Grants(pairs, frozenset(c.citizen_id for c in chosen), len(rows))


def add_filler_consents(
    store: Store, base: BaseData, n: int, protected: frozenset[str], rng: random.Random
) -> int:
    """``n`` consents of many citizens to several organisations, some revoked or expired.

    None is from a ``protected`` citizen to :data:`READER`: the consents the
    measured reads check stay exactly the same, only the table grows.
    """
    rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    orgs = (*_CONSENTED_ORGS, READER)
    while len(rows) < n:
        citizen_id = rng.choice(base.citizen_ids)
        org_id = rng.choice(orgs)
        if org_id == READER and citizen_id in protected:
            continue
        own_cases = base.cases_by_citizen.get(citizen_id)
        case_id = rng.choice(own_cases) if own_cases and rng.random() < 0.6 else None
        start = base.now - timedelta(days=rng.uniform(1, 900))
        revoked = start + timedelta(days=rng.uniform(0, 30)) if rng.random() < 0.08 else None
        consent, revisions = _consent_rows(
            rng,
            citizen_id=citizen_id,
            org_id=org_id,
            case_id=case_id,
            category=None if case_id else rng.choice(list(ServiceCategory)).value,
            permissions=rng.choice(_PERMISSIONS),
            purpose=rng.choice(_PURPOSES),
            valid_from=start,
            valid_until=start + timedelta(days=rng.uniform(30, 1500)),
            revoked_at=revoked if revoked is not None and revoked < base.now else None,
        )
        rows.append(consent)
        history += revisions
    _write_consents(store, rows, history)
    return len(rows)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the online backup API)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
