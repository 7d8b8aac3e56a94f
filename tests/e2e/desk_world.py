"""Shared service desks as the end-to-end desk tests open them (through the operator's
service calls, as `luukku desk create` and `luukku desk member add` do)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from luukku.service.desks import admin as desks
from luukku.store.uow import Store


def open_desk(
    store: Store,
    desk_id: str,
    members: Iterable[str],
    *,
    name: str | None = None,
    overflow: timedelta = timedelta(0),
    reopen_within: timedelta = timedelta(days=14),
) -> None:
    """The desk ``desk_id`` on the topic farm-subsidies, with ``members`` (registered)."""
    desks.create_desk(
        store,
        desk_id,
        name=name or desk_id,
        topics=["farm-subsidies"],
        overflow=overflow,
        reopen_within=reopen_within,
    )
    for org in members:
        desks.add_member(store, desk_id, org)
