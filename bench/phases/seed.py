"""Realistic bench data, written before the broker starts.

Organisations and their certificates go through the CLI (``luukku pki``,
``luukku org add``), as an operator would register them; the bulk (citizens,
cases, records, consents) goes through the store's bulk loader
(:mod:`luukku.store.bulk`), which writes the rows the repositories write.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.harness.cli import Org, make_pki, register
from luukku.domain.caller import Practitioner
from luukku.domain.cases import Case, CaseStatus, Record, ServiceCategory
from luukku.domain.consents import Consent, Permission
from luukku.store.bulk import NewCitizen, loading
from luukku.verify.identity_code import make_identity_code

OWNER = "bench-social"
"""The public organisation that owns every seeded case (writes records, runs threads)."""
READER = "bench-care"
"""The private organisation that reads records under the citizens' consents."""
PORTAL = "bench-portal"
"""The citizen portal's organisation (the portal phase's portal acts for its citizens)."""


ORGS = (
    Org(OWNER, "Kaupungin sosiaalipalvelut (bench)", "public"),
    Org(READER, "Hoivapalvelu Oy (bench)", "private"),
    Org("bench-health", "Terveysasema (bench)", "public"),
    Org("bench-care-2", "Kotihoito Oy (bench)", "private"),
    Org("bench-care-3", "Kuntoutus Oy (bench)", "private"),
    Org("bench-care-4", "Asumispalvelu Oy (bench)", "private"),
    Org("bench-care-5", "Hyvinvointi Oy (bench)", "private"),
    Org(PORTAL, "Omaportaali (bench)", "portal"),
)
# Organisations a citizen may consent to, besides the reader.
_CONSENTED_ORGS = tuple(o.id for o in ORGS if o.id not in (OWNER, READER, PORTAL))

_KINDS = ("assessment", "care-plan", "note", "visit", "decision")
_PERMISSIONS = (
    frozenset({Permission.READ}),
    frozenset({Permission.DISCUSS, Permission.READ}),
    frozenset({Permission.DISCUSS, Permission.READ, Permission.WRITE}),
    frozenset({Permission.READ, Permission.WRITE}),
)
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


def setup_pki(root: Path) -> None:
    """The hub CA, the server certificate and one client certificate per bench organisation."""
    make_pki(root, (org.id for org in ORGS))


def register_orgs(database: str, pki: Path) -> None:
    """Register every bench organisation with its certificate (``luukku org add``)."""
    register(database, pki, ORGS)


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


def seed_base(database: str, sizes: Sizes, rng: random.Random) -> BaseData:
    """Citizens, their cases (all owned by :data:`OWNER`) and records with one revision each."""
    now = datetime.now(UTC)
    citizens = [
        NewCitizen(_new_id(rng), code, now - timedelta(days=800))
        for code in _identity_codes(rng, sizes.citizens)
    ]
    base = BaseData(now=now, citizen_ids=[c.id for c in citizens], cases=[])
    cases: list[Case] = []
    for _ in range(sizes.cases):
        category = rng.choice(list(ServiceCategory))
        opened = now - timedelta(days=rng.uniform(30, 700))
        closed = rng.random() < 0.1
        seeded = SeededCase(_new_id(rng), rng.choice(base.citizen_ids), not closed)
        base.cases.append(seeded)
        cases.append(
            Case(
                id=seeded.id,
                citizen_id=seeded.citizen_id,
                owner_org_id=OWNER,
                title=f"{category.value.replace('_', ' ').capitalize()} {opened:%Y-%m}",
                category=category,
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                created_at=opened,
                closed_at=opened + timedelta(days=20) if closed else None,
            )
        )
    by_citizen: defaultdict[str, list[str]] = defaultdict(list)
    for case in base.cases:
        by_citizen[case.citizen_id].append(case.id)
    base.cases_by_citizen = dict(by_citizen)
    records: list[Record] = []
    by_case: defaultdict[str, list[str]] = defaultdict(list)
    for _ in range(sizes.records):
        case_id = rng.choice(base.cases).id
        record_id = _new_id(rng)
        by_case[case_id].append(record_id)
        kind = rng.choice(_KINDS)
        written = now - timedelta(days=rng.uniform(0, 30))
        data = {"visits_per_day": rng.randrange(1, 4)} if rng.random() < 0.3 else None
        records.append(
            Record(
                case_id=case_id,
                record_id=record_id,
                revision=1,
                kind=kind,
                text=_text(rng),
                data=data,
                author_org_id=OWNER,
                author=Practitioner(
                    f"p-{rng.randrange(1, 60)}", rng.choice(_NAMES), rng.choice(_ROLES)
                ),
                created_at=written,
            )
        )
    base.records_by_case = dict(by_case)
    with loading(database) as load:
        load.citizens(citizens)
        load.cases(cases)
        load.records(records)
    return base


