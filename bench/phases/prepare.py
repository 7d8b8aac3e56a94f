"""Before any server starts: the PKI and the two seeded SQLite databases."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from bench.phases.profile import Profile
from bench.phases.seed import (
    BaseData,
    Grants,
    add_filler_consents,
    copy_database,
    grant_reads,
    register_orgs,
    seed_base,
    setup_pki,
)

SEED = 20_240_601


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Prepared:
    """Where the run's files are and what the load generators may ask for."""

    pki: Path
    main_db: Path
    """The realistic database of the throughput, fan-out and streams phases."""
    scale_db: Path
    """The same citizens, cases and records with only ``scale_small`` consents, then more."""
    base: BaseData
    read: Grants
    scale: Grants

    def owner_cases(self) -> list[str]:
        return self.base.open_case_ids()


def prepare(work: Path, profile: Profile) -> Prepared:
    """Create the PKI, seed the main database and derive the consent-scale database."""
    rng = random.Random(SEED)
    pki = work / "pki"
    setup_pki(pki)
    main_db, scale_db = work / "bench.db", work / "scale.db"
    base = _seed_base(sqlite_url(main_db), pki, profile, rng)
    copy_database(main_db, scale_db)
    read = grant_reads(sqlite_url(main_db), base, profile.read_consents, rng)
    scale = grant_reads(sqlite_url(scale_db), base, profile.scale_small, rng)
    return Prepared(pki, main_db, scale_db, base, read, scale)


def _seed_base(database: str, pki: Path, profile: Profile, rng: random.Random) -> BaseData:
    register_orgs(database, pki)
    return seed_base(database, profile.sizes, rng)


def seed_postgres(url: str, prepared: Prepared, profile: Profile) -> Prepared:
    """The main database's data, seeded as :func:`prepare` seeds it, into the (empty,
    PostgreSQL) database at ``url``; the run's files with that data.
    """
    rng = random.Random(SEED)
    base = _seed_base(url, prepared.pki, profile, rng)
    read = grant_reads(url, base, profile.read_consents, rng)
    return replace(prepared, base=base, read=read)


def grow_consents(prepared: Prepared, database: Path, total: int) -> int:
    """Add filler consents to a copy of the consent-scale database until it holds ``total``.

    No broker may have ``database`` open meanwhile.
    """
    added = add_filler_consents(
        sqlite_url(database),
        prepared.base,
        max(0, total - prepared.scale.consents),
        prepared.scale.citizen_ids,
        random.Random(SEED + 1),
    )
    return prepared.scale.consents + added
