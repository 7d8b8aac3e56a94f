"""Page sizes and opaque page tokens (AIP-158)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from luukku.domain.errors import invalid_argument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def page_size(
    requested: int, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE
) -> int:
    """The effective page size: 0 means the default; larger than ``maximum`` is capped."""
    if requested < 0:
        raise invalid_argument("INVALID_PAGE_SIZE", "page_size", "must not be negative")
    return min(requested or default, maximum)


def encode_token(kind: str, position: Any) -> str:
    """An opaque token naming where the next page of ``kind`` starts."""
    raw = json.dumps({"k": kind, "p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(kind: str, token: str) -> Any:
    """The position encoded in ``token``; None for an empty token.

    Raises:
        LuukkuError: INVALID_ARGUMENT (INVALID_PAGE_TOKEN) for a token that is
            malformed or was issued for another listing.
    """
    if not token:
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise invalid_argument("INVALID_PAGE_TOKEN", "page_token", "malformed page token") from exc
    if not isinstance(data, dict) or data.get("k") != kind or "p" not in data:
        raise invalid_argument(
            "INVALID_PAGE_TOKEN", "page_token", "page token belongs to another listing"
        )
    return data["p"]
