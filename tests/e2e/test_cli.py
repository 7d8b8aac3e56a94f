"""The ``luukku`` command as an operator meets it: a real process, real files, real exit codes.

Every test runs ``python -m luukku.cli`` in a subprocess with its own PKI directory
and SQLite database under ``tmp_path``. Preconditions that are not the subject of a
test (a CA, a client certificate) are arranged in-process to keep the file fast.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import socket
import ssl
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from ports import free_port

from luukku.client import Client, NotFoundError, TLSConfig, UnauthenticatedError
from luukku.demo import setup_demo
from luukku.pki import init_pki, issue_client_cert
from luukku.store.opening import open_store

DEMO_ORG_IDS = ["helsinki-social", "hoiva-oy", "omaportaali", "vantaa-health"]
READY_TIMEOUT = 30.0
EXIT_TIMEOUT = 15.0


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def luukku(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the ``luukku`` command to completion."""
    return subprocess.run(
        [sys.executable, "-m", "luukku.cli", *map(str, args)],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """Assert that the command succeeded, showing its stderr when it did not."""
    assert result.returncode == 0, result.stderr
    return result


def assert_fails_with_one_line(result: subprocess.CompletedProcess[str]) -> str:
    """Assert a non-zero exit with exactly one ``luukku:`` line on stderr; return it."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("luukku:"), result.stderr
    return lines[0]


def org_rows(cwd: Path, db: str) -> list[list[str]]:
    """``luukku org list`` as rows of tab-separated fields."""
    result = ok(luukku(cwd, "org", "list", "--database", db))
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == ["id", "kind", "status", "business id", "name"]
    return [line.split("\t") for line in rows if line.strip()]


def _load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/db.sqlite"


@pytest.fixture
def pki_dir(tmp_path: Path) -> Path:
    """A PKI directory with a CA and a client certificate for hoiva-oy."""
    root = tmp_path / "pki"
    init_pki(root)
    issue_client_cert(root, "hoiva-oy")
    return root


@pytest.fixture
def registered(tmp_path: Path, pki_dir: Path, db: str) -> Path:
    """hoiva-oy registered through the command line; returns the PKI directory."""
    ok(
        luukku(
            tmp_path,
            *("org", "add", "hoiva-oy", "--name", "Hoiva Oy", "--kind", "private"),
            *("--business-id", "2845603-4", "--cert", pki_dir / "orgs" / "hoiva-oy.pem"),
            *("--pki", pki_dir),
            *("--database", db),
        )
    )
    return pki_dir


# --- pki ------------------------------------------------------------------------------------


def test_pki_init_creates_a_ca_and_a_server_certificate_with_private_keys(tmp_path: Path):
    pki = tmp_path / "pki"

    ok(luukku(tmp_path, "pki", "init", "--dir", pki, "--host", "broker.example"))

    for name in ("ca.pem", "ca.key", "server.pem", "server.key"):
        assert (pki / name).is_file(), name
    assert _mode(pki / "ca.key") == 0o600
    assert _mode(pki / "server.key") == 0o600
    sans = (
        _load_cert(pki / "server.pem")
        .extensions.get_extension_for_class(x509.SubjectAlternativeName)
        .value
    )
    names = set(sans.get_values_for_type(x509.DNSName))
    names |= {str(ip) for ip in sans.get_values_for_type(x509.IPAddress)}
    assert {"localhost", "127.0.0.1", "broker.example"} <= names


def test_a_second_pki_init_fails_in_one_line_and_leaves_the_files_unchanged(tmp_path: Path):
    pki = tmp_path / "pki"
    ok(luukku(tmp_path, "pki", "init", "--dir", pki, "--host", "broker.example"))
    before = {p.name: p.read_bytes() for p in pki.iterdir()}

    result = luukku(tmp_path, "pki", "init", "--dir", pki, "--host", "broker.example")

    assert_fails_with_one_line(result)
    assert {p.name: p.read_bytes() for p in pki.iterdir()} == before


def test_pki_issue_writes_a_client_only_certificate_for_the_organisation(tmp_path: Path):
    pki = tmp_path / "pki"
    init_pki(pki)

    ok(luukku(tmp_path, "pki", "issue", "--dir", pki, "--org", "hoiva-oy"))

    cert_path, key_path = pki / "orgs" / "hoiva-oy.pem", pki / "orgs" / "hoiva-oy.key"
    assert key_path.is_file()
    assert _mode(key_path) == 0o600
    cert = _load_cert(cert_path)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert [a.value for a in cn] == ["hoiva-oy"]
    assert cert.not_valid_after_utc - cert.not_valid_before_utc <= timedelta(days=31)


def test_pki_issue_without_a_ca_fails_in_one_line(tmp_path: Path):
    result = luukku(tmp_path, "pki", "issue", "--dir", tmp_path / "empty", "--org", "hoiva-oy")

    assert_fails_with_one_line(result)
    assert not (tmp_path / "empty" / "orgs" / "hoiva-oy.pem").exists()


# --- org ------------------------------------------------------------------------------------


def test_org_add_registers_an_organisation_that_org_list_shows(
    tmp_path: Path, registered: Path, db: str
):
    assert org_rows(tmp_path, db) == [
        ["hoiva-oy", "private", "active", "2845603-4", "Hoiva Oy"],
    ]


def _oidc_client_id(db: str, org_id: str) -> str | None:
    store = open_store(db)
    try:
        with store.read() as tx:
            org = tx.directory.get_organization(org_id)
            assert org is not None
            return org.oidc_client_id
    finally:
        store.dispose()


def test_a_portals_openid_client_id_is_registered_changed_and_forgotten(
    tmp_path: Path, registered: Path, db: str
):
    issue_client_cert(registered, "omaportaali")
    ok(
        luukku(
            tmp_path,
            *("org", "add", "omaportaali", "--name", "Omaportaali", "--kind", "portal"),
            *("--business-id", "2845603-4"),
            *("--cert", registered / "orgs" / "omaportaali.pem", "--pki", registered),
            *("--oidc-client-id", "omaportaali-web", "--database", db),
        )
    )
    assert _oidc_client_id(db, "omaportaali") == "omaportaali-web"

    update = ("org", "update", "omaportaali", "--database", db)
    changed = ok(luukku(tmp_path, *update, "--oidc-client-id", "portal-2"))
    assert changed.stdout.strip() == "omaportaali: OpenID client id portal-2"
    assert _oidc_client_id(db, "omaportaali") == "portal-2"
    ok(luukku(tmp_path, *update, "--oidc-client-id", ""))
    assert _oidc_client_id(db, "omaportaali") is None


@pytest.mark.parametrize(
    ("org_id", "said"),
    [("hoiva-oy", "portal"), ("nobody-oy", "nobody-oy")],
    ids=["not a portal", "unknown"],
)
def test_org_update_refuses_an_organisation_that_is_no_portal_in_one_line(
    tmp_path: Path, registered: Path, db: str, org_id: str, said: str
):
    update = ("org", "update", org_id, "--oidc-client-id", "web", "--database", db)
    line = assert_fails_with_one_line(luukku(tmp_path, *update))
    assert said in line
    assert _oidc_client_id(db, "hoiva-oy") is None


def test_org_add_with_an_invalid_business_id_fails_in_one_line_and_registers_nothing(
    tmp_path: Path, pki_dir: Path, db: str
):
    result = luukku(
        tmp_path,
        *("org", "add", "hoiva-oy", "--name", "Hoiva Oy", "--kind", "private"),
        *("--business-id", "2845603-5", "--cert", pki_dir / "orgs" / "hoiva-oy.pem"),
        *("--database", db, "--pki", pki_dir),
    )

    line = assert_fails_with_one_line(result)
    assert "business" in line.lower()
    assert org_rows(tmp_path, db) == []


def test_org_add_with_a_missing_certificate_file_fails_in_one_line(
    tmp_path: Path, pki_dir: Path, db: str
):
    missing = pki_dir / "orgs" / "nobody.pem"

    result = luukku(
        tmp_path,
        *("org", "add", "hoiva-oy", "--name", "Hoiva Oy", "--kind", "private"),
        *("--business-id", "2845603-4", "--cert", missing, "--database", db),
    )

    line = assert_fails_with_one_line(result)
    assert str(missing) in line


def test_adding_the_same_organisation_twice_fails_the_second_time(
    tmp_path: Path, registered: Path, db: str
):
    result = luukku(
        tmp_path,
        *("org", "add", "hoiva-oy", "--name", "Hoiva Oy", "--kind", "private"),
        *("--business-id", "2845603-4", "--cert", registered / "orgs" / "hoiva-oy.pem"),
        *("--database", db, "--pki", registered),
    )

    assert_fails_with_one_line(result)
    assert len(org_rows(tmp_path, db)) == 1


def test_suspending_an_unknown_organisation_fails_in_one_line(tmp_path: Path, db: str):
    result = luukku(tmp_path, "org", "suspend", "nobody", "--database", db)

    line = assert_fails_with_one_line(result)
    assert "nobody" in line


def test_a_suspended_organisation_is_listed_as_suspended_until_activated(
    tmp_path: Path, registered: Path, db: str
):
    ok(luukku(tmp_path, "org", "suspend", "hoiva-oy", "--database", db))
    assert [row[2] for row in org_rows(tmp_path, db)] == ["suspended"]

    ok(luukku(tmp_path, "org", "activate", "hoiva-oy", "--database", db))
    assert [row[2] for row in org_rows(tmp_path, db)] == ["active"]


# --- cert -----------------------------------------------------------------------------------


def test_cert_revoke_revokes_a_registered_certificate(tmp_path: Path, registered: Path, db: str):
    result = luukku(
        tmp_path, "cert", "revoke", registered / "orgs" / "hoiva-oy.pem", "--database", db
    )

    ok(result)
    assert "hoiva-oy" in result.stdout


def test_revoking_an_unregistered_certificate_fails_in_one_line(
    tmp_path: Path, pki_dir: Path, db: str
):
    result = luukku(tmp_path, "cert", "revoke", pki_dir / "orgs" / "hoiva-oy.pem", "--database", db)

    assert_fails_with_one_line(result)


# --- demo -----------------------------------------------------------------------------------


def test_demo_setup_creates_four_organisations_and_a_second_run_changes_nothing(
    tmp_path: Path, db: str
):
    pki = tmp_path / "pki"

    first = ok(luukku(tmp_path, "demo", "setup", "--pki", pki, "--database", db))
    second = ok(luukku(tmp_path, "demo", "setup", "--pki", pki, "--database", db))

    assert (pki / "ca.pem").is_file()
    for org_id in DEMO_ORG_IDS:
        assert f"registered {org_id}" in first.stdout
        assert (pki / "orgs" / f"{org_id}.pem").is_file()
    assert second.stdout.strip() == ""
    assert sorted(row[0] for row in org_rows(tmp_path, db)) == DEMO_ORG_IDS


# --- serve ----------------------------------------------------------------------------------


def _start_broker(
    cwd: Path, pki: Path, db: str, *options: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``luukku serve`` on a free port and wait for its ready line."""
    log = (cwd / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
            *("--pki", pki, "--database", db, "--ready-message", "READY {host}:{port}"),
            *options,
        ],
        cwd=cwd,
        env={**_env(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=log,
    )
    log.close()
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + READY_TIMEOUT
    buffer = b""
    while True:
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.startswith(b"READY "):
                return proc, int(line.rsplit(b":", 1)[1])
        remaining = deadline - time.monotonic()
        readable = select.select([fd], [], [], max(remaining, 0))[0] if remaining > 0 else []
        chunk = os.read(fd, 4096) if readable else b""
        if not chunk:
            _stop(proc)
            log_text = (cwd / "serve.log").read_text(errors="replace")
            pytest.fail(f"broker printed no READY line (exit {proc.returncode}):\n{log_text}")
        buffer += chunk


def _stop(proc: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM the broker; its exit code, or None if it did not exit in time (then killed)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    finally:
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def demo(tmp_path: Path, db: str) -> Path:
    """The demo PKI and organisations (arranged in-process); returns the PKI directory."""
    pki = tmp_path / "pki"
    list(setup_demo(pki, db))
    return pki


async def test_serve_answers_a_demo_organisation_and_exits_cleanly_on_sigterm(
    tmp_path: Path, demo: Path, db: str
):
    proc, port = _start_broker(tmp_path, demo, db)
    try:
        client = await Client.connect(
            f"127.0.0.1:{port}", tls=TLSConfig.from_pki_dir(demo, "hoiva-oy")
        )
        try:
            me = await client.who_am_i()
        finally:
            await client.close()
        assert me.organization.id == "hoiva-oy"
    finally:
        code = _stop(proc)
    assert code == 0, (tmp_path / "serve.log").read_text(errors="replace")


async def test_an_organisation_suspended_from_the_command_line_is_refused_on_its_next_call(
    tmp_path: Path, demo: Path, db: str
):
    proc, port = _start_broker(tmp_path, demo, db)
    try:
        client = await Client.connect(
            f"127.0.0.1:{port}", tls=TLSConfig.from_pki_dir(demo, "hoiva-oy")
        )
        try:
            assert (await client.who_am_i()).organization.id == "hoiva-oy"

            ok(luukku(tmp_path, "org", "suspend", "hoiva-oy", "--database", db))

            with pytest.raises(UnauthenticatedError) as err:
                await client.who_am_i()
            assert err.value.reason == "ORG_SUSPENDED"
        finally:
            await client.close()
    finally:
        _stop(proc)


def test_a_broker_told_to_stop_as_soon_as_it_reports_ready_still_exits_cleanly(
    tmp_path: Path, demo: Path, db: str
):
    # A supervisor may send SIGTERM the moment it sees the ready line.
    proc, _ = _start_broker(tmp_path, demo, db)

    assert _stop(proc) == 0


def test_serve_on_a_port_already_in_use_fails_with_a_message_not_a_traceback(
    tmp_path: Path, demo: Path, db: str
):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = luukku(
            tmp_path,
            *("serve", "--listen", f"127.0.0.1:{port}", "--pki", demo, "--database", db),
        )

    # gRPC's core may log its own line about the bind; the command's own word is the last.
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("luukku:"), result.stderr
    assert str(port) in last


def test_serve_with_a_missing_pki_directory_fails_in_one_line_before_it_listens(
    tmp_path: Path, db: str
):
    result = luukku(
        tmp_path,
        *("serve", "--listen", "127.0.0.1:0", "--pki", "/nonexistent", "--database", db),
        *("--ready-message", "READY {port}"),
    )

    assert_fails_with_one_line(result)
    assert "READY" not in result.stdout  # it never served: nothing for a client to wait on


def _scrape(port: int, pki: Path, org: str | None) -> str:
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    if org is not None:
        context.load_cert_chain(pki / "orgs" / f"{org}.pem", pki / "orgs" / f"{org}.key")
    with urllib.request.urlopen(f"https://localhost:{port}/metrics", context=context) as reply:
        return str(reply.read().decode())


@pytest.mark.parametrize("by", ["flag", "environment"])
async def test_serve_logs_failed_calls_by_default_and_serves_metrics_over_mutual_tls(
    tmp_path: Path, demo: Path, db: str, by: str
):
    metrics_port = free_port()
    listen = f"127.0.0.1:{metrics_port}"
    if by == "flag":
        proc, port = _start_broker(tmp_path, demo, db, "--metrics", listen)
    else:
        proc, port = _start_broker(tmp_path, demo, db, env={"LUUKKU_METRICS_LISTEN": listen})
    try:
        client = await Client.connect(
            f"127.0.0.1:{port}", tls=TLSConfig.from_pki_dir(demo, "hoiva-oy")
        )
        try:
            await client.who_am_i()
            with pytest.raises(NotFoundError):
                await client.get_organization("no-such-org")
        finally:
            await client.close()

        metrics = await asyncio.to_thread(_scrape, metrics_port, demo, "hoiva-oy")
        with pytest.raises((urllib.error.URLError, ssl.SSLError)):  # no client certificate
            await asyncio.to_thread(_scrape, metrics_port, demo, None)
    finally:
        code = _stop(proc)
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert code == 0, log

    counts = {
        name: float(value)
        for name, _, value in (line.rpartition(" ") for line in metrics.splitlines())
        if name.startswith("luukku_requests_total{")
    }
    ok = 'luukku_requests_total{code="OK",method="/luukku.v1.DirectoryService/WhoAmI"}'
    refused = (
        'luukku_requests_total{code="NOT_FOUND",'
        'method="/luukku.v1.DirectoryService/GetOrganization"}'
    )
    assert counts[ok] >= 1  # the SDK's connect() may ask too
    assert counts[refused] == 1
    # Only the failed call is in the log.
    calls = [line for line in log.splitlines() if "luukku.access" in line]
    assert len(calls) == 1, calls
    assert '"code":"NOT_FOUND"' in calls[0]
    assert "WARNING" in calls[0]


@pytest.mark.parametrize(
    ("options", "env"), [(("--access-log",), {}), ((), {"LUUKKU_ACCESS_LOG": "1"})]
)
async def test_serve_with_access_log_logs_every_call(
    tmp_path: Path, demo: Path, db: str, options: tuple[str, ...], env: dict[str, str]
):
    proc, port = _start_broker(tmp_path, demo, db, *options, env=env)
    try:
        client = await Client.connect(
            f"127.0.0.1:{port}", tls=TLSConfig.from_pki_dir(demo, "hoiva-oy")
        )
        try:
            await client.who_am_i()
        finally:
            await client.close()
    finally:
        _stop(proc)
    log = (tmp_path / "serve.log").read_text(errors="replace")
    calls = [line for line in log.splitlines() if "luukku.access" in line]
    assert calls, log
    assert all('"method":"/luukku.v1.DirectoryService/WhoAmI","code":"OK"' in c for c in calls)
