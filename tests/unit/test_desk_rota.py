"""The on-duty rota: a weekly pattern and dated exceptions, in Helsinki time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


def test_the_next_shifts_begin_with_the_one_in_progress_and_follow_dated_exceptions():
    rota = parse_rota(ROTA)
    # Monday 2026-12-07 at 11:00: the dated shift (10-14) replaces Monday's pattern, and
    # Tuesday 2026-12-08 is closed, so next is Monday 2026-12-14's pattern.
    upcoming = rota.upcoming(_helsinki("2026-12-07T11:00"))
    assert [(d.org_id, d.start.isoformat(), d.end.isoformat()) for d in upcoming] == [
        ("suonenjoki", "2026-12-07T10:00:00+02:00", "2026-12-07T14:00:00+02:00"),
        ("kuopio", "2026-12-14T08:00:00+02:00", "2026-12-14T12:00:00+02:00"),
        ("iisalmi", "2026-12-14T12:00:00+02:00", "2026-12-14T16:00:00+02:00"),
    ]
    assert rota.on_duty(_helsinki("2026-12-07T11:00")) == upcoming[0].org_id


def test_a_shift_runs_by_helsinki_clocks_across_the_change_to_summer_time():
    rota = parse_rota("sun 00:00-24:00 kuopio\n")
    # Summer time begins on Sunday 2027-03-28 at 03:00: that day has 23 hours.
    [sunday, *_] = rota.upcoming(datetime(2027, 3, 27, 12, tzinfo=UTC))
    assert (sunday.start.isoformat(), sunday.end.isoformat()) == (
        "2027-03-28T00:00:00+02:00",
        "2027-03-29T00:00:00+03:00",
    )
    assert sunday.end.astimezone(UTC) - sunday.start.astimezone(UTC) == timedelta(hours=23)


def test_at_most_eight_shifts_are_told_and_none_of_a_rota_naming_nobody():
    every_hour = "".join(f"mon {h:02d}:00-{h + 1:02d}:00 kuopio\n" for h in range(20))
    assert len(parse_rota(every_hour).upcoming(_helsinki("2026-11-30T02:30"))) == 8
    assert parse_rota("mon closed\n").upcoming(_helsinki("2026-11-30T02:30")) == ()
