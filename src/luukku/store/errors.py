"""The store's own failures: what callers above the store catch instead of driver errors.

The store translates SQLAlchemy's and the drivers' exceptions at its boundary
(``Store.transaction``, ``read`` and ``lookup``, and opening the store), so no
module outside ``luukku.store`` needs to know which library talks to the database.
"""

from __future__ import annotations


class StorageUnavailable(Exception):
    """The database cannot be used: missing, unreachable, gone away mid-call, or unsupported.

    Opening the store raises it with one line that says what is wrong and what
    to do; a transaction raises it when the database went away under it (a
    restart, a dropped connection), after which a retry may succeed.
    """


class Conflict(Exception):
    """A write collided with a row another transaction committed (a unique key).

    The transaction has been rolled back. For an idempotent create the loser of
    the race retries and finds the winner's row.
    """


class DurabilityLost(OSError):
    """An fsync of the WAL failed: no commit of this process may be called durable again.

    After a failed fsync the kernel may have dropped the dirty pages and a
    later fsync can succeed without them; SQLite's WAL checksums then end
    recovery at the hole, losing every later commit too. So, as PostgreSQL
    does, the process stops acknowledging writes and must be restarted.
    """


class CallerChanged(Exception):
    """The directory changed the certificate or organisation of a call's cached caller.

    Raised as the call's first transaction begins, before it has read or written
    anything (``store.callers.check``): the caller is looked up again and the call
    run anew, or refused.
    """


__all__ = ["CallerChanged", "Conflict", "DurabilityLost", "StorageUnavailable"]
