"""The access rule through the real service layer and store, on SQLite and PostgreSQL.

Hypothesis generates programs: an owner organisation opens cases for two citizens
and writes a record in each; the citizens, through the portal, grant consents to
two care organisations and revoke them; the organisations (and the citizens)
read the records. Every read is predicted by a small, independent oracle of the
rule in DESIGN.md, and afterwards the audit log must hold exactly one event per
call, in order, with the predicted outcome and reason.

Organisations also list a citizen's cases: the listing's SQL filter must show
exactly the cases the same oracle says they may read, so the rule written twice
(in Python for one case, in SQL for listings) cannot drift apart.

The real clock is used, so consents are granted with validity windows far in the
past (expired), around now (active) or far in the future (not yet valid), and a
revocation is stamped with the time of the revoking call, before the next read.
The ``store`` fixture is shared by the examples of one test, so every example
uses citizens (and hence cases and consents) of its own.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from luukku.audit.events import Outcome
from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import Case, ServiceCategory
from luukku.domain.consents import Permission
from luukku.domain.errors import ErrorCode, LuukkuError
from luukku.domain.organizations import Organization, OrgKind
from luukku.pki.certs import CertInfo
from luukku.service.cases import CaseQuery, create_case, list_cases
from luukku.service.consents import Grant, grant_consent, revoke_consent
from luukku.service.directory import register_organization
from luukku.service.records import RecordDraft, get_record, write_record
from luukku.store.uow import Store
from luukku.verify.identity_code import make_identity_code

OWNER = "kunta-sote"
CARE_X = "hoiva-x"
CARE_Y = "hoiva-y"
PORTAL = "omaportaali"
KINDS = {
    OWNER: OrgKind.PUBLIC,
    CARE_X: OrgKind.PRIVATE,
    CARE_Y: OrgKind.PUBLIC,
    PORTAL: OrgKind.PORTAL,
}
# Cases are owned by the municipality or, sometimes, by one of the care companies.
OWNERS = (OWNER, CARE_X)
GRANTEES = (CARE_X, CARE_Y)
CATEGORIES = (ServiceCategory.HOME_CARE, ServiceCategory.HEALTH)

# Fresh citizens for every example, across the whole run.
_citizen_numbers = itertools.count()


def fresh_identity_code() -> str:
    n = next(_citizen_numbers)
    return make_identity_code(date(1940, 1, 1) + timedelta(days=n), 900 + n % 100)


# The program -----------------------------------------------------------------


@dataclass(frozen=True)
class OpenCase:
    citizen: int
    owner: str
    category: ServiceCategory


@dataclass(frozen=True)
class GrantOp:
    citizen: int
    org: str
    case: int | None  # index into the citizen's own cases; None: by category
    category: ServiceCategory
    permissions: frozenset[Permission]
    window: str


@dataclass(frozen=True)
class RevokeOp:
    """Revoke a consent; its organisation reads a case it covers just before and just after."""

    consent: int  # index into the consents granted so far


@dataclass(frozen=True)
class ReadOp:
    reader: str | int  # an organisation, or a citizen (0 or 1) through the portal
    case: int


@dataclass(frozen=True)
class ListOp:
    """An organisation lists one citizen's cases (filtered by identity code)."""

    reader: str
    citizen: int


permission_sets = st.integers(min_value=1, max_value=7).map(
    lambda mask: frozenset(p for i, p in enumerate(Permission) if mask >> i & 1)
)
grants = st.builds(
    GrantOp,
    citizen=st.integers(0, 1),
    org=st.sampled_from(GRANTEES),
    case=st.none() | st.integers(0, 3),
    category=st.sampled_from(CATEGORIES),
    permissions=permission_sets,
    # Mostly windows around now, so that revocations have something to bite on.
    window=st.sampled_from(("active", "active", "expired", "pending")),
)
revokes = st.builds(RevokeOp, consent=st.integers(0, 15))
reads = st.builds(
    ReadOp,
    reader=st.sampled_from((CARE_X, CARE_Y, OWNER, CARE_X, CARE_Y)) | st.integers(0, 1),
    case=st.integers(0, 5),
)
listings = st.builds(
    ListOp, reader=st.sampled_from((CARE_X, CARE_Y, OWNER)), citizen=st.integers(0, 1)
)
programs = st.tuples(
    st.lists(
        st.builds(
            OpenCase,
            citizen=st.integers(0, 1),
            owner=st.sampled_from(OWNERS),
            category=st.sampled_from(CATEGORIES),
        ),
        min_size=2,
        max_size=4,
    ),
    # Reads weigh the most: they are what the rule decides.
    st.lists(
        st.one_of(reads, grants, reads, revokes, grants, reads, listings, listings),
        min_size=10,
        max_size=30,
    ),
)


