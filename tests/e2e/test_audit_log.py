"""The audit log end to end: one event per access, who sees what, fail closed, tamper evidence."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from sqlalchemy import text

from luukku.client import PermissionDeniedError, RPCError
from luukku.domain.organizations import OrgKind
from luukku.store.uow import Store

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
ALLOWED = "allowed"
DENIED = "denied"


def _in_90_days() -> datetime:
    return datetime.now(UTC) + timedelta(days=90)


def _stored_events(store: Store) -> list:
    with store.transaction() as tx:
        return list(tx.audit.scan())


def _is_postgres(store: Store) -> bool:
    return store.engine.dialect.name == "postgresql"


@contextmanager
def _audit_writes_fail(store: Store) -> Iterator[None]:
    """Make every insert into audit_events fail, for real, in the database."""
    with store.engine.begin() as conn:
        if _is_postgres(store):
            conn.execute(
                text(
                    "CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN RAISE EXCEPTION 'audit down'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events "
                    "FOR EACH ROW EXECUTE FUNCTION audit_down()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events "
                    "BEGIN SELECT RAISE(ABORT, 'audit down'); END"
                )
            )
    try:
        yield
    finally:
        with store.engine.begin() as conn:
            if _is_postgres(store):
                conn.execute(text("DROP TRIGGER audit_down ON audit_events"))
                conn.execute(text("DROP FUNCTION audit_down()"))
            else:
                conn.execute(text("DROP TRIGGER audit_down"))


def _drop_append_only_triggers(store: Store) -> None:
    """What an attacker with database access would do first."""
    with store.engine.begin() as conn:
        if _is_postgres(store):
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))


async def _expect_denied(call) -> None:
    with pytest.raises(PermissionDeniedError):
        await call


async def test_every_call_allowed_or_denied_leaves_exactly_one_audit_event(parties, store):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="note", text="Two visits a day.")
    consent_ids: list[str] = []

    async def grant() -> None:
        consent = await portal.grant_consent(
            "hoiva-oy",
            case_id=case.id,
            permissions=["read"],
            purpose="Home care visits",
            valid_until=_in_90_days(),
        )
        consent_ids.append(consent.id)

    async def list_audit() -> None:
        events = [e async for e in company.list_audit_events()]
        assert events[0].action == "audit.list"

    steps = [
        (lambda: social.get_case(case.id), "helsinki-social", "case.read", "allowed", "OWNER"),
        (
            lambda: _expect_denied(company.get_case(case.id)),
            "hoiva-oy",
            "case.read",
            "denied",
            "CONSENT_REQUIRED",
        ),
        (
            lambda: social.get_record(case.id, entry.record_id),
            "helsinki-social",
            "record.read",
            "allowed",
            "OWNER",
        ),
        (
            lambda: _expect_denied(company.get_record(case.id, entry.record_id)),
            "hoiva-oy",
            "record.read",
            "denied",
            "CONSENT_REQUIRED",
        ),
        (
            lambda: social.create_record(case.id, kind="note", text="Visit moved to 10:00."),
            "helsinki-social",
            "record.create",
            "allowed",
            "OWNER",
        ),
        (
            lambda: _expect_denied(company.create_record(case.id, kind="note", text="Hi.")),
            "hoiva-oy",
            "record.create",
            "denied",
            "CONSENT_REQUIRED",
        ),
        (grant, "omaportaali", "consent.grant", "allowed", "SELF"),
        (
            lambda: company.get_record(case.id, entry.record_id),
            "hoiva-oy",
            "record.read",
            "allowed",
            "CONSENT",
        ),
        (
            lambda: portal.revoke_consent(consent_ids[0]),
            "omaportaali",
            "consent.revoke",
            "allowed",
            "SELF",
        ),
        (
            lambda: _expect_denied(company.get_record(case.id, entry.record_id)),
            "hoiva-oy",
            "record.read",
            "denied",
            "CONSENT_REVOKED",
        ),
        (list_audit, "hoiva-oy", "audit.list", "allowed", "OWN_ACCESSES"),
    ]
    for call, org, action, outcome, reason in steps:
        before = _stored_events(store)
        await call()
        after = _stored_events(store)
        assert len(after) == len(before) + 1, action
        event = after[-1].event
        assert (event.org_id, event.action, event.outcome.value, event.reason) == (
            org,
            action,
            outcome,
            reason,
        )


async def test_an_organisation_sees_only_its_own_accesses_in_the_audit_log(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="note", text="Two visits a day.")
    with pytest.raises(PermissionDeniedError):
        await company.get_record(case.id, entry.record_id)
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Home care visits",
        valid_until=_in_90_days(),
    )
    await company.get_record(case.id, entry.record_id)

    company_view = [e async for e in company.list_audit_events()]
    social_view = [e async for e in social.list_audit_events()]

    assert {e.organization_id for e in company_view} == {"hoiva-oy"}
    assert [(e.action, e.outcome) for e in company_view] == [
        ("audit.list", ALLOWED),
        ("record.read", ALLOWED),
        ("record.read", DENIED),
    ]
    assert {e.organization_id for e in social_view} == {"helsinki-social"}
    assert [e.action for e in social_view] == ["audit.list", "record.create", "case.create"]


async def test_a_citizen_sees_every_organisations_access_to_their_data_and_none_to_others(
    parties, register_org, connect
):
    social, company, portal = parties
    other_portal = await connect(
        register_org("toinenportaali", OrgKind.PORTAL), on_behalf_of=OTHER_CITIZEN
    )
    mine = await social.create_case(CITIZEN, title="Home care", category="home_care")
    theirs = await social.create_case(OTHER_CITIZEN, title="Home care", category="home_care")
    for case in (mine, theirs):
        entry = await social.create_record(case.id, kind="note", text="Private.")
        with pytest.raises(PermissionDeniedError):
            await company.get_record(case.id, entry.record_id)
    await portal.get_case(mine.id)
    await other_portal.get_case(theirs.id)

    my_view = [e async for e in portal.list_audit_events()]

    assert {e.subject_citizen_id for e in my_view} == {(await portal.who_am_i()).citizen_id}
    assert {e.organization_id for e in my_view} == {"helsinki-social", "hoiva-oy", "omaportaali"}
    assert not any(theirs.id in e.resource for e in my_view)
    assert not any(
        theirs.citizen_id in (e.acting_for_citizen_id, e.subject_citizen_id) for e in my_view
    )
    assert [(e.organization_id, e.action, e.outcome) for e in reversed(my_view)] == [
        ("helsinki-social", "case.create", ALLOWED),
        ("helsinki-social", "record.create", ALLOWED),
        ("hoiva-oy", "record.read", DENIED),
        ("omaportaali", "case.read", ALLOWED),
        ("omaportaali", "audit.list", ALLOWED),
    ]
    their_view = [e async for e in other_portal.list_audit_events()]
    assert {e.subject_citizen_id for e in their_view} == {
        (await other_portal.who_am_i()).citizen_id
    }


async def test_a_read_fails_closed_when_its_audit_event_cannot_be_written(parties, store):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="note", text="Confidential care notes.")
    logged = len(_stored_events(store))

    with _audit_writes_fail(store), pytest.raises(RPCError) as failed:
        await social.get_record(case.id, entry.record_id)

    assert failed.value.code in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAVAILABLE)
    assert "Confidential" not in str(failed.value)
    assert "audit down" not in str(failed.value)
    assert len(_stored_events(store)) == logged
    # The broker keeps serving once the audit log is writable again.
    assert (await social.get_record(case.id, entry.record_id)).text == "Confidential care notes."


async def test_a_write_fails_closed_and_leaves_nothing_when_its_audit_event_cannot_be_written(
    parties, store
):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="note", text="First entry.")
    logged = len(_stored_events(store))

    with _audit_writes_fail(store):
        with pytest.raises(RPCError) as failed_create:
            await social.create_record(case.id, kind="note", text="Unaudited entry.")
        with pytest.raises(RPCError) as failed_revise:
            await social.revise_record(case.id, entry.record_id, text="Unaudited fix.")

    for failed in (failed_create, failed_revise):
        assert failed.value.code in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAVAILABLE)
    assert len(_stored_events(store)) == logged
    listed = [(r.text, r.revision) async for r in social.list_records(case.id)]
    assert listed == [("First entry.", 1)]
    # And writes work again afterwards.
    await social.create_record(case.id, kind="note", text="Audited entry.")
    assert [r.text async for r in social.list_records(case.id)] == [
        "First entry.",
        "Audited entry.",
    ]


@pytest.fixture
def verbose_logs(caplog):
    """As `luukku serve --verbose`: everything at DEBUG. (SQLAlchemy's statement echo
    stays at the library's own WARNING level, as it does there.)"""
    caplog.set_level(logging.DEBUG)
    for name in ("luukku", "grpc", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


# Asked for before the parties, so that their connecting is logged at DEBUG too.
async def test_the_citizens_identity_code_appears_in_no_log_record_and_no_error_message(
    verbose_logs, parties
):
    caplog = verbose_logs
    errors: list[RPCError] = []

    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care assessment", category="home_care")
    entry = await social.create_record(case.id, kind="assessment", text="Needs help.")
    [c async for c in social.list_cases(identity_code=CITIZEN)]
    try:
        await company.get_record(case.id, entry.record_id)
    except RPCError as exc:
        errors.append(exc)
    consent = await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Arranging home care visits",
        valid_until=_in_90_days(),
    )
    await company.get_record(case.id, entry.record_id)
    [c async for c in company.list_consents(identity_code=CITIZEN)]
    await portal.revoke_consent(consent.id)
    [e async for e in portal.list_audit_events()]
    failing_calls = [
        company.get_record(case.id, entry.record_id),
        company.create_case(CITIZEN, title="x" * 201, category="home_care"),
        company.create_case(CITIZEN[:-1] + "U", title="Home care", category="home_care"),
        portal.create_case(CITIZEN, title="Home care", category="home_care"),
        social.acting_as(on_behalf_of=CITIZEN).get_case(case.id),
    ]
    for call in failing_calls:
        try:
            await call
        except RPCError as exc:
            errors.append(exc)

    assert len(errors) == 1 + len(failing_calls)
    # The broker's access log did run: one line per call.
    assert any(r.name == "luukku.access" for r in caplog.records)
    body = CITIZEN[:6]
    leaking = [r for r in caplog.records if body in r.getMessage()]
    assert leaking == [], [f"{r.name}: {r.getMessage()[:200]}" for r in leaking]
    for exc in errors:
        shown = [str(exc), exc.message, *exc.metadata.values()]
        shown += [v.description for v in exc.field_violations]
        assert not any(body in text for text in shown), exc


async def test_a_citizen_sees_another_citizens_probe_of_their_case_without_learning_who(
    register_org, connect
):
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    owner = await connect(portal_tls, on_behalf_of=CITIZEN)
    prober = await connect(portal_tls, on_behalf_of=OTHER_CITIZEN)
    case = await social.create_case(CITIZEN, title="Housing", category="housing")
    record = await social.create_record(case.id, kind="note", text="Keys handed over.")
    with pytest.raises(PermissionDeniedError):
        await prober.get_case(case.id)

    events = [e async for e in owner.list_audit_events()]

    probe = next(e for e in events if e.action == "case.read" and e.outcome == DENIED)
    assert probe.acting_for_citizen_id == "redacted"
    created = next(e for e in events if e.action == "record.create")
    assert created.resource == f"cases/{case.id}/records/{record.record_id}"
