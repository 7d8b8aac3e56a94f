"""The web apps' Finnish and Swedish catalogues: current, complete, well-formed, compilable.

One catalogue (``src/luukku/web/locale``) serves the shared web layer, the
portal and the workspace. English is the source language (the msgids). ``make
messages`` extracts the strings of all three into ``web/locale/messages.pot``
and merges them into the ``fi`` and ``sv`` catalogues; a translator then fills
in what is new.
"""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from luukku.web import i18n

LOCALE = Path(i18n.__file__).parent / "locale"
SOURCES = Path(i18n.__file__).parent.parent  # src/luukku: web/, portal/ and workspace/
TEMPLATE = LOCALE / "messages.pot"
TRANSLATED = ("fi", "sv")
# The same extraction as `make messages` (run from src/luukku).
EXTRACT = (
    "-F web/babel.cfg -k N_ -k gettext_ -k ngettext_:1,2 --no-location --sort-output --omit-header"
)
RUN_MAKE = "run `make messages` and translate the new strings in web/locale/fi and sv"

# A %-conversion as Python formats it: %(name)s, %d, %%, ...
_CONVERSION = re.compile(
    r"%(?:\((?P<name>\w+)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)

MsgId = str | tuple[str, ...]


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _catalog(language: str) -> Catalog:
    return _read(LOCALE / language / "LC_MESSAGES" / "messages.po", language)


def _messages(catalog: Catalog) -> dict[MsgId, Message]:
    return {m.id: m for m in catalog if m.id}


def _describe(ids: set[MsgId]) -> str:
    return "; ".join(repr(i) for i in sorted(ids, key=str))


def _placeholders(text: str) -> tuple[set[str], int]:
    """The conversions in ``text``, and how many ``%`` are not part of one."""
    found = {m.group(0) for m in _CONVERSION.finditer(text)}
    stray = _CONVERSION.sub("", text).count("%")
    return found, stray


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(TEMPLATE)


@pytest.fixture(scope="module", params=TRANSLATED)
def language(request: pytest.FixtureRequest) -> str:
    language: str = request.param
    return language


def test_the_committed_template_is_what_extraction_gives_now(
    tmp_path: Path, template: Catalog
) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            *EXTRACT.split(),
            "-o",
            fresh,
            ".",
        ],
        cwd=SOURCES,
        check=True,
        capture_output=True,
    )
    extracted = set(_messages(_read(fresh)))
    committed = set(_messages(template))
    assert extracted == committed, (
        f"locale/messages.pot is stale: {RUN_MAKE}. "
        f"Not in it yet: {_describe(extracted - committed) or '-'}. "
        f"No longer in the source: {_describe(committed - extracted) or '-'}."
    )


def test_each_catalogue_has_exactly_the_template_strings(template: Catalog, language: str) -> None:
    wanted = set(_messages(template))
    present = set(_messages(_catalog(language)))
    assert present == wanted, (
        f"locale/{language} is not up to date with messages.pot: {RUN_MAKE}. "
        f"Missing: {_describe(wanted - present) or '-'}. "
        f"Left over: {_describe(present - wanted) or '-'}."
    )


def test_each_catalogue_declares_its_language_and_plural_forms(language: str) -> None:
    path = LOCALE / language / "LC_MESSAGES" / "messages.po"
    header = dict(re.findall(r'^"([\w-]+): (.*)\\n"$', path.read_text(), flags=re.MULTILINE))
    assert header.get("Language") == language
    assert header.get("Plural-Forms") == Catalog(locale=language).plural_forms
    assert not _catalog(language).fuzzy, f"the header of locale/{language} is marked fuzzy"


def test_every_string_is_translated_with_all_plural_forms(template: Catalog, language: str) -> None:
    catalog = _catalog(language)
    problems = []
    for msgid in _messages(template):
        message = catalog.get(msgid)
        if message is None:
            continue  # reported by the test above
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if isinstance(msgid, tuple):
            forms = message.string if isinstance(message.string, tuple) else ()
            if len(forms) != catalog.num_plurals or not all(forms):
                problems.append(f"needs {catalog.num_plurals} plural forms: {msgid!r}")
        elif not isinstance(message.string, str) or not message.string.strip():
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, f"locale/{language}/LC_MESSAGES/messages.po:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_of_the_source(language: str) -> None:
    catalog = _catalog(language)
    plural_of = gettext.c2py(catalog.plural_expr)
    problems = []
    for msgid, message in _messages(catalog).items():
        if isinstance(msgid, tuple):
            singular, plural = msgid
            for index, text in enumerate(message.string):
                if not text:
                    continue  # reported as untranslated
                numbers = {n for n in range(200) if plural_of(n) == index}
                source = singular if numbers == {1} else plural
                got, stray = _placeholders(text)
                want, _ = _placeholders(source)
                differ = got ^ want
                if numbers == {1}:  # "once" may leave the count out, "1 time" may keep it
                    differ = {p for p in differ if not p.startswith("%(num)")}
                if differ or stray:
                    problems.append(f"form {index} of {msgid!r}: {text!r}")
        elif isinstance(message.string, str) and message.string:
            got, stray = _placeholders(message.string)
            want, _ = _placeholders(msgid)
            if got != want or stray:
                problems.append(f"{msgid!r}: {message.string!r}")
    assert not problems, (
        f"locale/{language}: a translation must have the same %-placeholders as its msgid "
        "(and a literal per cent sign only as %%):\n" + "\n".join(problems)
    )


def test_each_catalogue_compiles_and_the_portal_uses_it(language: str) -> None:
    catalog = _catalog(language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    plural_of = gettext.c2py(catalog.plural_expr)
    for message in _messages(catalog).values():
        if isinstance(message.id, tuple):
            if all(message.string):
                for n in (1, 2, 5):
                    got = translations.ngettext(message.id[0], message.id[1], n)
                    assert got == message.string[plural_of(n)]
        elif message.string:
            assert translations.gettext(message.id) == message.string


def test_the_portal_speaks_finnish_and_swedish() -> None:
    assert i18n.translations("fi").gettext("Sign in") == "Kirjaudu sisään"
    assert i18n.translations("sv").gettext("Sign in") == "Logga in"
    fi = i18n.translations("fi")
    assert fi.ngettext("%(num)d unread", "%(num)d unread", 1) == "%(num)d lukematon"
    assert fi.ngettext("%(num)d unread", "%(num)d unread", 3) == "%(num)d lukematonta"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"
