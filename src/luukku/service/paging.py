"""Page sizes and opaque page tokens (AIP-158), decoded by one typed decoder.

A token names the listing it was issued for (its kind and a digest of its
filters) and where the next page starts. A token is only ever accepted by
the same listing with the same filters, and its position is checked for
type and range before any query sees it: a forged token is INVALID_ARGUMENT,
never a database error. Access is decided again on every page, so a token
grants nothing by itself.

Conversations (a thread's, an inquiry's) are paged by message number from a
cursor; their cursor checks and their one page function are here too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from luukku.domain.caller import Caller
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument
from luukku.domain.threads import Message
from luukku.service.access.guard import Access, guard
from luukku.store.uow import Store, Tx

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Positions are sequence numbers and offsets: both fit a signed 64-bit column.
_MAX_POSITION = 2**63 - 1
_MAX_TOKEN = 512
_ID = re.compile(r"[0-9a-f]{32}\Z")
_TEXT_POSITION = re.compile(r"[a-z0-9-]{1,63}\Z")


def page_size(
    requested: int, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE
) -> int:
    """The effective page size: 0 means the default; larger than ``maximum`` is capped."""
    if requested < 0:
        raise invalid_argument("INVALID_PAGE_SIZE", "page_size", "must not be negative")
    return min(requested or default, maximum)


def _malformed() -> LuukkuError:
    return invalid_argument("INVALID_PAGE_TOKEN", "page_token", "malformed page token")


@dataclass(frozen=True)
class Listing:
    """One listing's tokens: ``kind`` names the listing, ``filters`` the query they bind to."""

    kind: str
    filters: tuple[str, ...] = ()

    def token(self, *position: int | str) -> str:
        """An opaque token naming where the next page starts."""
        raw = json.dumps({"k": self.kind, "q": self._digest(), "p": list(position)})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def after_number(self, token: str) -> int | None:
        """A sequence number or offset position; None for an empty token."""
        position = self._position(token, 1)
        if position is None:
            return None
        value = position[0]
        # bool is an int subclass: `true` is no position.
        if type(value) is not int or not 0 <= value <= _MAX_POSITION:
            raise _malformed()
        return value

    def after_text(self, token: str) -> str | None:
        """A slug position (an organisation id); None for an empty token."""
        position = self._position(token, 1)
        if position is None:
            return None
        if not isinstance(position[0], str) or not _TEXT_POSITION.match(position[0]):
            raise _malformed()
        return position[0]

    def after_time_and_id(self, token: str) -> tuple[str, str] | None:
        """A (creation time, id) position for newest-first listings; None for an empty token."""
        position = self._position(token, 2)
        if position is None:
            return None
        when, ident = position
        if not isinstance(when, str) or not isinstance(ident, str) or not _ID.match(ident):
            raise _malformed()
        try:
            parsed = datetime.fromisoformat(when)
        except ValueError as exc:
            raise _malformed() from exc
        if parsed.tzinfo is None or parsed.isoformat() != when:
            raise _malformed()
        return when, ident

    def _position(self, token: str, length: int) -> list[object] | None:
        if not token:
            return None
        if len(token) > _MAX_TOKEN:
            raise _malformed()
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (binascii.Error, ValueError, UnicodeError) as exc:
            raise _malformed() from exc
        if not isinstance(data, dict) or data.get("k") != self.kind:
            raise invalid_argument(
                "INVALID_PAGE_TOKEN", "page_token", "page token belongs to another listing"
            )
        if data.get("q") != self._digest():
            raise invalid_argument(
                "INVALID_PAGE_TOKEN", "page_token", "page token was issued for other filters"
            )
        position = data.get("p")
        if not isinstance(position, list) or len(position) != length:
            raise _malformed()
        return position

    def _digest(self) -> str:
        return hashlib.sha256("\x1f".join(self.filters).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class PageRequest:
    """A page of one listing: how many, after which position, and the tokens' listing."""

    size: int
    after: int
    listing: Listing

    def token(self, rows: int, last_position: int) -> str:
        """The next page's token, when ``rows`` (fetched as size + 1) show there is one."""
        return self.listing.token(last_position) if rows > self.size else ""


def numbered_page(listing: Listing, requested_size: int, page_token: str) -> PageRequest:
    """The page asked for in a listing ordered by a number (sequence or offset)."""
    return PageRequest(page_size(requested_size), listing.after_number(page_token) or 0, listing)


class Dated(Protocol):
    """An item of a newest-first listing: ordered by (created_at, id), descending."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> str: ...


def newest_first_token(listing: Listing, found: Sequence[Dated], size: int) -> str:
    """The next page's token of a newest-first listing fetched as ``size + 1`` items."""
    if len(found) <= size:
        return ""
    last = found[size - 1]
    return listing.token(last.created_at.isoformat(), last.id)


def beyond_end(field: str) -> LuukkuError:
    """A cursor past the newest message."""
    return LuukkuError(
        ErrorCode.OUT_OF_RANGE,
        "CURSOR_BEYOND_END",
        f"{field} is beyond the newest message",
        metadata={"field": field},
    )


def require_cursor(value: int, field: str) -> int:
    """A sequence-number cursor: 0 (from the start) or more."""
    if value < 0:
        raise invalid_argument("INVALID_SEQUENCE", field, "must not be negative")
    return value


@dataclass(frozen=True)
class Conversation:
    """One conversation as a listing: how its reading is audited, how it is opened
    (the access check, answering its newest message number) and read on."""

    listing: Listing
    action: str
    resource: str
    newest_seq: Callable[[Access], int]
    messages_after: Callable[[Tx, int, int], Sequence[Message]]


def conversation_page(
    store: Store,
    caller: Caller,
    conversation: Conversation,
    after_seq: int,
    requested_size: int,
    page_token: str,
) -> tuple[Sequence[Message], str]:
    """Messages after a cursor (``after_sequence``, or the page token's), in sequence order."""
    size = page_size(requested_size)
    listing = conversation.listing
    cursor = listing.after_number(page_token)
    after = cursor if cursor is not None else require_cursor(after_seq, "after_sequence")
    with guard(store, caller, action=conversation.action, resource=conversation.resource) as access:
        if after > conversation.newest_seq(access):
            raise beyond_end("after_sequence")
        found = conversation.messages_after(access.tx, after, size + 1)
    page = found[:size]
    return page, listing.token(page[-1].seq) if len(found) > size else ""
