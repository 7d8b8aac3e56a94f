"""Desk administration (the operator's ``luukku desk`` commands) and the public desk list.

What a desk is called, its topics and members are no citizen's data: reading
them is not an access to audit, like the organisation directory.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from luukku.domain.desks.desks import (
    Desk,
    Rota,
    named_topic,
    parse_rota,
    validate_desk_name,
    validate_topics,
)
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument, not_found
from luukku.domain.organizations import validate_org_id
from luukku.service.paging import Listing, page_size
from luukku.store.uow import Store, Tx


def _desk(tx: Tx, desk_id: str) -> Desk:
    desk = tx.desks.get(desk_id)
    if desk is None:
        raise not_found("DESK_NOT_FOUND", "no such desk")
    return desk


def create_desk(
    store: Store,
    desk_id: str,
    *,
    name: str,
    topics: list[str],
    overflow: timedelta,
    reopen_within: timedelta,
) -> Desk:
    """Create a desk without members; add them, then set the rota."""
    validate_org_id(desk_id, "desk_id")
    if overflow < timedelta(0) or reopen_within < timedelta(0):
        raise invalid_argument("INVALID_DURATION", "overflow", "must not be negative")
    desk = Desk(
        id=desk_id,
        name=validate_desk_name(name),
        topics=validate_topics(topics),
        overflow=overflow,
        reopen_within=reopen_within,
        rota=Rota(),
        members=frozenset(),
        created_at=datetime.now(UTC),
    )
    with store.transaction() as tx:
        if tx.desks.get(desk_id) is not None:
            raise LuukkuError(ErrorCode.ALREADY_EXISTS, "DESK_EXISTS", f"desk {desk_id!r} exists")
        tx.desks.add(desk)
    return desk


def add_member(store: Store, desk_id: str, org_id: str) -> Desk:
    """Make a registered organisation a member of the desk."""
    with store.transaction() as tx:
        desk = _desk(tx, desk_id)
        if tx.directory.get_organization(org_id) is None:
            raise not_found("ORG_NOT_FOUND", "no such organisation")
        if org_id in desk.members:
            raise LuukkuError(
                ErrorCode.ALREADY_EXISTS, "MEMBER_EXISTS", f"{org_id!r} is a member already"
            )
        tx.desks.add_member(desk_id, org_id, datetime.now(UTC))
        return _desk(tx, desk_id)


def remove_member(store: Store, desk_id: str, org_id: str) -> Desk:
    """End a membership; refused while the rota still names the organisation."""
    with store.transaction() as tx:
        desk = _desk(tx, desk_id)
        if org_id in desk.rota.members():
            raise LuukkuError(
                ErrorCode.FAILED_PRECONDITION,
                "MEMBER_ON_ROTA",
                f"the rota still names {org_id!r}; set a rota without it first",
            )
        if not tx.desks.remove_member(desk_id, org_id):
            raise not_found("MEMBER_NOT_FOUND", f"{org_id!r} is no member of the desk")
        return _desk(tx, desk_id)


def set_rota(store: Store, desk_id: str, text: str) -> Desk:
    """Replace the desk's rota with the one in ``text`` (see ``domain.desks.desks.parse_rota``)."""
    rota = parse_rota(text)
    with store.transaction() as tx:
        desk = _desk(tx, desk_id)
        strangers = sorted(rota.members() - desk.members)
        if strangers:
            raise invalid_argument(
                "ROTA_NAMES_NON_MEMBER", "rota", f"not members of the desk: {', '.join(strangers)}"
            )
        tx.desks.set_rota(desk_id, rota)
        return _desk(tx, desk_id)


def set_topic(store: Store, desk_id: str, topic_id: str, *, fi: str, sv: str, en: str) -> Desk:
    """Name a topic of the desk in Finnish, Swedish and English, or add it named."""
    topic = named_topic(topic_id, fi=fi, sv=sv, en=en)
    with store.transaction() as tx:
        _desk(tx, desk_id)
        tx.desks.set_topic(desk_id, topic)
        return _desk(tx, desk_id)


def get_desk(store: Store, desk_id: str) -> Desk:
    """One desk, or NOT_FOUND (DESK_NOT_FOUND)."""
    validate_org_id(desk_id, "desk_id")
    with store.read() as tx:
        return _desk(tx, desk_id)


def list_desks(
    store: Store, requested_page_size: int, page_token: str
) -> tuple[Sequence[Desk], str]:
    """One page of desks in id order, and the next page's token."""
    size = page_size(requested_page_size)
    listing = Listing("desks")
    after = listing.after_text(page_token) or ""
    with store.read() as tx:
        found = tx.desks.list(after, size + 1)
    if len(found) > size:
        return found[:size], listing.token(found[size - 1].id)
    return found, ""
