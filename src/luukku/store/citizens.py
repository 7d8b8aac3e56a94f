"""Repository mapping personal identity codes to opaque citizen ids."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from luukku.store.sql.tables import citizens


class CitizenRepository:
    """The only repository that ever sees an identity code."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def find(self, identity_code: str) -> str | None:
        """The citizen id of ``identity_code``, or None if never seen."""
        return self._conn.execute(
            select(citizens.c.id).where(citizens.c.identity_code == identity_code)
        ).scalar_one_or_none()

    def get_or_create(self, identity_code: str, now: datetime) -> str:
        """The citizen id of ``identity_code``, creating the citizen on first sight."""
        found = self.find(identity_code)
        if found is not None:
            return found
        citizen_id = uuid.uuid4().hex
        try:
            with self._conn.begin_nested():
                self._conn.execute(
                    insert(citizens).values(
                        id=citizen_id, identity_code=identity_code, created_at=now
                    )
                )
        except IntegrityError:
            # Another transaction created the same citizen first.
            found = self.find(identity_code)
            if found is None:
                raise
            return found
        return citizen_id
