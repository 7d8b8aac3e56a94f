"""My cases: the list, a case with its records and discussions, a record's revisions."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, Record, Thread
from luukku.portal.web import citizen_client, page, portal_of

RECORDS_PER_PAGE = 50
# A record's versions come a page per call; one page holds all but the rarest histories.
REVISIONS_PER_CALL = 500


async def case_list(request: Request) -> Response:
    """GET /cases: every case about the citizen, newest first."""
    client = citizen_client(request)
    cases = [c async for c in client.list_cases()]
    names = await portal_of(request).broker.organization_names()
    return await page(request, "cases.html", section="cases", cases=cases, names=names)


async def case_page(request: Request) -> Response:
    """GET /cases/{case_id}: the case, a page of its records (latest revisions), its threads."""
    client = citizen_client(request)
    case_id = request.path_params["case_id"]
    token = request.query_params.get("records", "")
    case = await client.get_case(case_id)
    (records, next_token), threads = await asyncio.gather(
        client.records_page(case.id, page_size=RECORDS_PER_PAGE, page_token=token),
        _threads(client, case.id),
    )
    names = await portal_of(request).broker.organization_names()
    return await page(
        request,
        "case.html",
        section="cases",
        case=case,
        records=records,
        next_token=next_token,
        first_page=not token,
        threads=threads,
        names=names,
    )


async def record_revisions(request: Request) -> Response:
    """GET /cases/{case_id}/records/{record_id}: every revision of one record, newest first.

    Two calls whatever the number of revisions: the case, and the record's history.
    """
    client = citizen_client(request)
    case_id, record_id = request.path_params["case_id"], request.path_params["record_id"]
    case, revisions = await asyncio.gather(
        client.get_case(case_id), _history(client, case_id, record_id)
    )
    names = await portal_of(request).broker.organization_names()
    return await page(
        request, "record.html", section="cases", case=case, revisions=revisions, names=names
    )


async def _history(client: Client, case_id: str, record_id: str) -> list[Record]:
    pages = client.list_record_revisions(case_id, record_id, page_size=REVISIONS_PER_CALL)
    return [r async for r in pages]


async def _threads(client: Client, case_id: str) -> list[Thread]:
    return [t async for t in client.list_threads(case_id)]
