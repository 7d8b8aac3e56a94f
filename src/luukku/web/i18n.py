"""Languages: Finnish (default), Swedish and English from gettext catalogues.

The ``.po`` files under ``locale/`` are the source; they are compiled in
memory at start-up, so no binary ``.mo`` is committed. The current request's
language lives in a context variable that the template callables read.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from luukku.client import DeskTopic

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
HELSINKI = ZoneInfo("Europe/Helsinki")
LOCALE_DIR = Path(__file__).parent / "locale"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English is the source text itself)."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_(message: str) -> str:
    """``message`` in the current request's language."""
    return translations(current_language.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current request's language."""
    return translations(current_language.get()).ngettext(singular, plural, n)


def negotiate(accept_language: str) -> str:
    """The best of our languages for an ``Accept-Language`` header, else Finnish."""
    wanted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        wanted.append((quality, tag.strip().lower()))
    for _, tag in sorted(wanted, key=lambda w: -w[0]):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def when(moment: datetime, *, length: str = "medium") -> str:
    """Date and time in the current language, in Helsinki time."""
    return format_datetime(moment.astimezone(HELSINKI), length, tzinfo=HELSINKI, locale=_locale())


def clock(moment: datetime) -> str:
    """The time of day in the current language, in Helsinki time."""
    return format_time(moment.astimezone(HELSINKI), "short", tzinfo=HELSINKI, locale=_locale())


def day(moment: datetime) -> str:
    """A date in the current language, in Helsinki time."""
    return format_date(moment.astimezone(HELSINKI), "medium", locale=_locale())


def end_of_day(last_day: date) -> datetime:
    """The instant a period whose last day is ``last_day`` ends: the start of the next
    Helsinki day (what the broker stores as a consent's ``valid_until``).
    """
    return datetime.combine(last_day + timedelta(days=1), time(), HELSINKI)


def last_day(end: datetime) -> str:
    """The last day of a period ending at ``end``, in the current language: the day the
    citizen chose, not the next day's midnight the broker keeps (access ends at its end).
    """
    return day(end - timedelta(microseconds=1))


def topic_name(topic: DeskTopic) -> str:
    """A desk's topic by its name in the current language (its id until it is named)."""
    return topic.name(current_language.get())


def _locale() -> Locale:
    return Locale.parse(current_language.get())
