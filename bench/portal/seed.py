"""The portal phase's citizens, written through the SDK as the organisations would.

Each browsing citizen gets a few cases with records, a discussion thread with
messages and a consent. One heavy citizen has a case of many records that a
consented organisation reads over and over, so their access log is long: the
audit log is append-only, and real reads are the honest way to fill it.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bench.phases.seed import OWNER, PORTAL, READER
from bench.portal.load import Citizen
from luukku.cli.demo_command import ISSUER_KEY
from luukku.client import Client, PermissionDeniedError, Practitioner, TLSConfig
from luukku.pki.dev_issuer import DevIssuer
from luukku.verify.identity_code import make_identity_code

STRANGER = "bench-care-2"
"""An organisation without consent whose reads of the heavy case are denied (and logged)."""
IN_FLIGHT = 32
CATEGORIES = ("home_care", "social_work", "rehabilitation")
KINDS = ("assessment", "visit", "note", "care-plan")
T = TypeVar("T")


@dataclass(frozen=True)
class PortalData:
    citizens: list[Citizen]
    heavy: Citizen
    heavy_events: int
    """Audit events about the heavy citizen by organisations (not the portal's own)."""


def _identity_code(n: int) -> str:
    # Individual numbers 900-999 are test numbers: no seeded citizen has one.
    return make_identity_code(date(1950, 1, 1) + timedelta(days=97 * n), 900 + n % 100)


async def _each(items: Iterable[T], work: Callable[[T], Awaitable[object]]) -> None:
    """``work`` on every item, at most :data:`IN_FLIGHT` at a time."""
    pending = iter(items)

    async def worker() -> None:
        for item in pending:  # one iterator shared by the workers: each item is taken once
            await work(item)

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


async def _citizen(
    owner: Client,
    portal: Callable[[str], Client],
    identity_code: str,
    cases: int,
    records: int,
    messages: int,
) -> Citizen:
    """Cases of ``records`` records each; a thread and a consent on the first."""
    created = [
        await owner.create_case(identity_code, title=f"Palvelutarve {n + 1}", category=category)
        for n, category in enumerate(CATEGORIES[:cases])
    ]
    first = created[0].id

    async def add_record(where: tuple[str, int]) -> None:
        case_id, n = where
        text = f"Kotikäynti {n + 1}: asiakas voi hyvin."
        await owner.create_record(case_id, kind=KINDS[n % len(KINDS)], text=text)

    await _each([(c.id, n) for c in created for n in range(records)], add_record)
    thread = await owner.create_thread(first, subject="Kotihoidon käynnit")
    for n in range(messages):
        await owner.post_message(thread.id, f"Viesti {n + 1}: käynti siirtyy klo 14.")
    await portal(identity_code).grant_consent(
        READER,
        case_id=first,
        permissions=["read", "discuss"],
        purpose="Arranging home care",
        valid_until=datetime.now(UTC) + timedelta(days=365),
    )
    return Citizen(identity_code, first, thread.id)


async def _read_heavily(
    reader: Client, stranger: Client, heavy: Citizen, record_ids: list[str], reads: int
) -> None:
    """``reads`` reads of the heavy case's records, one in twenty by an organisation refused."""
    rng = random.Random(reads)

    async def read(n: int) -> None:
        record_id = rng.choice(record_ids)
        if n % 20 == 19:
            try:
                await stranger.get_record(heavy.case_id, record_id)
            except PermissionDeniedError:
                return
            raise RuntimeError(f"{STRANGER} read a record without consent")
        await reader.get_record(heavy.case_id, record_id)

    await _each(range(reads), read)


async def seed_portal(
    target: str, pki: Path, *, citizens: int, heavy_records: int, heavy_reads: int, issuer: str
) -> PortalData:
    """Write the portal phase's data through the broker at ``target``; the portal acts for
    its citizens with tokens of the development ``issuer`` (its key in ``pki``)."""
    signer = DevIssuer.load_or_create(pki / ISSUER_KEY, issuer)

    def for_citizen(identity_code: str) -> Client:
        return portal.acting_as(
            on_behalf_of=identity_code, citizen_token=lambda: signer.mint(identity_code)
        )

    async def connect(org: str, practitioner: Practitioner | None) -> Client:
        return await Client.connect(
            target, tls=TLSConfig.from_pki_dir(pki, org), practitioner=practitioner
        )

    owner = await connect(OWNER, Practitioner("bench-sw", "Sanna Virtanen", "social worker"))
    reader = await connect(READER, Practitioner("bench-n", "Mikko Korhonen", "nurse"))
    stranger = await connect(STRANGER, Practitioner("bench-x", "Laura Hämäläinen", "nurse"))
    portal = await connect(PORTAL, None)
    try:
        # One citizen at a time (each with IN_FLIGHT calls at most): all at once would
        # pass the broker's quota of calls in flight per organisation, and be refused.
        browsing = [
            await _citizen(owner, for_citizen, _identity_code(n), cases=3, records=3, messages=3)
            for n in range(citizens)
        ]
        heavy = await _citizen(
            owner, for_citizen, _identity_code(citizens), cases=1, records=0, messages=3
        )
        record_ids: list[str] = []

        async def add_record(n: int) -> None:
            record = await owner.create_record(
                heavy.case_id, kind=KINDS[n % len(KINDS)], text=f"Käynti {n + 1}: kaikki hyvin."
            )
            record_ids.append(record.record_id)

        await _each(range(heavy_records), add_record)
        await _read_heavily(reader, stranger, heavy, record_ids, heavy_reads)
        counts = await for_citizen(heavy.identity_code).summarize_audit_events(
            since=datetime.now(UTC) - timedelta(days=1), exclude_own=True
        )
        events = sum(c.allowed + c.denied for c in counts)
        return PortalData(list(browsing), heavy, events)
    finally:
        await asyncio.gather(*(c.close() for c in (owner, reader, stranger, portal)))
