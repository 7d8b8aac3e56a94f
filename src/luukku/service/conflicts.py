"""Idempotent creates that race: the loser retries and finds the winner's row."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from luukku.store.errors import Conflict

T = TypeVar("T")


def once_more_on_conflict(attempt: Callable[[], T]) -> T:
    """Run an idempotent create; on a unique-key conflict, run it once more.

    Two concurrent creates with the same request id: the loser's unique index
    violation rolls its transaction back, and the retry finds the winner's row.
    """
    try:
        return attempt()
    except Conflict:
        return attempt()
