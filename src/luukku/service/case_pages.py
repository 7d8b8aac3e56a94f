"""Listing what lies in one case (records, threads): one guarded page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from luukku.domain.caller import Caller
from luukku.domain.cases import Case
from luukku.domain.consents import Permission
from luukku.service.access.guard import Access, guard
from luukku.service.ids import require_id
from luukku.service.paging import Listing, PageRequest, numbered_page
from luukku.store.uow import Store


@dataclass(frozen=True)
class Contents:
    """What a case holds that is listed page by page, and the permission listing it needs."""

    kind: str
    need: Permission

    @property
    def action(self) -> str:
        """The audited action: ``record.list`` for ``records``."""
        return f"{self.kind.removesuffix('s')}.list"


RECORDS = Contents("records", Permission.READ)
THREADS = Contents("threads", Permission.DISCUSS)


@contextmanager
def case_page(
    store: Store, caller: Caller, contents: Contents, case_id: str, size: int, page_token: str
) -> Iterator[tuple[Access, Case, PageRequest]]:
    """Open the audited access to one page of the case's ``contents``.

    The page token is checked before the access is decided, and binds to the case.
    """
    require_id(case_id, "case_id")
    page = numbered_page(Listing(contents.kind, (case_id,)), size, page_token)
    resource = f"cases/{case_id}/{contents.kind}"
    with guard(store, caller, action=contents.action, resource=resource) as access:
        yield access, access.case(case_id, contents.need), page
