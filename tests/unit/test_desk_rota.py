"""The on-duty rota: a weekly pattern and dated exceptions, in Helsinki time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from luukku.domain.desks.desks import parse_rota
from luukku.domain.errors import LuukkuError

ROTA = """
# Rural services advice, North Savo
mon 08:00-12:00 kuopio
mon 12:00-16:00 iisalmi
tue 08:00-16:00 suonenjoki   # all day
2026-12-07 10:00-14:00 suonenjoki
2026-12-08 closed
"""


def _helsinki(text: str) -> datetime:
    """A UTC instant given as Helsinki wall-clock time in winter (UTC+2)."""
    local = datetime.fromisoformat(text)
    return datetime(local.year, local.month, local.day, local.hour - 2, local.minute, tzinfo=UTC)


def test_the_weekly_pattern_names_who_is_on_duty_in_helsinki_time():
    rota = parse_rota(ROTA)
    assert rota.on_duty(_helsinki("2026-11-30T08:00")) == "kuopio"  # a Monday
    assert rota.on_duty(_helsinki("2026-11-30T11:59")) == "kuopio"
    assert rota.on_duty(_helsinki("2026-11-30T12:00")) == "iisalmi"
    assert rota.on_duty(_helsinki("2026-11-30T16:00")) is None
    assert rota.on_duty(_helsinki("2026-12-01T09:00")) == "suonenjoki"
    assert rota.on_duty(_helsinki("2026-12-02T09:00")) is None  # Wednesday: nobody


def test_a_dated_exception_replaces_the_whole_days_pattern():
    rota = parse_rota(ROTA)
    assert rota.on_duty(_helsinki("2026-12-07T09:00")) is None  # Monday, but not the usual
    assert rota.on_duty(_helsinki("2026-12-07T10:30")) == "suonenjoki"
    assert rota.on_duty(_helsinki("2026-12-08T09:00")) is None  # a holiday: closed


def test_summer_time_is_followed():
    rota = parse_rota("mon 08:00-09:00 kuopio\n")
    # 2026-06-01 is a Monday; Helsinki is UTC+3 in summer.
    assert rota.on_duty(datetime(2026, 6, 1, 5, 30, tzinfo=UTC)) == "kuopio"
    assert rota.on_duty(datetime(2026, 6, 1, 6, 30, tzinfo=UTC)) is None


def test_the_file_format_reads_back_what_it_writes():
    rota = parse_rota(ROTA)
    assert parse_rota(rota.text()) == rota
    assert rota.members() == {"kuopio", "iisalmi", "suonenjoki"}


@pytest.mark.parametrize(
    "line",
    [
        "funday 08:00-12:00 kuopio",
        "mon 8-12 kuopio",
        "mon 12:00-08:00 kuopio",
        "mon 08:00-25:00 kuopio",
        "mon 08:00-12:60 kuopio",
        "mon 08:00-12:00",
        "mon 08:00-12:00 Not_An_Org",
        "2026-02-30 closed",
    ],
)
def test_a_bad_line_is_refused_with_its_number(line: str):
    with pytest.raises(LuukkuError) as refused:
        parse_rota(f"# header\n{line}\n")
    assert refused.value.reason in {"INVALID_ROTA", "INVALID_ORG_ID"}
    assert "rota line 2" in refused.value.message
