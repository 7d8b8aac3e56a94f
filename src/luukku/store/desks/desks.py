"""Repository of desks, their members and rotas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from luukku.domain.desks.desks import Desk, Rota, Topic, parse_rota
from luukku.store.desks.tables import desk_members, desk_topics, desks


class DeskRepository:
    """Desks and memberships on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, desk: Desk) -> None:
        """Insert a new desk (its members are added one by one)."""
        self._conn.execute(
            insert(desks).values(
                id=desk.id,
                name=desk.name,
                overflow_seconds=int(desk.overflow.total_seconds()),
                reopen_seconds=int(desk.reopen_within.total_seconds()),
                rota=desk.rota.text(),
                created_at=desk.created_at,
            )
        )
        for topic in desk.topics:
            self.set_topic(desk.id, topic)

    def get(self, desk_id: str) -> Desk | None:
        """The desk with its members, or None."""
        row = self._conn.execute(select(desks).where(desks.c.id == desk_id)).first()
        return self._desk(row) if row else None

    def list(self, after_id: str, limit: int) -> Sequence[Desk]:
        """Desks in id order after ``after_id``."""
        rows = self._conn.execute(
            select(desks).where(desks.c.id > after_id).order_by(desks.c.id).limit(limit)
        )
        return [self._desk(r) for r in rows]

    def of_member(self, org_id: str) -> Sequence[str]:
        """The ids of the desks ``org_id`` is a member of."""
        rows = self._conn.execute(
            select(desk_members.c.desk_id).where(desk_members.c.org_id == org_id)
        )
        return [r[0] for r in rows]

    def memberships(self) -> Sequence[tuple[str, str]]:
        """Every (desk, member organisation) pair."""
        rows = self._conn.execute(select(desk_members.c.desk_id, desk_members.c.org_id))
        return [(r.desk_id, r.org_id) for r in rows]

    def is_member(self, desk_id: str, org_id: str) -> bool:
        """Whether ``org_id`` is a member of the desk."""
        found = self._conn.execute(
            select(desk_members.c.org_id).where(
                desk_members.c.desk_id == desk_id, desk_members.c.org_id == org_id
            )
        ).first()
        return found is not None

    def add_member(self, desk_id: str, org_id: str, at: datetime) -> None:
        """Make ``org_id`` a member."""
        self._conn.execute(insert(desk_members).values(desk_id=desk_id, org_id=org_id, added_at=at))

    def remove_member(self, desk_id: str, org_id: str) -> bool:
        """End a membership; False if there was none."""
        removed = self._conn.execute(
            delete(desk_members).where(
                desk_members.c.desk_id == desk_id, desk_members.c.org_id == org_id
            )
        )
        return bool(removed.rowcount)

    def set_rota(self, desk_id: str, rota: Rota) -> None:
        """Replace the desk's rota."""
        self._conn.execute(update(desks).where(desks.c.id == desk_id).values(rota=rota.text()))

    def set_topic(self, desk_id: str, topic: Topic) -> None:
        """Name a topic of the desk, or add it after the others."""
        names = {"name_fi": topic.name_fi, "name_sv": topic.name_sv, "name_en": topic.name_en}
        renamed = self._conn.execute(
            update(desk_topics)
            .where(desk_topics.c.desk_id == desk_id, desk_topics.c.topic == topic.id)
            .values(**names)
        )
        if renamed.rowcount:
            return
        position = self._conn.execute(
            select(func.count()).where(desk_topics.c.desk_id == desk_id)
        ).scalar_one()
        self._conn.execute(
            insert(desk_topics).values(desk_id=desk_id, topic=topic.id, position=position, **names)
        )

    def _desk(self, row: Row[Any]) -> Desk:
        m = row._mapping
        members = self._conn.execute(
            select(desk_members.c.org_id).where(desk_members.c.desk_id == m["id"])
        )
        topics = self._conn.execute(
            select(desk_topics)
            .where(desk_topics.c.desk_id == m["id"])
            .order_by(desk_topics.c.position)
        )
        return Desk(
            id=m["id"],
            name=m["name"],
            topics=tuple(Topic(t.topic, t.name_fi, t.name_sv, t.name_en) for t in topics),
            overflow=timedelta(seconds=m["overflow_seconds"]),
            reopen_within=timedelta(seconds=m["reopen_seconds"]),
            rota=parse_rota(m["rota"]),
            members=frozenset(r[0] for r in members),
            created_at=m["created_at"],
        )
