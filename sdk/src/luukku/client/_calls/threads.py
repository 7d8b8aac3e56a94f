"""SDK calls on discussion threads, including the resuming watch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal, overload

from luukku.client._calls.base import ClientBase, Metadata, new_request_id
from luukku.client._models import Message, ReadMark, Thread, UnreadSummary
from luukku.v1 import threads_pb2 as pb


class ThreadCalls(ClientBase):
    """Three-way discussions on a case."""

    async def create_thread(
        self, case_id: str, *, subject: str, request_id: str | None = None
    ) -> Thread:
        """Open a discussion thread on a case."""
        request = pb.CreateThreadRequest(
            case_id=case_id, subject=subject, request_id=request_id or new_request_id()
        )
        return Thread.from_pb((await self._call(self._threads.CreateThread, request)).thread)

    async def get_thread(self, thread_id: str) -> Thread:
        """One thread, with the caller's unread count and how far each participant has read."""
        request = pb.GetThreadRequest(thread_id=thread_id)
        response = await self._call(self._threads.GetThread, request)
        return Thread.from_pb(response.thread, response.read_marks)

    def list_threads(self, case_id: str, *, page_size: int = 0) -> AsyncIterator[Thread]:
        """A case's threads, oldest first."""
        request = pb.ListThreadsRequest(case_id=case_id, page_size=page_size)
        return self._pages(
            self._threads.ListThreads, request, lambda p: [Thread.from_pb(t) for t in p.threads]
        )

    async def summarize_unread(self) -> UnreadSummary:
        """The caller's unread messages across every thread it may discuss, in one call."""
        request = pb.SummarizeUnreadRequest()
        return UnreadSummary.from_pb(await self._call(self._threads.SummarizeUnread, request))

    async def post_message(
        self,
        thread_id: str,
        body: str,
        *,
        corrects_sequence: int = 0,
        request_id: str | None = None,
    ) -> Message:
        """Post a message; retrying with the same ``request_id`` never duplicates it."""
        request = pb.PostMessageRequest(
            thread_id=thread_id,
            body=body,
            corrects_sequence=corrects_sequence,
            request_id=request_id or new_request_id(),
        )
        return Message.from_pb((await self._call(self._threads.PostMessage, request)).message)

    def list_messages(
        self, thread_id: str, *, after_sequence: int = 0, page_size: int = 0
    ) -> AsyncIterator[Message]:
        """Messages after a cursor, in sequence order."""
        request = pb.ListMessagesRequest(
            thread_id=thread_id, after_sequence=after_sequence, page_size=page_size
        )
        return self._pages(
            self._threads.ListMessages, request, lambda p: [Message.from_pb(m) for m in p.messages]
        )

    async def mark_read(self, thread_id: str, sequence: int) -> Thread:
        """Mark the thread read up to ``sequence`` for the caller."""
        request = pb.MarkReadRequest(thread_id=thread_id, sequence=sequence)
        return Thread.from_pb((await self._call(self._threads.MarkRead, request)).thread)

    @overload
    def watch_thread(
        self,
        thread_id: str,
        *,
        after_sequence: int = 0,
        max_backoff: float = 5.0,
        read_marks: Literal[False] = False,
    ) -> AsyncIterator[Message]: ...

    @overload
    def watch_thread(
        self,
        thread_id: str,
        *,
        after_sequence: int = 0,
        max_backoff: float = 5.0,
        read_marks: Literal[True],
    ) -> AsyncIterator[Message | ReadMark]: ...

    async def watch_thread(
        self,
        thread_id: str,
        *,
        after_sequence: int = 0,
        max_backoff: float = 5.0,
        read_marks: bool = False,
    ) -> AsyncIterator[Message | ReadMark]:
        """Every message after ``after_sequence``, then new ones as they are posted.

        A dropped connection (or a broker that closed the stream because this
        watcher fell behind) is retried with backoff and resumed from the last
        message delivered, so nothing is lost or repeated. Losing access ends
        the iteration with :class:`PermissionDeniedError`.

        With ``read_marks=True`` the iteration also yields read marks (:class:`ReadMark`):
        once caught up, each participant's receipt as it stands, then one
        whenever a participant marks the thread read further, each after the
        message it reaches. After a resume the receipts as they stand come
        again (marks are not replayed by cursor), so a mark may repeat: keep
        the furthest per participant.
        """

        def opened(cursor: int, metadata: Metadata) -> Any:
            request = pb.WatchThreadRequest(thread_id=thread_id, after_sequence=cursor)
            return self._threads.WatchThread(request, metadata=metadata)

        def step(
            response: pb.WatchThreadResponse, last: int
        ) -> tuple[int, Message | ReadMark | None]:
            if response.HasField("message") and response.message.sequence > last:
                return response.message.sequence, Message.from_pb(response.message)
            if read_marks and response.HasField("read_mark"):
                return last, ReadMark.from_pb(response.read_mark)
            return last, None

        items: AsyncIterator[Message | ReadMark] = self._resuming(
            opened, step, after_sequence, max_backoff
        )
        async for item in items:
            yield item
