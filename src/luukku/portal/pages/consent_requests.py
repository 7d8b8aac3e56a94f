"""Consent requests: a clerk handling the citizen's question asks to see one of their cases.

The citizen finds the requests on the question's page (live, as the clerk
asks) and among their consents, and answers each in one step: approving
grants exactly the consent asked for (case, purpose, period, permissions),
declining grants nothing. Pressed twice, an answer is given once.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, ConsentRequest, FailedPreconditionError
from luukku.portal.web import citizen_client, redirect
from luukku.web import i18n

MAX_REQUESTS = 100  # the citizen's requests read for a page


async def requests_of(client: Client, inquiry_id: str = "") -> list[ConsentRequest]:
    """The citizen's consent requests (from one question, if given), newest first."""
    found: list[ConsentRequest] = []
    async for asked in client.list_consent_requests(inquiry_id=inquiry_id):
        found.append(asked)
        if len(found) >= MAX_REQUESTS:
            break
    return found


async def approve(request: Request) -> Response:
    """POST /consent-requests/{request_id}/approve: grant the consent as it was asked."""
    return await _answer(request, approve=True)


async def decline(request: Request) -> Response:
    """POST /consent-requests/{request_id}/decline: grant nothing."""
    return await _answer(request, approve=False)


async def _answer(request: Request, *, approve: bool) -> Response:
    """Answer, then land where the citizen answered: the question's page or the consents."""
    client = citizen_client(request)
    request_id = request.path_params["request_id"]
    form = await request.form()
    try:
        answered = await client.answer_consent_request(request_id, approve=approve)
        outcome = answered.state.value
    except FailedPreconditionError as error:
        # Answered the other way already (another tab), or the period has passed.
        if error.reason not in ("CONSENT_REQUEST_ANSWERED", "CONSENT_REQUEST_EXPIRED"):
            raise
        answered = await client.get_consent_request(request_id)
        outcome = "unchanged"
    fragment = f"consent-request-{answered.id}"
    if form.get("back") == "inquiry":
        return redirect(f"/inquiries/{answered.inquiry_id}?answered={outcome}", fragment=fragment)
    return redirect(f"/consents?answered={outcome}", fragment=fragment)


def answered_notice(outcome: str) -> str:
    """What the page says after an answer (``?answered=``)."""
    texts = {
        "approved": i18n.gettext_(
            "You approved the request. The organisation may now see the case as you allowed, "
            "until the last day. You can withdraw the consent at any time."
        ),
        "declined": i18n.gettext_("You declined the request. Nothing was shared."),
        "unchanged": i18n.gettext_("The request had already been answered or had expired."),
    }
    return texts.get(outcome, "")
