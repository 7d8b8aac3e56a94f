"""``luukku audit``: checking the audit log."""

from __future__ import annotations

import argparse
import sys

from luukku.cli._common import open_database, with_database


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from luukku.service.audit import verify_log

    result = verify_log(open_database(args, create=False))
    if result.first_bad_seq is not None:
        print(
            f"luukku: audit event {result.first_bad_seq} does not match its leaf hash",
            file=sys.stderr,
        )
        return 1
    print(f"{result.events} audit events verified; RFC 9162 root {result.root.hex()}")
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit verify``."""
    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit", required=True
    )
    p = with_database(
        audit.add_parser("verify", help="recompute every leaf hash; report the first bad")
    )
    p.set_defaults(func=cmd_audit_verify)
