"""The repository of representation rights, blockers and minors' capacity judgements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, select, update

from luukku.domain.representation.blockers import Blocker, BlockerKind, Capacity, CapacityDecision
from luukku.domain.representation.rights import Kind, MandateCode, Right, Source
from luukku.store.representation.tables import (
    minor_capacity_decisions,
    representation_blockers,
    representation_rights,
)
from luukku.store.sql.statements import Fields, Statement


def codes_text(codes: frozenset[MandateCode]) -> str:
    """The codes as stored: space-separated, in the enum's order."""
    return " ".join(code.value for code in MandateCode if code in codes)


def right_row(right: Right, created_at: datetime) -> dict[str, Any]:
    """A right as a row of ``representation_rights`` (also the register import's)."""
    return {
        "id": right.id,
        "kind": right.kind.value,
        "representative_id": right.representative_id,
        "represented_id": right.represented_id,
        "codes": codes_text(right.codes),
        "valid_from": right.valid_from,
        "valid_until": right.valid_until,
        "source": right.source.value,
        "accepted_at": right.accepted_at,
        "ended_at": right.ended_at,
        "represented_birth_date": right.represented_birth_date,
        "reason": right.reason,
        "created_at": created_at,
    }


def _right(row: Fields) -> Right:
    return Right(
        id=row["id"],
        kind=Kind(row["kind"]),
        representative_id=row["representative_id"],
        represented_id=row["represented_id"],
        codes=frozenset(MandateCode(c) for c in row["codes"].split()),
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        source=Source(row["source"]),
        accepted_at=row["accepted_at"],
        ended_at=row["ended_at"],
        represented_birth_date=row["represented_birth_date"],
        reason=row["reason"],
        created_at=row["created_at"],
    )


def _blocker(row: Fields) -> Blocker:
    return Blocker(
        id=row["id"],
        kind=BlockerKind(row["kind"]),
        represented_id=row["represented_id"],
        valid_from=row["valid_from"],
        lifted_at=row["lifted_at"],
    )


# The statements behind every call acting for someone, built once and run on the
# driver (``Statement``): with SQLAlchemy's per-execution machinery they made such
# a read cost 1.6-1.9 x a read for oneself.
_R = representation_rights
_RIGHTS_UNDER = Statement(
    select(_R)
    .where(
        _R.c.representative_id == bindparam("representative_id"),
        _R.c.represented_id
        == (
            select(_R.c.represented_id)
            .where(
                _R.c.id == bindparam("right_id"),
                _R.c.representative_id == bindparam("representative_id"),
            )
            .scalar_subquery()
        ),
    )
    .order_by(_R.c.valid_from, _R.c.id)
)
_BLOCKERS = Statement(
    select(representation_blockers)
    .where(representation_blockers.c.represented_id == bindparam("represented_id"))
    .order_by(representation_blockers.c.valid_from, representation_blockers.c.id)
)
_CAPACITY = Statement(
    select(minor_capacity_decisions.c.capacity)
    .where(minor_capacity_decisions.c.case_id == bindparam("case_id"))
    .order_by(minor_capacity_decisions.c.seq.desc())
    .limit(1)
)