@dataclass(frozen=True)
class Grants:
    """The reader's consents: the records it may read and whose consents they are."""

    pairs: list[tuple[str, str]]
    citizen_ids: frozenset[str]
    consents: int


def _consent(
    rng: random.Random,
    *,
    citizen_id: str,
    org_id: str,
    case_id: str | None,
    category: ServiceCategory | None,
    permissions: frozenset[Permission],
    purpose: str,
    valid_from: datetime,
    valid_until: datetime,
    revoked_at: datetime | None = None,
) -> Consent:
    return Consent(
        id=_new_id(rng),
        citizen_id=citizen_id,
        org_id=org_id,
        case_id=case_id,
        category=category,
        permissions=permissions,
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=valid_from,
        revision=2 if revoked_at else 1,
        revoked_at=revoked_at,
    )


def _write_consents(database: str, consents: list[Consent]) -> None:
    with loading(database) as load:
        load.consents(consents)


def grant_reads(database: str, base: BaseData, n: int, rng: random.Random) -> Grants:
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
    consents: list[Consent] = []
    for case in chosen:
        start = base.now - timedelta(days=rng.uniform(1, 60))
        consents.append(
            _consent(
                rng,
                citizen_id=case.citizen_id,
                org_id=READER,
                case_id=case.id,
                category=None,
                permissions=rng.choice(_PERMISSIONS[:2]),
                purpose=rng.choice(_PURPOSES),
                valid_from=start,
                valid_until=start + timedelta(days=365),
            )
        )
    _write_consents(database, consents)
    pairs = [(c.id, r) for c in chosen for r in base.records_by_case[c.id]]
    return Grants(pairs, frozenset(c.citizen_id for c in chosen), len(consents))


def add_filler_consents(
    database: str, base: BaseData, n: int, protected: frozenset[str], rng: random.Random
) -> int:
    """``n`` consents of many citizens to several organisations, some revoked or expired.

    None is from a ``protected`` citizen to :data:`READER`: the consents the
    measured reads check stay exactly the same, only the table grows.
    """
    consents: list[Consent] = []
    orgs = (*_CONSENTED_ORGS, READER)
    while len(consents) < n:
        citizen_id = rng.choice(base.citizen_ids)
        org_id = rng.choice(orgs)
        if org_id == READER and citizen_id in protected:
            continue
        own_cases = base.cases_by_citizen.get(citizen_id)
        case_id = rng.choice(own_cases) if own_cases and rng.random() < 0.6 else None
        start = base.now - timedelta(days=rng.uniform(1, 900))
        revoked = start + timedelta(days=rng.uniform(0, 30)) if rng.random() < 0.08 else None
        consents.append(
            _consent(
                rng,
                citizen_id=citizen_id,
                org_id=org_id,
                case_id=case_id,
                category=None if case_id else rng.choice(list(ServiceCategory)),
                permissions=rng.choice(_PERMISSIONS),
                purpose=rng.choice(_PURPOSES),
                valid_from=start,
                valid_until=start + timedelta(days=rng.uniform(30, 1500)),
                revoked_at=revoked if revoked is not None and revoked < base.now else None,
            )
        )
    _write_consents(database, consents)
    return len(consents)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the online backup API)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
