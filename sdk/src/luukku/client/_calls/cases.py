"""SDK calls on cases and records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from google.protobuf import struct_pb2

from luukku.client._calls.base import ClientBase, new_request_id
from luukku.client._enums import Category, parse, to_proto
from luukku.client._models import Case, CaseAccess, Record
from luukku.v1 import cases_pb2 as pb


def category_number(category: Category | str | None, field: str = "category") -> Any:
    """The proto enum number of a category (None: unspecified); unknown names are refused."""
    if category is None:
        return pb.SERVICE_CATEGORY_UNSPECIFIED
    return to_proto(parse(Category, category, field), pb.ServiceCategory)


def _struct(data: dict[str, Any] | None) -> struct_pb2.Struct | None:
    if data is None:
        return None
    value = struct_pb2.Struct()
    value.update(data)
    return value


class CaseCalls(ClientBase):
    """Cases and their append-only records."""

    async def create_case(
        self,
        identity_code: str,
        *,
        title: str,
        category: Category | str,
        request_id: str | None = None,
    ) -> Case:
        """Open a case for the citizen; the calling organisation owns it."""
        request = pb.CreateCaseRequest(
            identity_code=identity_code,
            title=title,
            category=category_number(category),
            request_id=request_id or new_request_id(),
        )
        return Case.from_pb((await self._call(self._cases.CreateCase, request)).case)

    async def get_case(self, case_id: str) -> Case:
        """One case the caller may read."""
        request = pb.GetCaseRequest(case_id=case_id)
        return Case.from_pb((await self._call(self._cases.GetCase, request)).case)

    async def get_case_access(self, case_id: str) -> CaseAccess:
        """One case the caller may read, with what the caller may do with it now (the same
        one audited read as :meth:`get_case`)."""
        request = pb.GetCaseRequest(case_id=case_id)
        return CaseAccess.from_pb(await self._call(self._cases.GetCase, request))

    def list_cases(
        self,
        *,
        identity_code: str = "",
        category: Category | str | None = None,
        page_size: int = 0,
    ) -> AsyncIterator[Case]:
        """The cases the caller may read, newest first."""
        request = pb.ListCasesRequest(
            identity_code=identity_code, category=category_number(category), page_size=page_size
        )
        return self._pages(
            self._cases.ListCases, request, lambda page: [Case.from_pb(c) for c in page.cases]
        )

    async def close_case(self, case_id: str) -> Case:
        """Close a case (owner only)."""
        request = pb.CloseCaseRequest(case_id=case_id)
        return Case.from_pb((await self._call(self._cases.CloseCase, request)).case)

    async def create_record(
        self,
        case_id: str,
        *,
        kind: str,
        text: str = "",
        data: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> Record:
        """Append a record to a case."""
        request = pb.CreateRecordRequest(
            case_id=case_id,
            kind=kind,
            text=text,
            data=_struct(data),
            request_id=request_id or new_request_id(),
        )
        return Record.from_pb((await self._call(self._cases.CreateRecord, request)).record)

    async def revise_record(
        self,
        case_id: str,
        record_id: str,
        *,
        text: str = "",
        data: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> Record:
        """Append a corrected revision of a record; earlier revisions stay readable."""
        request = pb.ReviseRecordRequest(
            case_id=case_id,
            record_id=record_id,
            text=text,
            data=_struct(data),
            request_id=request_id or new_request_id(),
        )
        return Record.from_pb((await self._call(self._cases.ReviseRecord, request)).record)

    async def get_record(self, case_id: str, record_id: str, *, revision: int = 0) -> Record:
        """A record's latest revision, or the one asked for."""
        request = pb.GetRecordRequest(case_id=case_id, record_id=record_id, revision=revision)
        return Record.from_pb((await self._call(self._cases.GetRecord, request)).record)

    def list_records(self, case_id: str, *, page_size: int = 0) -> AsyncIterator[Record]:
        """The latest revision of each record of a case, in creation order."""
        request = pb.ListRecordsRequest(case_id=case_id, page_size=page_size)
        return self._pages(
            self._cases.ListRecords, request, lambda page: [Record.from_pb(r) for r in page.records]
        )

    def list_record_revisions(
        self, case_id: str, record_id: str, *, page_size: int = 0
    ) -> AsyncIterator[Record]:
        """Every revision of a record, newest first (one call per page, not per revision)."""
        request = pb.ListRecordRevisionsRequest(
            case_id=case_id, record_id=record_id, page_size=page_size
        )
        return self._pages(
            self._cases.ListRecordRevisions,
            request,
            lambda page: [Record.from_pb(r) for r in page.records],
        )

    async def records_page(
        self, case_id: str, *, page_size: int = 0, page_token: str = ""
    ) -> tuple[list[Record], str]:
        """One page of :meth:`list_records` and the token of the next ("" after the last)."""
        request = pb.ListRecordsRequest(case_id=case_id, page_size=page_size, page_token=page_token)
        page = await self._call(self._cases.ListRecords, request)
        return [Record.from_pb(r) for r in page.records], page.next_page_token
