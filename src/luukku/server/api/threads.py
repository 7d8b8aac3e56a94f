"""luukku.v1.ThreadService."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc

from luukku.server.api.convert import threads as cv
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.server.live.thread import ThreadWatch
from luukku.server.live.watch import Streams
from luukku.service import threads
from luukku.v1 import threads_pb2 as pb
from luukku.v1 import threads_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


class ThreadServicer(pb_grpc.ThreadServiceServicer):
    """Discussion threads, including the live WatchThread stream."""

    def __init__(self, streams: Streams) -> None:
        self._streams = streams
        self._store = streams.store
        self._run = streams.runner.run

    async def CreateThread(
        self, request: pb.CreateThreadRequest, context: Context
    ) -> pb.CreateThreadResponse:
        view = await self._run(
            threads.create_thread,
            self._store,
            current_caller(),
            request.case_id,
            request.subject,
            request.request_id,
        )
        return pb.CreateThreadResponse(thread=cv.thread(view))

    async def GetThread(
        self, request: pb.GetThreadRequest, context: Context
    ) -> pb.GetThreadResponse:
        view = await self._run(threads.get_thread, self._store, current_caller(), request.thread_id)
        marks = [cv.read_mark(mark, citizen_view(self._store)) for mark in view.read_marks]
        return pb.GetThreadResponse(thread=cv.thread(view), read_marks=marks)

    async def ListThreads(
        self, request: pb.ListThreadsRequest, context: Context
    ) -> pb.ListThreadsResponse:
        views, token = await self._run(
            threads.list_threads,
            self._store,
            current_caller(),
            request.case_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListThreadsResponse(threads=[cv.thread(v) for v in views], next_page_token=token)

    async def SummarizeUnread(
        self, request: pb.SummarizeUnreadRequest, context: Context
    ) -> pb.SummarizeUnreadResponse:
        summary = await self._run(threads.summarize_unread, self._store, current_caller())
        return pb.SummarizeUnreadResponse(
            threads=[cv.thread(v) for v in summary.threads],
            unread_thread_count=summary.thread_count,
            total_unread_count=summary.total,
        )

    async def PostMessage(
        self, request: pb.PostMessageRequest, context: Context
    ) -> pb.PostMessageResponse:
        message = await self._run(
            threads.post_message,
            self._store,
            current_caller(),
            request.thread_id,
            request.body,
            request.corrects_sequence,
            request.request_id,
        )
        return pb.PostMessageResponse(message=cv.message(message, citizen_view(self._store)))

    async def ListMessages(
        self, request: pb.ListMessagesRequest, context: Context
    ) -> pb.ListMessagesResponse:
        found, token = await self._run(
            threads.list_messages,
            self._store,
            current_caller(),
            request.thread_id,
            request.after_sequence,
            request.page_size,
            request.page_token,
        )
        return pb.ListMessagesResponse(
            messages=[cv.message(m, citizen_view(self._store)) for m in found],
            next_page_token=token,
        )

    async def MarkRead(self, request: pb.MarkReadRequest, context: Context) -> pb.MarkReadResponse:
        view = await self._run(
            threads.mark_read, self._store, current_caller(), request.thread_id, request.sequence
        )
        return pb.MarkReadResponse(thread=cv.thread(view))

    async def WatchThread(
        self, request: pb.WatchThreadRequest, context: Context
    ) -> AsyncIterator[pb.WatchThreadResponse]:
        watch = ThreadWatch(
            self._streams,
            current_caller(),
            request.thread_id,
        )
        async for response in watch.run(request.after_sequence):
            yield response
