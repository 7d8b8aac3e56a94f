"""The store's bulk loader: what it loads reads back as if the broker had written it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from luukku.audit import tree
from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent, Outcome
from luukku.client import TLSConfig
from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import Case, CaseStatus, Record, ServiceCategory
from luukku.domain.consents import Consent, ConsentState, Permission
from luukku.domain.organizations import OrgKind
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.audit.proofs import sign_checkpoint
from luukku.service.audit.verification import verify_log
from luukku.service.records import get_record
from luukku.store.bulk import NewCitizen, loading
from luukku.store.opening import open_store
from luukku.store.uow import Store

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
OWNER, READER = "helsinki-social", "care-company"
AUTHOR = Practitioner("p-7", "Pia Nieminen", "nurse")


def _citizen(n: int, code: str) -> NewCitizen:
    return NewCitizen(f"{n:032x}", code, NOW - timedelta(days=800))


def _case(n: int, citizen: NewCitizen, *, closed: bool = False) -> Case:
    return Case(
        id=f"c{n:031x}",
        citizen_id=citizen.id,
        owner_org_id=OWNER,
        title=f"Home care {n}",
        category=ServiceCategory.HOME_CARE,
        status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
        created_at=NOW - timedelta(days=30),
        closed_at=NOW - timedelta(days=2) if closed else None,
    )


def _record(n: int, case: Case, data: dict[str, int] | None = None) -> Record:
    return Record(
        case_id=case.id,
        record_id=f"e{n:031x}",
        revision=1,
        kind="visit",
        text=f"Kotikäynti {n}: asiakas voi hyvin.",
        data=data,
        author_org_id=OWNER,
        author=AUTHOR,
        created_at=NOW - timedelta(days=n),
    )


def _consent(n: int, case: Case, *, revoked_at: datetime | None = None) -> Consent:
    return Consent(
        id=f"d{n:031x}",
        citizen_id=case.citizen_id,
        org_id=READER,
        case_id=case.id,
        category=None,
        permissions=frozenset({Permission.READ, Permission.DISCUSS}),
        purpose="Arranging home care",
        valid_from=NOW - timedelta(days=10),
        valid_until=NOW + timedelta(days=355),
        created_at=NOW - timedelta(days=10),
        revision=1 if revoked_at is None else 2,
        revoked_at=revoked_at,
    )


@pytest.fixture
def orgs(register_org) -> dict[str, TLSConfig]:
    return {
        OWNER: register_org(OWNER, OrgKind.PUBLIC),
        READER: register_org(READER, OrgKind.PRIVATE),
    }


def test_loaded_rows_read_back_through_the_repositories_as_loaded(
    database_url: str, store: Store, orgs: dict[str, TLSConfig]
):
    anna, bert = _citizen(1, "131052-308T"), _citizen(2, "010190-123F")
    open_case, closed_case = _case(1, anna), _case(2, bert, closed=True)
    plain, with_data = _record(1, open_case), _record(2, open_case, {"visits_per_day": 2})
    granted = _consent(1, open_case)
    revoked = _consent(2, closed_case, revoked_at=NOW - timedelta(days=3))

    with loading(database_url) as load:
        assert load.citizens([anna, bert]) == 2
        assert load.cases([open_case, closed_case]) == 2
        assert load.records([plain, with_data]) == 2
        assert load.consents([granted, revoked]) == 2

    with store.read() as tx:
        assert tx.citizens.find("131052-308T") == anna.id
        assert tx.cases.get(open_case.id) == open_case
        assert tx.cases.get(closed_case.id) == closed_case
        assert tx.cases.get_record(open_case.id, with_data.record_id) == with_data
        assert [r for _, r in tx.cases.list_records(open_case.id, 0, 10)] == [plain, with_data]
        assert tx.consents.between(READER, anna.id) == [granted]
        assert tx.consents.between(READER, bert.id) == [revoked]
        assert [state for _, state, _ in tx.consents.history(revoked.id)] == [
            ConsentState.ACTIVE,
            ConsentState.REVOKED,
        ]


def test_a_loaded_database_serves_a_consented_read_and_its_audit_log_verifies(
    database_url: str, store: Store, orgs: dict[str, TLSConfig]
):
    anna = _citizen(1, "131052-308T")
    case = _case(1, anna)
    record = _record(1, case)
    with loading(database_url) as load:
        load.citizens([anna])
        load.cases([case])
        load.records([record])
        load.consents([_consent(1, case)])
    fingerprint = read_cert_info(orgs[READER].client_cert).fingerprint
    reader = Caller(
        directory.authenticate(store, fingerprint),
        fingerprint,
        Practitioner("n-1", "Mikko", "nurse"),
        "req-bulk-1",
    )

    assert get_record(store, reader, case.id, record.record_id, 0) == record
    signer = LogSigner.generate()
    assert sign_checkpoint(store, signer, datetime.now(UTC)) == 1
    verification = verify_log(store, signer.verifier_key())
    assert (verification.events, verification.problem) == (1, None)


def test_a_load_that_fails_writes_nothing(database_url: str, store: Store):
    first, again = _citizen(1, "131052-308T"), _citizen(2, "131052-308T")

    def load_both() -> None:
        with loading(database_url) as load:
            load.citizens([first])
            load.citizens([again])  # the same identity code: refused by the database

    with pytest.raises(IntegrityError):
        load_both()

    with store.read() as tx:
        assert tx.citizens.find("131052-308T") is None


def test_a_record_given_as_a_later_revision_is_refused(database_url: str):
    later = Record(**{**_record(1, _case(1, _citizen(1, "131052-308T"))).__dict__, "revision": 2})

    with pytest.raises(ValueError, match="first revision"), loading(database_url) as load:
        load.records([later])


def _audit_event(n: int) -> AuditEvent:
    return AuditEvent(
        f"{n:032x}",
        NOW + timedelta(seconds=n),
        OWNER,
        "ab" * 32,
        "sw-1",
        "Sanna Sosiaalityöntekijä",
        "social worker",
        None,
        "record.create",
        f"cases/{n:032x}",
        "c" * 32,
        Outcome.ALLOWED,
        "OWNER",
        None,
        f"req-{n}",
    )


def test_loaded_audit_events_continue_the_log_with_the_tree_appends_would_build(
    database_url: str, store: Store, tmp_path
):
    # Three appended the broker's way, then 37 loaded: sizes that leave open subtrees.
    with store.transaction() as tx:
        for n in range(3):
            tx.audit.append(_audit_event(n))
    with loading(database_url) as load:
        assert load.audit_events(_audit_event(n) for n in range(3, 40)) == 37

    appended = open_store(f"sqlite:///{tmp_path / 'appended.db'}")
    try:
        for n in range(40):
            with appended.transaction() as tx:
                tx.audit.append(_audit_event(n))
        with appended.read() as tx, store.read() as loaded:
            assert loaded.audit.size() == 40
            for size in (4, 39, 40):
                assert tree.root(size, loaded.audit.nodes) == tree.root(size, tx.audit.nodes)
            assert tree.inclusion(37, 40, loaded.audit.nodes) == tree.inclusion(
                37, 40, tx.audit.nodes
            )
            assert loaded.audit.get(40).event == _audit_event(39)
    finally:
        appended.dispose()
    signer = LogSigner.generate()
    assert sign_checkpoint(store, signer, datetime.now(UTC)) == 40
    verification = verify_log(store, signer.verifier_key())
    assert (verification.events, verification.problem) == (40, None)
