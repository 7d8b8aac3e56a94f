"""Ready answers: a desk's stock replies, kept up by the clerks of its members together.

Only the desk's member organisations, each acting as itself, list, read, write
and remove them; anybody else (a caller acting for a citizen included) is
refused NOT_DESK_MEMBER whether or not the desk or the answer exists, so the
refusal tells nothing. An answer holds no citizen's data: each call is
audited under nobody, like every access.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.desks.ready_answers import (
    MAX_PER_DESK,
    Change,
    ReadyAnswer,
    check_change,
    validate_revision,
    validate_wording,
)
from luukku.domain.errors import failed_precondition, not_found
from luukku.domain.organizations import validate_org_id
from luukku.service.access.guard import Access, guard
from luukku.service.access.refusal_errors import request_id_reused
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, page_size
from luukku.store.uow import Store


@dataclass(frozen=True)
class Texts:
    """A ready answer's title and texts as a clerk sent them (validated by the domain)."""

    title: str
    text_fi: str = ""
    text_sv: str = ""
    text_en: str = ""


def _member(access: Access, desk_id: str) -> None:
    """Allow a member organisation of the desk acting as itself; refuse anybody else."""
    actor = access.actor
    if actor.citizen_id is not None or not access.tx.desks.is_member(desk_id, actor.org_id):
        access.deny(Reason.NOT_DESK_MEMBER)
    access.allow(Reason.DESK_MEMBER)


def _found(access: Access, desk_id: str, answer_id: str) -> ReadyAnswer:
    """The desk's answer, once the actor is known to be a member."""
    _member(access, desk_id)
    answer = access.tx.ready_answers.get(desk_id, answer_id)
    if answer is None:
        raise not_found("READY_ANSWER_NOT_FOUND", "the desk has no ready answer by this id")
    return answer


def _now_by(access: Access) -> Change:
    return Change(access.caller.organization.id, access.caller.practitioner, access.now)


def list_ready_answers(
    store: Store, caller: Caller, desk_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[ReadyAnswer], str]:
    """The desk's answers in the order written, without the removed ones."""
    validate_org_id(desk_id, "desk_id")
    size = page_size(requested_size)
    listing = Listing("ready_answers", (desk_id,))
    after = listing.after_number(page_token) or 0
    resource = f"desks/{desk_id}/readyAnswers"
    with guard(store, caller, action="ready_answer.list", resource=resource) as access:
        _member(access, desk_id)
        found = access.tx.ready_answers.listed(desk_id, after, size + 1)
    page = found[:size]
    token = listing.token(page[-1][0]) if len(found) > size else ""
    return [answer for _, answer in page], token


def get_ready_answer(store: Store, caller: Caller, desk_id: str, answer_id: str) -> ReadyAnswer:
    """One of the desk's answers, a removed one too."""
    validate_org_id(desk_id, "desk_id")
    require_id(answer_id, "ready_answer_id")
    resource = f"desks/{desk_id}/readyAnswers/{answer_id}"
    with guard(store, caller, action="ready_answer.read", resource=resource) as access:
        return _found(access, desk_id, answer_id)


def create_ready_answer(
    store: Store, caller: Caller, desk_id: str, texts: Texts, request_id: str = ""
) -> ReadyAnswer:
    """Write a new answer for the desk; a retry with the same request id returns the first."""
    validate_org_id(desk_id, "desk_id")
    wording = validate_wording(texts.title, texts.text_fi, texts.text_sv, texts.text_en)
    rid = optional_request_id(request_id)
    org = caller.organization.id

    def attempt() -> ReadyAnswer:
        resource = f"desks/{desk_id}/readyAnswers"
        with guard(store, caller, action="ready_answer.create", resource=resource) as access:
            _member(access, desk_id)
            answers = access.tx.ready_answers
            earlier = answers.by_request(desk_id, org, rid) if rid else None
            if earlier is not None:
                if earlier.wording != wording:
                    raise request_id_reused()
                access.resource = f"{resource}/{earlier.id}"
                return earlier
            if answers.count(desk_id) >= MAX_PER_DESK:
                raise failed_precondition(
                    "READY_ANSWERS_FULL", f"a desk keeps at most {MAX_PER_DESK} ready answers"
                )
            now = _now_by(access)
            answer = ReadyAnswer(new_id(), desk_id, wording, 1, now, now)
            access.resource = f"{resource}/{answer.id}"
            answers.add(answer, rid)
            return answer

    return once_more_on_conflict(attempt)


def update_ready_answer(
    store: Store, caller: Caller, desk_id: str, answer_id: str, revision: int, texts: Texts
) -> ReadyAnswer:
    """Replace the answer's title and texts, as of the revision the clerk read; writing what
    it already says changes nothing."""
    validate_org_id(desk_id, "desk_id")
    require_id(answer_id, "ready_answer_id")
    read = validate_revision(revision)
    wording = validate_wording(texts.title, texts.text_fi, texts.text_sv, texts.text_en)
    resource = f"desks/{desk_id}/readyAnswers/{answer_id}"

    def attempt() -> ReadyAnswer:
        with guard(store, caller, action="ready_answer.update", resource=resource) as access:
            answer = _found(access, desk_id, answer_id)
            if not check_change(answer, read, wording):
                return answer
            return access.tx.ready_answers.change(answer, wording, _now_by(access))

    return once_more_on_conflict(attempt)


def delete_ready_answer(store: Store, caller: Caller, desk_id: str, answer_id: str) -> ReadyAnswer:
    """Remove the answer from the desk's list (kept, marked removed); removing it again
    returns it unchanged."""
    validate_org_id(desk_id, "desk_id")
    require_id(answer_id, "ready_answer_id")
    resource = f"desks/{desk_id}/readyAnswers/{answer_id}"

    def attempt() -> ReadyAnswer:
        with guard(store, caller, action="ready_answer.delete", resource=resource) as access:
            answer = _found(access, desk_id, answer_id)
            if answer.removed:
                return answer
            return access.tx.ready_answers.remove(answer, _now_by(access))

    return once_more_on_conflict(attempt)
