"""Tampering with a real database file, as someone who can write to it (triggers dropped).

Each case rewrites the log the way an attacker would and runs ``luukku audit
verify`` as a process: it must fail with one line naming what it found, and
pass only on the intact log. The attacker never holds the log's signing key.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from luukku.audit import tree
from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent, Outcome
from luukku.domain.pseudonyms import CitizenKeys
from luukku.pki import PkiPaths, init_pki
from luukku.service.audit.proofs import sign_checkpoint
from luukku.store.opening import open_store

EVENTS = 30
CHECKPOINTS = (10, 20, 30)
COLUMNS = (
    "event_id, time, org_id, fingerprint, practitioner_id, practitioner_name, "
    "practitioner_role, acting_for_citizen_id, action, resource, subject_citizen_id, "
    "outcome, reason, consent_id, request_id, leaf_version"
)


def _event(n: int) -> AuditEvent:
    return AuditEvent(
        event_id=f"{n:032x}",
        time=datetime(2026, 11, 25, tzinfo=UTC) + timedelta(seconds=n),
        org_id="hoiva-oy" if n % 3 == 0 else "sote-kunta",
        fingerprint="ab" * 32,
        practitioner_id="p1",
        practitioner_name="Pia",
        practitioner_role="nurse",
        acting_for_citizen_id=None,
        action="case.read",
        resource=f"cases/{n:032x}",
        subject_citizen_id="c" * 32,
        outcome=Outcome.DENIED if n % 3 == 0 else Outcome.ALLOWED,
        reason="CONSENT_REQUIRED" if n % 3 == 0 else "OWNER",
        consent_id=None,
        request_id=f"r{n}",
    )


@pytest.fixture
def log(tmp_path: Path) -> tuple[Path, PkiPaths]:
    """A database file of 30 events, checkpoints signed at 10, 20 and 30."""
    pki = init_pki(tmp_path / "pki")
    signer = LogSigner.load(pki.log_key)
    db = tmp_path / "luukku.db"
    store = open_store(f"sqlite:///{db}")
    for n in range(1, EVENTS + 1):
        with store.transaction() as tx:
            tx.audit.append(_event(n))
        if n in CHECKPOINTS:
            sign_checkpoint(store, signer, datetime.now(UTC))
    store.dispose()
    with sqlite3.connect(db) as conn:
        for table in ("audit_events", "audit_tree", "audit_checkpoints"):
            for verb in ("update", "delete"):
                conn.execute(f"DROP TRIGGER {table}_no_{verb}")
    return db, pki


def _verify(log: tuple[Path, PkiPaths], *extra: str) -> subprocess.CompletedProcess[str]:
    db, pki = log
    command = [sys.executable, "-m", "luukku.cli", "audit", "verify"]
    return subprocess.run(
        [*command, "--database", f"sqlite:///{db}", "--pki", str(pki.root), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _caught(log: tuple[Path, PkiPaths], *extra: str) -> str:
    result = _verify(log, *extra)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("luukku: audit log NOT intact: ")
    return lines[0]


def _rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT seq, {COLUMNS} FROM audit_events ORDER BY seq").fetchall()


def _rewrite(conn: sqlite3.Connection, rows: list[tuple[object, ...]], rehash: bool) -> None:
    """Store ``rows`` (seq first) as the whole log; with ``rehash``, valid leaves and tree too."""
    conn.execute("DELETE FROM audit_events")
    placeholders = ", ".join("?" * 18)
    for seq, *fields in rows:
        leaf = _leaf(conn, int(seq), fields) if rehash else "00" * 32  # type: ignore[call-overload]
        conn.execute(
            f"INSERT INTO audit_events (seq, {COLUMNS}, leaf_hash) VALUES ({placeholders})",
            (seq, *fields, leaf),
        )
    if rehash:
        _rebuild_tree(conn)


def _leaf(conn: sqlite3.Connection, seq: int, fields: list[object]) -> str:
    names = [c.strip() for c in COLUMNS.split(",")]
    values = dict(zip(names, fields, strict=True))
    values["time"] = datetime.fromisoformat(str(values["time"])).replace(tzinfo=UTC)
    values["outcome"] = Outcome(values["outcome"])
    # Whoever rewrites the database holds the secret the leaves' commitments are keyed with.
    (secret,) = conn.execute("SELECT secret FROM broker_secrets").fetchone()
    keys = CitizenKeys(bytes(secret))
    return AuditEvent(**values).leaf_hash(seq, keys).hex()  # type: ignore[arg-type]


def _rebuild_tree(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_tree")
    nodes: dict[tree.Node, bytes] = {}
    leaves = conn.execute("SELECT leaf_hash FROM audit_events ORDER BY seq").fetchall()
    for index, (leaf,) in enumerate(leaves):
        siblings = {node: nodes[node] for node in tree.completed_by(index)}
        nodes.update(tree.appended(index, bytes.fromhex(leaf), siblings))
    conn.executemany(
        "INSERT INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)",
        [(level, idx, h) for (level, idx), h in nodes.items()],
    )


def _tamper(log: tuple[Path, PkiPaths], change: Callable[[sqlite3.Connection], None]) -> None:
    with sqlite3.connect(log[0]) as conn:
        change(conn)


def test_the_intact_log_verifies(log):
    result = _verify(log)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("30 audit events verified against the signed checkpoint of 30")


def test_an_edited_field_with_its_leaf_hash_recomputed_is_caught(log):
    def edit(conn: sqlite3.Connection) -> None:
        rows = _rows(conn)
        seq, *fields = rows[5]
        fields[2] = "someone-else"
        rows[5] = (seq, *fields)
        _rewrite(conn, rows, rehash=True)

    _tamper(log, edit)
    assert "do not match the root signed" in _caught(log)


def test_an_edited_field_is_pinpointed(log):
    _tamper(log, lambda c: c.execute("UPDATE audit_events SET org_id = 'x' WHERE seq = 7"))
    assert _caught(log).endswith("audit event 7 does not match its leaf hash")


@pytest.mark.parametrize("seq", [1, 15], ids=["first", "middle"])
def test_a_deleted_event_is_caught(log, seq):
    _tamper(log, lambda c: c.execute("DELETE FROM audit_events WHERE seq = ?", (seq,)))
    assert _caught(log).endswith(f"audit event {seq} is missing (the next is {seq + 1})")


@pytest.mark.parametrize("count", [1, 10], ids=["last", "last-ten"])
def test_deleting_the_newest_events_is_caught_as_truncation(log, count):
    def cut(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM audit_events WHERE seq > ?", (EVENTS - count,))
        _rebuild_tree(conn)

    _tamper(log, cut)
    line = _caught(log)
    assert f"has {EVENTS - count} events but a checkpoint of {EVENTS} was signed" in line
    assert "truncated" in line


def test_deleting_one_organisations_events_is_caught(log):
    _tamper(log, lambda c: c.execute("DELETE FROM audit_events WHERE org_id = 'hoiva-oy'"))
    assert _caught(log).endswith("audit event 3 is missing (the next is 4)")


def test_two_swapped_events_are_caught(log):
    def swap(conn: sqlite3.Connection) -> None:
        rows = _rows(conn)
        rows[4], rows[9] = (rows[4][0], *rows[9][1:]), (rows[9][0], *rows[4][1:])
        _rewrite(conn, rows, rehash=True)

    _tamper(log, swap)
    assert "do not match the root signed" in _caught(log)


def test_a_reversed_log_is_caught(log):
    def reverse(conn: sqlite3.Connection) -> None:
        rows = _rows(conn)
        contents = [row[1:] for row in reversed(rows)]
        _rewrite(conn, [(row[0], *c) for row, c in zip(rows, contents, strict=True)], True)

    _tamper(log, reverse)
    assert "do not match the root signed" in _caught(log)


def test_a_forged_event_appended_with_a_valid_leaf_and_tree_is_caught(log):
    def forge(conn: sqlite3.Connection) -> None:
        rows = _rows(conn)
        forged = ("f" * 32, *rows[0][2:-2], "forged", rows[0][-1])  # request id, leaf format
        rows.append((EVENTS + 1, *forged))
        _rewrite(conn, rows, rehash=True)

    _tamper(log, forge)
    assert "1 events after the last signed checkpoint (30) are not signed" in _caught(log)


def test_an_emptied_log_is_caught(log):
    def empty(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM audit_events")
        conn.execute("DELETE FROM audit_tree")

    _tamper(log, empty)
    assert "has 0 events but a checkpoint of 30 was signed" in _caught(log)


def test_a_whole_log_rewritten_with_checkpoints_signed_by_another_key_is_caught(log):
    forger = LogSigner.generate()

    def rewrite(conn: sqlite3.Connection) -> None:
        rows = [r for r in _rows(conn) if r[3] != "hoiva-oy"]
        _rewrite(conn, [(n, *r[1:]) for n, r in enumerate(rows, 1)], rehash=True)
        conn.execute("DELETE FROM audit_checkpoints")
        nodes = dict(
            ((level, idx), bytes(h))
            for level, idx, h in conn.execute("SELECT level, idx, hash FROM audit_tree")
        )
        root = tree.root(len(rows), lambda wanted: {n: nodes[n] for n in wanted})
        conn.execute(
            "INSERT INTO audit_checkpoints VALUES (?, ?, ?, ?)",
            (len(rows), root, forger.checkpoint(len(rows), root), "2026-11-25 00:00:00.000000"),
        )

    _tamper(log, rewrite)
    assert "does not verify: the checkpoint carries no signature by" in _caught(log)


def test_a_truncation_with_the_later_checkpoints_removed_is_caught_against_a_saved_one(
    log, tmp_path
):
    saved = tmp_path / "witness.checkpoint"
    with sqlite3.connect(log[0]) as conn:
        saved.write_text(
            conn.execute("SELECT note FROM audit_checkpoints WHERE tree_size = 30").fetchone()[0]
        )

    def cut(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM audit_events WHERE seq > 20")
        conn.execute("DELETE FROM audit_checkpoints WHERE tree_size > 20")
        _rebuild_tree(conn)

    _tamper(log, cut)
    assert _verify(log).returncode == 0  # consistent in itself: only the saved copy tells
    line = _caught(log, "--against", str(saved))
    assert "has 20 events but a checkpoint of 30 was signed" in line
