"""``luukku org`` and ``luukku cert``: the organisation directory."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from luukku.cli._common import (
    CliError,
    Command,
    env_default,
    open_database,
    read_pem,
    with_database,
)
from luukku.domain.events import CallersChanged
from luukku.domain.organizations import OrgKind, OrgStatus
from luukku.pki import CertInfo, PkiPaths, check_client_cert, read_cert_info
from luukku.service import directory
from luukku.store import notices
from luukku.store.uow import Store

_PKI_HELP = (
    "PKI folder whose CA must have issued the certificate (default: LUUKKU_PKI, else certs/dev)"
)


def _checked(args: argparse.Namespace, org_id: str) -> CertInfo:
    pem = read_pem(args.cert)
    ca = read_pem(str(PkiPaths(Path(args.pki)).ca_cert))
    try:
        return check_client_cert(pem, org_id, ca, datetime.now(UTC))
    except ValueError as exc:
        raise CliError(f"{args.cert}: {exc}") from exc


_CLIENT_ID_HELP = (
    "a portal's OpenID client id at the citizens' identity provider: the broker accepts "
    "citizens' tokens made for it (the audience) from this organisation"
)


def cmd_org_add(args: argparse.Namespace) -> int:
    info = _checked(args, args.org_id)
    org = directory.register_organization(
        open_database(args),
        args.org_id,
        name=args.name,
        kind=OrgKind(args.kind),
        business_id=args.business_id,
        cert=info,
        oidc_client_id=args.oidc_client_id,
    )
    print(f"registered {org.id} ({org.kind.value})")
    return 0


def cmd_org_update(args: argparse.Namespace) -> int:
    directory.set_oidc_client_id(open_database(args), args.org_id, args.oidc_client_id or None)
    shown = args.oidc_client_id or "none"
    print(f"{args.org_id}: OpenID client id {shown}")
    return 0


def _announce(store: Store) -> None:
    """Tell the running brokers at once (on PostgreSQL; on SQLite their poll sees it)."""
    notices.announce(store, [CallersChanged()], origin="cli")


def _set_status(status: OrgStatus) -> Command:
    def run(args: argparse.Namespace) -> int:
        store = open_database(args)
        directory.set_organization_status(store, args.org_id, status)
        _announce(store)
        print(f"{args.org_id} is now {status.value}")
        return 0

    return run


def cmd_org_list(args: argparse.Namespace) -> int:
    store = open_database(args, create=False)
    print("id\tkind\tstatus\tbusiness id\tname")
    token = ""
    while True:
        orgs, token = directory.list_organizations(store, 500, token)
        for org in orgs:
            print(f"{org.id}\t{org.kind.value}\t{org.status.value}\t{org.business_id}\t{org.name}")
        if not token:
            return 0


def cmd_cert_add(args: argparse.Namespace) -> int:
    info = _checked(args, args.org_id)
    directory.add_certificate(open_database(args), args.org_id, info)
    print(f"added certificate {info.fingerprint[:16]}… to {args.org_id}")
    return 0


def cmd_cert_revoke(args: argparse.Namespace) -> int:
    try:
        info = read_cert_info(read_pem(args.pem))
    except ValueError as exc:
        raise CliError(f"{args.pem}: not a PEM certificate") from exc
    store = open_database(args)
    cert = directory.revoke_certificate(store, info.fingerprint)
    _announce(store)
    print(f"revoked certificate {cert.fingerprint[:16]}… of {cert.org_id}")
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``org add|suspend|activate|list`` and ``cert add|revoke``."""
    pki_default = env_default("LUUKKU_PKI", "certs/dev")
    org = sub.add_parser("org", help="organisation directory").add_subparsers(
        dest="org", required=True
    )
    p = with_database(org.add_parser("add", help="register an organisation and its certificate"))
    p.add_argument("org_id", help="the organisation id, e.g. hoiva-oy (the certificate's CN)")
    p.add_argument("--name", required=True, help="the organisation's name, shown to citizens")
    p.add_argument("--kind", required=True, choices=[k.value for k in OrgKind], help="its kind")
    p.add_argument("--business-id", required=True, help="Finnish business id (Y-tunnus)")
    p.add_argument("--cert", required=True, help="the organisation's client certificate (PEM)")
    p.add_argument("--pki", default=pki_default, help=_PKI_HELP)
    p.add_argument("--oidc-client-id", default=None, help=_CLIENT_ID_HELP)
    p.set_defaults(func=cmd_org_add)
    for name, status in (("suspend", OrgStatus.SUSPENDED), ("activate", OrgStatus.ACTIVE)):
        p = with_database(
            org.add_parser(name, help=f"{name} an organisation (takes effect on its next call)")
        )
        p.add_argument("org_id", help="the organisation id")
        p.set_defaults(func=_set_status(status))
    p = with_database(org.add_parser("update", help="change a portal's OpenID client id"))
    p.add_argument("org_id", help="the organisation id")
    p.add_argument("--oidc-client-id", required=True, help=_CLIENT_ID_HELP + " (empty: forget it)")
    p.set_defaults(func=cmd_org_update)
    p = with_database(org.add_parser("list", help="list organisations"))
    p.set_defaults(func=cmd_org_list)

    cert = sub.add_parser("cert", help="client certificates").add_subparsers(
        dest="cert", required=True
    )
    p = with_database(cert.add_parser("add", help="register another certificate (a renewal)"))
    p.add_argument("org_id", help="the organisation id")
    p.add_argument("--cert", required=True, help="the new client certificate (PEM)")
    p.add_argument("--pki", default=pki_default, help=_PKI_HELP)
    p.set_defaults(func=cmd_cert_add)
    p = with_database(
        cert.add_parser("revoke", help="revoke a certificate (takes effect on its next call)")
    )
    p.add_argument("pem", help="the certificate to revoke (PEM)")
    p.set_defaults(func=cmd_cert_revoke)
