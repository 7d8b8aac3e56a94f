"""A pooled PostgreSQL connection the database cut costs no call an error.

The database ends sessions when it restarts or an operator terminates them
(``pg_terminate_backend``). A pooled connection whose session was ended is seen at
checkout (the server has spoken on it unasked) and replaced; one whose end is not
seen yet fails its ``BEGIN``, which is then sent again on a fresh connection.
"""

from __future__ import annotations

import psycopg
import pytest

from luukku.store.sql import engine
from luukku.store.sql.engine import conninfo
from luukku.store.uow import Store

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def _pooled_session(store: Store) -> int:
    """The server process of the connection the pool hands out next (the one just used)."""
    with store.read() as tx:
        pid = tx.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    return int(pid)


def _end_session(store: Store, pid: int) -> None:
    """What an operator's ``pg_terminate_backend`` does, waiting until the session is gone."""
    with psycopg.connect(conninfo(store.engine), autocommit=True) as admin:
        ended = admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()
    assert ended == (True,)


@pytest.mark.parametrize("transaction", ["read", "transaction"])
def test_a_transaction_after_its_pooled_connection_was_cut_runs_on_a_fresh_one(
    store: Store, transaction: str
):
    pid = _pooled_session(store)
    _end_session(store, pid)

    with getattr(store, transaction)() as tx:
        now_on = tx.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    assert now_on != pid


def test_a_begin_that_meets_a_cut_connection_is_sent_again_on_a_fresh_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    pid = _pooled_session(store)
    _end_session(store, pid)
    # As when the session's end has not reached the broker yet: checkout sees nothing.
    monkeypatch.setattr(engine, "_hung_up", lambda dbapi_connection: False)

    with store.transaction() as tx:
        now_on = tx.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    assert now_on != pid
