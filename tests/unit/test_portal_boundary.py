"""The portal reaches the broker only through the SDK: it never loads the broker's layers."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("luukku.store", "luukku.service", "luukku.server")


def test_portal_never_imports_the_store_the_service_or_the_server() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, luukku.portal.app, luukku.portal.serve; "
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('luukku.'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "luukku.client" in loaded  # the check can see what the portal loads
    assert [m for m in loaded if m.startswith(FORBIDDEN)] == []
