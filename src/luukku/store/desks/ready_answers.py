"""Repository of the desks' ready answers (and their table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Index,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    select,
    update,
)

from luukku.domain.caller import Practitioner
from luukku.domain.desks.ready_answers import Change, ReadyAnswer, Wording
from luukku.store.errors import Conflict
from luukku.store.sql.tables import metadata
from luukku.store.sql.types import UtcDateTime

# Numbered per desk in the order written (the listing's position); two clerks writing
# at once collide on the number and the loser writes again (service.conflicts).
# A removed answer keeps its row, with deleted_at set.
ready_answers = Table(
    "ready_answers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("desk_id", String(63), ForeignKey("desks.id"), nullable=False),
    Column("number", BigInteger(), nullable=False),
    Column("title", String(100), nullable=False),
    Column("text_fi", Text(), nullable=False),
    Column("text_sv", Text(), nullable=False),
    Column("text_en", Text(), nullable=False),
    Column("revision", BigInteger(), nullable=False),
    Column("created_by_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("created_by_practitioner_id", String(200), nullable=False),
    Column("created_by_practitioner_name", String(200), nullable=False),
    Column("created_by_practitioner_role", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_by_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("updated_by_practitioner_id", String(200), nullable=False),
    Column("updated_by_practitioner_name", String(200), nullable=False),
    Column("updated_by_practitioner_role", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("deleted_at", UtcDateTime(), nullable=True),
    Column("request_id", String(128), nullable=True),
    UniqueConstraint("desk_id", "number"),
    UniqueConstraint("desk_id", "created_by_org_id", "request_id"),
    Index(None, "desk_id", "deleted_at", "number"),
)


def _change(m: Any, who: str) -> Change:
    return Change(
        m[f"{who}_by_org_id"],
        Practitioner(
            m[f"{who}_by_practitioner_id"],
            m[f"{who}_by_practitioner_name"],
            m[f"{who}_by_practitioner_role"],
        ),
        m[f"{who}_at"],
    )


def _answer(row: Row[Any]) -> ReadyAnswer:
    m = row._mapping
    return ReadyAnswer(
        id=m["id"],
        desk_id=m["desk_id"],
        wording=Wording(m["title"], m["text_fi"], m["text_sv"], m["text_en"]),
        revision=m["revision"],
        created=_change(m, "created"),
        updated=_change(m, "updated"),
        deleted_at=m["deleted_at"],
    )


def _changed_by(change: Change, who: str) -> dict[str, Any]:
    p = change.practitioner
    return {
        f"{who}_by_org_id": change.org_id,
        f"{who}_by_practitioner_id": p.id,
        f"{who}_by_practitioner_name": p.display_name,
        f"{who}_by_practitioner_role": p.role,
        f"{who}_at": change.at,
    }


def _wording(w: Wording) -> dict[str, str]:
    return {"title": w.title, "text_fi": w.text_fi, "text_sv": w.text_sv, "text_en": w.text_en}


class ReadyAnswerRepository:
    """Ready answers on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, answer: ReadyAnswer, request_id: str | None) -> None:
        """Insert a new answer with the desk's next number."""
        number = self._conn.execute(
            select(func.coalesce(func.max(ready_answers.c.number), 0) + 1).where(
                ready_answers.c.desk_id == answer.desk_id
            )
        ).scalar_one()
        self._conn.execute(
            insert(ready_answers).values(
                id=answer.id,
                desk_id=answer.desk_id,
                number=number,
                revision=answer.revision,
                deleted_at=None,
                request_id=request_id,
                **_wording(answer.wording),
                **_changed_by(answer.created, "created"),
                **_changed_by(answer.updated, "updated"),
            )
        )

    def get(self, desk_id: str, answer_id: str) -> ReadyAnswer | None:
        """The desk's answer by that id, removed or not."""
        row = self._conn.execute(
            select(ready_answers).where(
                ready_answers.c.desk_id == desk_id, ready_answers.c.id == answer_id
            )
        ).first()
        return _answer(row) if row else None

    def by_request(self, desk_id: str, org_id: str, request_id: str) -> ReadyAnswer | None:
        """The answer an earlier add with this request id made, if any."""
        row = self._conn.execute(
            select(ready_answers).where(
                ready_answers.c.desk_id == desk_id,
                ready_answers.c.created_by_org_id == org_id,
                ready_answers.c.request_id == request_id,
            )
        ).first()
        return _answer(row) if row else None

    def count(self, desk_id: str) -> int:
        """How many answers the desk lists (removed ones left out)."""
        return int(
            self._conn.execute(
                select(func.count()).where(
                    ready_answers.c.desk_id == desk_id, ready_answers.c.deleted_at.is_(None)
                )
            ).scalar_one()
        )

    def listed(self, desk_id: str, after: int, limit: int) -> Sequence[tuple[int, ReadyAnswer]]:
        """The desk's answers not removed, numbered after ``after``, in order, each with
        its number (the listing's position)."""
        rows = self._conn.execute(
            select(ready_answers)
            .where(
                ready_answers.c.desk_id == desk_id,
                ready_answers.c.deleted_at.is_(None),
                ready_answers.c.number > after,
            )
            .order_by(ready_answers.c.number)
            .limit(limit)
        )
        return [(int(r._mapping["number"]), _answer(r)) for r in rows]

    def change(self, answer: ReadyAnswer, wording: Wording, by: Change) -> ReadyAnswer:
        """Write ``wording`` as the revision after ``answer``'s.

        Raises:
            Conflict: a concurrent change committed first (nothing is written); the
                caller reads the answer again.
        """
        changed = answer.revision + 1
        written = self._conn.execute(
            update(ready_answers)
            .where(ready_answers.c.id == answer.id, ready_answers.c.revision == answer.revision)
            .values(revision=changed, **_wording(wording), **_changed_by(by, "updated"))
        )
        if written.rowcount != 1:
            raise Conflict("the ready answer was changed by another transaction")
        return ReadyAnswer(
            answer.id, answer.desk_id, wording, changed, answer.created, by, answer.deleted_at
        )

    def remove(self, answer: ReadyAnswer, by: Change) -> ReadyAnswer:
        """Mark the answer removed.

        Raises:
            Conflict: a concurrent change committed first (nothing is written).
        """
        written = self._conn.execute(
            update(ready_answers)
            .where(ready_answers.c.id == answer.id, ready_answers.c.revision == answer.revision)
            .values(deleted_at=by.at, revision=answer.revision + 1, **_changed_by(by, "updated"))
        )
        if written.rowcount != 1:
            raise Conflict("the ready answer was changed by another transaction")
        return ReadyAnswer(
            answer.id,
            answer.desk_id,
            answer.wording,
            answer.revision + 1,
            answer.created,
            by,
            by.at,
        )
