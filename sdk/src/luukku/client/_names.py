"""People's names as an identity provider gives them, made safe to show and send.

A name that travels to the broker (an inquiry's ``citizen_name``) must be one
line and never hold an identity code. The web apps keep the name a sign-in
gives this way, and the broker the name in a citizen's signed token, so both
keep the same name the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from luukku.verify.identity_code import is_valid_identity_code

NAME_MAX = 200


def plain_name(text: str) -> str:
    """A person's name as it may be shown and sent on: one line of printable characters,
    spaces collapsed, at most 200 characters; "" for one holding an identity code, which
    must never travel as a name."""
    printable = "".join(
        " " if unicodedata.category(c)[0] in "CZ" else c for c in unicodedata.normalize("NFC", text)
    )
    name = re.sub(" +", " ", printable).strip()[:NAME_MAX].strip()
    return "" if any(is_valid_identity_code(word.upper()) for word in name.split()) else name


def claimed_name(claims: dict[str, Any]) -> str:
    """The person's name in an id token's claims: ``name``, else ``given_name`` and
    ``family_name`` (OpenID Connect's standard claims)."""
    name = plain_name(str(claims.get("name", "")))
    if name:
        return name
    parts = (str(claims.get(key, "")) for key in ("given_name", "family_name"))
    return plain_name(" ".join(p for p in parts if p))
