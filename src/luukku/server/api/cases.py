"""luukku.v1.CaseService."""

from __future__ import annotations

from typing import Any

import grpc

from luukku.server.api.convert import cases as cv
from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.service import cases, records
from luukku.store.uow import Store
from luukku.v1 import cases_pb2 as pb
from luukku.v1 import cases_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


class CaseServicer(pb_grpc.CaseServiceServicer):
    """Cases and records; the use cases decide and audit every access."""

    def __init__(self, store: Store, runner: StoreRunner) -> None:
        self._store = store
        self._run = runner.run

    async def CreateCase(
        self, request: pb.CreateCaseRequest, context: Context
    ) -> pb.CreateCaseResponse:
        case = await self._run(
            cases.create_case,
            self._store,
            current_caller(),
            identity_code_text=request.identity_code,
            title=request.title,
            category=cv.category_from(request.category, "category", required=True),
            request_id=request.request_id,
        )
        return pb.CreateCaseResponse(case=cv.case(case, citizen_view(self._store)))

    async def GetCase(self, request: pb.GetCaseRequest, context: Context) -> pb.GetCaseResponse:
        found = await self._run(cases.get_case, self._store, current_caller(), request.case_id)
        case, access = found
        return pb.GetCaseResponse(
            case=cv.case(case, citizen_view(self._store)), caller_access=cv.case_access(access)
        )

    async def ListCases(
        self, request: pb.ListCasesRequest, context: Context
    ) -> pb.ListCasesResponse:
        query = cases.CaseQuery(
            identity_code=request.identity_code,
            category=cv.category_from(request.category, "category", required=False),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        found, token = await self._run(cases.list_cases, self._store, current_caller(), query)
        return pb.ListCasesResponse(
            cases=[cv.case(c, citizen_view(self._store)) for c in found], next_page_token=token
        )

    async def CloseCase(
        self, request: pb.CloseCaseRequest, context: Context
    ) -> pb.CloseCaseResponse:
        case = await self._run(cases.close_case, self._store, current_caller(), request.case_id)
        return pb.CloseCaseResponse(case=cv.case(case, citizen_view(self._store)))

    async def CreateRecord(
        self, request: pb.CreateRecordRequest, context: Context
    ) -> pb.CreateRecordResponse:
        draft = records.RecordDraft(
            case_id=request.case_id,
            kind=request.kind,
            text=request.text,
            data=cv.data_from(request),
            request_id=request.request_id,
        )
        written = await self._run(records.write_record, self._store, current_caller(), draft)
        return pb.CreateRecordResponse(record=cv.record(written))

    async def ReviseRecord(
        self, request: pb.ReviseRecordRequest, context: Context
    ) -> pb.ReviseRecordResponse:
        draft = records.RecordDraft(
            case_id=request.case_id,
            record_id=request.record_id,
            text=request.text,
            data=cv.data_from(request),
            request_id=request.request_id,
        )
        written = await self._run(records.write_record, self._store, current_caller(), draft)
        return pb.ReviseRecordResponse(record=cv.record(written))

    async def GetRecord(
        self, request: pb.GetRecordRequest, context: Context
    ) -> pb.GetRecordResponse:
        found = await self._run(
            records.get_record,
            self._store,
            current_caller(),
            request.case_id,
            request.record_id,
            request.revision,
        )
        return pb.GetRecordResponse(record=cv.record(found))

    async def ListRecords(
        self, request: pb.ListRecordsRequest, context: Context
    ) -> pb.ListRecordsResponse:
        found, token = await self._run(
            records.list_records,
            self._store,
            current_caller(),
            request.case_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListRecordsResponse(records=[cv.record(r) for r in found], next_page_token=token)

    async def ListRecordRevisions(
        self, request: pb.ListRecordRevisionsRequest, context: Context
    ) -> pb.ListRecordRevisionsResponse:
        found, token = await self._run(
            records.list_record_revisions,
            self._store,
            current_caller(),
            request.case_id,
            request.record_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListRecordRevisionsResponse(
            records=[cv.record(r) for r in found], next_page_token=token
        )
