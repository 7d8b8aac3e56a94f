"""Guardianships from a population-register extract, written in bulk.

One transaction for the whole extract: the citizens it names are looked up
(and the unknown ones created) by identity code in chunks, then the rights
are inserted with ``executemany``. A guardianship already on record as a
register right that has not ended is left as it is, so importing the same
extract twice adds nothing.

The identity codes are used here only to find or create citizens, as in
``citizens``; nothing here logs them or puts them into an error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from luukku.domain.representation.rights import FULL_SCOPE, Kind, Right, Source
from luukku.store.representation.rights import right_row
from luukku.store.representation.tables import representation_rights
from luukku.store.sql.tables import citizens

# Bound parameters per IN list, and rows per executemany batch.
_LOOKUP_CHUNK = 500
_INSERT_CHUNK = 5000


@dataclass(frozen=True, repr=False)
class Guardianship:
    """One row of an extract: a guardian of a child from a day on (``repr`` shows no code)."""

    guardian_code: str
    child_code: str
    child_birth_date: date
    valid_from: datetime


@dataclass(frozen=True)
class ImportCounts:
    """What an import did."""

    rights_added: int
    already_on_record: int
    citizens_added: int


def import_guardianships(
    conn: Connection, rows: Sequence[Guardianship], now: datetime
) -> ImportCounts:
    """Write the guardianships of ``rows`` into the open transaction of ``conn``."""
    codes = {row.guardian_code for row in rows} | {row.child_code for row in rows}
    ids = _citizen_ids(conn, codes)
    new_citizens = [
        {"id": uuid.uuid4().hex, "identity_code": code, "created_at": now}
        for code in sorted(codes - ids.keys())
    ]
    _insert(conn, citizens, new_citizens)
    ids.update((str(c["identity_code"]), str(c["id"])) for c in new_citizens)
    known = _register_pairs(conn, {ids[row.child_code] for row in rows})
    new_rights: list[dict[str, Any]] = []
    for row in rows:
        pair = (ids[row.guardian_code], ids[row.child_code])
        if pair in known:
            continue
        known.add(pair)
        right = Right(
            id=uuid.uuid4().hex,
            kind=Kind.GUARDIAN_OF_MINOR,
            representative_id=pair[0],
            represented_id=pair[1],
            codes=FULL_SCOPE,
            valid_from=row.valid_from,
            valid_until=None,
            source=Source.POPULATION_REGISTER,
            represented_birth_date=row.child_birth_date,
        )
        new_rights.append(right_row(right, now))
    _insert(conn, representation_rights, new_rights)
    return ImportCounts(len(new_rights), len(rows) - len(new_rights), len(new_citizens))


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        yield ordered[start : start + _LOOKUP_CHUNK]


def _citizen_ids(conn: Connection, codes: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(codes):
        query = select(citizens.c.identity_code, citizens.c.id).where(
            citizens.c.identity_code.in_(chunk)
        )
        found.update((code, citizen_id) for code, citizen_id in conn.execute(query))
    return found


def _register_pairs(conn: Connection, child_ids: set[str]) -> set[tuple[str, str]]:
    t = representation_rights
    pairs: set[tuple[str, str]] = set()
    for chunk in _chunks(child_ids):
        query = select(t.c.representative_id, t.c.represented_id).where(
            t.c.represented_id.in_(chunk),
            t.c.source == Source.POPULATION_REGISTER.value,
            t.c.ended_at.is_(None),
        )
        pairs.update((guardian, child) for guardian, child in conn.execute(query))
    return pairs


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _INSERT_CHUNK):
        conn.execute(insert(table), rows[start : start + _INSERT_CHUNK])
