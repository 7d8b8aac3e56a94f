"""The three-way story: a municipal service, a care company and the citizen, on one case.

Run it from the repository root while `make run` runs (it registered the demo
organisations and runs the development identity provider that signs the
citizen's token; --target, --pki and --issuer name another broker, PKI and
provider):

    .venv/bin/python examples/three_way_story.py
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from luukku.client import Client, PermissionDeniedError, Practitioner, TLSConfig

CITIZEN = "010190-900P"  # the demo citizen of `make run` (a test identity code)


async def citizen_token(issuer: str) -> str:
    """The demo citizen's token from `make run`'s development identity provider, as the
    portal's sign-in gets it (the broker acts for a citizen only on such a token)."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{issuer}/dev/token", data={"identity_code": CITIZEN})
        answer.raise_for_status()
        token: str = answer.json()["id_token"]
        return token


async def story(target: str, pki: str, issuer: str) -> None:
    social = await Client.connect(
        target,
        tls=TLSConfig.from_pki_dir(pki, "helsinki-social"),
        practitioner=Practitioner("sw-1", "Sanna Sosiaalityöntekijä", "social worker"),
    )
    company = await Client.connect(
        target,
        tls=TLSConfig.from_pki_dir(pki, "hoiva-oy"),
        practitioner=Practitioner("n-7", "Niko Hoitaja", "nurse"),
    )
    # The portal acts for the signed-in citizen, proven by the provider's token.
    portal = await Client.connect(
        target,
        tls=TLSConfig.from_pki_dir(pki, "omaportaali"),
        on_behalf_of=CITIZEN,
        citizen_token=await citizen_token(issuer),
    )

    # A municipal social service opens a case and writes a record.
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    record = await social.create_record(case.id, kind="assessment", text="Needs help twice a day.")

    # The citizen, through the portal, lets the care company read and discuss it.
    consent = await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read", "discuss"],
        purpose="Arranging home care",
        valid_until=datetime.now(UTC) + timedelta(days=90),
    )
    seen = await company.get_record(case.id, record.record_id)  # allowed: CONSENT
    print(f"company read: {seen.text}")

    # Everyone talks in one thread; the company watches it live.
    thread = await social.create_thread(case.id, subject="Care plan")
    both_seen = asyncio.Event()

    async def watch() -> None:
        try:
            async for message in company.watch_thread(thread.id):  # backlog, then live
                print(f"company received #{message.sequence}: {message.body}")
                if message.sequence == 2:
                    both_seen.set()
        except PermissionDeniedError as ended:
            print(f"company's watch ended: {ended.reason}")

    watching = asyncio.create_task(watch())
    await social.post_message(thread.id, "Visits start on Monday at 8.")
    await portal.post_message(thread.id, "Thank you, mornings suit me.")
    await asyncio.wait_for(both_seen.wait(), timeout=5)

    # The citizen revokes: the company's open watch ends and its next read is refused.
    await portal.revoke_consent(consent.id)
    await asyncio.wait_for(watching, timeout=5)
    try:
        await company.get_record(case.id, record.record_id)
    except PermissionDeniedError as refused:
        print(f"company refused: {refused.reason}")

    # Who looked at my data: the citizen's view of the audit log, oldest first.
    events = [e async for e in portal.list_audit_events()]
    for event in reversed(events):
        print(f"audit: {event.organization_id} {event.action} {event.outcome} {event.reason}")

    for client in (social, company, portal):
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051", help="the broker's HOST:PORT")
    parser.add_argument("--pki", default="certs/dev", help="the PKI folder (CA and org keys)")
    parser.add_argument(
        "--issuer", default="http://127.0.0.1:8070", help="the development identity provider"
    )
    args = parser.parse_args()
    asyncio.run(story(args.target, args.pki, args.issuer))


if __name__ == "__main__":
    main()
