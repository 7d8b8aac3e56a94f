"""A starting broker makes the coming months' partitions of the audit log (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from luukku.store.audit import partitions
from luukku.store.audit.partitions import Month
from luukku.store.uow import Store


def _months_ahead(n: int) -> Month:
    month = Month.of(datetime.now(UTC))
    for _ in range(n):
        month = month.next()
    return month


@pytest.fixture
def store(store: Store) -> Store:
    """A database whose last partition made ahead is gone, as if migrated long ago."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the audit log is partitioned by month on PostgreSQL only")
    with store.engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {_months_ahead(2).partition()}"))
    return store


async def test_a_starting_broker_makes_the_coming_months_partitions(store, broker):
    with store.read() as tx:
        made = partitions.months(tx.connection)

    assert [_months_ahead(n) for n in (0, 1, 2)] == made[-3:]
