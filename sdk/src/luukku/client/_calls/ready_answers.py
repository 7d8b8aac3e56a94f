"""Ready answers: a desk's stock replies in Finnish, Swedish and English, which the clerks
of its members keep up together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from luukku.client._calls.base import ClientBase, new_request_id
from luukku.client._config import Practitioner
from luukku.client._models import _practitioner, _time
from luukku.v1 import ready_answers_pb2 as pb


@dataclass(frozen=True)
class ReadyAnswer:
    """A desk's stock reply; a text is empty when not written in that language."""

    id: str
    desk_id: str
    title: str
    text_fi: str
    text_sv: str
    text_en: str
    revision: int
    """What :meth:`ReadyAnswerCalls.update_ready_answer` names as the revision it read."""
    create_organization_id: str
    create_practitioner: Practitioner
    create_time: datetime
    update_organization_id: str
    update_practitioner: Practitioner
    """Who changed or removed it last (who wrote it, until then)."""
    update_time: datetime
    delete_time: datetime | None
    """Set once removed from the desk's list."""

    def text(self, language: str) -> str:
        """The text in ``language`` (fi, sv or en); empty when not written in it."""
        return {"fi": self.text_fi, "sv": self.text_sv, "en": self.text_en}.get(language, "")

    @classmethod
    def from_pb(cls, m: pb.ReadyAnswer) -> ReadyAnswer:
        return cls(
            m.id,
            m.desk_id,
            m.title,
            m.text_fi,
            m.text_sv,
            m.text_en,
            m.revision,
            m.create_organization_id,
            _practitioner(m.create_practitioner),
            _time(m.create_time),
            m.update_organization_id,
            _practitioner(m.update_practitioner),
            _time(m.update_time),
            _time(m.delete_time) if m.HasField("delete_time") else None,
        )


class ReadyAnswerCalls(ClientBase):
    """A desk's ready answers, for the clerks of its member organisations."""

    def list_ready_answers(self, desk_id: str, *, page_size: int = 0) -> AsyncIterator[ReadyAnswer]:
        """The desk's ready answers in the order written, without the removed ones."""
        request = pb.ListReadyAnswersRequest(desk_id=desk_id, page_size=page_size)
        return self._pages(
            self._ready_answers.ListReadyAnswers,
            request,
            lambda p: [ReadyAnswer.from_pb(a) for a in p.ready_answers],
        )

    async def get_ready_answer(self, desk_id: str, ready_answer_id: str) -> ReadyAnswer:
        """One of the desk's ready answers (a removed one too)."""
        request = pb.GetReadyAnswerRequest(desk_id=desk_id, ready_answer_id=ready_answer_id)
        response = await self._call(self._ready_answers.GetReadyAnswer, request)
        return ReadyAnswer.from_pb(response.ready_answer)

    async def create_ready_answer(
        self,
        desk_id: str,
        *,
        title: str,
        text_fi: str = "",
        text_sv: str = "",
        text_en: str = "",
        request_id: str | None = None,
    ) -> ReadyAnswer:
        """Write a ready answer for the desk, with its text in at least one language.

        Retrying with the same ``request_id`` returns the first answer, never a second.
        """
        request = pb.CreateReadyAnswerRequest(
            desk_id=desk_id,
            title=title,
            text_fi=text_fi,
            text_sv=text_sv,
            text_en=text_en,
            request_id=request_id or new_request_id(),
        )
        response = await self._call(self._ready_answers.CreateReadyAnswer, request)
        return ReadyAnswer.from_pb(response.ready_answer)

    async def update_ready_answer(
        self,
        desk_id: str,
        ready_answer_id: str,
        *,
        revision: int,
        title: str,
        text_fi: str = "",
        text_sv: str = "",
        text_en: str = "",
    ) -> ReadyAnswer:
        """Replace the title and every text, as of ``revision`` (the one read).

        A colleague's change since raises :class:`AbortedError`
        (``READY_ANSWER_CHANGED``): read it again. Writing what it already says
        changes nothing.
        """
        request = pb.UpdateReadyAnswerRequest(
            desk_id=desk_id,
            ready_answer_id=ready_answer_id,
            revision=revision,
            title=title,
            text_fi=text_fi,
            text_sv=text_sv,
            text_en=text_en,
        )
        response = await self._call(self._ready_answers.UpdateReadyAnswer, request)
        return ReadyAnswer.from_pb(response.ready_answer)

    async def delete_ready_answer(self, desk_id: str, ready_answer_id: str) -> ReadyAnswer:
        """Remove a ready answer from the desk's list (removing it again changes nothing)."""
        request = pb.DeleteReadyAnswerRequest(desk_id=desk_id, ready_answer_id=ready_answer_id)
        response = await self._call(self._ready_answers.DeleteReadyAnswer, request)
        return ReadyAnswer.from_pb(response.ready_answer)
