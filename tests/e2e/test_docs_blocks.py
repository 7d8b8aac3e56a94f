"""Every `sh` and `python` block of the README and docs/*.md runs as written against the demo.

One demo, started as ``make run`` starts it, in a folder laid out like a clone
after ``make run`` (``certs/dev``, ``var/luukku.db``, ``examples/``, ``.venv``);
each block runs there in order, as a newcomer pastes it into a second terminal:
a shell block in ``bash`` with the venv's ``bin`` first on ``PATH``, a Python block
saved as a file and run by the venv's Python. Only the demo's ports differ from
the defaults the text names (50051, 8080, 9464, and the identity provider's 8070),
and are put in their place.
A block not meant to be pasted against the demo says why in a comment
``<!-- not run: ... -->`` just before it, and is listed in ``NOT_RUN`` here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from demo_process import Demo, running_demo
from serve_process import clean_env

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN_LANGUAGES = {"sh", "bash", "shell", "python"}
_BLOCK = re.compile(
    r"(?:<!-- not run: (?P<reason>[^\n]*?) -->\n)?^```(?P<lang>[a-z]*)\n(?P<code>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)

# Each block that is not run, by its page and the start of its first line.
NOT_RUN = {
    ("README.md", "make run    # venv, dev PKI, demo data, the broker, the port"),
    ("README.md", "make test   # the whole test suite"),
    ("README.md", "LUUKKU_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:543"),
    ("README.md", "# A municipal social service opens a case and writes a recor"),
    ("README.md", "luukku serve --citizen-issuer https://tunnistus.suomi.fi/oid"),
    ("README.md", "grpcurl -cacert certs/dev/ca.pem -cert certs/dev/orgs/hoiva-"),
    ("bench.md", "make bench DATABASE_URL=postgresql://postgres@127.0.0.1:5432"),
    ("operating.md", "createdb -h 127.0.0.1 -U postgres luukku"),
    ("operating.md", "export LUUKKU_DATABASE_URL=postgresql://postgres@127.0.0.1:5"),
    ("operating.md", 'client = await Client.connect(["10.0.0.5:50051", "10.0.0.6:5'),
    ("operating.md", "nft add table inet luukku"),
    ("portal.md", "export LUUKKU_PORTAL_OIDC_CLIENT_SECRET='…'   # a variable s"),
    ("portal.md", "python -m oidc_provider_mock --port 9400 \\"),
    ("workspace.md", "export LUUKKU_WORKSPACE_OIDC_CLIENT_SECRET='…'   # a variabl"),
    ("workspace.md", "python -m oidc_provider_mock --port 9401 \\"),
}


@dataclass(frozen=True)
class Block:
    page: str
    lang: str
    code: str
    not_run: str | None

    @property
    def first_line(self) -> str:
        """The start of its first line (60 characters), which names it."""
        return self.code.splitlines()[0][:60]


def _blocks() -> list[Block]:
    found = []
    for page in PAGES:
        for m in _BLOCK.finditer(page.read_text()):
            if m["lang"] in RUN_LANGUAGES:
                found.append(Block(page.name, m["lang"], m["code"], m["reason"]))
    return found


def _on_demo_ports(code: str, demo: Demo) -> str:
    for default, address in (
        (50051, demo.broker),
        (8080, demo.portal),
        (9464, demo.metrics),
        (8070, demo.issuer),
    ):
        code = code.replace(f":{default}", ":" + address.rsplit(":", 1)[1])
    return code


def test_every_block_not_run_says_why_and_is_listed_here() -> None:
    marked = {(b.page, b.first_line) for b in _blocks() if b.not_run is not None}
    assert marked == NOT_RUN
    assert all(b.not_run for b in _blocks() if b.not_run is not None)


@pytest.mark.slow
def test_every_block_runs_as_written_against_the_demo(tmp_path: Path) -> None:
    blocks = [b for b in _blocks() if b.not_run is None]
    assert {b.page for b in blocks} >= {"README.md", "operating.md", "audit-log.md"}
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    env = clean_env()
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    failures = []
    with running_demo(tmp_path) as demo:
        for number, block in enumerate(blocks):
            code = _on_demo_ports(block.code, demo)
            if block.lang == "python":
                script = tmp_path / f"block_{number}.py"
                script.write_text(code)
                command = [".venv/bin/python", script.name]
            else:
                command = ["bash", "-e", "-o", "pipefail", "-c", code]
            done = subprocess.run(
                command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
            )
            if done.returncode != 0:
                failures.append(f"{block.page}: {block.first_line}\n{done.stdout}{done.stderr}")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.parametrize("page", [p.name for p in PAGES])
def test_each_page_is_linked_from_the_readme(page: str) -> None:
    if page != "README.md":
        assert f"](docs/{page})" in (ROOT / "README.md").read_text()
