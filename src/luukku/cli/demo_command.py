"""``luukku demo``: demo data for a newcomer."""

from __future__ import annotations

import argparse
from pathlib import Path

from luukku.cli._common import env_default, with_database


def cmd_demo_setup(args: argparse.Namespace) -> int:
    from luukku.demo import setup_demo

    for line in setup_demo(Path(args.pki), args.database):
        print(line)
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo setup``."""
    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo", required=True)
    p = with_database(demo.add_parser("setup", help="dev PKI and demo organisations, if missing"))
    p.add_argument(
        "--pki",
        default=env_default("LUUKKU_PKI", "certs/dev"),
        help="PKI folder to create or use (default: LUUKKU_PKI, else certs/dev)",
    )
    p.set_defaults(func=cmd_demo_setup)
