"""The luukku command: the development PKI, the organisation directory, the broker,
the audit log, the citizen portal and demo data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from luukku import logs
from luukku.cli import (
    audit_commands,
    demo_command,
    desk_commands,
    directory_commands,
    pki_commands,
    portal_command,
    representation_commands,
    serve_command,
    workspace_command,
)
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


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="luukku", description=__doc__)
    parser.add_argument("--version", action="version", version=f"luukku {_version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (
        pki_commands,
        directory_commands,
        desk_commands,
        serve_command,
        portal_command,
        workspace_command,
        audit_commands,
        representation_commands,
        demo_command,
    ):
        module.add_to(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``luukku`` console script: one line on any failure, never a traceback."""
    try:
        args = _parser().parse_args(argv)
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
