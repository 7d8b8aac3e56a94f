"""docs/portal.md's configuration table lists every `luukku portal` option and its variable."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from luukku.cli import portal_command

ROOT = Path(__file__).resolve().parents[2]


def _options_in_source() -> dict[str, str]:
    """Each option of ``luukku portal`` and the first variable its help names ("" for none)."""
    commands = argparse.ArgumentParser().add_subparsers()
    portal_command.add_to(commands)
    portal = commands.choices["portal"]
    options = {}
    for action in portal._actions:
        if not action.option_strings or action.help in (None, argparse.SUPPRESS):
            continue
        if "--help" in action.option_strings:
            continue
        variables = re.findall(r"LUUKKU_[A-Z_]+", action.help)
        options[action.option_strings[-1]] = variables[0] if variables else ""
    return options


def _options_in_readme() -> dict[str, str]:
    page = (ROOT / "docs" / "portal.md").read_text()
    section = page[page.index("## Portal configuration") :]
    rows = re.findall(r"^\| `(--[a-z-]+)[^`]*` \|([^|]*)\|", section, flags=re.MULTILINE)
    return {flag: (re.findall(r"LUUKKU_[A-Z_]+", cell) or [""])[0] for flag, cell in rows}


def test_the_portal_page_lists_every_portal_option_with_its_variable() -> None:
    assert _options_in_readme() == _options_in_source()
