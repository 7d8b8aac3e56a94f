"""Server-side sessions: the cookie carries a random id, never who is signed in.

Who signed in (a citizen's identity code, a clerk's id) stays in this process's
memory, so it cannot leak through the cookie, a proxy log or the browser's
storage. A session idle longer than the timeout is gone: the next request
starts signed out.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "luukku_session"
UNSESSIONED = ("/static/", "/healthz")  # paths that neither need nor make a session


@dataclass
class SignInToken:
    """The identity provider's token a sign-in got, forwarded to the broker, never shown."""

    token: str
    expires_at: float  # the token's exp (seconds since the epoch)
    refresh_token: str | None = None

    def __repr__(self) -> str:
        return f"SignInToken(expires_at={self.expires_at})"


@dataclass
class Session:
    """One browser's session: its CSRF token and, once signed in, the person."""

    id: str
    csrf_token: str
    last_seen: float
    person_id: str | None = None  # a citizen's identity code; a clerk's id at their organisation
    person_name: str = ""
    person_role: str = ""  # a clerk's role, as their organisation's sign-in gave it
    expired: bool = False  # set on the first request after an idle timeout
    token: SignInToken | None = None  # what proves the person to the broker, if it needs one
    data: dict[str, Any] = field(default_factory=dict)  # OIDC state during sign-in


class SessionStore:
    """Sessions by id, forgotten after ``idle_timeout_s`` without a request."""

    def __init__(self, idle_timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        # Least recently seen first, so forgetting idle sessions stops at the first live one.
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        # Ids of signed-in sessions that timed out, kept a while to say so on sign-in.
        self._timed_out: dict[str, float] = {}
        self._idle = idle_timeout_s
        self._clock = clock

    def open(self, session_id: str | None) -> Session:
        """The live session of ``session_id``, or a fresh one (marked expired if it timed out)."""
        now = self._clock()
        self._forget_idle(now)
        known = self._sessions.get(session_id or "")
        if known is not None:
            known.last_seen = now
            self._sessions.move_to_end(known.id)
            return known
        fresh = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now)
        fresh.expired = session_id is not None and session_id in self._timed_out
        self._sessions[fresh.id] = fresh
        return fresh

    def renew(self, session: Session) -> Session:
        """A new id for ``session`` (on sign-in, so an id seen before it is worthless)."""
        self._sessions.pop(session.id, None)
        session.id = secrets.token_urlsafe(32)
        session.csrf_token = secrets.token_urlsafe(32)
        self._sessions[session.id] = session
        return session

    def alive(self, session: Session) -> bool:
        """Whether ``session`` is still signed in and not idle past the timeout."""
        live = self._sessions.get(session.id) is session and session.person_id is not None
        return live and self._clock() - session.last_seen <= self._idle

    def end(self, session: Session) -> None:
        """Forget ``session`` (sign-out)."""
        self._sessions.pop(session.id, None)

    def __len__(self) -> int:
        return len(self._sessions)

    def _forget_idle(self, now: float) -> None:
        while self._sessions:
            session = next(iter(self._sessions.values()))
            if now - session.last_seen <= self._idle:
                break
            del self._sessions[session.id]
            if session.person_id is not None:
                self._timed_out[session.id] = now
        stale = [i for i, t in self._timed_out.items() if now - t > 4 * self._idle]
        for session_id in stale:
            del self._timed_out[session_id]


class SessionMiddleware:
    """Attach ``scope["luukku.session"]`` and keep the cookie pointing at it."""

    def __init__(self, app: ASGIApp, store: SessionStore, *, secure: bool) -> None:
        self.app = app
        self.store = store
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNSESSIONED):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(COOKIE)
        session = self.store.open(cookie)
        scope["luukku.session"] = session
        # Authlib keeps its sign-in state (state, nonce, PKCE verifier) in request.session.
        scope["session"] = session.data

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and cookie != session.id:
                headers = MutableHeaders(scope=message)
                flags = "; HttpOnly; SameSite=Lax; Path=/" + ("; Secure" if self.secure else "")
                headers.append("Set-Cookie", f"{COOKIE}={session.id}{flags}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def session_of(conn: HTTPConnection) -> Session:
    """The session the middleware attached."""
    session: Session = conn.scope["luukku.session"]
    return session
