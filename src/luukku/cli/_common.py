"""What the commands share: one-line errors, argument types, the database option."""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from luukku.store.uow import Store

T = TypeVar("T")

Command = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A problem to report in one line, exiting non-zero."""


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("must be a whole number") from exc
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def address(text: str) -> str:
    """An argparse type: ``HOST:PORT`` with a port of 0 (any free one) to 65535."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT with a port of 0-65535")
    name = host.strip("[]")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        if not all(part.isalnum() or "-" in part for part in name.split(".")):
            raise argparse.ArgumentTypeError(f"{host!r} is not a host name or address") from None
    return text


def ensure_free(listen: str) -> None:
    """Refuse an address another process already listens on.

    The broker never shares its port (SO_REUSEPORT is off), so grpc would
    only fail with a bare "cannot listen"; this says why.
    """
    host, _, port = listen.rpartition(":")
    if int(port) == 0:
        return
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), int(port)))
        except OSError as exc:
            raise CliError(f"cannot listen on {listen}: {exc.strerror}") from exc


def env_default(name: str, default: str) -> str:
    """The value of the environment variable ``name``, else ``default``."""
    return os.environ.get(name) or default


def env_checked(name: str, parse: Callable[[str], T], default: T) -> T:
    """The environment variable ``name`` through the argparse type ``parse``, else ``default``.

    Checked when the parser is built, so that a bad value is one line naming the variable.
    """
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return parse(value)
    except argparse.ArgumentTypeError as exc:
        raise CliError(f"{name}: {exc}") from exc


def with_database(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``--database`` option every storage command takes."""
    # Imported here, like the store below: commands without a database skip SQLAlchemy.
    from luukku.store.sql.engine import default_database_url

    parser.add_argument(
        "--database",
        default=default_database_url(),
        metavar="URL",
        help="sqlite:///PATH or postgresql://USER@HOST:PORT/DB "
        "(default: LUUKKU_DATABASE_URL, else sqlite:///var/luukku.db)",
    )
    return parser


def open_database(args: argparse.Namespace, *, create: bool = True) -> Store:
    """The store named by ``--database``; read-only commands pass ``create=False``."""
    from luukku.store.errors import StorageUnavailable
    from luukku.store.opening import open_store

    try:
        return open_store(args.database, create=create)
    except StorageUnavailable as exc:
        raise CliError(str(exc)) from exc


def read_pem(path: str) -> bytes:
    """The bytes of a PEM file, or a one-line error."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc
