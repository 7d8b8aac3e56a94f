"""Repository mapping personal identity codes to opaque citizen ids."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from luukku.domain.pseudonyms import CitizenKeys
from luukku.store.sql.tables import broker_secrets, citizen_names, citizens

CITIZEN_SECRET_NAME = "citizen-pseudonyms"  # noqa: S105 - a row name, not the secret
"""The name of the broker secret that keys pseudonyms and leaf commitments (migration 0017)."""


def citizen_keys(conn: Connection) -> CitizenKeys:
    """The broker's citizen keys, from the secret the migration made.

    Raises:
        RuntimeError: the database lacks the secret (not migrated to 0017).
    """
    secret = conn.execute(
        select(broker_secrets.c.secret).where(broker_secrets.c.name == CITIZEN_SECRET_NAME)
    ).scalar_one_or_none()
    if secret is None:
        raise RuntimeError("the database holds no citizen secret: run the migrations")
    return CitizenKeys(bytes(secret))


class CitizenRepository:
    """The only repository that ever sees an identity code."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def find(self, identity_code: str) -> str | None:
        """The citizen id of ``identity_code``, or None if never seen."""
        return self._conn.execute(
            select(citizens.c.id).where(citizens.c.identity_code == identity_code)
        ).scalar_one_or_none()

    def identity_code(self, citizen_id: str) -> str | None:
        """The identity code of ``citizen_id`` (for the birth date it encodes), or None."""
        return self._conn.execute(
            select(citizens.c.identity_code).where(citizens.c.id == citizen_id)
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

    def display_name(self, citizen_id: str) -> str:
        """The name kept for the citizen ("" when none was ever given)."""
        found = self._conn.execute(
            select(citizen_names.c.display_name).where(citizen_names.c.citizen_id == citizen_id)
        ).scalar_one_or_none()
        return found or ""

    def keep_display_name(self, citizen_id: str, name: str, now: datetime) -> None:
        """Keep ``name`` as the citizen's, in place of the one kept before."""
        kept = self._conn.execute(
            select(citizen_names.c.display_name).where(citizen_names.c.citizen_id == citizen_id)
        ).scalar_one_or_none()
        if kept == name:
            return
        if kept is None:
            try:
                with self._conn.begin_nested():
                    self._conn.execute(
                        insert(citizen_names).values(
                            citizen_id=citizen_id, display_name=name, updated_at=now
                        )
                    )
                return
            except IntegrityError:
                pass  # another transaction kept a name first: this one is newer
        self._conn.execute(
            update(citizen_names)
            .where(citizen_names.c.citizen_id == citizen_id)
            .values(display_name=name, updated_at=now)
        )
