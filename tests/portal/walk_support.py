"""A person's walk through a web app (the portal, the workspace): follow its links, fill
and press every form.

Nothing here lists the apps' pages or forms. The walk starts at the front
page, follows the portal's own links, and on each page it reaches finds the
forms and fills them as a person would: a real option in each choice, a future
date, some text, every box ticked. It then reads the page it lands on. Each
problem is collected with where it was met, so one run reports them all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from babel.messages.pofile import read_po
from playwright.async_api import APIResponse, Locator, Page, Response
from playwright.async_api import Error as PlaywrightError
from portal_support import axe_violations

from luukku.client import Client

LOCALE = Path(__file__).resolve().parents[2] / "src" / "luukku" / "web" / "locale"
ID_SEGMENT = re.compile(r"^[0-9a-f]{32}$")
# Pages of one shape (say /threads/{id}) the walk reads: the rest say nothing new.
PAGES_PER_SHAPE = 2
SESSION_FORMS = ("/login", "/logout")
# Forms that change only whom the session acts for: the broker keeps nothing of them.
CHOICE_FORMS = ("/acting-for",)
# A form's other buttons that help write it (a ready answer added to a reply): the page
# comes back with the draft, and the broker keeps nothing until the form is sent.
DRAFT_BUTTONS = ("/inquiries/{id}/ready-answer",)

World = Callable[[], Awaitable[Counter[str]]]


def shape(path: str) -> str:
    """A page's path with its ids replaced: ``/threads/{id}``."""
    parts = urlsplit(path).path.split("/")
    return "/".join("{id}" if ID_SEGMENT.match(part) else part for part in parts)


def local(url: str) -> str:
    """The path and query of a URL of the portal."""
    split = urlsplit(url)
    return split.path + (f"?{split.query}" if split.query else "")


def _walkable(href: str) -> str | None:
    split = urlsplit(href)
    if split.scheme or split.netloc or not split.path.startswith("/"):
        return None
    if split.path.startswith(("/language/", "/static/")):
        return None
    return split.path + (f"?{split.query}" if split.query else "")


@dataclass(frozen=True)
class FormSeen:
    """A form as found on a page."""

    page: str
    method: str
    action: str
    # A button of the form that posts it elsewhere (its ``formaction``), or "" for the
    # form's own button.
    via: str = ""

    @property
    def kind(self) -> str:
        """Forms of one kind do the same thing to different things: ``post /threads/{id}/…``."""
        return f"{self.method} {shape(self.target)}"

    @property
    def target(self) -> str:
        """Where pressing it posts to."""
        return urlsplit(self.via).path if self.via else self.action


# Each form once for its own button, and once more for each button posting it elsewhere.
_FORMS_JS = """() => [...document.forms].flatMap(f => {
  const method = (f.getAttribute('method') || 'get').toLowerCase();
  const action = f.getAttribute('action') || location.pathname + location.search;
  const others = [...f.querySelectorAll('[formaction]')].map(b => b.getAttribute('formaction'));
  return [{method, action, via: ''}, ...others.map(via => ({method, action, via}))];
})"""

# What a person would enter into each field: the plan is made in the page, where
# it can see which fields show and which choices have something to choose.
_PLAN_JS = """(form, mode) => {
  const plan = [];
  const groups = new Set();
  const shown = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const hasChoice = select => [...select.options].some(o => o.value);
  for (const e of form.elements) {
    if (!e.name || e.disabled || e.type === 'hidden' || e.tagName === 'BUTTON'
        || e.type === 'submit' || !shown(e)) continue;
    if (e.type === 'radio') {
      if (groups.has(e.name) || mode === 'invalid') continue;
      groups.add(e.name);
      const radios = [...form.querySelectorAll('input[type=radio]')].filter(r => r.name === e.name);
      // A choice whose follow-up list is empty (no case to choose) is not one a person takes.
      const usable = radios.find(r => {
        const next = r.closest('.choice') && r.closest('.choice').nextElementSibling;
        const select = next && next.querySelector('select');
        return !select || hasChoice(select);
      }) || radios[0];
      plan.push({name: e.name, kind: 'radio', value: usable.value});
    } else if (e.type === 'checkbox') {
      plan.push({name: e.name, kind: 'checkbox', value: e.value, on: mode === 'valid'});
    } else if (e.tagName === 'SELECT') {
      const values = [...e.options].map(o => o.value);
      if (mode === 'valid' && hasChoice(e)) {
        plan.push({name: e.name, kind: 'select', value: values.find(v => v)});
      } else if (mode === 'invalid' && values.includes('')) {
        plan.push({name: e.name, kind: 'select', value: ''});
      }
    } else {
      plan.push({name: e.name, kind: e.type === 'date' ? 'date' : 'text', value: ''});
    }
  }
  return plan;
}"""

