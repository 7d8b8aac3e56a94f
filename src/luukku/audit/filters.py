"""Which audit events a viewer asks for: whose they may see, narrowed by optional filters.

Free of I/O: the store turns an ``AuditFilter`` into SQL, and the fan-out asks
``may_concern`` whether an announced event can be news to an open watch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from luukku.audit.events import Outcome
from luukku.domain.access import Actor
from luukku.domain.events import AuditRecorded


@dataclass(frozen=True)
class AuditFilter:
    """Narrows the events a viewer may list; each field left empty selects all."""

    org_id: str | None = None
    """Only calls by this organisation."""
    case_id: str | None = None
    """Only events about this case or one of its threads."""
    outcome: Outcome | None = None
    """Only allowed, or only denied, events."""
    exclude_own: bool = False
    """Leave out a citizen viewer's own use of the portal (no effect for an organisation)."""
    withheld_cases: tuple[str, ...] = ()
    """Leave out the events about these cases or their threads: those a capable minor
    forbids the guardian reading the minor's log (set from the viewer, never asked for)."""

    def for_viewer(self, viewer: Actor) -> AuditFilter:
        """The filter as it applies to ``viewer``: ``exclude_own`` is for citizens only."""
        if self.exclude_own and viewer.citizen_id is None:
            return AuditFilter(self.org_id, self.case_id, self.outcome)
        return self

    def withholding(self, case_ids: tuple[str, ...]) -> AuditFilter:
        """The filter leaving out also the events about ``case_ids``."""
        return replace(self, withheld_cases=case_ids)

    def key(self) -> tuple[str, ...]:
        """The filter as page tokens bind to it."""
        outcome = self.outcome.value if self.outcome else ""
        return (self.org_id or "", self.case_id or "", outcome, "own" if self.exclude_own else "")


def visible_to(viewer: Actor, org_id: str, subject: str | None, acting_for: str | None) -> bool:
    """Whether ``viewer`` may list an event: a citizen the events about them or done for
    them, an organisation its own.
    """
    if viewer.citizen_id is None:
        return org_id == viewer.org_id
    return viewer.citizen_id in (subject, acting_for)


def may_concern(viewer: Actor, wanted: AuditFilter, news: AuditRecorded) -> bool:
    """Whether an announced event can be one that ``viewer``'s watch with ``wanted`` selects.

    Decided on the ids the announcement carries; the stream itself reads the
    log for the rest (the outcome, the case), so a true answer may still find
    nothing new, but a false one never hides an event.
    """
    org, subject, acting_for = news.org_id, news.subject_citizen_id, news.acting_for_citizen_id
    if not visible_to(viewer, org, subject, acting_for):
        return False
    if wanted.org_id is not None and org != wanted.org_id:
        return False
    own = viewer.citizen_id is not None and acting_for == viewer.citizen_id
    return not (wanted.exclude_own and own)
