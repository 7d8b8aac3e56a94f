"""``luukku representation import``: a population-register extract of 100,000 rows, both engines."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from luukku.cli import main as cli
from luukku.domain.representation.rights import FINNISH_TIME, Kind, MandateCode, Source
from luukku.store.opening import open_store
from luukku.verify.identity_code import make_identity_code

ROWS = 100_000


def _code(born: date, n: int) -> str:
    return make_identity_code(born, 2 + n % 898)


def _extract(path: Path, children: int) -> list[tuple[str, str, str]]:
    """Two guardians per child: ``2 * children`` rows, every person distinct."""
    rows = []
    for n in range(children):
        child_born = date(2010, 1, 1) + timedelta(days=n // 898)
        mother_born = date(1975, 1, 1) + timedelta(days=n // 898)
        father_born = date(1950, 1, 1) + timedelta(days=n // 898)
        child = _code(child_born, n)
        start = child_born.isoformat()
        rows.append((_code(mother_born, n), child, start))
        rows.append((_code(father_born, n), child, start))
    lines = ["guardian_identity_code,child_identity_code,start_date"]
    lines += [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows


@pytest.mark.slow
def test_an_extract_of_100000_guardianships_imports_once_and_reads_back(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "guardians.csv"
    rows = _extract(extract, ROWS // 2)
    started = time.monotonic()
    assert cli(["representation", "import", str(extract), "--database", database_url]) == 0
    took = time.monotonic() - started
    out = capsys.readouterr().out
    assert f"imported {ROWS} guardianships (0 already on record, {ROWS + ROWS // 2} new" in out
    assert not any(code in out for row in rows[:1000] for code in row[:2])
    with capsys.disabled():
        print(f"\n{database_url.split(':')[0]}: imported {ROWS} guardianships in {took:.1f} s")

    store = open_store(database_url)
    try:
        guardian_code, child_code, start = rows[-1]
        with store.read() as tx:
            guardian = tx.citizens.find(guardian_code)
            child = tx.citizens.find(child_code)
            assert guardian is not None
            assert child is not None
            (right,) = tx.representation.between(guardian, child)
            assert len(tx.representation.involving(child)) == 2
    finally:
        store.dispose()
    assert right.kind is Kind.GUARDIAN_OF_MINOR
    assert right.source is Source.POPULATION_REGISTER
    assert right.codes == frozenset(MandateCode)
    assert right.valid_from.astimezone(FINNISH_TIME).date().isoformat() == start
    assert right.represented_birth_date == date.fromisoformat(start)
    assert right.ends is not None
    assert right.ends.astimezone(FINNISH_TIME).year == right.represented_birth_date.year + 18


def test_the_same_extract_imported_again_adds_nothing(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "guardians.csv"
    rows = _extract(extract, 1000)
    assert cli(["representation", "import", str(extract), "--database", database_url]) == 0
    capsys.readouterr()
    assert cli(["representation", "import", str(extract), "--database", database_url]) == 0
    again = capsys.readouterr().out
    assert "imported 0 guardianships (2000 already on record, 0 new citizens)" in again
    assert not any(code in again for row in rows for code in row[:2])


def test_a_bad_row_refuses_the_whole_extract_naming_the_line_but_not_the_code(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "guardians.csv"
    child = make_identity_code(date(2015, 6, 1), 101)
    adult = make_identity_code(date(1985, 6, 1), 202)
    of_age = make_identity_code(date(2000, 6, 1), 303)
    broken = adult[:-1] + ("X" if adult[-1] != "X" else "Y")
    extract.write_text(
        "guardian_identity_code,child_identity_code,start_date\n"
        f"{adult},{child},2015-06-01\n"
        f"{broken},{child},2015-06-01\n"
        f"{adult},{of_age},2019-01-01\n"
        f"{adult},{child},2015-13-01\n"
        f"{adult},{child}\n",
        encoding="utf-8",
    )
    assert cli(["representation", "import", str(extract), "--database", database_url]) == 1
    err = capsys.readouterr().err
    assert "4 bad rows, nothing imported" in err
    assert "line 3: the guardian's identity code is not valid (CHECK_CHARACTER)" in err
    assert "line 4: the child is of age on the start date" in err
    assert "line 5: the start date is not YYYY-MM-DD" in err
    assert "line 6: 2 fields, not 3" in err
    assert not any(code in err for code in (child, adult, of_age, broken))
    store = open_store(database_url)
    try:
        with store.read() as tx:
            assert tx.citizens.find(adult) is None
    finally:
        store.dispose()


def test_an_extract_without_the_header_is_refused(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "guardians.csv"
    extract.write_text("guardian,child,start\n", encoding="utf-8")
    assert cli(["representation", "import", str(extract), "--database", database_url]) == 1
    assert "line 1: the header must be" in capsys.readouterr().err
