"""SDK calls on the audit log: list (filtered, by page or all), summarise, watch live, prove."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from luukku.client._calls.base import ClientBase, Metadata
from luukku.client._enums import Outcome, parse, to_proto
from luukku.client._models import AccessCount, AuditEvent, ConsistencyProof, InclusionProof
from luukku.v1 import audit_pb2 as pb


def _filters(
    organization_id: str, case_id: str, outcome: Outcome | str | None, exclude_own: bool
) -> dict[str, Any]:
    """The filter fields shared by ListAuditEvents and WatchAuditEvents."""
    return {
        "organization_id": organization_id,
        "case_id": case_id,
        "outcome": to_proto(parse(Outcome, outcome, "outcome"), pb.AuditOutcome) if outcome else 0,
        "exclude_own": exclude_own,
    }


class AuditCalls(ClientBase):
    """Who looked at the data: the audit log, read under audit.

    A citizen (through the portal) sees every access to their data and what
    the portal did for them; an organisation sees its own accesses. The
    filters narrow that: ``organization_id`` (calls by that organisation),
    ``case_id`` (events about that case or its threads), ``outcome``
    (``"allowed"`` or ``"denied"``) and ``exclude_own`` (for a citizen, leave
    out their own use of the portal; ignored for organisations).
    """

    def list_audit_events(
        self,
        *,
        organization_id: str = "",
        case_id: str = "",
        outcome: Outcome | str | None = None,
        exclude_own: bool = False,
        page_size: int = 0,
    ) -> AsyncIterator[AuditEvent]:
        """The events the caller may see, newest first, fetched page by page as you iterate."""
        request = pb.ListAuditEventsRequest(
            page_size=page_size, **_filters(organization_id, case_id, outcome, exclude_own)
        )
        return self._pages(
            self._audit.ListAuditEvents,
            request,
            lambda p: [AuditEvent.from_pb(e) for e in p.events],
        )

    async def audit_events_page(
        self,
        *,
        organization_id: str = "",
        case_id: str = "",
        outcome: Outcome | str | None = None,
        exclude_own: bool = False,
        page_size: int = 0,
        page_token: str = "",
    ) -> tuple[list[AuditEvent], str]:
        """One page of :meth:`list_audit_events` and the token of the next ("" after the last).

        A token only serves the filters it was issued with; with others it is
        refused (:class:`InvalidArgumentError`, ``INVALID_PAGE_TOKEN``).
        """
        request = pb.ListAuditEventsRequest(
            page_size=page_size,
            page_token=page_token,
            **_filters(organization_id, case_id, outcome, exclude_own),
        )
        page = await self._call(self._audit.ListAuditEvents, request)
        return [AuditEvent.from_pb(e) for e in page.events], page.next_page_token

    async def summarize_audit_events(
        self, *, since: datetime, exclude_own: bool = False
    ) -> list[AccessCount]:
        """Per organisation, how many of the events the caller may see since ``since`` were
        allowed and denied; the most active organisation first.
        """
        request = pb.SummarizeAuditEventsRequest(exclude_own=exclude_own)
        request.since.FromDatetime(since)
        response = await self._call(self._audit.SummarizeAuditEvents, request)
        return [AccessCount.from_pb(c) for c in response.counts]

    async def watch_audit_events(
        self,
        *,
        after_sequence: int = 0,
        organization_id: str = "",
        case_id: str = "",
        outcome: Outcome | str | None = None,
        exclude_own: bool = False,
        max_backoff: float = 5.0,
    ) -> AsyncIterator[AuditEvent]:
        """Every event after ``after_sequence`` the caller may see, oldest first, then new ones
        as they are written.

        A dropped connection (or a broker that closed the stream because this
        watcher fell behind) is retried with backoff and resumed after the last
        event delivered (or the last heartbeat's position), so nothing is lost
        or repeated. A revoked certificate or suspended organisation ends the
        iteration with :class:`UnauthenticatedError`.
        """
        filters = _filters(organization_id, case_id, outcome, exclude_own)

        def opened(cursor: int, metadata: Metadata) -> Any:
            request = pb.WatchAuditEventsRequest(after_sequence=cursor, **filters)
            return self._audit.WatchAuditEvents(request, metadata=metadata)

        def step(response: pb.WatchAuditEventsResponse, last: int) -> tuple[int, AuditEvent | None]:
            if response.HasField("event") and response.event.sequence > last:
                return response.event.sequence, AuditEvent.from_pb(response.event)
            if response.HasField("heartbeat"):
                return max(last, response.heartbeat.last_sequence), None
            return last, None

        async for event in self._resuming(opened, step, after_sequence, max_backoff):
            yield event

    async def get_checkpoint(self) -> str:
        """The latest signed checkpoint of the audit log, as the exact note text.

        Check it with :func:`luukku.client.verify_checkpoint` and the log's verifier key.
        """
        response = await self._call(self._audit.GetCheckpoint, pb.GetCheckpointRequest())
        return response.note

    async def get_inclusion_proof(self, sequence: int, *, tree_size: int = 0) -> InclusionProof:
        """The proof that event ``sequence`` is in the tree of ``tree_size`` events
        (0: the latest checkpoint's). Only of events the caller may list.
        """
        request = pb.GetInclusionProofRequest(sequence=sequence, tree_size=tree_size)
        return InclusionProof.from_pb(await self._call(self._audit.GetInclusionProof, request))

    async def get_consistency_proof(self, old_size: int, *, new_size: int = 0) -> ConsistencyProof:
        """The proof that the tree of ``old_size`` events is a prefix of that of ``new_size``
        (0: the latest checkpoint's).
        """
        request = pb.GetConsistencyProofRequest(old_size=old_size, new_size=new_size)
        return ConsistencyProof.from_pb(await self._call(self._audit.GetConsistencyProof, request))
