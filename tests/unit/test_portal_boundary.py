"""The web apps reach the broker only through the SDK: they never load the broker's layers,
and the shared web layer loads neither app."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("luukku.store", "luukku.service", "luukku.server")


def _loaded_by(*modules: str) -> list[str]:
    """The ``luukku.*`` modules a fresh interpreter has loaded after importing ``modules``."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, {', '.join(modules)}; "
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('luukku.'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


@pytest.mark.parametrize(
    "modules",
    [
        ("luukku.portal.app", "luukku.portal.serve"),
        ("luukku.web.app", "luukku.web.live", "luukku.web.serve", "luukku.web.signin"),
        ("luukku.workspace.app",),
    ],
    ids=["portal", "web", "workspace"],
)
def test_a_web_app_never_imports_the_store_the_service_or_the_server(
    modules: tuple[str, ...],
) -> None:
    loaded = _loaded_by(*modules)
    assert "luukku.client" in loaded  # the check can see what the app loads
    assert [m for m in loaded if m.startswith(FORBIDDEN)] == []


def test_the_workspace_does_not_load_the_portal() -> None:
    assert [m for m in _loaded_by("luukku.workspace.app") if m.startswith("luukku.portal")] == []


def test_the_shared_web_layer_loads_neither_app() -> None:
    loaded = _loaded_by("luukku.web.app", "luukku.web.live", "luukku.web.serve")
    assert [m for m in loaded if m.startswith(("luukku.portal", "luukku.workspace"))] == []
