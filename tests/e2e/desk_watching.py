"""A queue or inquiry watch run in the background of a test, and waiting on what it heard."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

T = TypeVar("T")

WAIT_S = 5.0


class Heard(Generic[T]):
    """Everything one watch yields, collected by a task until ``stop``."""

    def __init__(self, items: AsyncIterator[T]) -> None:
        self.items: list[T] = []
        self.error: BaseException | None = None
        self._changed = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._collect(items))

    async def _collect(self, items: AsyncIterator[T]) -> None:
        try:
            async for item in items:
                self.items.append(item)
                self._changed.set()
        except Exception as exc:  # the test asserts on it
            self.error = exc
            self._changed.set()

    async def until(self, condition: Callable[[list[T]], bool], within: float = WAIT_S) -> list[T]:
        """Wait until ``condition`` holds for what was heard; fail after ``within`` seconds."""
        deadline = asyncio.get_running_loop().time() + within
        while not condition(self.items):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0 or self.error is not None:
                raise AssertionError(f"not heard within {within} s: {self.items!r} {self.error!r}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return self.items

    async def ended(self, within: float = WAIT_S) -> BaseException | None:
        """Wait for the watch to end; what ended it (None: it ended normally)."""
        await asyncio.wait_for(asyncio.shield(self._task), within)
        return self.error

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