# The oracle ------------------------------------------------------------------


@dataclass
class ModelConsent:
    id: str
    citizen: int
    org: str
    case_id: str | None
    category: ServiceCategory | None
    permissions: frozenset[Permission]
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class ModelCase:
    id: str
    citizen: int
    owner: str
    category: ServiceCategory
    record_id: str


@dataclass(frozen=True)
class Expected:
    allowed: bool
    reasons: frozenset[str]
    granting: frozenset[str] = frozenset()


def expected_read(
    reader: str | int, case: ModelCase, consents: Sequence[ModelConsent], now: datetime
) -> Expected:
    """DESIGN.md's rule for reading ``case``'s records at ``now``."""
    if isinstance(reader, int):
        if reader == case.citizen:
            return Expected(True, frozenset({"SELF"}))
        return Expected(False, frozenset({"NOT_CASE_CITIZEN"}))
    if reader == case.owner:
        return Expected(True, frozenset({"OWNER"}))
    covering = [
        c
        for c in consents
        if c.org == reader
        and c.citizen == case.citizen
        and (c.case_id == case.id if c.case_id is not None else c.category == case.category)
    ]

    def revoked(c: ModelConsent) -> bool:
        return c.revoked_at is not None and c.revoked_at <= now

    active = [c for c in covering if not revoked(c) and c.valid_from <= now < c.valid_until]
    granting = frozenset(c.id for c in active if Permission.READ in c.permissions)
    if granting:
        return Expected(True, frozenset({"CONSENT"}), granting)
    if active:
        return Expected(False, frozenset({"PERMISSION_NOT_GRANTED"}))
    if not covering:
        return Expected(False, frozenset({"CONSENT_REQUIRED"}))
    reasons: set[str] = set()
    for c in covering:
        if revoked(c):
            reasons.add("CONSENT_REVOKED")
        if now >= c.valid_until:
            reasons.add("CONSENT_EXPIRED")
        if now < c.valid_from:
            reasons.add("CONSENT_NOT_YET_VALID")
    return Expected(False, frozenset(reasons))


# Running a program -----------------------------------------------------------


@dataclass(frozen=True)
class ExpectedEvent:
    """What the audit log must say about one call."""

    request_id: str
    org_id: str
    action: str
    acting_for: str | None
    subject: str | None
    allowed: bool
    reasons: frozenset[str]
    consent_ids: frozenset[str | None] = frozenset({None})


@dataclass
class World:
    """The organisations of one test (one store), registered once."""

    store: Store
    orgs: dict[str, Organization]

    def caller(self, org_id: str, on_behalf_of: str | None = None) -> Caller:
        return Caller(
            organization=self.orgs[org_id],
            fingerprint="f" * 64,
            practitioner=Practitioner("p-1", "Pat Practitioner", "nurse"),
            request_id=uuid.uuid4().hex,
            on_behalf_of=on_behalf_of,
        )


