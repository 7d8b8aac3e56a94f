"""``luukku portal``: the citizen's web portal, a client of the broker."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from luukku.cli._common import CliError, address, ensure_free, env_checked, env_default


def cmd_portal(args: argparse.Namespace) -> int:
    from luukku.portal.config import PortalConfig
    from luukku.portal.serve import serve_portal
    from luukku.web.config import Identification, OidcSettings, is_loopback

    identification = Identification(args.identification)
    host = args.listen.rpartition(":")[0].strip("[]")
    if (
        identification is Identification.DEV
        and not is_loopback(host)
        and not args.allow_dev_identification_on_network
    ):
        raise CliError(
            f"test identification lets anyone sign in as anyone: refusing to listen on {host} "
            "(use a loopback address, --identification oidc, or "
            "--allow-dev-identification-on-network)"
        )
    oidc = None
    if identification is Identification.OIDC:
        missing = [
            f"--oidc-{name}"
            for name, value in (
                ("issuer", args.oidc_issuer),
                ("client-id", args.oidc_client_id),
                ("client-secret", args.oidc_client_secret),
            )
            if not value
        ]
        if missing:
            raise CliError(f"--identification oidc needs {', '.join(missing)}")
        oidc = OidcSettings(
            issuer=args.oidc_issuer,
            client_id=args.oidc_client_id,
            client_secret=args.oidc_client_secret,
            scope=args.oidc_scope,
        )
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("give both --tls-cert and --tls-key, or neither")
    for path in (args.tls_cert, args.tls_key):
        if path and not Path(path).is_file():
            raise CliError(f"cannot read {path}")
    pki = Path(args.pki)
    for path in (
        pki / "ca.pem",
        pki / "orgs" / f"{args.org}.pem",
        pki / "orgs" / f"{args.org}.key",
    ):
        if not path.is_file():
            raise CliError(f"{path} is missing: issue it with `luukku pki issue {args.org}`")
    ensure_free(args.listen)
    verifier_key = _verifier_key(args.log_verifier_key, pki)
    config = PortalConfig(
        identification=identification,
        log_verifier_key=verifier_key,
        oidc=oidc,
        identity_claim=args.oidc_identity_claim,
        idle_timeout_s=args.idle_timeout * 60,
        secure_cookies=bool(args.tls_cert),
    )
    try:
        asyncio.run(
            serve_portal(
                config,
                listen=args.listen,
                broker=args.broker,
                pki=pki,
                org=args.org,
                tls_cert=args.tls_cert or None,
                tls_key=args.tls_key or None,
                ready_message=args.ready_message,
            )
        )
    except KeyboardInterrupt:
        return 130
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``portal``."""
    p = sub.add_parser("portal", help="run the citizen portal (a web app on the broker)")
    p.add_argument(
        "--listen",
        type=address,
        default=env_checked("LUUKKU_PORTAL_LISTEN", address, "127.0.0.1:8080"),
        metavar="HOST:PORT",
        help="where the portal serves HTTP(S) (default: LUUKKU_PORTAL_LISTEN, else 127.0.0.1:8080)",
    )
    p.add_argument(
        "--broker",
        type=address,
        default=env_checked("LUUKKU_PORTAL_BROKER", address, "127.0.0.1:50051"),
        metavar="HOST:PORT",
        help="the broker's address (default: LUUKKU_PORTAL_BROKER, else 127.0.0.1:50051)",
    )
    p.add_argument(
        "--pki",
        default=env_default("LUUKKU_PORTAL_PKI", env_default("LUUKKU_PKI", "certs/dev")),
        metavar="DIR",
        help="PKI folder with ca.pem and orgs/ORG.pem|.key "
        "(default: LUUKKU_PORTAL_PKI, else LUUKKU_PKI, else certs/dev)",
    )
    p.add_argument(
        "--org",
        default=env_default("LUUKKU_PORTAL_ORG", "omaportaali"),
        metavar="ORG_ID",
        help="the portal's organisation, of kind PORTAL (default: LUUKKU_PORTAL_ORG, "
        "else omaportaali)",
    )
    p.add_argument(
        "--identification",
        choices=("oidc", "dev"),
        default=env_default("LUUKKU_PORTAL_IDENTIFICATION", "oidc"),
        help="oidc: OpenID Connect with PKCE; dev: a labelled test page where anyone signs in "
        "as anyone, loopback only (default: LUUKKU_PORTAL_IDENTIFICATION, else oidc)",
    )
    p.add_argument(
        "--allow-dev-identification-on-network",
        action="store_true",
        help="let --identification dev listen on a non-loopback address (never in production)",
    )
    for name, default, text in (
        ("issuer", "", "the OpenID provider's issuer URL"),
        ("client-id", "", "the portal's client id at the provider"),
        ("client-secret", "", "the portal's client secret (prefer the variable to the option)"),
        ("identity-claim", "personal_identity_code", "the claim with the personal identity code"),
        ("scope", "openid profile", "the scopes to ask for"),
    ):
        variable = "LUUKKU_PORTAL_OIDC_" + name.upper().replace("-", "_")
        p.add_argument(
            f"--oidc-{name}",
            default=env_default(variable, default),
            metavar="TEXT",
            help=f"{text} (default: {variable}{f', else {default!r}' if default else ''})",
        )
    p.add_argument(
        "--idle-timeout",
        type=minutes,
        default=env_checked("LUUKKU_PORTAL_IDLE_TIMEOUT", minutes, 15.0),
        metavar="MINUTES",
        help="sign a citizen out after this long without a request "
        "(default: LUUKKU_PORTAL_IDLE_TIMEOUT, else 15)",
    )
    p.add_argument(
        "--tls-cert",
        default=env_default("LUUKKU_PORTAL_TLS_CERT", ""),
        metavar="PEM",
        help="serve HTTPS with this certificate chain; cookies become Secure "
        "(default: LUUKKU_PORTAL_TLS_CERT, else plain HTTP)",
    )
    p.add_argument(
        "--tls-key",
        default=env_default("LUUKKU_PORTAL_TLS_KEY", ""),
        metavar="PEM",
        help="the key of --tls-cert (default: LUUKKU_PORTAL_TLS_KEY)",
    )
    p.add_argument(
        "--log-verifier-key",
        default=env_default("LUUKKU_PORTAL_LOG_VERIFIER_KEY", ""),
        metavar="FILE",
        help="the audit log's public verifier key, to prove each row of the access log "
        "(default: LUUKKU_PORTAL_LOG_VERIFIER_KEY, else audit-log.vkey in --pki if there)",
    )
    p.add_argument("--ready-message", default="", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_portal)


def _verifier_key(path: str, pki: Path) -> str | None:
    """The verifier key's text from ``path``, else from the PKI folder, else None."""
    chosen = Path(path) if path else pki / "audit-log.vkey"
    if not chosen.is_file():
        if path:
            raise CliError(f"cannot read {path}")
        return None
    return chosen.read_text().strip()


def minutes(text: str) -> float:
    """An argparse type: a number of minutes above zero (fractions allowed: 0.5 is 30 s)."""
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("must be a number of minutes") from exc
    if not 0 < value < 7 * 24 * 60:
        raise argparse.ArgumentTypeError("must be above 0 and below a week")
    return value
