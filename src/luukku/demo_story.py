"""Demo data told as a story, through the SDK against a running broker.

A municipal social service opens a home-care case for the demo citizen, the
citizen lets a care company read and discuss it, the company reads, everyone
talks in a thread, a health centre without consent is refused, and the
citizen asks the region's shared advice desk a question that a clerk takes up
and answers: so the portal shows cases, records, a consent, a discussion, an
access log and a question at once.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from luukku.client import Client, PermissionDeniedError, Practitioner, TLSConfig
from luukku.demo import DEMO_DESK

DEMO_CITIZEN = "010190-900P"  # a test identity code (individual number 900-999)


async def seed_demo(broker: str, pki: Path) -> list[str]:
    """Tell the story once; a second run finds the case and does nothing."""

    async def connect(org: str, practitioner: Practitioner | None = None) -> Client:
        return await Client.connect(
            broker, tls=TLSConfig.from_pki_dir(pki, org), practitioner=practitioner
        )

    portal = await connect("omaportaali")
    citizen = portal.acting_as(on_behalf_of=DEMO_CITIZEN)
    social = await connect(
        "helsinki-social", Practitioner("sw-114", "Sanna Virtanen", "social worker")
    )
    care = await connect("hoiva-oy", Practitioner("n-27", "Mikko Laine", "home care nurse"))
    health = await connect("vantaa-health", Practitioner("gp-3", "Dr Aino Koski", "physician"))
    try:
        if [c async for c in citizen.list_cases()]:
            return ["demo data is already there"]
        case = await social.create_case(
            DEMO_CITIZEN, title="Home care after hospital stay", category="home_care"
        )
        assessment = await social.create_record(
            case.id,
            kind="needs-assessment",
            text="Needs help with shopping and medication twice a day after hip surgery.",
        )
        await social.revise_record(
            case.id,
            assessment.record_id,
            text="Needs help with shopping and medication three times a day after hip surgery.",
        )
        await social.create_record(
            case.id, kind="decision", text="Home care granted from 1 December, three visits a day."
        )
        await health.create_case(DEMO_CITIZEN, title="Diabetes follow-up", category="health")
        await citizen.grant_consent(
            "hoiva-oy",
            case_id=case.id,
            permissions=["read", "discuss"],
            purpose="Planning home care visits together",
            valid_until=datetime.now(UTC) + timedelta(days=180),
        )
        _ = [r async for r in care.list_records(case.id)]
        thread = await social.create_thread(case.id, subject="Planning the home care visits")
        await social.post_message(
            thread.id, "Welcome! Hoiva Oy will make the visits. Which times suit you best?"
        )
        await care.post_message(thread.id, "We can come at 8, 13 and 19. Would that be all right?")
        await citizen.post_message(thread.id, "Those times are fine, thank you.")
        last = await social.post_message(thread.id, "Good, I have noted it in the plan.")
        await care.mark_read(thread.id, last.sequence)  # the page shows "Read by Hoiva Oy"
        with contextlib.suppress(PermissionDeniedError):  # the refusal shows in the access log
            await health.get_case(case.id)
        asked = await citizen.create_inquiry(
            DEMO_DESK,
            topic="benefits",
            subject="Help with the costs of home care",
            body="Can I get support for the client fees of home care?",
        )
        # Whoever is on duty takes it up (nobody is at night: then it is offered to both).
        on_duty = (await citizen.get_desk(DEMO_DESK)).on_duty_organization_id
        clerk = health if on_duty == "vantaa-health" else social
        await clerk.claim_inquiry(asked.id)
        await clerk.post_inquiry_message(
            asked.id,
            "Yes: the client fee can be lowered if your income is small. "
            "I will send you the application form.",
        )
        return [f"demo story told for the demo citizen ({case.title})"]
    finally:
        for client in (portal, social, care, health):
            await client.close()
