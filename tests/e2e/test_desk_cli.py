"""``luukku desk``: the operator creates a desk, its members and its rota from a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import luukku, ok

from luukku.domain.organizations import OrgKind
from luukku.service.desks import admin as desks

ROTA = """\
# Rural services advice, North Savo (Helsinki time)
mon 08:00-12:00 kuopio
mon 12:00-16:00 iisalmi
tue 08:00-16:00 suonenjoki
2026-12-24 closed   # Christmas Eve
"""


@pytest.mark.slow
def test_an_operator_builds_a_desk_with_members_and_a_rota(
    tmp_path: Path, database_url: str, register_org, store
):
    for org in ("kuopio", "iisalmi", "suonenjoki"):
        register_org(org, OrgKind.PUBLIC)
    db = ("--database", database_url)
    rota = tmp_path / "rota.txt"
    rota.write_text(ROTA)

    ok(luukku(tmp_path, "desk", "add", "rural-advice", "--name", "Rural services advice",
              "--topic", "farm-subsidies", "--topic", "forestry", "--overflow-minutes", "10",
              *db))  # fmt: skip
    for org in ("kuopio", "iisalmi", "suonenjoki"):
        ok(luukku(tmp_path, "desk", "member", "add", "rural-advice", org, *db))
    set_rota = ok(luukku(tmp_path, "desk", "rota", "set", "rural-advice", rota, *db))
    names = ("--fi", "Metsätalous", "--sv", "Skogsbruk", "--en", "Forestry")
    named = ok(luukku(tmp_path, "desk", "topic", "set", "rural-advice", "forestry", *names, *db))
    listed = ok(luukku(tmp_path, "desk", "list", *db))
    stats = ok(luukku(tmp_path, "desk", "stats", *db))

    assert "rota of rural-advice set: 4 shifts" in set_rota.stdout
    assert "rural-advice\tRural services advice" in listed.stdout
    assert "members: iisalmi kuopio suonenjoki" in listed.stdout
    assert "topic forestry of rural-advice named (2 topics)" in named.stdout
    assert "topic forestry: Metsätalous / Skogsbruk / Forestry" in listed.stdout
    assert "topic farm-subsidies: not named (luukku desk topic set)" in listed.stdout
    assert stats.stdout.splitlines()[1] == "rural-advice\t0\t0\t0\t0\t-\t-"
    desk = desks.get_desk(store, "rural-advice")
    assert desk.rota.text() == "".join(
        line.split("#")[0].strip() + "\n" for line in ROTA.splitlines()[1:]
    )
    assert desk.overflow.total_seconds() == 600


@pytest.mark.slow
def test_a_rota_naming_a_non_member_or_a_bad_line_is_refused_in_one_line(
    tmp_path: Path, database_url: str, register_org
):
    register_org("kuopio", OrgKind.PUBLIC)
    register_org("iisalmi", OrgKind.PUBLIC)
    db = ("--database", database_url)
    ok(luukku(tmp_path, "desk", "add", "advice", "--name", "Advice", "--topic", "x", *db))
    ok(luukku(tmp_path, "desk", "member", "add", "advice", "kuopio", *db))
    stranger = tmp_path / "stranger.txt"
    stranger.write_text("mon 08:00-16:00 iisalmi\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("mon 08:00-16:00 kuopio\nmonday 8-16 kuopio\n")

    refused = luukku(tmp_path, "desk", "rota", "set", "advice", stranger, *db)
    assert refused.returncode == 1
    assert refused.stderr == (
        "luukku: rota: not members of the desk: iisalmi (ROTA_NAMES_NON_MEMBER)\n"
    )
    refused = luukku(tmp_path, "desk", "rota", "set", "advice", bad, *db)
    assert refused.returncode == 1
    assert "rota line 2" in refused.stderr
    assert "(INVALID_ROTA)" in refused.stderr

    ok(luukku(tmp_path, "desk", "member", "add", "advice", "iisalmi", *db))
    ok(luukku(tmp_path, "desk", "rota", "set", "advice", stranger, *db))
    refused = luukku(tmp_path, "desk", "member", "remove", "advice", "iisalmi", *db)
    assert "(MEMBER_ON_ROTA)" in refused.stderr
