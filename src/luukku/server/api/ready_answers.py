"""luukku.v1.ReadyAnswerService."""

from __future__ import annotations

from typing import Any

import grpc

from luukku.server.api.convert.ready_answers import ready_answer
from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import current_caller
from luukku.service.desks import ready_answers as answers
from luukku.store.uow import Store
from luukku.v1 import ready_answers_pb2 as pb
from luukku.v1 import ready_answers_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


def _texts(request: pb.CreateReadyAnswerRequest | pb.UpdateReadyAnswerRequest) -> answers.Texts:
    return answers.Texts(request.title, request.text_fi, request.text_sv, request.text_en)


class ReadyAnswerServicer(pb_grpc.ReadyAnswerServiceServicer):
    """A desk's ready answers, for the clerks of its members."""

    def __init__(self, store: Store, runner: StoreRunner) -> None:
        self._store = store
        self._run = runner.run

    async def ListReadyAnswers(
        self, request: pb.ListReadyAnswersRequest, context: Context
    ) -> pb.ListReadyAnswersResponse:
        found, token = await self._run(
            answers.list_ready_answers,
            self._store,
            current_caller(),
            request.desk_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListReadyAnswersResponse(
            ready_answers=[ready_answer(a) for a in found], next_page_token=token
        )

    async def GetReadyAnswer(
        self, request: pb.GetReadyAnswerRequest, context: Context
    ) -> pb.GetReadyAnswerResponse:
        found = await self._run(
            answers.get_ready_answer,
            self._store,
            current_caller(),
            request.desk_id,
            request.ready_answer_id,
        )
        return pb.GetReadyAnswerResponse(ready_answer=ready_answer(found))

    async def CreateReadyAnswer(
        self, request: pb.CreateReadyAnswerRequest, context: Context
    ) -> pb.CreateReadyAnswerResponse:
        made = await self._run(
            answers.create_ready_answer,
            self._store,
            current_caller(),
            request.desk_id,
            _texts(request),
            request.request_id,
        )
        return pb.CreateReadyAnswerResponse(ready_answer=ready_answer(made))

    async def UpdateReadyAnswer(
        self, request: pb.UpdateReadyAnswerRequest, context: Context
    ) -> pb.UpdateReadyAnswerResponse:
        changed = await self._run(
            answers.update_ready_answer,
            self._store,
            current_caller(),
            request.desk_id,
            request.ready_answer_id,
            request.revision,
            _texts(request),
        )
        return pb.UpdateReadyAnswerResponse(ready_answer=ready_answer(changed))

    async def DeleteReadyAnswer(
        self, request: pb.DeleteReadyAnswerRequest, context: Context
    ) -> pb.DeleteReadyAnswerResponse:
        removed = await self._run(
            answers.delete_ready_answer,
            self._store,
            current_caller(),
            request.desk_id,
            request.ready_answer_id,
        )
        return pb.DeleteReadyAnswerResponse(ready_answer=ready_answer(removed))
