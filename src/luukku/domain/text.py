"""Free text a caller may store: what both storage engines keep exactly as sent.

PostgreSQL cannot store the NUL character at all (SQLite can), and control
characters other than tab and line breaks, or the bidirectional overrides that
make text display in another order than it is stored, have no place in a
title, a purpose or a message. Refusing them here makes both engines answer
the same way: INVALID_ARGUMENT, never a database error.
"""

from __future__ import annotations

import re

from luukku.domain.errors import invalid_argument

# C0 controls but tab, LF and CR; DEL and C1 controls; bidi embeddings,
# overrides and isolates, and the directional marks.
_UNSTORABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# In one-line fields (names, roles, titles) line breaks do not belong either.
_NOT_ONE_LINE = re.compile("[\t\n\r]")


def storable_text(value: str, field: str) -> str:
    """``value`` if it holds no control or bidi-override characters, else INVALID_ARGUMENT."""
    if _UNSTORABLE.search(value):
        raise invalid_argument(
            "INVALID_CHARACTER", field, "control and text-direction characters are not allowed"
        )
    return value


def one_line(value: str, field: str) -> str:
    """Like :func:`storable_text`, and without tabs or line breaks."""
    if _NOT_ONE_LINE.search(value):
        raise invalid_argument("INVALID_CHARACTER", field, "must be a single line")
    return storable_text(value, field)
