"""``luukku pki``: the development PKI."""

from __future__ import annotations

import argparse
from pathlib import Path

from luukku.audit.checkpoints import DEFAULT_NAME, LogKeyError
from luukku.cli._common import CliError, env_default, positive_int
from luukku.domain.errors import LuukkuError
from luukku.domain.organizations import validate_org_id
from luukku.pki import PkiPaths, init_pki, issue_client_cert


def cmd_pki_init(args: argparse.Namespace) -> int:
    try:
        paths = init_pki(Path(args.dir), tuple(args.host), args.log_name)
    except LogKeyError as exc:
        raise CliError(f"--log-name: {exc}") from exc
    print(f"created hub CA, server certificate and audit log key in {paths.root}")
    print(f"audit log verifier key ({paths.log_verifier_key}):")
    print(paths.log_verifier_key.read_text(encoding="ascii").strip())
    return 0


def cmd_pki_issue(args: argparse.Namespace) -> int:
    try:
        validate_org_id(args.org, "--org")
    except LuukkuError as exc:
        raise CliError(f"--org: {exc.violations[0].description}") from exc
    paths = PkiPaths(Path(args.dir))
    if paths.org_key(args.org).exists() and not args.force:
        raise CliError(
            f"{paths.org_key(args.org)} exists: pass --force to replace the key "
            "(its certificate then stops matching any registration)"
        )
    cert, key = issue_client_cert(Path(args.dir), args.org, days=args.days)
    print(f"issued {cert} and {key}")
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pki init`` and ``pki issue``."""
    pki = sub.add_parser("pki", help="development PKI").add_subparsers(dest="pki", required=True)
    default_dir = env_default("LUUKKU_PKI", "certs/dev")
    p = pki.add_parser("init", help="create the hub CA and the server certificate")
    p.add_argument(
        "--dir", default=default_dir, help="PKI folder (default: LUUKKU_PKI, else certs/dev)"
    )
    p.add_argument("--host", action="append", default=[], help="extra server name (repeatable)")
    p.add_argument(
        "--log-name",
        default=DEFAULT_NAME,
        help=f"the audit log's name in its checkpoints (default {DEFAULT_NAME})",
    )
    p.set_defaults(func=cmd_pki_init)
    p = pki.add_parser("issue", help="issue an organisation's client certificate")
    p.add_argument(
        "--dir", default=default_dir, help="PKI folder (default: LUUKKU_PKI, else certs/dev)"
    )
    p.add_argument("--org", required=True, help="the organisation id, e.g. hoiva-oy")
    p.add_argument("--days", type=positive_int, default=30, help="validity in days (default 30)")
    p.add_argument("--force", action="store_true", help="replace an existing key and certificate")
    p.set_defaults(func=cmd_pki_issue)
