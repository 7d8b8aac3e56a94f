"""The luukku command answers every mistake with one clear line, never a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from luukku.pki import PkiPaths, init_pki, issue_client_cert

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"


def luukku(
    cwd: Path, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with none of this shell's LUUKKU_ variables, only those in ``env``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "luukku.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line_failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("luukku:"), result.stderr
    return lines[0]


@pytest.fixture
def pki(tmp_path: Path) -> PkiPaths:
    paths = init_pki(tmp_path / "pki")
    issue_client_cert(paths.root, "hoiva-oy")
    return paths


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--listen", "127.0.0.1:99999"),
        ("--listen", "notaport"),
        ("--listen", "127.0.0.1:-1"),
        ("--metrics", "garbage"),
        ("--metrics", "127.0.0.1:port"),
    ],
)
def test_serve_refuses_an_address_that_is_not_one(tmp_path: Path, pki, option: str, value: str):
    line = one_line_failure(luukku(tmp_path, "serve", "--pki", pki.root, option, value))
    assert "HOST:PORT" in line or "host" in line


def test_serve_refuses_a_port_another_process_listens_on(tmp_path: Path, pki):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = luukku(
            tmp_path,
            *("serve", "--pki", pki.root, "--listen", f"127.0.0.1:{port}"),
            *("--database", f"sqlite:///{tmp_path}/x.db"),
        )
    assert "address already in use" in one_line_failure(result).lower()


@pytest.mark.parametrize("command", [("org", "list"), ("audit", "verify")])
def test_read_only_commands_refuse_a_database_that_does_not_exist(tmp_path: Path, command):
    missing = tmp_path / "no" / "such" / "dir" / "x.db"

    line = one_line_failure(luukku(tmp_path, *command, "--database", f"sqlite:///{missing}"))

    assert "no such database" in line
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@127.0.0.1/x", "unsupported database"),
        ("postgresql://postgres@127.0.0.1:1/x", "cannot open the database"),
        ("not a url", "not a database URL"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(tmp_path: Path, url: str, expected: str):
    assert expected in one_line_failure(luukku(tmp_path, "org", "list", "--database", url))


def test_a_missing_postgresql_database_is_named_as_missing(tmp_path: Path):
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL storage tests skipped")
    url = base.rsplit("/", 1)[0] + "/luukku_no_such_database"
    assert "no such database" in one_line_failure(
        luukku(tmp_path, "org", "list", "--database", url)
    )


@pytest.mark.slow
def test_version_and_help_texts_are_plain_and_complete(tmp_path: Path):
    version = luukku(tmp_path, "--version")
    assert version.returncode == 0
    assert version.stdout.startswith("luukku ")

    for command in (
        (),
        ("pki", "init"),
        ("pki", "issue"),
        ("org", "add"),
        ("cert", "add"),
        ("serve",),
        ("audit", "verify"),
        ("demo", "setup"),
    ):
        shown = luukku(tmp_path, *command, "--help").stdout
        assert "``" not in shown, command
        options = [line.strip() for line in shown.splitlines() if line.strip().startswith("--")]
        # An option with its help on the same line, or on the next one.
        undocumented = [o for o in options if len(o.split("  ")) < 2 and not o.endswith(",")]
        lines = shown.splitlines()
        for option in undocumented:
            at = next(i for i, line in enumerate(lines) if line.strip() == option)
            assert lines[at + 1].startswith(" " * 20), (command, option)


def _org_add(
    tmp_path: Path, pki: PkiPaths, org_id: str, cert: Path
) -> subprocess.CompletedProcess[str]:
    return luukku(
        tmp_path,
        *("org", "add", org_id, "--name", "Hoiva Oy", "--kind", "private"),
        *("--business-id", "2845603-4", "--cert", cert, "--pki", pki.root),
        *("--database", f"sqlite:///{tmp_path}/db.sqlite"),
    )


def test_org_add_refuses_certificates_that_could_never_work(tmp_path: Path, pki: PkiPaths):
    other = init_pki(tmp_path / "other")
    issue_client_cert(other.root, "hoiva-oy")
    expired_dir = tmp_path / "expired"
    shutil.copytree(pki.root, expired_dir)
    issue_client_cert(
        expired_dir, "hoiva-oy", days=1, not_before=datetime.now(UTC) - timedelta(days=10)
    )
    future_dir = tmp_path / "future"
    shutil.copytree(pki.root, future_dir)
    issue_client_cert(future_dir, "hoiva-oy", not_before=datetime.now(UTC) + timedelta(days=10))

    cases = [
        (other.org_cert("hoiva-oy"), "hub's CA"),
        (pki.org_cert("hoiva-oy"), "common name"),  # registered under another id below
        (PkiPaths(expired_dir).org_cert("hoiva-oy"), "expired"),
        (PkiPaths(future_dir).org_cert("hoiva-oy"), "not valid yet"),
        (pki.ca_cert, "CA certificate"),
        (pki.server_cert, "client"),
    ]
    for cert, expected in cases:
        org_id = "other-oy" if expected == "common name" else "hoiva-oy"
        line = one_line_failure(_org_add(tmp_path, pki, org_id, cert))
        assert expected in line, (cert, line)

    assert _org_add(tmp_path, pki, "hoiva-oy", pki.org_cert("hoiva-oy")).returncode == 0


def test_pki_issue_keeps_an_existing_key_unless_forced(tmp_path: Path, pki: PkiPaths):
    key = pki.org_key("hoiva-oy").read_bytes()

    line = one_line_failure(
        luukku(tmp_path, "pki", "issue", "--dir", pki.root, "--org", "hoiva-oy")
    )

    assert "--force" in line
    assert pki.org_key("hoiva-oy").read_bytes() == key
    forced = luukku(tmp_path, "pki", "issue", "--dir", pki.root, "--org", "hoiva-oy", "--force")
    assert forced.returncode == 0, forced.stderr
    assert pki.org_key("hoiva-oy").read_bytes() != key


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_serve_refuses_a_database_thread_count_that_is_not_one(
    tmp_path: Path, pki: PkiPaths, value: str
):
    line = one_line_failure(luukku(tmp_path, "serve", "--pki", pki.root, "--db-workers", value))
    assert "--db-workers" in line


@pytest.mark.parametrize(
    ("variable", "value"),
    [("LUUKKU_DB_WORKERS", "0"), ("LUUKKU_DB_WORKERS", "many"), ("LUUKKU_LISTEN", "nowhere")],
)
def test_serve_refuses_a_bad_setting_from_the_environment_naming_the_variable(
    tmp_path: Path, pki: PkiPaths, variable: str, value: str
):
    line = one_line_failure(luukku(tmp_path, "serve", "--pki", pki.root, env={variable: value}))
    assert line.startswith(f"luukku: {variable}: "), line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["desk", "list", "--frob"], "luukku: unrecognized arguments: --frob (see --help)"),
        (["frob"], "luukku: argument command: invalid choice: 'frob'"),
        (["desk", "add"], "luukku: desk add: the following arguments are required: desk_id"),
    ],
)
def test_a_usage_mistake_names_the_command_once(tmp_path: Path, args: list[str], expected: str):
    line = one_line_failure(luukku(tmp_path, *args))
    assert line.startswith(expected), line
