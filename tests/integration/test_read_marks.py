"""Read receipts as news: MarkRead announces a receipt only when it moves forward."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config

from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import Case, ServiceCategory
from luukku.domain.events import Event, ReadMarked
from luukku.domain.organizations import OrgKind
from luukku.domain.threads import Thread
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.access import outbox
from luukku.service.cases import create_case
from luukku.service.threads import create_thread, get_thread, mark_read, post_message
from luukku.store.opening import open_store
from luukku.store.sql.engine import _MIGRATIONS
from luukku.store.uow import Store

CITIZEN = "131052-308T"


@pytest.fixture
def calls(register_org, store: Store) -> Callable[..., Caller]:
    def caller(org_id: str, kind: OrgKind, on_behalf_of: str | None = None) -> Caller:
        fingerprint = read_cert_info(register_org(org_id, kind).client_cert).fingerprint
        org = directory.authenticate(store, fingerprint)
        return Caller(org, fingerprint, Practitioner(), f"req-{org_id}", on_behalf_of)

    return caller


def _care_plan(store: Store, calls: Callable[..., Caller]) -> tuple[Caller, Caller, Case, Thread]:
    """The social services and the citizen (through the portal), and a thread on the
    citizen's case."""
    social = calls("helsinki-social", OrgKind.PUBLIC)
    citizen = calls("omaportaali", OrgKind.PORTAL, on_behalf_of=CITIZEN)
    case = create_case(
        store, social, identity_code_text=CITIZEN, title="Care", category=ServiceCategory.HOME_CARE
    )
    return social, citizen, case, create_thread(store, social, case.id, "Care plan").thread


def _marks(events: list[Event]) -> list[tuple[str, str | None, int]]:
    return [(e.org_id, e.citizen_id, e.seq) for e in events if isinstance(e, ReadMarked)]


def test_a_read_mark_is_news_only_when_the_receipt_moves_forward(store, calls):
    social, citizen, case, thread = _care_plan(store, calls)
    with outbox.collecting() as delivered:
        for body in ("one", "two", "three"):
            post_message(store, social, thread.id, body)
    assert _marks(delivered) == []  # a poster's own receipt moves silently

    with outbox.collecting() as delivered:
        mark_read(store, citizen, thread.id, 2)
        mark_read(store, citizen, thread.id, 1)  # never backwards
        mark_read(store, citizen, thread.id, 2)  # nor standing still
        mark_read(store, social, thread.id, 3)  # read already, by posting
        mark_read(store, citizen, thread.id, 3)

    assert _marks(delivered) == [
        ("omaportaali", case.citizen_id, 2),
        ("omaportaali", case.citizen_id, 3),
    ]


def _standing(store: Store, caller: Caller, thread_id: str) -> list[tuple[str, str | None, int]]:
    marks = get_thread(store, caller, thread_id).read_marks
    return [(m.org_id, m.citizen_id, m.seq) for m in marks]


def test_a_thread_tells_how_far_each_participant_has_read_and_since_when(store, calls):
    social, citizen, case, thread = _care_plan(store, calls)
    assert get_thread(store, social, thread.id).read_marks == ()

    first = post_message(store, social, thread.id, "one")
    post_message(store, social, thread.id, "two")
    before = datetime.now(UTC)
    mark_read(store, citizen, thread.id, 1)

    # Every participant sees the same receipts: the citizen's first, then each organisation's.
    assert _standing(store, social, thread.id) == _standing(store, citizen, thread.id)
    assert _standing(store, citizen, thread.id) == [
        ("omaportaali", case.citizen_id, 1),
        ("helsinki-social", None, 2),
    ]
    marks = get_thread(store, social, thread.id).read_marks
    assert marks[0].marked_at >= before
    assert marks[1].marked_at < before  # moved by its post, not since
    assert first.created_at <= marks[1].marked_at


def test_receipts_written_before_they_kept_who_and_when_get_both_from_the_data(store, calls):
    """Migration 0009 on a database with receipts: the time of the message read up to,
    and the organisation its key names ("" for a citizen's: the portal is not known)."""
    social, citizen, case, thread = _care_plan(store, calls)
    posted = [post_message(store, social, thread.id, body) for body in ("one", "two")]
    mark_read(store, citizen, thread.id, 1)

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    store.dispose()
    store = open_store(str(store.engine.url.render_as_string(hide_password=False)))
    try:
        marks = get_thread(store, social, thread.id).read_marks
    finally:
        store.dispose()

    assert [(m.org_id, m.citizen_id, m.seq, m.marked_at) for m in marks] == [
        ("", case.citizen_id, 1, posted[0].created_at),
        ("helsinki-social", None, 2, posted[1].created_at),
    ]
