"""Plain words for what a case is, shared by both apps: its service category, its
status, a record's kind and what a consent lets an organisation do.

Each text is a gettext message id (marked with ``N_`` so extraction finds it),
translated when the page renders.
"""

from __future__ import annotations

from luukku.web.i18n import gettext_


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


PERMISSIONS = {
    "read": N_("read the records"),
    "write": N_("add records"),
    "discuss": N_("take part in discussions"),
}

CATEGORIES = {
    "home_care": N_("Home care"),
    "social_work": N_("Social work"),
    "health": N_("Health care"),
    "rehabilitation": N_("Rehabilitation"),
    "housing": N_("Housing services"),
}

CASE_STATUSES = {"open": N_("Open"), "closed": N_("Closed")}

# Record kinds are the writing organisation's labels; the usual ones have names.
RECORD_KINDS = {
    "assessment": N_("Assessment"),
    "needs-assessment": N_("Assessment of service needs"),
    "care-plan": N_("Care plan"),
    "decision": N_("Decision"),
    "note": N_("Note"),
    "visit": N_("Visit"),
}


def plain(table: dict[str, str], code: str, fallback: str) -> str:
    """The words ``table`` has for ``code`` in the page's language, else ``fallback``."""
    text = table.get(str(code))
    return gettext_(text) if text is not None else fallback


def permission(code: str) -> str:
    """What a permission lets an organisation do."""
    return plain(PERMISSIONS, code, code)


def category(code: str) -> str:
    """A service category's name."""
    return plain(CATEGORIES, code, code)


def case_status(code: str) -> str:
    """A case's status."""
    return plain(CASE_STATUSES, code, code)


def record_kind(code: str) -> str:
    """A record's heading: the name of its kind, else its label in plain letters."""
    return plain(RECORD_KINDS, code, code.replace("-", " ").replace("_", " ").capitalize())
