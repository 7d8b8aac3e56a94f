"""The options a web app (``luukku portal``, ``luukku workspace``) is started with, and
their checks: each also a ``LUUKKU_<APP>_*`` variable."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path

from luukku.cli._common import CliError, address, ensure_free, env_checked, env_default
from luukku.web.config import Identification, OidcSettings, is_loopback


@dataclass(frozen=True)
class WebOptions:
    """What every web app's options say, checked."""

    identification: Identification
    oidc: OidcSettings | None
    pki: Path
    idle_timeout_s: float
    tls_cert: str | None
    tls_key: str | None


def add_web_options(
    p: argparse.ArgumentParser,
    *,
    app: str,
    listen: str,
    org: str,
    org_help: str,
    claims: tuple[tuple[str, str, str], ...],
) -> None:
    """Add the shared options of the web app ``app``, read from ``LUUKKU_<APP>_*``;
    ``claims`` are its OIDC claim options (name, default, help)."""
    prefix = f"LUUKKU_{app.upper()}_"
    p.add_argument(
        "--listen",
        type=address,
        default=env_checked(prefix + "LISTEN", address, listen),
        metavar="HOST:PORT",
        help=f"where the {app} serves HTTP(S) (default: {prefix}LISTEN, else {listen})",
    )
    p.add_argument(
        "--broker",
        type=address,
        default=env_checked(prefix + "BROKER", address, "127.0.0.1:50051"),
        metavar="HOST:PORT",
        help=f"the broker's address (default: {prefix}BROKER, else 127.0.0.1:50051)",
    )
    p.add_argument(
        "--pki",
        default=env_default(prefix + "PKI", env_default("LUUKKU_PKI", "certs/dev")),
        metavar="DIR",
        help="PKI folder with ca.pem and orgs/ORG.pem|.key "
        f"(default: {prefix}PKI, else LUUKKU_PKI, else certs/dev)",
    )
    p.add_argument(
        "--org",
        default=env_default(prefix + "ORG", org),
        metavar="ORG_ID",
        help=f"{org_help} (default: {prefix}ORG{f', else {org}' if org else ''})",
    )
    p.add_argument(
        "--identification",
        choices=("oidc", "dev"),
        default=env_default(prefix + "IDENTIFICATION", "oidc"),
        help="oidc: OpenID Connect with PKCE; dev: a labelled test page where anyone signs in "
        f"as anyone, loopback only (default: {prefix}IDENTIFICATION, else oidc)",
    )
    p.add_argument(
        "--allow-dev-identification-on-network",
        action="store_true",
        help="let --identification dev listen on a non-loopback address (never in production)",
    )
    for name, default, text in (
        ("issuer", "", "the OpenID provider's issuer URL"),
        ("client-id", "", f"the {app}'s client id at the provider"),
        ("client-secret", "", f"the {app}'s client secret (prefer the variable to the option)"),
        *claims,
        ("scope", "openid profile", "the scopes to ask for"),
    ):
        variable = prefix + "OIDC_" + name.upper().replace("-", "_")
        p.add_argument(
            f"--oidc-{name}",
            default=env_default(variable, default),
            metavar="TEXT",
            help=f"{text} (default: {variable}{f', else {default!r}' if default else ''})",
        )
    p.add_argument(
        "--idle-timeout",
        type=minutes,
        default=env_checked(prefix + "IDLE_TIMEOUT", minutes, 15.0),
        metavar="MINUTES",
        help=f"sign a person out after this long without a request "
        f"(default: {prefix}IDLE_TIMEOUT, else 15)",
    )
    p.add_argument(
        "--tls-cert",
        default=env_default(prefix + "TLS_CERT", ""),
        metavar="PEM",
        help="serve HTTPS with this certificate chain; cookies become Secure "
        f"(default: {prefix}TLS_CERT, else plain HTTP)",
    )
    p.add_argument(
        "--tls-key",
        default=env_default(prefix + "TLS_KEY", ""),
        metavar="PEM",
        help=f"the key of --tls-cert (default: {prefix}TLS_KEY)",
    )
    p.add_argument("--ready-message", default="", help=argparse.SUPPRESS)


def checked(args: argparse.Namespace) -> WebOptions:
    """The shared options of ``args``, or :class:`CliError` saying what is wrong."""
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
    return WebOptions(
        identification,
        oidc,
        pki,
        args.idle_timeout * 60,
        args.tls_cert or None,
        args.tls_key or None,
    )


def serve_until_interrupted(serving: Coroutine[object, object, None]) -> int:
    """Run a web app's ``serving`` until it ends (0) or Ctrl-C stops it (130)."""
    try:
        asyncio.run(serving)
    except KeyboardInterrupt:
        return 130
    return 0


def minutes(text: str) -> float:
    """An argparse type: a number of minutes above zero (fractions allowed: 0.5 is 30 s)."""
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("must be a number of minutes") from exc
    if not 0 < value < 7 * 24 * 60:
        raise argparse.ArgumentTypeError("must be above 0 and below a week")
    return value
