"""Hot-path statements run on the driver cursor behave as SQLAlchemy's own execution does.

On both engines: the same values come back (UTC timestamps included), a driver
error leaves the store as the store's own error, and bound values stay out of
error messages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, insert, literal_column, or_, select

from luukku.store.errors import Conflict
from luukku.store.sql.statements import Statement
from luukku.store.sql.tables import organizations
from luukku.store.uow import Store

_FIELDS = ("id", "name", "business_id", "kind", "status", "created_at")
_ADD = Statement(insert(organizations).values({f: bindparam(f) for f in _FIELDS}))
_BY_ID = Statement(select(organizations).where(organizations.c.id == bindparam("org_id")))
_FIRST_TWO = Statement(select(organizations.c.id).order_by(organizations.c.id).limit(2))

HELSINKI = timezone(timedelta(hours=2))


def _org(org_id: str, created_at: datetime) -> dict[str, object]:
    return {
        "id": org_id,
        "name": f"Organisation {org_id}",
        "business_id": "0201256-6",
        "kind": "public",
        "status": "active",
        "created_at": created_at,
    }


@pytest.mark.parametrize(
    "created_at",
    [
        datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 23, 14, 30, 5, 123456, tzinfo=HELSINKI),
        datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    ],
)
def test_a_row_written_and_read_directly_matches_sqlalchemys_own_reading(
    store: Store, created_at: datetime
):
    with store.transaction() as tx:
        assert _ADD.execute(tx.connection, _org("org-a", created_at)) == 1

    with store.read() as tx:
        direct = _BY_ID.first(tx.connection, {"org_id": "org-a"})
        through_sqlalchemy = tx.connection.execute(
            select(organizations).where(organizations.c.id == "org-a")
        ).one()

    assert direct == dict(through_sqlalchemy._mapping)
    assert direct is not None
    assert direct["created_at"] == created_at
    assert direct["created_at"].tzinfo == UTC


def test_timestamps_compare_in_sql_as_they_do_in_python(store: Store):
    """SQLite compares the stored text: the format must sort as the instants do."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [base + timedelta(microseconds=n) for n in (0, 1, 999_999, 1_000_000)]
    with store.transaction() as tx:
        for n, instant in enumerate(reversed(instants)):
            _ADD.execute(tx.connection, _org(f"org-{n}", instant))
        later = tx.connection.execute(
            select(organizations.c.created_at)
            .where(organizations.c.created_at > instants[1])
            .order_by(organizations.c.created_at)
        ).scalars()
        assert list(later) == instants[2:]


def test_a_literal_in_the_statement_needs_no_value_from_the_caller(store: Store):
    with store.transaction() as tx:
        for org_id in ("org-c", "org-a", "org-b"):
            _ADD.execute(tx.connection, _org(org_id, datetime.now(UTC)))
        assert _FIRST_TWO.all(tx.connection, {}) == [{"id": "org-a"}, {"id": "org-b"}]


def test_no_row_is_none_and_a_missing_value_is_refused_before_the_database(store: Store):
    with store.read() as tx:
        assert _BY_ID.first(tx.connection, {"org_id": "nobody"}) is None
        assert _BY_ID.all(tx.connection, {"org_id": "nobody"}) == []
        with pytest.raises(KeyError, match="org_id"):
            _BY_ID.first(tx.connection, {})


def test_a_taken_unique_key_is_the_stores_conflict_without_the_values(store: Store):
    secret_name = "Organisation 131052-308T"
    with store.transaction() as tx:
        _ADD.execute(tx.connection, _org("org-a", datetime.now(UTC)))
    with pytest.raises(Conflict) as raised, store.transaction() as tx:
        _ADD.execute(tx.connection, {**_org("org-a", datetime.now(UTC)), "name": secret_name})

    assert "131052-308T" not in str(raised.value)
    assert "131052-308T" not in str(raised.value.__cause__)
    with store.read() as tx:
        row = _BY_ID.first(tx.connection, {"org_id": "org-a"})
    assert row is not None
    assert row["name"] == "Organisation org-a"  # the failed transaction left nothing behind


_NAMED_LIKE = Statement(
    select(organizations.c.id)
    .where(
        organizations.c.name.like(literal_column("'Organisation %'")),
        or_(organizations.c.id == bindparam("org_id"), organizations.c.business_id == "x"),
        organizations.c.id != bindparam("org_id") + "-other",
    )
    .order_by(organizations.c.id)
)


def test_a_statement_with_a_literal_percent_and_a_name_bound_twice_reads_what_it_says(
    store: Store,
):
    with store.transaction() as tx:
        for org_id in ("org-a", "org-b"):
            _ADD.execute(tx.connection, _org(org_id, datetime(2026, 12, 7, tzinfo=UTC)))

    with store.read() as tx:
        assert _NAMED_LIKE.all(tx.connection, {"org_id": "org-b"}) == [{"id": "org-b"}]
