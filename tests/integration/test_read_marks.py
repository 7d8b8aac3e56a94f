"""Read receipts as news: MarkRead announces a receipt only when it moves forward."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import ServiceCategory
from luukku.domain.events import Event, ReadMarked
from luukku.domain.organizations import OrgKind
from luukku.pki import read_cert_info
from luukku.service import directory, outbox
from luukku.service.cases import create_case
from luukku.service.threads import create_thread, mark_read, post_message
from luukku.store.uow import Store

CITIZEN = "131052-308T"


@pytest.fixture
def calls(register_org, store: Store) -> Callable[..., Caller]:
    def caller(org_id: str, kind: OrgKind, on_behalf_of: str | None = None) -> Caller:
        fingerprint = read_cert_info(register_org(org_id, kind).client_cert).fingerprint
        org = directory.authenticate(store, fingerprint)
        return Caller(org, fingerprint, Practitioner(), f"req-{org_id}", on_behalf_of)

    return caller


def _marks(events: list[Event]) -> list[tuple[str, str | None, int]]:
    return [(e.org_id, e.citizen_id, e.seq) for e in events if isinstance(e, ReadMarked)]


def test_a_read_mark_is_news_only_when_the_receipt_moves_forward(store, calls):
    social = calls("helsinki-social", OrgKind.PUBLIC)
    citizen = calls("omaportaali", OrgKind.PORTAL, on_behalf_of=CITIZEN)
    case = create_case(
        store, social, identity_code_text=CITIZEN, title="Care", category=ServiceCategory.HOME_CARE
    )
    thread = create_thread(store, social, case.id, "Care plan").thread
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
