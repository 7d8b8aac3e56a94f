"""A country's audit log in miniature: a realistic mix of events, the same for the same seed.

One *batch* of events at a time (a bench grows its log in steps), each with
citizens of its own:

- **many citizens**, about one for every ``EVENTS_PER_CITIZEN`` events, some far
  busier than others (a skewed draw, not a uniform one);
- **a few heavy ones** (``HEAVY_CITIZENS``), each in ``HEAVY_EVENTS`` events of
  the batch, spread through it: the worst page a citizen can open, and the same
  size at every log size, so that what grows between sizes is the log alone;
- **many organisations** (``ORGANISATIONS``), a few big cities and many small
  providers, each with its practitioners; about a fifth of the events are the
  citizens' own use of the portal (acting for themselves), a few percent are
  refusals, and some concern no citizen at all.

Times run evenly from ``start`` at ``per_day`` events a day, so the log is as
old as a country's would be at that size. Every organisation's events are
sampled as they pass (``sampled``): the numbers a bench may ask proofs of, over
the whole log.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from luukku.audit.events import AuditEvent, Outcome
from luukku.store.bulk import NewCitizen
from luukku.verify.identity_code import make_identity_code

EVENTS_PER_CITIZEN = 20
HEAVY_CITIZENS = 3
HEAVY_EVENTS = 10_000
ORGANISATIONS = 300
PRACTITIONERS_PER_ORG = 40
PORTAL = "portal"
"""The citizens' portal: its events are a citizen's own use of the hub."""
BIG_ORG = "org-000"
"""The busiest organisation (about a sixth of the organisations' events)."""
PORTAL_SHARE = 0.2
NO_CITIZEN_SHARE = 0.05
DENIED_SHARE = 0.03
SAMPLE_EVERY = 211
"""Every this many events of ``BIG_ORG``, one is sampled (``BatchMix.sampled``)."""

_SERIALS = 898  # the serial numbers an identity code may have (002-899)
_NAMES = ("Sanna", "Mikko", "Aino", "Juha", "Leena", "Pekka", "Riikka", "Ville", "Outi", "Kari")
_ROLES = ("social worker", "nurse", "physician", "secretary", "therapist")
_Calls = tuple[tuple[str, str, int], ...]
_CALLS: _Calls = (
    # (action, resource shape, weight): what organisations mostly do with a citizen's data.
    ("case.read", "cases/{case}", 30),
    ("record.list", "cases/{case}/records", 25),
    ("record.read", "cases/{case}/records/{item}", 15),
    ("record.create", "cases/{case}/records/{item}", 8),
    ("message.list", "threads/{item}/messages", 10),
    ("message.post", "threads/{item}/messages", 5),
    ("consent.list", "consents", 4),
    ("case.list", "cases", 3),
)
_PORTAL_CALLS: _Calls = (
    # What citizens do in the portal.
    ("case.list", "cases", 30),
    ("case.read", "cases/{case}", 25),
    ("audit.list", "audit-events", 20),
    ("consent.list", "consents", 15),
    ("message.list", "threads/{item}/messages", 10),
)
_CUMULATIVE = {calls: list(accumulate(c[2] for c in calls)) for calls in (_CALLS, _PORTAL_CALLS)}
_REFUSALS = ("CONSENT_REQUIRED", "CONSENT_EXPIRED", "PERMISSION_NOT_GRANTED", "NOT_CASE_CITIZEN")
_GRANTS = ("OWNER", "CONSENT", "OWNER", "OWNER_OR_CONSENT")


def org_id(n: int) -> str:
    """The ``n``-th organisation of the mix (0 is the busiest)."""
    return f"org-{n:03d}"


@dataclass
class BatchMix:
    """One batch of ``count`` events whose first is number ``first_seq`` of the log."""

    seed: int
    batch: int
    count: int
    first_seq: int
    """The number of the batch's first event (the log's size before it, plus one)."""
    """The number the batch's first event gets: the log's size before it, plus one."""
    start: datetime
    per_day: float
    sampled: list[int] = field(default_factory=list)
    """Numbers of ``BIG_ORG``'s events, filled in as :meth:`events` runs."""

    @property
    def citizen_count(self) -> int:
        """The batch's many citizens (the heavy ones besides)."""
        return max(10, self.count // EVENTS_PER_CITIZEN)

    @property
    def heavy_events(self) -> int:
        """Events of each heavy citizen: ``HEAVY_EVENTS``, fewer in a small batch."""
        return min(HEAVY_EVENTS, self.count // 20)

    def citizen_id(self, n: int) -> str:
        """The opaque id of the batch's citizen ``n`` (the heavy ones come first)."""
        return f"{self.seed:08x}{self.batch:04x}{n:020x}"

    def identity_code(self, n: int) -> str:
        """The identity code of the batch's citizen ``n``: one a day, born 1930 onwards."""
        day, serial = divmod(n + self.batch * 10_000_000, _SERIALS)
        return make_identity_code(date(1930, 1, 1) + timedelta(days=day), serial + 2)

    def heavy(self) -> list[tuple[str, str]]:
        """(id, identity code) of the batch's heavy citizens."""
        return [(self.citizen_id(n), self.identity_code(n)) for n in range(HEAVY_CITIZENS)]

    def typical(self) -> str:
        """The identity code of a citizen in about as many events as the average one."""
        # Drawn as N * u**2, citizen k is in about the average share where k = N / 4.
        return self.identity_code(HEAVY_CITIZENS + self.citizen_count // 4)

    def citizens(self) -> Iterator[NewCitizen]:
        """Every citizen of the batch, heavy ones first, for the loader."""
        for n in range(HEAVY_CITIZENS + self.citizen_count):
            yield NewCitizen(self.citizen_id(n), self.identity_code(n), self.start)

    def events(self) -> Iterator[AuditEvent]:
        """The batch's events in log order."""
        rng = random.Random(f"luukku-audit-mix/{self.seed}/{self.batch}")
        fingerprints = [
            hashlib.sha256(org_id(n).encode()).hexdigest() for n in range(ORGANISATIONS)
        ]
        portal_fingerprint = hashlib.sha256(PORTAL.encode()).hexdigest()
        heavy_share = HEAVY_CITIZENS * self.heavy_events / self.count
        step = timedelta(days=1) / self.per_day
        big = 0
        for i in range(self.count):
            u = rng.random()
            if u < heavy_share:
                citizen: str | None = self.citizen_id(rng.randrange(HEAVY_CITIZENS))
            elif u < heavy_share + NO_CITIZEN_SHARE:
                citizen = None
            else:
                # Squared: the first citizens are far busier than the last.
                busy = int(self.citizen_count * rng.random() ** 2)
                citizen = self.citizen_id(HEAVY_CITIZENS + busy)
            denied = rng.random() < DENIED_SHARE
            if citizen is not None and rng.random() < PORTAL_SHARE:
                org, fingerprint, calls = PORTAL, portal_fingerprint, _PORTAL_CALLS
                practitioner = ("", "", "")
                acting_for: str | None = citizen
                reason = "NOT_CASE_CITIZEN" if denied else "SELF"
                token_hash: str | None = f"{rng.getrandbits(256):064x}"
            else:
                n = int(ORGANISATIONS * rng.random() ** 3)  # a few big cities, many small ones
                org, fingerprint, calls = org_id(n), fingerprints[n], _CALLS
                p = rng.randrange(PRACTITIONERS_PER_ORG)
                practitioner = (f"p-{p}", _NAMES[p % len(_NAMES)], _ROLES[p % len(_ROLES)])
                acting_for, token_hash = None, None
                reason = rng.choice(_REFUSALS) if denied else rng.choice(_GRANTS)
            action, shape = rng.choices(calls, cum_weights=_CUMULATIVE[calls])[0][:2]
            resource = shape.format(case=f"{rng.getrandbits(128):032x}", item=f"{i:032x}")
            if org == BIG_ORG:
                if big % SAMPLE_EVERY == 0:
                    self.sampled.append(self.first_seq + i)
                big += 1
            yield AuditEvent(
                event_id=f"{rng.getrandbits(128):032x}",
                time=self.start + i * step,
                org_id=org,
                fingerprint=fingerprint,
                practitioner_id=practitioner[0],
                practitioner_name=practitioner[1],
                practitioner_role=practitioner[2],
                acting_for_citizen_id=acting_for,
                action=action,
                resource=resource,
                subject_citizen_id=citizen,
                outcome=Outcome.DENIED if denied else Outcome.ALLOWED,
                reason=reason,
                consent_id=f"{rng.getrandbits(128):032x}" if reason == "CONSENT" else None,
                request_id=f"{rng.getrandbits(128):032x}",
                citizen_token_hash=token_hash,
            )
