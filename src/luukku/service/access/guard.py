"""The audited access guard: the one way a use case reaches a citizen's data.

A use case opens ``guard(store, caller, action=..., resource=...)`` and gets an
``Access``: the transaction, the clock and the acting party. It decides through
the access (``access.case(...)``, ``access.allow(...)``, ``access.deny(...)``,
``access.listing(...)``), and the guard writes the audit event in the same
transaction, whatever happens next:

- the block ends normally: the event(s) commit with whatever the block wrote;
- the block raises a ``LuukkuError`` (a denial, or a refusal found after the
  decision such as a closed case): the event is recorded as denied with that
  reason, committed, and only then is the error raised to the caller. Use
  cases therefore raise before they write;
- anything else: the transaction rolls back and nothing is returned (fail closed);
- the block decided nothing and raised nothing: ``AuditMissing``, rolled back,
  so a use case that forgets to decide cannot return data unaudited.

A call acting for someone under a representation right (``acting``) is decided
on the rights too, at every decision; its event names the representative
(``acting_for``) and the represented person (``subject``), and a refusal the
representative may not be told is raised as what they are told, recorded as
what it is.

Once committed, each audit event written is announced to the outbox
(``AuditRecorded``, for audit watchers), a denial's as much as an access's;
the events the use case emitted only when the block ended normally.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NoReturn

from luukku.audit.events import event_for, recorded
from luukku.domain.access import Actor, Decision, Reason, decide
from luukku.domain.acting import told
from luukku.domain.caller import Caller
from luukku.domain.cases import Case, Record
from luukku.domain.consents import Consent, Permission
from luukku.domain.errors import LuukkuError
from luukku.domain.events import AuditRecorded, Event
from luukku.service.access import call_audit, outbox
from luukku.service.access.acting import Acting, under_right
from luukku.service.access.clock import now_utc
from luukku.service.access.refusal_errors import refusal
from luukku.store.uow import Store, Tx


class AuditMissing(RuntimeError):
    """A use case ended without deciding: a wiring bug, refused rather than unaudited."""


@dataclass(frozen=True)
class _Entry:
    """One audit event to write: the outcome, why, and whose data."""

    allowed: bool
    reason: str
    consent_id: str | None
    subject: str | None

    @classmethod
    def of(cls, decision: Decision, subject: str | None) -> _Entry:
        return cls(decision.allowed, decision.reason, decision.consent_id, subject)


class Access:
    """One guarded call: its transaction, clock, actor and the decisions to audit."""

    def __init__(self, tx: Tx, caller: Caller, now: datetime, action: str, resource: str) -> None:
        self.tx = tx
        self.caller = caller
        self.now = now
        self.action = action
        self.resource = resource
        """What the event names; a use case may narrow it once it knows (a new id)."""
        self.unresolved: LuukkuError | None = None
        """The refusal of a right the call names that is not the signed-in citizen's."""
        self.acting: Acting | None
        """The representation side of the decisions, when the call acts for someone."""
        try:
            self.actor, self.acting = acting_party(tx, caller, now)
        except LuukkuError as exc:
            self.unresolved = exc
            self.actor, self.acting = acting_party(tx, replace(caller, acting_for=None), now)
        self.subject: str | None = self.actor.citizen_id
        """The citizen whose data is at stake, as far as known; a denial is recorded under it."""
        self._entries: list[_Entry] = []
        self._case: Case | None = None
        self.consents: Sequence[Consent] = ()
        """The consents read with the case last reached (``case``), where they matter."""
        self._refused: tuple[LuukkuError, str] | None = None
        self._written = False
        self.events: list[Event] = []
        """What this call changed, for live delivery once it has committed."""
        self.recorded: list[AuditRecorded] = []
        """The audit events written, announced once committed, whether allowed or denied."""

    def emit(self, event: Event) -> None:
        """Announce ``event``; it is delivered only if the call commits."""
        self.events.append(event)

    @property
    def consent_id(self) -> str | None:
        """The consent that allowed the access decided so far, if one did."""
        return self._entries[0].consent_id if self._entries else None

    def named_citizen(self, identity_code: str) -> str | None:
        """The citizen a call names by ``identity_code`` (a listing's filter).

        An organisation's lookup makes the citizen on first sight, as a call
        acting for one does: the answer, its audit event and the caller's own
        log then look the same whether or not the hub knew the person (no
        oracle), and the person sees, once they sign in, who looked them up.
        A citizen naming someone else is refused, and a refusal registers no one.
        """
        if self.actor.citizen_id is None:
            return self.tx.citizens.get_or_create(identity_code, self.now)
        return self.tx.citizens.find(identity_code)

    @property
    def lapses_at(self) -> datetime | None:
        """When the right this call acts under lapses by itself, if it does (a stream's
        latest re-check); None for a call acting for nobody."""
        return None if self.acting is None else self.acting.lapses_at

    def about(self, case: Case) -> None:
        """The case the call's decisions are about, when the use case reached it itself
        (a consent for one case): a call acting for someone is decided on it."""
        self._case = case

    def case(self, case_id: str, need: Permission) -> Case:
        """The case, if the actor may exercise ``need`` on it now; else the refusal is raised."""
        return self._reach(case_id, need, "", 0)[0]

    def case_record(
        self, case_id: str, need: Permission, record_id: str, revision: int = 0
    ) -> tuple[Case, Record | None]:
        """``case``, and its record ``record_id`` at ``revision`` (0: the latest) if it has
        one: read with the case in one statement, and returned only once the case is allowed.
        """
        return self._reach(case_id, need, record_id, revision)

    def _reach(
        self, case_id: str, need: Permission, record_id: str, revision: int
    ) -> tuple[Case, Record | None]:
        # The case, the consents that may matter and the record in one statement; the
        # decision is still the access rule's, on the rows as they stand now.
        asking = self.actor.org_id if self.actor.citizen_id is None else None
        found = self.tx.cases.reach(case_id, asking, record_id, revision)
        if found is None:
            self.missing(need)
        case = found.case
        self.subject = case.citizen_id
        self._case = case
        self.consents = found.consents if consents_matter(self.actor, case) else ()
        self.decide(decide(self.actor, case, need, self.consents, self.now))
        return case, found.record

    def missing(self, need: Permission) -> NoReturn:
        """Refuse a case (or thread) that does not exist exactly as one the actor may not see.

        Permission comes before existence: the reason must not tell them apart.
        """
        self.deny(decide(self.actor, None, need, (), self.now).reason)

    def decide(self, decision: Decision) -> None:
        """Record ``decision`` about ``self.subject``; raise the refusal if it denies.

        A call acting for someone is decided on the rights too, on the case
        last reached through ``case`` (if any): see ``acting``.
        """
        if self.acting is not None and decision.reason is not Reason.DELIVERED:
            decision = self.acting.decide(decision, self.action, self._case, self.now)
        if not decision.allowed:
            self.deny(decision.reason)
        self._entries = [_Entry.of(decision, self.subject)]

    def allow(self, reason: Reason, *, resource: str | None = None) -> None:
        """Record an allowed access decided by the use case (a create, a grant, one's own data).

        ``resource`` narrows what the event names, e.g. to the id just made.
        """
        if resource is not None:
            self.resource = resource
        self.decide(Decision(True, reason))

    def deny(self, reason: Reason) -> NoReturn:
        """Record a denial about ``self.subject`` and raise it (as told: ``domain.acting.told``)."""
        self._entries = [_Entry(False, reason, None, self.subject)]
        error = refusal(told(reason))
        self._refused = (error, reason)
        raise error

    def may_show(self, case: Case) -> bool:
        """Whether a listing may show ``case``: always, unless the call acts for someone
        whose rights do not reach it (a capable minor's refusal, a code out of scope).
        """
        return self.acting is None or self.acting.represented(self.action, case, self.now).allowed

    def listing(self, reason: Reason, citizens: Iterable[str]) -> None:
        """Allow a listing: one event per citizen whose data the page shows.

        An empty page still leaves one event, about ``self.subject`` (the citizen
        the listing was filtered to, if any).
        """
        decision = Decision(True, reason)
        if self.acting is not None:
            decision = self.acting.decide(decision, self.action, None, self.now)
            if not decision.allowed:
                self.deny(decision.reason)
        subjects: list[str | None] = [*sorted(set(citizens))] or [self.subject]
        self._entries = [_Entry.of(decision, s) for s in subjects]

    def audit_now(self) -> None:
        """Write the events decided so far before reading on: the audit log's own listing
        shows the event of the very call that lists it.
        """
        self._audit(None)
        self._written = True

    def _audit(self, failure: LuukkuError | None) -> None:
        if self._written and failure is None:
            return
        entries = self._entries
        if failure is not None:
            # What the caller is told is what the log says: a refusal found
            # after an allowed decision (a closed case, a reused request id)
            # is recorded as the denial it is.
            consent_id = entries[0].consent_id if entries else None
            reason = failure.reason
            if self._refused is not None and self._refused[0] is failure:
                reason = self._refused[1]  # the true reason, whatever the caller is told
            entries = [_Entry(False, reason, consent_id, self.subject)]
        elif not entries:
            raise AuditMissing(f"{self.action}: the use case decided nothing")
        for entry in entries:
            event = event_for(
                self.caller,
                acting_for=self.actor.representative_id or self.actor.citizen_id,
                action=self.action,
                resource=self.resource,
                subject=entry.subject,
                allowed=entry.allowed,
                reason=entry.reason,
                consent_id=entry.consent_id,
                now=self.now,
            )
            self.tx.audit.append(event)
            self.recorded.append(recorded(event))
        call_audit.written()


