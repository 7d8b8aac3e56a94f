"""The test identification page's example identity code is the demo citizen's."""

from __future__ import annotations

import re
from pathlib import Path

from luukku.demo_story import DEMO_CITIZEN

PORTAL = Path(__file__).resolve().parents[2] / "src" / "luukku" / "portal"


def test_the_login_hint_names_the_demo_citizen_who_has_cases_to_see() -> None:
    hint = (PORTAL / "templates" / "login_dev.html").read_text()
    examples = re.findall(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", hint)
    assert examples == [DEMO_CITIZEN]
