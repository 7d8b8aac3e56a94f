"""What guards every request: a strict CSP and no framing, sniffing or referrers on every
response, and the session's CSRF token on every state-changing request."""

from __future__ import annotations

import hmac

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luukku.web import i18n
from luukku.web.pages import error_page
from luukku.web.sessions import Session

# Requests that change nothing; every other method needs the session's CSRF token.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline script or style anywhere: every asset is a file the app serves.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Add :data:`HEADERS` to every HTTP response; pages are never cached."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = dict(HEADERS)
        if https:
            self.headers["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if not static:
                    # Pages show personal data: keep them out of shared and back-button caches.
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfMiddleware:
    """Refuse (403) a state-changing request whose form lacks this session's CSRF token,
    before any route sees it: no route can forget the check.

    The form is read here and handed on unchanged, so a route reads it as usual.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await _whole_body(receive)
        request = Request(scope, _replaying(body, receive))
        if await _carries_the_sessions_token(request) or _signing_out_nobody(request):
            await self.app(scope, _replaying(body, receive), send)
            return
        await _refusal(request)(scope, receive, send)


async def _whole_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then what the client sends (a disconnect)."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _carries_the_sessions_token(request: Request) -> bool:
    session: Session | None = request.scope.get("luukku.session")
    if session is None:  # a path without sessions changes nothing
        return False
    sent = (await request.form()).get("csrf_token")
    # Compared as bytes: compare_digest refuses non-ASCII text with a TypeError.
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), session.csrf_token.encode())


def _signing_out_nobody(request: Request) -> bool:
    """A sign-out from a session nobody is signed in to: it changes nothing, so a forged
    one harms nobody, and the second press of a double-clicked "Sign out" (its session
    already gone with the first) lands on the front page instead of an expired form."""
    session: Session | None = request.scope.get("luukku.session")
    return request.url.path == "/logout" and session is not None and session.person_id is None


def _refusal(request: Request) -> Response:
    if "luukku.session" not in request.scope:
        return PlainTextResponse("forbidden", status_code=403)
    return error_page(
        request,
        403,
        i18n.gettext_("The form had expired"),
        i18n.gettext_(
            "For your security the form could not be sent. Go back, reload the page and try again."
        ),
    )