@contextmanager
def guard(store: Store, caller: Caller, *, action: str, resource: str) -> Iterator[Access]:
    """Open an audited access; see the module docstring for what it guarantees."""
    failure: LuukkuError | None = None
    with store.transaction() as tx:
        access = Access(tx, caller, now_utc(), action, resource)
        try:
            if access.unresolved is not None:
                raise access.unresolved
            yield access
        except LuukkuError as exc:
            failure = exc
        access._audit(failure)
    # A denial is committed as much as an access is: audit watchers hear of both.
    outbox.committed(access.recorded if failure is not None else [*access.events, *access.recorded])
    if failure is not None:
        raise failure


def actor_of(tx: Tx, caller: Caller, now: datetime) -> Actor:
    """The acting party: the organisation, or the citizen a portal acts for, or the
    person that citizen represents under the right the call names.

    Raises:
        LuukkuError: ``REPRESENTATION_MISSING`` for a right not the citizen's.
    """
    return acting_party(tx, caller, now)[0]


def acting_party(tx: Tx, caller: Caller, now: datetime) -> tuple[Actor, Acting | None]:
    """``actor_of``, and the representation side of its decisions when it acts for
    someone (the rights between the two already read)."""
    if caller.on_behalf_of is None:
        return Actor(caller.organization.id), None
    citizen = tx.citizens.get_or_create(caller.on_behalf_of, now)
    if caller.acting_for is None:
        return Actor(caller.organization.id, citizen), None
    acting = under_right(tx, caller.organization.id, citizen, caller.acting_for)
    return acting.actor, acting


