"""What a page costs the broker: a constant number of calls, whatever the citizen's data.

Each call the portal makes for the citizen is audited, so the audit events a
page load adds are the calls it made (and what fills the citizen's access log).
"""

from __future__ import annotations

from portal_support import CITIZEN, Parties, RunningPortal, http_client, http_sign_in

from luukku.store.uow import Store


def _actions(store: Store) -> list[str]:
    with store.read() as tx:
        return [s.event.action for s in tx.audit.scan()]


async def test_a_record_page_costs_the_same_calls_with_one_version_as_with_ten(
    parties: Parties, portal: RunningPortal, store: Store
) -> None:
    municipality = parties.municipality
    case = await municipality.create_case(CITIZEN, title="Home care", category="home_care")
    single = await municipality.create_record(case.id, kind="note", text="Visits start Monday.")
    revised = await municipality.create_record(case.id, kind="care-plan", text="Version 1.")
    for n in range(2, 11):
        await municipality.revise_record(case.id, revised.record_id, text=f"Version {n}.")
    costs = {}
    async with http_client(portal) as browser:
        await http_sign_in(browser)
        for record in (single, revised):
            before = len(_actions(store))
            shown = await browser.get(f"/cases/{case.id}/records/{record.record_id}")
            assert shown.status_code == 200
            # The navigation's unread count is kept a while: it is not this page's cost.
            costs[record.record_id] = sorted(
                a for a in _actions(store)[before:] if a != "thread.unread"
            )

    assert all(f"Version {n}." in shown.text for n in range(1, 11))
    assert costs[single.record_id] == costs[revised.record_id] == ["case.read", "record.revisions"]


async def test_the_navigations_unread_count_is_one_call_however_many_cases(
    parties: Parties, portal: RunningPortal, store: Store
) -> None:
    for title in ("Home care", "Housing", "Meals"):
        case = await parties.municipality.create_case(CITIZEN, title=title, category="home_care")
        thread = await parties.municipality.create_thread(case.id, subject=title)
        await parties.municipality.post_message(thread.id, "News.")
    async with http_client(portal) as browser:
        before = len(_actions(store))
        await http_sign_in(browser)  # lands on My cases, with the unread count in the navigation
        landed = _actions(store)[before:]
        cases = await browser.get("/cases")

    assert "3 unread" in cases.text
    # The navigation also asks, once a minute, whether the person acts for anyone.
    assert sorted(landed) == ["case.list", "representation.list", "thread.unread"]
