"""Tests of :mod:`luukku.domain.acting`: what a call asks of a right, and how the two
decisions on a call acting for someone combine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luukku.domain.access import Decision, Reason
from luukku.domain.acting import (
    NOT_THERE,
    UNDISCLOSED_REASONS,
    combine,
    representation_action,
    told,
)
from luukku.domain.representation.decision import UNDISCLOSED, Refusal
from luukku.domain.representation.decision import Decision as Represented
from luukku.domain.representation.rights import Action, Kind

DECIDED_REFUSALS = [r for r in Refusal if r is not Refusal.NOT_AVAILABLE]


@pytest.mark.parametrize(
    ("audited", "action"),
    [
        ("case.read", Action.READ),
        ("case.list", Action.READ),
        ("record.read", Action.READ),
        ("thread.list", Action.READ),
        ("thread.watch", Action.READ),
        ("thread.watch.delivered", Action.READ),
        ("thread.watch.end", Action.READ),
        ("audit.list", Action.READ),
        ("audit.watch.end", Action.READ),
        ("message.post", Action.DISCUSS),
        ("thread.create", Action.DISCUSS),
        ("thread.mark_read", Action.DISCUSS),
        ("consent.grant", Action.MANAGE_CONSENTS),
        ("consent.revoke", Action.MANAGE_CONSENTS),
        ("consent_request.answer", Action.MANAGE_CONSENTS),
        ("inquiry.create", Action.ASK_DESK),
        ("inquiry_message.post", Action.ASK_DESK),
        ("inquiry.watch", Action.ASK_DESK),
    ],
)
def test_each_citizen_action_asks_its_right_of_the_representative(audited, action):
    assert representation_action(audited) is action


@pytest.mark.parametrize(
    "audited", ["case.create", "record.create", "case.close", "inquiry.claim", "", "case.read.x"]
)
def test_an_action_no_citizen_takes_is_allowed_by_no_right(audited):
    assert representation_action(audited) is None


own_decisions = st.builds(
    Decision,
    st.booleans(),
    st.sampled_from(list(Reason)),
    st.one_of(st.none(), st.just("c" * 32)),
)
represented_decisions = st.one_of(
    st.builds(Represented, st.none(), st.just("r" * 32)),
    st.builds(Represented, st.sampled_from(DECIDED_REFUSALS)),
)


@given(own_decisions, represented_decisions, st.one_of(st.none(), st.sampled_from(list(Kind))))
def test_a_call_for_someone_is_allowed_only_when_both_decisions_allow_it(own, represented, kind):
    combined = combine(own, represented, kind)
    assert combined.allowed == (own.allowed and represented.allowed and kind is not None)
    if not own.allowed:
        assert combined == own  # the access rule's refusal comes first
    elif not represented.allowed:
        assert represented.refusal is not None
        assert combined.reason == f"REPRESENTATION_{represented.refusal.name}"
    elif combined.allowed:
        assert combined.reason.startswith("AS_")
        assert combined.consent_id == own.consent_id


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (Kind.GUARDIAN_OF_MINOR, Reason.AS_GUARDIAN),
        (Kind.ADULT_MANDATE, Reason.AS_MANDATARY),
        (Kind.LEGAL_GUARDIAN, Reason.AS_LEGAL_GUARDIAN),
    ],
)
def test_an_allowed_call_names_the_kind_of_the_right(kind, reason):
    assert combine(Decision(True, Reason.SELF), Represented(None, "r"), kind).reason is reason


@pytest.mark.parametrize("refusal", DECIDED_REFUSALS)
def test_the_representative_is_told_what_the_representation_rules_let_them_know(refusal):
    recorded = combine(Decision(True, Reason.SELF), Represented(refusal), None).reason
    shown = told(recorded)
    if refusal in UNDISCLOSED:
        assert recorded in UNDISCLOSED_REASONS
        # Exactly what a citizen asking for a case that does not exist is told.
        assert shown is NOT_THERE is Reason.NOT_CASE_CITIZEN
    else:
        assert shown is recorded


@given(st.sampled_from(list(Reason)))
def test_reasons_outside_representation_are_told_as_they_are(reason):
    if reason not in UNDISCLOSED_REASONS:
        assert told(reason) is reason