@dataclass
class Run:
    """One example: its citizens, cases, consents and the audit trail it must leave."""

    world: World
    codes: list[str]
    citizen_ids: list[str]
    cases: list[ModelCase] = field(default_factory=list)
    consents: list[ModelConsent] = field(default_factory=list)
    events: list[ExpectedEvent] = field(default_factory=list)

    def call(self, org_id: str, citizen: int | None = None) -> tuple[Caller, str | None]:
        code = None if citizen is None else self.codes[citizen]
        acting_for = None if citizen is None else self.citizen_ids[citizen]
        return self.world.caller(org_id, code), acting_for

    def open_case(self, op: OpenCase) -> None:
        caller, _ = self.call(op.owner)
        case: Case = create_case(
            self.world.store,
            caller,
            identity_code_text=self.codes[op.citizen],
            title="Home care assessment",
            category=op.category,
        )
        assert case.citizen_id == self.citizen_ids[op.citizen]
        self.audited(caller, "case.create", None, case.citizen_id, True, "OWNER")
        writer, _ = self.call(op.owner)
        record = write_record(
            self.world.store,
            writer,
            RecordDraft(case_id=case.id, kind="assessment", text=f"Record of {case.id}"),
        )
        self.audited(writer, "record.create", None, case.citizen_id, True, "OWNER")
        self.cases.append(ModelCase(case.id, op.citizen, op.owner, op.category, record.record_id))

    def grant(self, op: GrantOp, now: datetime) -> None:
        own = [c for c in self.cases if c.citizen == op.citizen]
        case_id = own[op.case % len(own)].id if op.case is not None and own else None
        valid_from, valid_until = {
            "active": (now - timedelta(days=1), now + timedelta(days=365)),
            "expired": (now - timedelta(days=400), now - timedelta(days=300)),
            "pending": (now + timedelta(days=300), now + timedelta(days=400)),
        }[op.window]
        caller, acting_for = self.call(PORTAL, op.citizen)
        consent = grant_consent(
            self.world.store,
            caller,
            Grant(
                org_id=op.org,
                case_id=case_id,
                category=None if case_id else op.category,
                permissions=op.permissions,
                purpose="Arranging care",
                valid_from=valid_from,
                valid_until=valid_until,
            ),
        )
        assert consent.citizen_id == acting_for
        assert consent.org_id == op.org
        self.audited(caller, "consent.grant", acting_for, acting_for, True, "SELF")
        self.consents.append(
            ModelConsent(
                consent.id,
                op.citizen,
                op.org,
                case_id,
                None if case_id else op.category,
                op.permissions,
                valid_from,
                valid_until,
            )
        )

    def revoke(self, op: RevokeOp) -> None:
        if not self.consents:
            return
        model = self.consents[op.consent % len(self.consents)]
        covered = [
            i
            for i, c in enumerate(self.cases)
            if c.citizen == model.citizen
            and (c.id == model.case_id if model.case_id else c.category == model.category)
        ]
        if covered:
            self.read(ReadOp(model.org, covered[0]))
        caller, acting_for = self.call(PORTAL, model.citizen)
        before = datetime.now(UTC)
        consent = revoke_consent(self.world.store, caller, model.id)
        assert consent.revoked_at is not None
        if model.revoked_at is None:
            assert before <= consent.revoked_at <= datetime.now(UTC)
            model.revoked_at = consent.revoked_at
        else:
            # Revoking again changes nothing: the first revocation stands.
            assert consent.revoked_at == model.revoked_at
        self.audited(caller, "consent.revoke", acting_for, acting_for, True, "SELF")
        # Revocation bites on the very next request: the organisation reads at once.
        if covered:
            self.read(ReadOp(model.org, covered[0]))

    def read(self, op: ReadOp) -> None:
        case = self.cases[op.case % len(self.cases)]
        if isinstance(op.reader, int):
            caller, acting_for = self.call(PORTAL, op.reader)
        else:
            caller, acting_for = self.call(op.reader)
        # The service reads the clock after this, so every revocation so far is in the past.
        expected = expected_read(op.reader, case, self.consents, datetime.now(UTC))
        reasons = expected.reasons
        store = self.world.store
        if expected.allowed:
            record = get_record(store, caller, case.id, case.record_id, 0)
            assert record.record_id == case.record_id
            assert record.text == f"Record of {case.id}"
        else:
            with pytest.raises(LuukkuError) as denied:
                get_record(store, caller, case.id, case.record_id, 0)
            assert denied.value.code is ErrorCode.PERMISSION_DENIED
            assert denied.value.reason in expected.reasons, (denied.value, expected, op)
            # The audit log must give the caller's reason, not merely an admissible one.
            reasons = frozenset({denied.value.reason})
        event(f"read {'allowed' if expected.allowed else 'denied'}: {min(reasons)}")
        self.events.append(
            ExpectedEvent(
                caller.request_id,
                caller.organization.id,
                "record.read",
                acting_for,
                self.citizen_ids[case.citizen],
                expected.allowed,
                reasons,
                expected.granting or frozenset({None}),
            )
        )

    def list_cases(self, op: ListOp) -> None:
        caller, _ = self.call(op.reader)
        now = datetime.now(UTC)
        query = CaseQuery(identity_code=self.codes[op.citizen])
        found, _ = list_cases(self.world.store, caller, query)
        expected = {
            c.id
            for c in self.cases
            if c.citizen == op.citizen and expected_read(op.reader, c, self.consents, now).allowed
        }
        assert {c.id for c in found} == expected, (op, self.consents)
        event(f"listed {len(expected)} of {sum(c.citizen == op.citizen for c in self.cases)}")
        subject = self.citizen_ids[op.citizen]
        self.audited(caller, "case.list", None, subject, True, "OWNER_OR_CONSENT")

    def audited(
        self,
        caller: Caller,
        action: str,
        acting_for: str | None,
        subject: str | None,
        allowed: bool,
        reason: str,
    ) -> None:
        self.events.append(
            ExpectedEvent(
                caller.request_id,
                caller.organization.id,
                action,
                acting_for,
                subject,
                allowed,
                frozenset({reason}),
            )
        )


