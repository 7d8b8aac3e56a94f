"""How the workspace names what the broker gives as values: an inquiry's status, channel
and steps in the page's language, its topic by the desk's name for it, and when a shift
of the rota runs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from luukku.client import (
    Desk,
    DeskShift,
    Inquiry,
    InquiryChannel,
    InquiryStatus,
    InquiryStepKind,
)
from luukku.web import i18n

_DASH = "\N{EN DASH}"  # between the start and the end of a shift


def status_text(status: InquiryStatus) -> str:
    """Where an inquiry stands, as a clerk says it."""
    texts = {
        InquiryStatus.QUEUED: i18n.gettext_("In the queue"),
        InquiryStatus.CLAIMED: i18n.gettext_("Claimed"),
        InquiryStatus.CLOSED: i18n.gettext_("Closed"),
    }
    return texts.get(status, str(status))


def channel_text(channel: InquiryChannel) -> str:
    """How an inquiry came in."""
    texts = {
        InquiryChannel.WEB: i18n.gettext_("Web"),
        InquiryChannel.CHAT: i18n.gettext_("Chat"),
        InquiryChannel.PHONE: i18n.gettext_("Phone"),
        InquiryChannel.VISIT: i18n.gettext_("Visit"),
        InquiryChannel.LETTER: i18n.gettext_("Letter"),
    }
    return texts.get(channel, str(channel))


def step_text(kind: InquiryStepKind) -> str:
    """What a step of an inquiry's history did."""
    texts = {
        InquiryStepKind.ASKED: i18n.gettext_("Asked"),
        InquiryStepKind.CLAIMED: i18n.gettext_("Claimed"),
        InquiryStepKind.HANDED_OVER: i18n.gettext_("Handed over"),
        InquiryStepKind.CLOSED: i18n.gettext_("Closed"),
        InquiryStepKind.REOPENED: i18n.gettext_("Reopened"),
        InquiryStepKind.CASE_LINKED: i18n.gettext_("Case linked"),
    }
    return texts.get(kind, str(kind))


def topic_text(desks: Iterable[Desk], inquiry: Inquiry) -> str:
    """The inquiry's topic by its desk's name for it in the page's language."""
    for desk in desks:
        if desk.id == inquiry.desk_id:
            for topic in desk.topics:
                if topic.id == inquiry.topic:
                    return i18n.topic_name(topic)
    return inquiry.topic


def title(desks: Iterable[Desk], inquiry: Inquiry) -> str:
    """What an inquiry is called on a page: its subject, else its topic."""
    return inquiry.subject or topic_text(desks, inquiry)


def shift_time(shift: DeskShift) -> str:
    """When a shift of the rota runs, in Helsinki time: its day and hours (the end's day
    too when it ends on another day than the next midnight)."""
    start, end = shift.start_time, shift.end_time
    ends_on = (end - timedelta(microseconds=1)).astimezone(i18n.HELSINKI).date()
    if ends_on != start.astimezone(i18n.HELSINKI).date():
        return f"{i18n.day(start)} {i18n.clock(start)}{_DASH}{i18n.day(end)} {i18n.clock(end)}"
    return f"{i18n.day(start)} {i18n.clock(start)}{_DASH}{i18n.clock(end)}"


def ready_answer_label(language: str) -> str:
    """What the choice of ready answers in ``language`` (the citizen's) is called."""
    texts = {
        "fi": i18n.gettext_("Ready answer in Finnish"),
        "sv": i18n.gettext_("Ready answer in Swedish"),
        "en": i18n.gettext_("Ready answer in English"),
    }
    return texts.get(language, language)
