"""``make run``'s command as a newcomer meets it: ``luukku demo run`` from nothing.

It creates the dev PKI and demo organisations, starts the broker and the
portal, tells the demo story through the SDK and prints where to go; the
demo citizen then signs in and sees the story. SIGTERM stops both processes.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

DEMO_CITIZEN = "010190-900P"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_run_serves_the_story_to_the_demo_citizen(tmp_path: Path) -> None:
    broker, portal, metrics = (f"127.0.0.1:{_free_port()}" for _ in range(3))
    command = [
        *(sys.executable, "-m", "luukku.cli", "demo", "run", "--pki", str(tmp_path / "pki")),
        *("--database", f"sqlite:///{tmp_path / 'demo.db'}", "--listen", broker),
        *("--portal-listen", portal, "--metrics", metrics),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "demo.log").open("wb"),
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            printed.append(line)
            if "Ctrl-C stops both" in line:
                break
        text = "".join(printed)
        assert f"portal: http://{portal}/" in text, text + (tmp_path / "demo.log").read_text()
        assert DEMO_CITIZEN in text
        with httpx.Client(base_url=f"http://{portal}", headers={"Accept-Language": "en"}) as web:
            form = web.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token is not None
            web.post("/login", data={"csrf_token": token.group(1), "identity_code": DEMO_CITIZEN})
            cases = web.get("/cases")
            assert cases.status_code == 200
            assert "Kotihoito sairaalajakson jälkeen" in cases.text
            assert "Helsingin sosiaalipalvelut" in cases.text
            log = web.get("/access")
            assert "Denied" in log.text  # the health centre's refusal
            assert "Hoiva Oy" in log.text  # the company's read under consent
            questions = web.get("/inquiries")
            assert "Tukea kotihoidon maksuihin" in questions.text  # asked, and answered
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    # Both children went with it: their ports are free again.
    for address in (broker, portal):
        host, port = address.rsplit(":", 1)
        with socket.socket() as s:
            s.bind((host, int(port)))
