"""Issue 21's guardian stories in the browser, on a real broker.

A parent's custody of a nine-year-old comes from the population register. The parent
chooses to act for the child, lets the child-guidance clinic see the child's social-work
case and reads it; then the municipality takes the child into care, and the parent's next
page says so in plain words and offers to act for themselves again.

A fifteen-year-old forbids the guardians one case: acting for the child, the parent finds
it neither in the list nor at its address (the page is that of a case that does not
exist), while the child's other case stays open to them.

Every page state passes axe-core; the refusal page is read in Finnish, Swedish and English.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from portal_support import Checks, Parties, RunningPortal, context_in, sign_in, words_in

from luukku.cli import main as cli
from luukku.client import Client, Practitioner, TLSConfig
from luukku.domain.organizations import OrgKind
from luukku.portal.words import REPRESENTATION_REFUSALS, RIGHT_KINDS
from luukku.verify.identity_code import make_identity_code

PARENT, PARENT_NAME = make_identity_code(date(1985, 3, 14), 221), "Pekka Virtanen"
LANGUAGES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
CARE_ORDER = REPRESENTATION_REFUSALS["REPRESENTATION_CARE_ORDER"]


def born_years_ago(years: int) -> date:
    """A birth date ``years`` and a month before today (well clear of a birthday)."""
    today = date.today()
    return date(today.year - years, today.month, 1) - timedelta(days=30)


CHILD_9_BORN = born_years_ago(9)
CHILD_9 = make_identity_code(CHILD_9_BORN, 222)
CHILD_15_BORN = born_years_ago(15)
CHILD_15 = make_identity_code(CHILD_15_BORN, 223)


def named_by_birth(language: str, born: date) -> str:
    """How the portal names a child who has never signed in: by birth date."""
    label = words_in(language, "the person born %(day)s")
    return label % {"day": f"{born.day}.{born.month}.{born.year}"}


@pytest.fixture
async def clinic(
    register_org: Callable[..., TLSConfig], connect: Callable[..., Awaitable[Client]]
) -> Client:
    """The child-guidance clinic, a private company: registered before the portal starts,
    so that its directory lists it."""
    tls = register_org("perheneuvola", OrgKind.PRIVATE)
    return await connect(tls, practitioner=Practitioner("p-3", "Liisa Koski", "psychologist"))


@pytest.fixture
async def portal(
    start_portal: Callable[..., Awaitable[RunningPortal]], parties: Parties, clinic: Client
) -> RunningPortal:
    """The portal, started once every organisation of the story is registered."""
    return await start_portal()


def import_from_register(database_url: str, tmp_path: Path, child: str, born: date) -> None:
    """The operator imports the population register's extract: the parent's custody of
    ``child`` since birth."""
    extract = tmp_path / "guardians.csv"
    extract.write_text(
        "guardian_identity_code,child_identity_code,start_date\n"
        f"{PARENT},{child},{born.isoformat()}\n",
        encoding="utf-8",
    )
    assert cli(["representation", "import", str(extract), "--database", database_url]) == 0


async def act_for(page: Page, child_label: str) -> None:
    """Choose on "Acting for" to act for the child, as the parent would."""
    await page.locator("nav.main-nav a[href='/acting-for']").click()
    choice = page.get_by_label(re.compile(f"^{re.escape(child_label)}"))
    kind = re.escape(RIGHT_KINDS["guardian_of_minor"])
    await expect(choice).to_have_accessible_name(re.compile(f"\\({kind}: "))
    await choice.check()
    await page.get_by_role("button", name="Choose").click()
    await expect(page.locator(".acting-banner")).to_contain_text(
        f"You are acting for {child_label}"
    )


@pytest.mark.slow
async def test_a_parent_acts_for_a_child_until_the_child_is_taken_into_care(
    browser: Browser,
    portal: RunningPortal,
    parties: Parties,
    clinic: Client,
    database_url: str,
    tmp_path: Path,
) -> None:
    import_from_register(database_url, tmp_path, CHILD_9, CHILD_9_BORN)
    municipality = parties.municipality
    childs = await municipality.create_case(
        CHILD_9, title="Family work for the school year", category="social_work"
    )
    await municipality.create_record(
        childs.id, kind="assessment", text="Meetings with the family every other week."
    )
    parents = await municipality.create_case(
        PARENT, title="Income support application", category="social_work"
    )
    child = named_by_birth("en", CHILD_9_BORN)
    checks = Checks()

    async with context_in(browser, portal, "en-GB") as parent:
        await sign_in(parent, PARENT, PARENT_NAME)
        await expect(parent.get_by_role("link", name=parents.title)).to_be_visible()
        await act_for(parent, child)
        await checks.look(parent, "acting for the child")

        # The child's cases, not the parent's own.
        await parent.get_by_role("link", name="My cases").click()
        await expect(parent.get_by_role("link", name=childs.title)).to_be_visible()
        await expect(parent.get_by_role("link", name=parents.title)).to_have_count(0)
        await checks.look(parent, "the child's cases")

        # The parent lets the child-guidance clinic read the child's case.
        await parent.get_by_role("link", name=childs.title).click()
        await parent.get_by_role("link", name="Let an organisation see this case").click()
        await expect(parent.locator("#case_id")).to_have_value(childs.id)
        await parent.locator("#organization_id").select_option("perheneuvola")
        await parent.get_by_label("Read the records").check()
        await parent.locator("#purpose").fill("Child guidance for the school year")
        await checks.look(parent, "the consent form for the child's case")
        await parent.get_by_role("button", name="Give consent").click()
        await expect(parent.locator("main [role=status]")).to_have_text("The consent was recorded.")
        given_row = parent.get_by_role(
            "link",
            name=re.compile(
                f"^Withdraw consent ?: perheneuvola name, The case “{re.escape(childs.title)}”$"
            ),
        )
        await expect(given_row).to_be_visible()
        await checks.look(parent, "the child's consents")

        # The broker holds the consent on the child's case: the clinic reads the case.
        (given,) = [c async for c in clinic.list_consents()]
        assert (given.case_id, given.state, set(given.permissions)) == (
            childs.id,
            "active",
            {"read"},
        )
        assert given.purpose == "Child guidance for the school year"
        assert (await clinic.get_case(childs.id)).title == childs.title

        await parent.get_by_role("link", name="My cases").click()
        await parent.get_by_role("link", name=childs.title).click()
        await expect(parent.locator("h1")).to_have_text(childs.title)
        await expect(parent.locator("main")).to_contain_text(
            "Meetings with the family every other week."
        )
        await checks.look(parent, "the child's case")

        # The municipality takes the child into care: the parent's next page says so.
        await municipality.record_representation_blocker(
            "care_order", CHILD_9, reason="Care order 2026/41 of the social welfare board"
        )
        response = await parent.goto(f"/cases/{childs.id}")
        assert response is not None
        assert response.status == 403
        await expect(parent.locator("h1")).to_have_text(f"You cannot do this for {child}")
        await expect(parent.locator("#refusal-reason")).to_have_text(
            "The child has been taken into care, so a guardian cannot act for them here."
        )
        await expect(parent.locator("main")).not_to_contain_text(childs.title)

        # The same page in each language, chosen with the portal's language links.
        for language, locale in LANGUAGES.items():
            response = await parent.goto(f"/language/{language}?next=/cases/{childs.id}")
            assert response is not None
            assert response.status == 403
            await expect(parent.locator("html")).to_have_attribute("lang", re.compile(language))
            await expect(parent.locator("#refusal-reason")).to_have_text(
                words_in(language, CARE_ORDER)
            )
            await expect(parent.locator("h1")).to_contain_text(
                named_by_birth(language, CHILD_9_BORN)
            )
            await expect(
                parent.get_by_role("button", name=words_in(language, "Act for myself"))
            ).to_be_visible()
            await checks.look(parent, f"the care order's refusal, {locale}")

        # Back to acting for oneself: the parent's own case again, the child's not.
        await parent.get_by_role("button", name="Act for myself").click()
        await expect(parent.locator(".acting-banner")).to_have_count(0)
        await expect(parent.locator("main [role=status]")).to_have_text(
            "You are now acting for yourself."
        )
        await parent.get_by_role("link", name="My cases").click()
        await expect(parent.get_by_role("link", name=parents.title)).to_be_visible()
        await expect(parent.get_by_role("link", name=childs.title)).to_have_count(0)
        # The consent was the child's, not the parent's own.
        await parent.locator("nav.main-nav a[href='/consents']").click()
        await expect(parent.locator("h1")).to_have_text("Consents")
        await expect(given_row).to_have_count(0)
    assert not checks.found, checks.found


async def test_a_case_a_capable_minor_forbids_looks_to_the_parent_like_no_case_at_all(
    browser: Browser,
    portal: RunningPortal,
    parties: Parties,
    database_url: str,
    tmp_path: Path,
) -> None:
    import_from_register(database_url, tmp_path, CHILD_15, CHILD_15_BORN)
    municipality = parties.municipality
    forbidden = await municipality.create_case(
        CHILD_15, title="Contraception advice", category="health"
    )
    shown = await municipality.create_case(
        CHILD_15, title="School social worker", category="social_work"
    )
    await municipality.create_record(
        shown.id, kind="assessment", text="Weekly talks about school attendance."
    )
    judged = await municipality.judge_minor_capacity(forbidden.id, "capable_forbids")
    assert judged.case_id == forbidden.id
    child = named_by_birth("en", CHILD_15_BORN)
    checks = Checks()

    async with context_in(browser, portal, "en-GB") as parent:
        await sign_in(parent, PARENT, PARENT_NAME)
        await act_for(parent, child)

        await parent.get_by_role("link", name="My cases").click()
        await expect(parent.get_by_role("link", name=shown.title)).to_be_visible()
        await expect(parent.locator("main")).not_to_contain_text(forbidden.title)
        await checks.look(parent, "the child's cases, one forbidden")

        answers = []
        for case_id in (forbidden.id, uuid.uuid4().hex):
            response = await parent.goto(f"/cases/{case_id}")
            assert response is not None
            answers.append(
                (response.status, await parent.title(), await parent.locator("main").inner_text())
            )
        (status, title, text), nowhere = answers
        assert (status, title, text) == nowhere
        assert status == 404
        assert forbidden.title not in text
        await expect(parent.locator(".acting-banner")).to_contain_text(child)
        await checks.look(parent, "the forbidden case's address")

        await parent.get_by_role("link", name="My cases").click()
        await parent.get_by_role("link", name=shown.title).click()
        await expect(parent.locator("h1")).to_have_text(shown.title)
        await expect(parent.locator("main")).to_contain_text(
            "Weekly talks about school attendance."
        )
        await checks.look(parent, "the child's other case")
    assert not checks.found, checks.found
