"""The luukku command: the development PKI, the organisation directory, the broker,
the audit log, the citizen portal and demo data."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from luukku import logs
from luukku.cli._common import CliError, Command
from luukku.domain.errors import LuukkuError
from luukku.pki import PkiError
from luukku.store.errors import StorageUnavailable

__all__ = ["main"]


def _version() -> str:
    try:
        return version("luukku")
    except PackageNotFoundError:
        return "unknown"


class _Parser(argparse.ArgumentParser):
    """Usage mistakes in one line too, like every other failure."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("luukku").strip()  # "" for the top-level parser
        where = f"{command}: " if command else ""
        self.exit(2, f"luukku: {where}{message} (see --help)\n")


# The module that adds each command, in the order ``luukku --help`` lists them. A command
# line names its command first, and only that module is imported: the broker's, the web
# apps' and the database's libraries cost most of a second to import, and an operator's
# ``luukku pki issue`` (or a script's hundredth ``luukku org add``) needs few of them.
_COMMANDS = {
    "pki": "pki_commands",
    "org": "directory_commands",
    "cert": "directory_commands",
    "desk": "desk_commands",
    "serve": "serve_command",
    "portal": "portal_command",
    "workspace": "workspace_command",
    "audit": "audit_commands",
    "representation": "representation_commands",
    "demo": "demo_command",
}


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = _Parser(prog="luukku", description=__doc__)
    parser.add_argument("--version", action="version", version=f"luukku {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True)
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    # No command, or one that does not exist: every command, for the help or the error.
    modules = [_COMMANDS[named]] if named in _COMMANDS else list(_COMMANDS.values())
    for name in dict.fromkeys(modules):
        importlib.import_module(f"luukku.cli.{name}").add_to(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``luukku`` console script: one line on any failure, never a traceback."""
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = _parser(argv).parse_args(argv)
    except CliError as exc:  # a bad LUUKKU_* default, found while building the parser
        print(f"luukku: {exc}", file=sys.stderr)
        return 2
    logs.configure(verbose=args.verbose, stream=sys.stderr)
    func: Command = args.func
    try:
        return func(args)
    except (CliError, PkiError) as exc:
        print(f"luukku: {exc}", file=sys.stderr)
    except LuukkuError as exc:
        print(f"luukku: {exc.message} ({exc.reason})", file=sys.stderr)
    except (OSError, ValueError) as exc:
        print(f"luukku: {exc}", file=sys.stderr)
    except StorageUnavailable as exc:  # the database went away mid-command
        print(f"luukku: {exc}; is it running?", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 1
