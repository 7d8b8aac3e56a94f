"""Importing guardianships from a population-register extract (docs/representation.md).

The extract is CSV in UTF-8 with the header
``guardian_identity_code,child_identity_code,start_date`` and one guardianship
per row. It is checked whole before anything is written: one bad row refuses
the file, and the error names the line numbers and what is wrong with them,
never a row's identity codes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from luukku.domain.representation.rights import FINNISH_TIME, coming_of_age
from luukku.store.representation.register import Guardianship, ImportCounts, import_guardianships
from luukku.store.uow import Store
from luukku.verify.identity_code import IdentityCode, InvalidIdentityCode

HEADER = ["guardian_identity_code", "child_identity_code", "start_date"]
_SHOWN_PROBLEMS = 10


class InvalidExtract(ValueError):
    """The extract cannot be imported; the message names lines, never identity codes."""


@dataclass(frozen=True)
class _Problem:
    line: int
    what: str


def parse_extract(lines: Iterable[str]) -> list[Guardianship]:
    """The guardianships of an extract, or ``InvalidExtract`` naming its bad lines."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != HEADER:
        raise InvalidExtract(f"line 1: the header must be {','.join(HEADER)}")
    rows: list[Guardianship] = []
    problems: list[_Problem] = []
    for fields in reader:
        line = reader.line_num
        if not fields:
            continue
        try:
            rows.append(_guardianship(fields))
        except InvalidExtract as exc:
            problems.append(_Problem(line, str(exc)))
    if problems:
        shown = "; ".join(f"line {p.line}: {p.what}" for p in problems[:_SHOWN_PROBLEMS])
        more = len(problems) - _SHOWN_PROBLEMS
        raise InvalidExtract(
            f"{len(problems)} bad rows, nothing imported: {shown}"
            + (f"; and {more} more" if more > 0 else "")
        )
    return rows


def _code(text: str, who: str) -> IdentityCode:
    try:
        return IdentityCode.parse(text.strip())
    except InvalidIdentityCode as exc:
        raise InvalidExtract(f"the {who}'s identity code is not valid ({exc.reason})") from None


def _guardianship(fields: list[str]) -> Guardianship:
    if len(fields) != len(HEADER):
        raise InvalidExtract(f"{len(fields)} fields, not {len(HEADER)}")
    guardian = _code(fields[0], "guardian")
    child = _code(fields[1], "child")
    if guardian.value == child.value:
        raise InvalidExtract("the guardian and the child are the same person")
    try:
        start = date.fromisoformat(fields[2].strip())
    except ValueError:
        raise InvalidExtract("the start date is not YYYY-MM-DD") from None
    valid_from = datetime.combine(start, time(0), FINNISH_TIME)
    if start < child.birth_date:
        raise InvalidExtract("the start date is before the child's birth")
    if valid_from >= coming_of_age(child.birth_date):
        raise InvalidExtract("the child is of age on the start date")
    return Guardianship(guardian.value, child.value, child.birth_date, valid_from)


def import_extract(store: Store, lines: Iterable[str], now: datetime) -> ImportCounts:
    """Check the whole extract, then write it in one transaction.

    Raises:
        InvalidExtract: a bad header or bad rows (nothing is written).
    """
    rows = parse_extract(lines)
    with store.transaction() as tx:
        return import_guardianships(tx.connection, rows, now)
