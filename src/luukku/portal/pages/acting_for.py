"""Acting for another person: choosing whom (oneself, or someone one holds a right over),
and the page that says why the broker refused a call made on a right."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import RPCError
from luukku.portal import acting, words
from luukku.portal.web import form_fields, own_client, page, redirect, render
from luukku.web import i18n
from luukku.web.sessions import session_of


async def chooser(request: Request) -> Response:
    """GET /acting-for: myself, or a person whose right the citizen holds in force."""
    return await _render(request, 200, error="")


async def choose(request: Request) -> Response:
    """POST /acting-for: act from now on for the person chosen (``right``; empty: myself).

    The rights are asked afresh, so a right ended since the page was shown is not taken.
    """
    right_id = (await form_fields(request)).get("right", "")
    if not right_id:
        acting.choose(request, None)
        return redirect("/acting-for?done=1")
    acting.forget_rights(request)
    held = await acting.rights_held(request, own_client(request))
    chosen = next((r for r in held if r.id == right_id), None)
    if chosen is None:
        error = i18n.gettext_("That right is no longer in force. Choose again.")
        return await _render(request, 400, error=error)
    acting.choose(request, chosen)
    return redirect("/acting-for?done=1")


async def _render(request: Request, status: int, *, error: str) -> Response:
    held = await acting.rights_held(request, own_client(request))
    chosen = acting.current(session_of(request))
    notice = ""
    if request.query_params.get("done") and status == 200:
        notice = (
            i18n.gettext_("You are now acting for %(person)s.") % {"person": chosen.label}
            if chosen
            else i18n.gettext_("You are now acting for yourself.")
        )
    return await page(
        request,
        "acting_for.html",
        status,
        section="acting",
        held=held,
        chosen=chosen,
        error=error,
        notice=notice,
    )


def refusal_page(request: Request, error: RPCError) -> Response | None:
    """The page for a call the broker refused on the right the citizen acts on: why, in
    plain words, and the way back to acting for oneself. None for any other refusal."""
    chosen = acting.current(session_of(request))
    if chosen is None or not error.reason.startswith("REPRESENTATION_"):
        return None
    return render(
        request,
        "acting_refused.html",
        403,
        chosen=chosen,
        why=words.representation_refusal(error.reason),
    )
