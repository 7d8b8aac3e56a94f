"""The ``luukku`` command: PKI, directory administration, the broker and demo data."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import ArgumentError

from luukku import logs
from luukku.domain.errors import LuukkuError
from luukku.domain.organizations import OrgKind, OrgStatus
from luukku.pki import CertInfo, PkiError, init_pki, issue_client_cert, read_client_cert_info
from luukku.service import directory
from luukku.store.engine import default_database_url
from luukku.store.uow import Store

Command = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A problem to report in one line, exiting non-zero."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _read_pem(path: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc
    return data


def _cert_info(path: str) -> CertInfo:
    try:
        return read_client_cert_info(_read_pem(path))
    except ValueError as exc:
        raise CliError(f"{path}: {exc}") from exc


def _store(args: argparse.Namespace) -> Store:
    from luukku.server.app import open_store

    return open_store(args.database)


def cmd_pki_init(args: argparse.Namespace) -> int:
    paths = init_pki(Path(args.dir), tuple(args.host))
    print(f"created hub CA and server certificate in {paths.root}")
    return 0


def cmd_pki_issue(args: argparse.Namespace) -> int:
    from luukku.domain.organizations import validate_org_id

    validate_org_id(args.org, "--org")
    cert, key = issue_client_cert(Path(args.dir), args.org, days=args.days)
    print(f"issued {cert} and {key}")
    return 0


def cmd_org_add(args: argparse.Namespace) -> int:
    info = _cert_info(args.cert)
    org = directory.register_organization(
        _store(args),
        args.org_id,
        name=args.name,
        kind=OrgKind(args.kind),
        business_id=args.business_id,
        cert=info,
    )
    print(f"registered {org.id} ({org.kind.value})")
    return 0


def _set_status(status: OrgStatus) -> Command:
    def run(args: argparse.Namespace) -> int:
        directory.set_organization_status(_store(args), args.org_id, status)
        print(f"{args.org_id} is now {status.value}")
        return 0

    return run


def cmd_org_list(args: argparse.Namespace) -> int:
    store = _store(args)
    token = ""
    while True:
        orgs, token = directory.list_organizations(store, 500, token)
        for org in orgs:
            print(f"{org.id}\t{org.kind.value}\t{org.status.value}\t{org.business_id}\t{org.name}")
        if not token:
            return 0


def cmd_cert_add(args: argparse.Namespace) -> int:
    info = _cert_info(args.cert)
    directory.add_certificate(_store(args), args.org_id, info)
    print(f"added certificate {info.fingerprint[:16]}… to {args.org_id}")
    return 0


def cmd_cert_revoke(args: argparse.Namespace) -> int:
    info = _cert_info(args.pem)
    cert = directory.revoke_certificate(_store(args), info.fingerprint)
    print(f"revoked certificate {cert.fingerprint[:16]}… of {cert.org_id}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from luukku.server import loop
    from luukku.server.app import serve
    from luukku.server.observe import log_every_call

    log_every_call(args.access_log)
    pki = Path(args.pki)
    for name in ("ca.pem", "server.pem", "server.key"):
        if not (pki / name).exists():
            raise CliError(f"{pki / name} is missing: run `luukku pki init --dir {pki}`")
    try:
        loop.run(
            serve(
                args.listen,
                pki,
                args.database,
                on_ready=args.ready_message,
                metrics_listen=args.metrics,
            )
        )
    except OSError as exc:
        raise CliError(str(exc)) from exc
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from luukku.service.audit import verify_log

    result = verify_log(_store(args))
    if result.first_bad_seq is not None:
        print(
            f"luukku: audit event {result.first_bad_seq} does not match its leaf hash",
            file=sys.stderr,
        )
        return 1
    print(f"{result.events} audit events verified; RFC 9162 root {result.root.hex()}")
    return 0


def cmd_demo_setup(args: argparse.Namespace) -> int:
    from luukku.demo import setup_demo

    for line in setup_demo(Path(args.pki), args.database):
        print(line)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="luukku", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True)

    def db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--database",
            default=default_database_url(),
            help="SQLAlchemy URL (default: LUUKKU_DATABASE_URL, else sqlite:///var/luukku.db)",
        )
        return p

    pki = sub.add_parser("pki", help="development PKI").add_subparsers(dest="pki", required=True)
    p = pki.add_parser("init", help="create the hub CA and the server certificate")
    p.add_argument("--dir", required=True)
    p.add_argument("--host", action="append", default=[], help="extra server name (repeatable)")
    p.set_defaults(func=cmd_pki_init)
    p = pki.add_parser("issue", help="issue an organisation's client certificate")
    p.add_argument("--dir", required=True)
    p.add_argument("--org", required=True)
    p.add_argument("--days", type=_positive_int, default=30, help="validity in days (default 30)")
    p.set_defaults(func=cmd_pki_issue)

    org = sub.add_parser("org", help="organisation directory").add_subparsers(
        dest="org", required=True
    )
    p = db(org.add_parser("add", help="register an organisation and its certificate"))
    p.add_argument("org_id")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=[k.value for k in OrgKind])
    p.add_argument("--business-id", required=True, help="Finnish business id (Y-tunnus)")
    p.add_argument("--cert", required=True, help="the organisation's client certificate (PEM)")
    p.set_defaults(func=cmd_org_add)
    for name, status in (("suspend", OrgStatus.SUSPENDED), ("activate", OrgStatus.ACTIVE)):
        p = db(org.add_parser(name, help=f"{name} an organisation (takes effect on its next call)"))
        p.add_argument("org_id")
        p.set_defaults(func=_set_status(status))
    p = db(org.add_parser("list", help="list organisations"))
    p.set_defaults(func=cmd_org_list)

    cert = sub.add_parser("cert", help="client certificates").add_subparsers(
        dest="cert", required=True
    )
    p = db(cert.add_parser("add", help="register another certificate for an organisation"))
    p.add_argument("org_id")
    p.add_argument("--cert", required=True)
    p.set_defaults(func=cmd_cert_add)
    p = db(cert.add_parser("revoke", help="revoke a certificate (takes effect on its next call)"))
    p.add_argument("pem")
    p.set_defaults(func=cmd_cert_revoke)

    p = db(sub.add_parser("serve", help="run the broker (mutual TLS only)"))
    p.add_argument("--listen", default=os.environ.get("LUUKKU_LISTEN", "127.0.0.1:50051"))
    p.add_argument("--pki", default=os.environ.get("LUUKKU_PKI", "certs/dev"))
    p.add_argument(
        "--access-log",
        action="store_true",
        default=os.environ.get("LUUKKU_ACCESS_LOG") == "1",
        help="log every call (default: only calls that fail; each line costs the broker "
        "about a tenth of a call's time)",
    )
    p.add_argument(
        "--metrics",
        default=os.environ.get("LUUKKU_METRICS_LISTEN", ""),
        metavar="HOST:PORT",
        help="serve Prometheus metrics here, over HTTPS with client certificates of the hub CA",
    )
    p.add_argument("--ready-message", default="", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    audit_cmd = sub.add_parser("audit", help="the audit log")
    audit = audit_cmd.add_subparsers(dest="audit", required=True)
    p = db(audit.add_parser("verify", help="recompute every leaf hash; report the first bad"))
    p.set_defaults(func=cmd_audit_verify)

    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo", required=True)
    p = db(demo.add_parser("setup", help="dev PKI and demo organisations, if missing"))
    p.add_argument("--pki", default=os.environ.get("LUUKKU_PKI", "certs/dev"))
    p.set_defaults(func=cmd_demo_setup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``luukku`` console script."""
    args = _parser().parse_args(argv)
    logs.configure(verbose=args.verbose, stream=sys.stderr)
    func: Command = args.func
    try:
        return func(args)
    except (CliError, PkiError) as exc:
        print(f"luukku: {exc}", file=sys.stderr)
    except (OSError, ValueError, ArgumentError) as exc:
        print(f"luukku: {exc}", file=sys.stderr)
    except LuukkuError as exc:
        print(f"luukku: {exc.message} ({exc.reason})", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
