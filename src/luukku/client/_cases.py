"""SDK calls on cases and records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

from google.protobuf import struct_pb2

from luukku.client._base import ClientBase, new_request_id
from luukku.v1 import cases_pb2 as pb

Category = Literal["home_care", "social_work", "health", "rehabilitation", "housing"]


def category_number(category: Category | None) -> Any:
    """The proto enum number of a category name (None: unspecified)."""
    if category is None:
        return pb.SERVICE_CATEGORY_UNSPECIFIED
    return pb.ServiceCategory.Value(f"SERVICE_CATEGORY_{category.upper()}")


def _struct(data: dict[str, Any] | None) -> struct_pb2.Struct | None:
    if data is None:
        return None
    value = struct_pb2.Struct()
    value.update(data)
    return value


class CaseCalls(ClientBase):
    """Cases and their append-only records."""

    async def create_case(
        self, identity_code: str, *, title: str, category: Category, request_id: str | None = None
    ) -> pb.Case:
        """Open a case for the citizen; the calling organisation owns it."""
        request = pb.CreateCaseRequest(
            identity_code=identity_code,
            title=title,
            category=category_number(category),
            request_id=request_id or new_request_id(),
        )
        return (await self._call(self._cases.CreateCase, request)).case

    async def get_case(self, case_id: str) -> pb.Case:
        """One case the caller may read."""
        return (await self._call(self._cases.GetCase, pb.GetCaseRequest(case_id=case_id))).case

    def list_cases(
        self,
        *,
        identity_code: str = "",
        category: Category | None = None,
        page_size: int = 0,
    ) -> AsyncIterator[pb.Case]:
        """The cases the caller may read, newest first."""
        request = pb.ListCasesRequest(
            identity_code=identity_code, category=category_number(category), page_size=page_size
        )
        return self._pages(self._cases.ListCases, request, lambda page: list(page.cases))

    async def close_case(self, case_id: str) -> pb.Case:
        """Close a case (owner only)."""
        return (await self._call(self._cases.CloseCase, pb.CloseCaseRequest(case_id=case_id))).case

    async def create_record(
        self,
        case_id: str,
        *,
        kind: str,
        text: str = "",
        data: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> pb.Record:
        """Append a record to a case."""
        request = pb.CreateRecordRequest(
            case_id=case_id,
            kind=kind,
            text=text,
            data=_struct(data),
            request_id=request_id or new_request_id(),
        )
        return (await self._call(self._cases.CreateRecord, request)).record

    async def revise_record(
        self,
        case_id: str,
        record_id: str,
        *,
        text: str = "",
        data: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> pb.Record:
        """Append a corrected revision of a record; earlier revisions stay readable."""
        request = pb.ReviseRecordRequest(
            case_id=case_id,
            record_id=record_id,
            text=text,
            data=_struct(data),
            request_id=request_id or new_request_id(),
        )
        return (await self._call(self._cases.ReviseRecord, request)).record

    async def get_record(self, case_id: str, record_id: str, *, revision: int = 0) -> pb.Record:
        """A record's latest revision, or the one asked for."""
        request = pb.GetRecordRequest(case_id=case_id, record_id=record_id, revision=revision)
        return (await self._call(self._cases.GetRecord, request)).record

    def list_records(self, case_id: str, *, page_size: int = 0) -> AsyncIterator[pb.Record]:
        """The latest revision of each record of a case, in creation order."""
        request = pb.ListRecordsRequest(case_id=case_id, page_size=page_size)
        return self._pages(self._cases.ListRecords, request, lambda page: list(page.records))