class RepresentationRepository:
    """Rights between people, the orders that bar them, and minors' say over cases."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, right: Right, now: datetime, request_key: str | None = None) -> None:
        """Record a right (validated by the caller), under the key of the request that made it.

        Raises (at commit or here) the store's ``Conflict`` when another
        transaction recorded one under the same ``request_key`` first.
        """
        row = right_row(right, now) | {"request_key": request_key}
        self._conn.execute(insert(representation_rights).values(row))

    def by_request(self, request_key: str) -> Right | None:
        """The right a request made earlier, by its key (see ``add``)."""
        t = representation_rights
        row = self._conn.execute(select(t).where(t.c.request_key == request_key)).mappings().first()
        return None if row is None else _right(row)

    def get(self, right_id: str) -> Right | None:
        """One right by id."""
        row = (
            self._conn.execute(
                select(representation_rights).where(representation_rights.c.id == right_id)
            )
            .mappings()
            .first()
        )
        return None if row is None else _right(row)

    def under(self, right_id: str, representative_id: str) -> list[Right]:
        """Every right ``representative_id`` has held over the person whom right
        ``right_id`` is over, in one statement; empty when ``right_id`` is not one of
        theirs (or does not exist)."""
        rows = _RIGHTS_UNDER.all(
            self._conn, {"right_id": right_id, "representative_id": representative_id}
        )
        return [_right(row) for row in rows]

    def between(self, representative_id: str, represented_id: str) -> list[Right]:
        """Every right the one has held over the other, ended ones too (the decision's input)."""
        t = representation_rights
        rows = self._conn.execute(
            select(t)
            .where(t.c.represented_id == represented_id, t.c.representative_id == representative_id)
            .order_by(t.c.valid_from, t.c.id)
        ).mappings()
        return [_right(row) for row in rows]

    def involving(
        self, citizen_id: str, *, after: tuple[str, str] | None = None, limit: int | None = None
    ) -> list[Right]:
        """Rights held over ``citizen_id`` or by them, newest first (by the moment they are
        in force from, then id); ``after`` a (valid from, id) position of a previous page."""
        t = representation_rights
        query = select(t).where(
            or_(t.c.represented_id == citizen_id, t.c.representative_id == citizen_id)
        )
        if after is not None:
            since = datetime.fromisoformat(after[0])
            query = query.where(
                or_(t.c.valid_from < since, and_(t.c.valid_from == since, t.c.id < after[1]))
            )
        query = query.order_by(t.c.valid_from.desc(), t.c.id.desc()).limit(limit)
        return [_right(row) for row in self._conn.execute(query).mappings()]

    def accept(self, right_id: str, at: datetime) -> bool:
        """Mark a portal mandate accepted; False if it is not one awaiting acceptance."""
        t = representation_rights
        done = self._conn.execute(
            update(t)
            .where(
                t.c.id == right_id,
                t.c.source == Source.PORTAL_MANDATE.value,
                t.c.accepted_at.is_(None),
                t.c.ended_at.is_(None),
            )
            .values(accepted_at=at)
        )
        return done.rowcount == 1

    def end(self, right_id: str, at: datetime, reason: str | None = None) -> bool:
        """End a right at ``at`` (a clerk gives a ``reason``); False if it was already ended
        (the first end stands)."""
        t = representation_rights
        done = self._conn.execute(
            update(t)
            .where(t.c.id == right_id, t.c.ended_at.is_(None))
            .values(ended_at=at, end_reason=reason)
        )
        return done.rowcount == 1

    def add_blocker(
        self,
        blocker: Blocker,
        org_id: str,
        reason: str,
        now: datetime,
        request_id: str | None = None,
    ) -> None:
        """Record a care order or a non-disclosure order (``request_id``: the organisation's,
        unique to it)."""
        self._conn.execute(
            insert(representation_blockers).values(
                id=blocker.id,
                kind=blocker.kind.value,
                represented_id=blocker.represented_id,
                valid_from=blocker.valid_from,
                lifted_at=blocker.lifted_at,
                registered_by_org_id=org_id,
                reason=reason,
                created_at=now,
                request_id=request_id,
            )
        )

    def blocker(self, blocker_id: str) -> Blocker | None:
        """One order by id."""
        t = representation_blockers
        row = self._conn.execute(select(t).where(t.c.id == blocker_id)).mappings().first()
        return None if row is None else _blocker(row)

    def blocker_by_request(self, org_id: str, request_id: str) -> Blocker | None:
        """The order ``org_id`` recorded earlier under ``request_id``."""
        t = representation_blockers
        row = (
            self._conn.execute(
                select(t).where(t.c.registered_by_org_id == org_id, t.c.request_id == request_id)
            )
            .mappings()
            .first()
        )
        return None if row is None else _blocker(row)

    def lift_blocker(self, blocker_id: str, at: datetime, reason: str | None = None) -> bool:
        """Lift an order at ``at``, for ``reason``; False if it was already lifted."""
        t = representation_blockers
        done = self._conn.execute(
            update(t)
            .where(t.c.id == blocker_id, t.c.lifted_at.is_(None))
            .values(lifted_at=at, lift_reason=reason)
        )
        return done.rowcount == 1

    def blockers(self, represented_id: str) -> list[Blocker]:
        """Every order ever recorded on ``represented_id`` (the decision picks those in force)."""
        rows = _BLOCKERS.all(self._conn, {"represented_id": represented_id})
        return [_blocker(row) for row in rows]

    def judge_capacity(self, decision: CapacityDecision) -> None:
        """Append a capacity judgement (validated by the caller); the latest one counts."""
        self._conn.execute(
            insert(minor_capacity_decisions).values(
                case_id=decision.case_id,
                child_id=decision.child_id,
                capacity=decision.capacity.value,
                decided_at=decision.decided_at,
                decided_by_org_id=decision.decided_by_org_id,
            )
        )

    def capacity(self, case_id: str) -> Capacity | None:
        """The latest capacity judgement for ``case_id``, if any."""
        found = _CAPACITY.first(self._conn, {"case_id": case_id})
        return None if found is None else Capacity(found["capacity"])

    def forbidden_cases(self, child_id: str) -> tuple[str, ...]:
        """The cases of ``child_id`` whose latest capacity judgement is ``capable_forbids``."""
        t = minor_capacity_decisions
        latest = (
            select(t.c.case_id, func.max(t.c.seq).label("seq"))
            .where(t.c.child_id == child_id)
            .group_by(t.c.case_id)
            .subquery()
        )
        rows = self._conn.execute(
            select(t.c.case_id)
            .join(latest, t.c.seq == latest.c.seq)
            .where(t.c.capacity == Capacity.CAPABLE_FORBIDS.value)
            .order_by(t.c.case_id)
        )
        return tuple(case_id for (case_id,) in rows)