def last_seq(store: Store) -> int:
    with store.transaction() as tx:
        return max((e.seq for e in tx.audit.scan()), default=0)


@pytest.fixture
def world(store: Store) -> World:
    orgs: dict[str, Organization] = {}
    for org_id, kind in KINDS.items():
        orgs[org_id] = register_organization(
            store,
            org_id,
            name=f"{org_id} name",
            kind=kind,
            business_id="0201256-6",
            cert=CertInfo(
                fingerprint=hashlib.sha256(org_id.encode()).hexdigest(),
                subject=f"CN={org_id}",
                not_after=datetime.now(UTC) + timedelta(days=365),
            ),
        )
    return World(store, orgs)


@settings(
    max_examples=30,
    deadline=None,
    # No shrinking: every shrink step replays a program against the database, which
    # takes minutes; a failing program is reported as generated.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(program=programs)
def test_reads_follow_the_consents_as_they_stand_and_every_call_is_audited_once_in_order(
    world: World, program: tuple[list[OpenCase], list[GrantOp | RevokeOp | ReadOp | ListOp]]
) -> None:
    store = world.store
    start = last_seq(store)
    codes = [fresh_identity_code(), fresh_identity_code()]
    with store.transaction() as tx:
        citizen_ids = [tx.citizens.get_or_create(code, datetime.now(UTC)) for code in codes]
    run = Run(world, codes, citizen_ids)

    opened, steps = program
    for op in opened:
        run.open_case(op)
    for step in steps:
        if isinstance(step, GrantOp):
            run.grant(step, datetime.now(UTC))
        elif isinstance(step, ListOp):
            run.list_cases(step)
        elif isinstance(step, RevokeOp):
            run.revoke(step)
        else:
            run.read(step)

    with store.transaction() as tx:
        logged = [e.event for e in tx.audit.scan() if e.seq > start]
    assert len(logged) == len(run.events)
    for logged_event, expected in zip(logged, run.events, strict=True):
        assert logged_event.request_id == expected.request_id
        assert logged_event.org_id == expected.org_id
        assert logged_event.action == expected.action
        assert logged_event.acting_for_citizen_id == expected.acting_for
        assert logged_event.subject_citizen_id == expected.subject
        assert logged_event.outcome is (Outcome.ALLOWED if expected.allowed else Outcome.DENIED)
        assert logged_event.reason in expected.reasons, (logged_event, expected)
        assert logged_event.consent_id in expected.consent_ids, (logged_event, expected)