def rechecked(
    tx: Tx,
    actor: Actor,
    own: Decision,
    action: str,
    case: Case | None,
    now: datetime,
) -> tuple[Decision, datetime | None]:
    """A stream's decision checked again: ``own`` (the access rule's, decided anew), and
    when the stream acts for someone, the rights as they stand now; raises the refusal
    as the caller is told it. Returns the decision and when the right that allowed it
    lapses by itself (None: no such right, or no set end).
    """
    if actor.representative_id is None:
        decision, lapses_at = own, None
    else:
        acting = Acting(tx, actor)
        decision, lapses_at = acting.decide(own, action, case, now), acting.lapses_at
    if not decision.allowed:
        raise refusal(told(decision.reason))
    return decision, lapses_at


def consents_for(tx: Tx, actor: Actor, case: Case | None) -> Iterable[Consent]:
    """The consents that could matter for ``actor`` on ``case``: fetched only when needed."""
    if case is None or not consents_matter(actor, case):
        return ()
    return tx.consents.between(actor.org_id, case.citizen_id)


def consents_matter(actor: Actor, case: Case) -> bool:
    """Whether consents could matter for ``actor`` on ``case``: not for a citizen, nor
    for the owner organisation."""
    return actor.citizen_id is None and actor.org_id != case.owner_org_id
