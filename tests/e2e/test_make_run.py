"""``make run``'s command as a newcomer meets it: ``luukku demo run`` from nothing.

It creates the dev PKI and demo organisations, starts the broker, the
portal and the workspaces of the demo desk's two members, tells the demo
story through the SDK and prints where to go; the demo citizen then signs
in and sees the story, and a clerk of each member signs in and sees the
desk. Ctrl-C (or SIGTERM) stops every process, and the command exits 0.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from demo_process import DEMO_CITIZEN, running_demo


@contextmanager
def _signed_in(address: str, **fields: str) -> Iterator[httpx.Client]:
    """A browser-like client of a web app at ``address``, through its test sign-in form."""
    with httpx.Client(base_url=f"http://{address}", headers={"Accept-Language": "en"}) as web:
        form = web.get("/login")
        assert form.status_code == 200
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        web.post("/login", data={"csrf_token": token.group(1), **fields})
        yield web


def _ports_are_free(*addresses: str) -> None:
    for address in addresses:
        host, port = address.rsplit(":", 1)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # closed connections linger
            s.bind((host, int(port)))  # but a listener would refuse it


def test_demo_run_serves_the_story_to_the_demo_citizen(tmp_path: Path) -> None:
    with running_demo(tmp_path) as demo:
        assert DEMO_CITIZEN in demo.printed
        with _signed_in(demo.portal, identity_code=DEMO_CITIZEN) as web:
            cases = web.get("/cases")
            assert cases.status_code == 200
            assert "Kotihoito sairaalajakson jälkeen" in cases.text
            assert "Helsingin sosiaalipalvelut" in cases.text
            log = web.get("/access")
            assert "Denied" in log.text  # the health centre's refusal
            assert "Hoiva Oy" in log.text  # the company's read under consent
            questions = web.get("/inquiries")
            assert "Tukea kotihoidon maksuihin" in questions.text  # asked, and answered
        for org, address in demo.workspaces.items():
            assert f"workspace of {org}" in demo.printed
            with _signed_in(address, name="Kaisa Neuvoja", role="neuvoja") as clerk:
                queue = clerk.get("/")
                assert queue.status_code == 200
                assert "Kaisa Neuvoja" in queue.text  # signed in, under the clerk's own name
                assert "Sosiaali- ja terveysneuvonta, Uusimaa" in queue.text  # the demo desk
    # SIGTERM took every child with it: their ports are free again.
    assert demo.stopped() == 0, demo.log.read_text()
    _ports_are_free(demo.broker, demo.portal, *demo.workspaces.values())


def test_ctrl_c_stops_the_demo_cleanly_with_a_live_page_open(tmp_path: Path) -> None:
    with (
        running_demo(tmp_path) as demo,
        _signed_in(demo.portal, identity_code=DEMO_CITIZEN) as web,
    ):
        streaming = threading.Event()

        def follow_the_access_log() -> None:  # as the access-log page does in a browser
            try:
                with web.stream("GET", "/access/live", timeout=None) as live:
                    streaming.set()
                    for _ in live.iter_lines():
                        pass
            except httpx.HTTPError:
                pass  # the portal closed it while shutting down

        follower = threading.Thread(target=follow_the_access_log, daemon=True)
        follower.start()
        assert streaming.wait(timeout=30)
        demo.interrupt()
        code = demo.stopped()
        log = demo.log.read_text()
    assert code == 0, log
    assert "Traceback" not in log
    _ports_are_free(demo.broker, demo.portal, demo.metrics, *demo.workspaces.values())
