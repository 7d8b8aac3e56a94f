"""The ``luukku`` command, run as an operator would: the PKI and the directory.

Every bench sets its world up through the CLI (``luukku pki``, ``luukku org``,
``luukku desk``), never by importing the broker's use cases.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

BUSINESS_ID = "0201256-6"
"""A valid Finnish business id: the bench's organisations need one, not a distinct one."""


class CommandFailed(RuntimeError):
    """A ``luukku`` command exited non-zero; the message carries its stderr."""


def luukku(*args: str) -> str:
    """Run ``luukku ARGS`` (this interpreter's); its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "luukku.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise CommandFailed(f"luukku {' '.join(args[:2])}: {done.stderr.strip()}")
    return done.stdout


@dataclass(frozen=True)
class Org:
    """An organisation the bench registers."""

    id: str
    name: str
    kind: str
    """``public``, ``private`` or ``portal``."""


def make_pki(pki: Path, org_ids: Iterable[str]) -> None:
    """``luukku pki init``, then a client certificate for each organisation."""
    luukku("pki", "init", "--dir", str(pki))
    _each(lambda org_id: luukku("pki", "issue", "--dir", str(pki), "--org", org_id), org_ids)


def register(database: str, pki: Path, orgs: Iterable[Org]) -> None:
    """``luukku org add`` for each organisation, with its certificate from ``pki``."""

    def add(org: Org) -> None:
        luukku(
            *("org", "add", org.id, "--name", org.name, "--kind", org.kind),
            *("--business-id", BUSINESS_ID, "--cert", str(pki / "orgs" / f"{org.id}.pem")),
            *("--pki", str(pki), "--database", database),
        )

    for org in orgs:  # one at a time: each is a write to the same database
        add(org)


def _each(work: Callable[[T], object], items: Iterable[T]) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, items))
