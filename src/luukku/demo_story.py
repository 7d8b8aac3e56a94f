"""Demo data told as a story, through the SDK against a running broker.

A municipal social service opens a home-care case for the demo citizen, the
citizen lets a care company read and discuss it, the company reads, everyone
talks in a thread, a health centre without consent is refused, and the
citizen asks the region's shared advice desk a question that a clerk takes up
and answers: so the portal shows cases, records, a consent, a discussion, an
access log and a question at once. Everyone writes in Finnish, as they would in
a Finnish service (the English UI shows the data as it was written).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from luukku.client import Client, PermissionDeniedError, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK

DEMO_CITIZEN = "010190-900P"  # a test identity code (individual number 900-999)
DEMO_CITIZEN_NAME = "Maija Meikäläinen"  # as the test identification's name field gives it


async def seed_demo(broker: str, pki: Path, citizen_token: Callable[[], str]) -> list[str]:
    """Tell the story once; a second run finds the case and does nothing.

    ``citizen_token`` gives the development issuer's token for the demo citizen, as
    the portal's sign-in would.
    """

    async def connect(org: str, practitioner: Practitioner | None = None) -> Client:
        return await Client.connect(
            broker, tls=TLSConfig.from_pki_dir(pki, org), practitioner=practitioner
        )

    portal = await connect("omaportaali")
    citizen = portal.acting_as(on_behalf_of=DEMO_CITIZEN, citizen_token=citizen_token)
    social = await connect(
        "helsinki-social", Practitioner("sw-114", "Sanna Virtanen", "sosiaalityöntekijä")
    )
    care = await connect(
        "hoiva-oy", Practitioner("n-27", "Mikko Laine", "kotihoidon sairaanhoitaja")
    )
    health = await connect("vantaa-health", Practitioner("gp-3", "Aino Koski", "lääkäri"))
    try:
        if [c async for c in citizen.list_cases()]:
            return ["demo data is already there"]
        case = await social.create_case(
            DEMO_CITIZEN, title="Kotihoito sairaalajakson jälkeen", category="home_care"
        )
        assessment = await social.create_record(
            case.id,
            kind="needs-assessment",
            text="Tarvitsee apua kauppa-asioissa ja lääkkeissä kahdesti päivässä "
            "lonkkaleikkauksen jälkeen.",
        )
        await social.revise_record(
            case.id,
            assessment.record_id,
            text="Tarvitsee apua kauppa-asioissa ja lääkkeissä kolmesti päivässä "
            "lonkkaleikkauksen jälkeen.",
        )
        await social.create_record(
            case.id,
            kind="decision",
            text="Kotihoito myönnetty 1.12. alkaen, kolme käyntiä päivässä.",
        )
        await health.create_case(DEMO_CITIZEN, title="Diabeteksen seuranta", category="health")
        await citizen.grant_consent(
            "hoiva-oy",
            case_id=case.id,
            permissions=["read", "discuss"],
            purpose="Kotihoidon käyntien suunnittelu yhdessä",
            valid_until=datetime.now(UTC) + timedelta(days=180),
        )
        _ = [r async for r in care.list_records(case.id)]
        thread = await social.create_thread(case.id, subject="Kotihoidon käyntien suunnittelu")
        await social.post_message(
            thread.id, "Tervetuloa! Hoiva Oy hoitaa käynnit. Mitkä ajat sopivat teille parhaiten?"
        )
        await care.post_message(thread.id, "Voimme tulla kello 8, 13 ja 19. Sopiiko se teille?")
        await citizen.post_message(thread.id, "Ne ajat sopivat hyvin, kiitos.")
        last = await social.post_message(thread.id, "Hyvä, kirjasin ne suunnitelmaan.")
        await care.mark_read(thread.id, last.sequence)  # the page shows "Read by Hoiva Oy"
        with contextlib.suppress(PermissionDeniedError):  # the refusal shows in the access log
            await health.get_case(case.id)
        asked = await citizen.create_inquiry(
            DEMO_DESK,
            topic="benefits",
            subject="Tukea kotihoidon maksuihin",
            body="Voinko saada tukea kotihoidon asiakasmaksuihin?",
            citizen_name=DEMO_CITIZEN_NAME,
        )
        # Whoever is on duty takes it up (nobody is at night: then it is offered to both).
        on_duty = (await citizen.get_desk(DEMO_DESK)).on_duty_organization_id
        clerk = health if on_duty == "vantaa-health" else social
        await clerk.claim_inquiry(asked.id)
        await clerk.post_inquiry_message(
            asked.id,
            "Kyllä: asiakasmaksua voidaan alentaa, jos tulonne ovat pienet. "
            "Lähetän teille hakulomakkeen.",
        )
        return [f"demo story told for the demo citizen ({case.title})"]
    finally:
        for client in (portal, social, care, health):
            await client.close()
