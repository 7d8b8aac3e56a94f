"""The citizen's name kept with them, on SQLite and PostgreSQL: the newest replaces the
one kept before, and a citizen nobody named has none."""

from __future__ import annotations

from datetime import timedelta

from luukku.service.access.clock import now_utc
from luukku.store.uow import Store

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"


def test_the_newest_name_replaces_the_one_kept_and_an_unnamed_citizen_has_none(store: Store):
    now = now_utc()
    with store.transaction() as tx:
        named = tx.citizens.get_or_create(CITIZEN, now)
        unnamed = tx.citizens.get_or_create(OTHER_CITIZEN, now)
        tx.citizens.keep_display_name(named, "Maija Virtanen", now)
    with store.transaction() as tx:
        tx.citizens.keep_display_name(named, "Maija Meikäläinen", now + timedelta(days=1))
        tx.citizens.keep_display_name(named, "Maija Meikäläinen", now + timedelta(days=2))

    with store.read() as tx:
        assert tx.citizens.display_name(named) == "Maija Meikäläinen"
        assert tx.citizens.display_name(unnamed) == ""
