"""Revision 0011 names the holder of inquiries claimed or closed before it, on both engines."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from alembic.config import Config

from luukku.domain.caller import Caller, Practitioner
from luukku.domain.desks.inquiries import Channel
from luukku.domain.organizations import OrgKind
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.desks import admin as desks
from luukku.service.desks.asking import create_inquiry, get_inquiry
from luukku.service.desks.handling import claim_inquiry, close_inquiry
from luukku.store.sql.engine import _MIGRATIONS, migrate
from luukku.store.uow import Store

KAISA = Practitioner("kuopio-7", "Kaisa Neuvoja", "rural advisor")
OLLI = Practitioner("kuopio-8", "Olli Oikola", "senior advisor")


def _caller(
    register_org, store: Store, org_id: str, kind: OrgKind, citizen: str | None = None
) -> Caller:
    fingerprint = read_cert_info(register_org(org_id, kind).client_cert).fingerprint
    org = directory.authenticate(store, fingerprint)
    return Caller(org, fingerprint, Practitioner(), f"req-{org_id}", citizen)


def test_inquiries_claimed_or_closed_before_the_revision_name_their_holder(register_org, store):
    kuopio = _caller(register_org, store, "kuopio", OrgKind.PUBLIC)
    citizen = _caller(register_org, store, "omaportaali", OrgKind.PORTAL, citizen="131052-308T")
    desks.create_desk(
        store,
        "rural-advice",
        name="Maaseutuneuvonta",
        topics=["forestry"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=1),
    )
    desks.add_member(store, "rural-advice", "kuopio")
    ids = [
        create_inquiry(
            store,
            citizen,
            desk_id="rural-advice",
            topic="forestry",
            channel=Channel.WEB,
            municipality="",
            subject="Thinning",
            body="Which permits?",
        ).inquiry.id
        for _ in range(3)
    ]
    _queued, claimed, closed = ids
    as_kaisa = Caller(kuopio.organization, kuopio.fingerprint, KAISA, "req-k")
    as_olli = Caller(kuopio.organization, kuopio.fingerprint, OLLI, "req-o")
    claim_inquiry(store, as_kaisa, claimed)
    claim_inquiry(store, as_kaisa, closed)
    close_inquiry(store, as_olli, closed, "Answered.")
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")

    migrate(store.engine)

    holders = [get_inquiry(store, kuopio, i).inquiry.claimant for i in ids]
    assert holders == [None, KAISA, OLLI]
