"""Months of the audit log and the archive file's format, without a database."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from audit_months import nurse_read

from luukku.audit import archive_file
from luukku.audit.archive_file import ArchivedEvent, ArchiveFormatError, ArchiveHeader
from luukku.audit.events import Outcome
from luukku.store.audit.partitions import Month


def test_a_month_is_the_utc_month_an_instant_falls_in():
    helsinki = timezone(timedelta(hours=2))
    assert Month.of(datetime(2027, 1, 1, 1, 30, tzinfo=helsinki)) == Month(2026, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 12).partition() == "audit_events_2026_12"
    assert Month(2026, 12).next().start() == datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-01", "2026-01-01", ""])
def test_a_month_is_written_yyyy_mm(text):
    with pytest.raises(ValueError, match="is not a month"):
        Month.parse(text)


def _archived(seq: int) -> ArchivedEvent:
    event = replace(
        nurse_read(Month(2026, 9), 1, "c" * 32),
        time=datetime(2026, 9, 1, 9, 0, 0, 123456, tzinfo=UTC),
        practitioner_name="Niko Äijälä",  # not ASCII: the file keeps it as written
        outcome=Outcome.DENIED,
        reason="CONSENT_REQUIRED",
        request_id=f"r-{seq}",
        citizen_token_hash="ef" * 32,
    )
    return ArchivedEvent(seq, event, "00" * 32)


def test_an_archive_file_gives_back_every_event_as_written(tmp_path):
    path = tmp_path / archive_file.file_name("2026-09")
    header = ArchiveHeader("2026-09", 3, 4, 6, "a note\n")
    events = [_archived(seq) for seq in (4, 5, 6)]

    assert archive_file.write(path, header, events) == 3

    read_header, read_events = archive_file.read(path)
    assert read_header == header
    assert list(read_events) == events
    assert archive_file.read_header(path) == header
    assert [p.name for p in tmp_path.iterdir()] == ["audit-events-2026-09.jsonl.gz"]


def test_an_archive_file_is_never_overwritten(tmp_path):
    path = tmp_path / archive_file.file_name("2026-09")
    path.write_bytes(b"kept")

    with pytest.raises(FileExistsError):
        archive_file.write(path, ArchiveHeader("2026-09", 0, 0, 0, ""), [])

    assert path.read_bytes() == b"kept"


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "other.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write('{"format": "something-else"}\n')

    with pytest.raises(ArchiveFormatError, match="not a luukku-audit-archive/1 file"):
        archive_file.read_header(path)


def test_a_cut_short_archive_file_is_damaged(tmp_path):
    path = tmp_path / archive_file.file_name("2026-09")
    archive_file.write(path, ArchiveHeader("2026-09", 2, 1, 2, ""), [_archived(1), _archived(2)])
    path.write_bytes(path.read_bytes()[:-30])

    _, events = archive_file.read(path)
    with pytest.raises(ArchiveFormatError, match="damaged"):
        list(events)