# The kinds of element on a page, whatever their number and text: tag, classes, role, type
# and which ARIA and labelling attributes they have (an error state adds its own).
_KINDS_JS = """() => [...new Set([...document.querySelectorAll('body *')].map(e => [
  e.tagName, e.className, e.getAttribute('role'), e.getAttribute('type'),
  ...[...e.attributes].map(a => a.name).filter(n => n.startsWith('aria-') || n === 'for')
    .sort()].join(' ')))].sort().join('\\n')"""

_TEXT_JS = """() => {
  const page = document.documentElement.lang;
  const ours = e =>
    (e.closest('[lang]') || document.documentElement).getAttribute('lang') === page;
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!e || e.closest('script,style') || !ours(e)) continue;
    const t = n.textContent.trim();
    if (t) texts.push(t);
  }
  const named = ['aria-label', 'title', 'alt', 'placeholder', 'data-announce'];
  for (const e of document.querySelectorAll(named.map(a => `[${a}]`).join(','))) {
    if (!ours(e)) continue;
    for (const a of named) {
      const v = e.getAttribute(a);
      if (v) texts.push(v);
    }
  }
  return texts;
}"""


class ForeignWords:
    """The portal's own words that do not belong on a page in one language.

    From the catalogues: on a Finnish page, every English message id whose Finnish
    translation differs, and every Swedish translation that differs from the
    Finnish one; likewise for Swedish and English pages. Placeholders split a
    message into the phrases matched; words shorter than four letters are left out,
    and so is a phrase that the page's own language writes too (Swedish "Alla",
    everyone, is Finnish "alla", below).
    """

    def __init__(self, language: str) -> None:
        catalogues = {code: _catalogue(code) for code in ("fi", "sv")}
        foreign: set[str] = set()
        own: list[str] = []
        for msgid in catalogues["fi"].keys() | catalogues["sv"].keys():
            texts = {
                "en": msgid,
                "fi": catalogues["fi"].get(msgid) or msgid,
                "sv": catalogues["sv"].get(msgid) or msgid,
            }
            mine = texts[language]
            own.append(mine)
            for other, text in texts.items():
                if other != language and text != mine:
                    foreign.update(_phrases(text) - _phrases(mine))
        own_text = "\n".join(own)
        foreign = {p for p in foreign if not _written_in(own_text, p)}
        alternatives = "|".join(re.escape(p) for p in sorted(foreign, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def also(self, phrases: list[str]) -> None:
        """Count ``phrases`` as foreign too (the demo's data in another language)."""
        alternatives = "|".join(re.escape(p) for p in phrases)
        if alternatives:
            self.pattern = re.compile(rf"{self.pattern.pattern}|(?<!\w)(?:{alternatives})(?!\w)")

    def found_in(self, texts: list[str], data: list[str]) -> list[str]:
        """The foreign phrases in ``texts`` once the citizen's own ``data`` is taken out."""
        found = []
        for text in texts:
            for datum in data:
                text = text.replace(datum, " ")
            found += [f"{m.group(0)!r} in {text[:80]!r}" for m in self.pattern.finditer(text)]
        return found


def _written_in(text: str, phrase: str) -> bool:
    """Whether ``text`` holds ``phrase`` as whole words (a cheap substring test first)."""
    return phrase in text and bool(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))


def _catalogue(language: str) -> dict[str, str]:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    texts: dict[str, str] = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, msgstr in zip(ids, strings, strict=False):
            texts[msgid] = msgstr
    return texts


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


def _phrases(text: str) -> set[str]:
    parts = (p.strip(" .,:;!?\u2013-“”\"'()") for p in _PLACEHOLDER.split(text))
    return {p for p in parts if len(p) >= 4}


@dataclass
class Landing:
    """Where a press ended: the response, the path, and what the person typed."""

    response: Response | None
    path: str
    typed: list[str]
    planned: list[dict[str, str]]
    failure: str = ""


@dataclass
class Walk:
    """One browser page walking the portal in one language, collecting what is wrong."""

    page: Page
    language: str
    data: list[str]
    foreign_data: list[str] = field(default_factory=list)
    someone_else: str = ""
    """The identity code a form asking for another person's (``identity_code``) gets."""
    problems: list[str] = field(default_factory=list)
    pages_read: int = 0
    presses: int = 0
    _typed: int = 0
    _axed: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.words = ForeignWords(self.language)
        self.words.also(self.foreign_data)

    def problem(self, where: str, what: str) -> None:
        """Note a problem; the test lists them all at the end."""
        self.problems.append(f"[{self.language}] {where}: {what}")

    async def look(self, where: str) -> None:
        """What every page a person lands on must be: one heading, no axe violation, and
        no word of another language."""
        self.pages_read += 1
        lang = await self.page.get_attribute("html", "lang")
        if lang != self.language:
            self.problem(where, f"the page is in {lang!r}")
        wider = await self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if wider > 0:
            self.problem(where, f"the page is {wider} px wider than the screen")
        headings = await self.page.locator("h1").count()
        if headings != 1:
            self.problem(where, f"{headings} main headings")
        kinds = await self.page.evaluate(_KINDS_JS)
        if (shape(local(self.page.url)), kinds) not in self._axed:
            # axe-core is most of the walk's time; it looks at kinds of element, so a page
            # of a shape already checked with no new kind of element in it is not checked again.
            self._axed.add((shape(local(self.page.url)), kinds))
            for violation in await axe_violations(self.page):
                self.problem(where, f"axe: {violation}")
        texts: list[str] = await self.page.evaluate(_TEXT_JS)
        for foreign in self.words.found_in(texts, self.data):
            self.problem(where, f"another language: {foreign}")

    async def crawl(self, *, read: bool = True) -> list[FormSeen]:
        """Follow the portal's links from the front page; every form on the way.

        ``read`` checks each page (:meth:`look`); without it the crawl only finds forms.
        """
        queue, seen, per_shape = ["/"], {"/"}, Counter[str]()
        forms: list[FormSeen] = []
        while queue:
            path = queue.pop(0)
            response = await self.page.goto(path)
            here = local(self.page.url)
            status = response.status if response else 0
            if status != 200:
                self.problem(path, f"a link of the portal leads to a {status} page")
            if read:
                await self.look(here)
            forms += await self.crawl_here()
            hrefs = await self.page.eval_on_selector_all(
                "a[href]", "links => links.map(a => a.getAttribute('href'))"
            )
            for href in hrefs:
                target = _walkable(href)
                if target and target not in seen and per_shape[shape(target)] < PAGES_PER_SHAPE:
                    seen.add(target)
                    per_shape[shape(target)] += 1
                    queue.append(target)
        return forms

    async def crawl_here(self) -> list[FormSeen]:
        """The forms of the page the walk is on."""
        here = local(self.page.url)
        found = await self.page.evaluate(_FORMS_JS)
        return [FormSeen(here, f["method"], f["action"], f["via"]) for f in found]

    async def switch_language(self) -> None:
        """Press each language link of the page and back: the same page, in that language."""
        here = local(self.page.url)
        for code in ("fi", "sv", "en", self.language):
            link = self.page.locator(f"a[hreflang='{code}']")
            if code == self.language and not await link.count():
                continue  # already in the walk's language
            async with self.page.expect_navigation() as navigation:
                await link.click()
            response = await navigation.value
            if response is None or response.status != 200 or local(self.page.url) != here:
                self.problem(here, f"the link to {code} lands on {local(self.page.url)}")
            if await self.page.get_attribute("html", "lang") != code:
                self.problem(here, f"the link to {code} does not change the language")

    async def form_on(self, seen: FormSeen) -> Locator | None:
        """The form on a fresh load of the page it was seen on, if it is still there."""
        await self.page.goto(seen.page)
        form = self.page.locator(f"form[action='{seen.action}'][method='{seen.method}']")
        if not await form.count():
            form = self.page.locator(f"form[action='{seen.action}']")
        return form.first if await form.count() else None

    async def plan(self, form: Locator, mode: str) -> list[dict[str, str]]:
        """What a person would do to each field: ``valid`` input, or ``invalid`` (emptied)."""
        planned: list[dict[str, str]] = await form.evaluate(_PLAN_JS, mode)
        return planned

    async def fill_and_press(
        self,
        form: Locator,
        mode: str,
        *,
        planned: list[dict[str, str]] | None = None,
        identity_code: str = "",
        double: bool = False,
        via: str = "",
    ) -> Landing:
        """Fill ``form`` as a person would (``valid`` or ``invalid``), press its button
        (``double``: twice quickly; ``via``: the button with that ``formaction``)."""
        planned = planned if planned is not None else await self.plan(form, mode)
        typed: list[str] = []
        for item in planned:
            field_ = form.locator(f"[name='{item['name']}']")
            if item["kind"] == "select":
                await field_.select_option(item["value"])
            elif item["kind"] == "radio":
                await form.locator(f"[name='{item['name']}'][value='{item['value']}']").check()
            elif item["kind"] == "checkbox":
                box = form.locator(f"[name='{item['name']}'][value='{item['value']}']")
                await (box.check() if item["on"] else box.uncheck())
            elif mode == "invalid":
                await field_.fill("")
            elif item["kind"] == "date":
                item["value"] = (date.today() + timedelta(days=40)).isoformat()
                await field_.fill(item["value"])
            else:
                self._typed += 1
                code = identity_code or (
                    self.someone_else if item["name"] == "identity_code" else ""
                )
                item["value"] = code or self._text(item["name"])
                typed += [] if code else [item["value"]]
                await field_.fill(item["value"])
        own = "button:not([type=button]):not([formaction]), input[type=submit]:not([formaction])"
        button = form.locator(f"[formaction='{via}']" if via else own).first
        self.presses += 1
        documents: list[Response] = []

        def document(response: Response) -> None:
            if response.request.is_navigation_request() and response.frame == self.page.main_frame:
                documents.append(response)

        def loaded_document(response: Response) -> bool:
            return response.request.is_navigation_request() and response.status < 300

        self.page.on("response", document)
        try:
            async with self.page.expect_navigation() as navigation:
                await (button.dblclick() if double else button.click())
            response = await navigation.value
        except PlaywrightError as error:
            if not (double and "ERR_ABORTED" in str(error)):
                first_line = str(error).splitlines()[0]
                return Landing(
                    None, local(self.page.url), typed, planned, f"cannot press: {first_line}"
                )
            # The second click's submission cut the first one's navigation short (as in a
            # browser): where the person lands is the page the last navigation loaded.
            if not any(r.status < 300 for r in documents):
                await self.page.wait_for_event("response", predicate=loaded_document)
            response = next((r for r in reversed(documents) if r.status < 300), None)
            if response is not None:
                # The old page stays "loaded" until the new one commits: wait for the new one.
                landed = response.url
                await self.page.wait_for_url(lambda url: url.split("#")[0] == landed)
            await self.page.wait_for_load_state("load")
        finally:
            self.page.remove_listener("response", document)
        return Landing(response, local(self.page.url), typed, planned)

    async def _get_again(self) -> APIResponse:
        """A GET of the page's address. A connection the server has just closed as idle
        can be reset under the request; a browser sends an idempotent request again on a
        new one, and so does this, once."""
        try:
            return await self.page.request.get(self.page.url, max_redirects=0)
        except PlaywrightError as error:
            if "ECONNRESET" not in str(error):
                raise
            return await self.page.request.get(self.page.url, max_redirects=0)

    def _text(self, name: str) -> str:
        # Neither Finnish, Swedish nor English: it stands out, and no language walk minds it.
        return f"{name[:4]}-{self._typed}-{self.language} ✓"

    async def landed_well(self, where: str, seen: FormSeen, landing: Landing, signed: bool) -> None:
        """A valid press lands on a real page that shows it worked."""
        if landing.failure:
            self.problem(where, landing.failure)
            return
        status = landing.response.status if landing.response else 0
        if status != 200:
            summary = self.page.locator(".error-summary")
            said = await summary.inner_text() if await summary.count() else ""
            self.problem(where, f"lands on a {status} page at {landing.path} {said!r}")
            return
        again = await self._get_again()
        if again.status != 200:
            self.problem(where, f"lands at {landing.path}, which answers {again.status} to a GET")
        if await self.page.locator(".error-summary").count():
            self.problem(where, "lands on a page with an error summary")
        if not await self._confirmed(seen, landing, signed):
            self.problem(where, f"lands at {landing.path} with nothing showing it worked")
        await self.look(f"after {where}")

    async def _confirmed(self, seen: FormSeen, landing: Landing, signed: bool) -> bool:
        if seen.method == "get":
            chosen = {(i["name"], i["value"]) for i in landing.planned if i["kind"] == "select"}
            return chosen <= set(parse_qsl(urlsplit(landing.path).query))
        if await self.signed_in() != signed:
            return True  # signing in or out shows itself: the navigation comes or goes
        if await self.page.locator("main [role=status]").count():
            return True
        main = self.page.locator("main")
        return any([await main.get_by_text(t, exact=False).count() > 0 for t in landing.typed])

    async def signed_in(self) -> bool:
        """Whether the page offers to sign out."""
        return await self.page.locator("form[action='/logout']").count() > 0

    async def refused_well(self, where: str, seen: FormSeen, landing: Landing) -> None:
        """An invalid press stays on the form and says what is wrong, next to the field."""
        if landing.failure:
            self.problem(where, landing.failure)
            return
        status = landing.response.status if landing.response else 0
        if status not in (200, 400):
            self.problem(where, f"lands on a {status} page at {landing.path}")
            return
        page_path, action = urlsplit(seen.page).path, seen.target
        if urlsplit(landing.path).path not in (page_path, action):
            self.problem(where, f"lands at {landing.path}, not on the form")
        form = self.page.locator(f"form[action='{seen.action}']")
        if not await form.count():
            self.problem(where, "lands on a page without the form")
        if not await self.page.locator(".error-summary").count():
            self.problem(where, "no error summary")
        emptied = [i["name"] for i in landing.planned]
        marked = [n for n in emptied if await self.page.locator(f"#{n}-error").count()]
        if not marked:
            self.problem(where, f"no error next to any of the fields left empty {emptied}")
        await self.look(f"after {where}")


async def world_of(client: Client) -> Counter[str]:
    """What the citizen has, counted, as the broker says: a press changes some count."""
    counts: Counter[str] = Counter()
    async for consent in client.list_consents():
        counts[f"consents {consent.state}"] += 1
    async for asked in client.list_consent_requests():
        counts[f"consent requests {asked.state}"] += 1
    async for case in client.list_cases():
        async for thread in client.list_threads(case.id):
            counts["discussion messages"] += thread.last_sequence
    rights = await client.list_representation_rights()
    for right in [*rights.held, *rights.over_me]:
        # Given, accepted, ended: whichever right a press was on, by what it did.
        counts["rights"] += 1
        counts["rights accepted"] += right.accept_time is not None
        counts["rights ended"] += right.end_time is not None
    async for inquiry in client.list_inquiries():
        counts[f"questions {inquiry.status}"] += 1
        counts["question messages"] += len(
            [m async for m in client.list_inquiry_messages(inquiry.id)]
        )
    return counts


async def inquiries_world_of(citizen: Client) -> Counter[str]:
    """What the citizen's questions hold, counted, as the broker tells the citizen: each of
    a clerk's steps shows there, whichever organisation holds the question afterwards."""
    counts: Counter[str] = Counter()
    async for asked in citizen.list_consent_requests():
        counts[f"consent requests {asked.state}"] += 1
    async for inquiry in citizen.list_inquiries():
        counts[f"inquiries {inquiry.status}"] += 1
        counts["inquiry steps"] += len(inquiry.history)
        counts["case links"] += len([s for s in inquiry.history if s.kind == "case_linked"])
        counts["inquiry messages"] += len(
            [m async for m in citizen.list_inquiry_messages(inquiry.id)]
        )
    return counts


def change(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    """What changed between two counts."""
    return {k: after[k] - before[k] for k in before.keys() | after.keys() if after[k] != before[k]}


def sign_out(walk: Walk) -> FormSeen:
    """The sign-out form of the page the walk is on."""
    return FormSeen(local(walk.page.url), "post", "/logout")


async def session_press(walk: Walk, seen: FormSeen, where: str, who: str = "") -> None:
    """Signing in or out: the navigation comes or goes, and nothing is left behind."""
    form = await walk.form_on(seen)
    assert form is not None, f"{where}: the form is not on {seen.page}"
    signed = await walk.signed_in()
    landing = await walk.fill_and_press(form, "valid", identity_code=who, double="twice" in where)
    await walk.landed_well(where, seen, landing, signed)
    if await walk.signed_in() == signed:
        walk.problem(where, "the person is still signed " + ("in" if signed else "out"))


async def walk_signed_in(walk: Walk, world: Callable[[], Awaitable[Counter[str]]]) -> set[str]:
    """Every page of a signed-in person, and every form on them but signing out: the
    kinds of form pressed."""
    found = await walk.crawl()
    await walk.switch_language()
    kinds: dict[str, list[FormSeen]] = {}
    for form in found:
        if form.action not in SESSION_FORMS:
            kinds.setdefault(form.kind, []).append(form)
    walked: set[str] = set()
    while pending := [k for k in kinds if k not in walked]:
        kind = pending[0]
        walked.add(kind)
        await _press_kind(walk, kinds, kind, world)
    return walked


async def press_invalid(
    walk: Walk, seen: FormSeen, world: Callable[[], Awaitable[Counter[str]]]
) -> None:
    """The form with what a person must fill left empty: refused next to the field."""
    form = await walk.form_on(seen)
    if form is None or seen.method != "post":
        return
    planned = await walk.plan(form, "invalid")
    if not any(item["kind"] in ("text", "date", "select") for item in planned):
        return  # nothing a person could leave empty
    before = await world()
    where = f"{seen.kind} on {shape(seen.page)}, left empty"
    landing = await walk.fill_and_press(form, "invalid", planned=planned, via=seen.via)
    await walk.refused_well(where, seen, landing)
    if changed := change(before, await world()):
        walk.problem(where, f"a refused form changed {changed}")


async def _press_kind(
    walk: Walk,
    kinds: dict[str, list[FormSeen]],
    kind: str,
    world: Callable[[], Awaitable[Counter[str]]],
) -> None:
    """Left empty, filled in, then filled in and pressed twice quickly: one effect."""
    instances = kinds[kind]
    await press_invalid(walk, instances[0], world)

    where = f"{kind} on {shape(instances[0].page)}"
    pressed, form = await _fresh(walk, instances, kinds, kind, used=[])
    if form is None or pressed is None:
        walk.problem(where, "the form is gone from every page it was on")
        return
    before = await world()
    landing = await walk.fill_and_press(form, "valid", via=pressed.via)
    await walk.landed_well(where, pressed, landing, signed=True)
    once = change(before, await world())
    if pressed.action in CHOICE_FORMS:
        if once:
            walk.problem(where, f"choosing whom to act for changed {once}")
    elif shape(pressed.target) in DRAFT_BUTTONS:
        if once:
            walk.problem(where, f"helping to write a draft changed {once}")
    elif pressed.method == "post" and not once:
        walk.problem(where, "pressing it changed nothing the broker keeps")
    # The page it landed on may offer forms of a kind not walked yet (a new question's reply).
    for seen in await walk.crawl_here():
        if seen.action not in SESSION_FORMS:
            kinds.setdefault(seen.kind, []).append(seen)

    again, form = await _fresh(walk, instances, kinds, kind, used=[pressed])
    if form is None or again is None:
        return  # done once, it cannot be done again (a reopened question): no double to press
    before = await world()
    landing = await walk.fill_and_press(form, "valid", double=True, via=again.via)
    await walk.landed_well(f"{where}, twice quickly", again, landing, signed=True)
    twice = change(before, await world())
    if twice != once:
        walk.problem(f"{where}, twice quickly", f"changed {twice}; pressed once, {once}")


async def _fresh(
    walk: Walk,
    instances: list[FormSeen],
    kinds: dict[str, list[FormSeen]],
    kind: str,
    used: list[FormSeen],
) -> tuple[FormSeen | None, Locator | None]:
    """A form of ``kind`` a person can still press: one not pressed yet, else the one
    pressed if its page still offers it, else one found by walking the links again."""
    for seen in [*(i for i in instances if i not in used), *used]:
        form = await walk.form_on(seen)
        if form is not None:
            return seen, form
    for seen in await walk.crawl(read=False):
        if seen.kind == kind and seen not in used:
            instances.append(seen)
            return seen, await walk.form_on(seen)
    return None, None
