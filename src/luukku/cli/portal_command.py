"""``luukku portal``: the citizen's web portal, a client of the broker."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from luukku.cli import _web_options
from luukku.cli._common import CliError, env_default
from luukku.web.config import Identification, is_loopback


def cmd_portal(args: argparse.Namespace) -> int:
    from luukku.portal.config import PortalConfig
    from luukku.portal.serve import serve_portal

    options = _web_options.checked(args)
    config = PortalConfig(
        identification=options.identification,
        log_verifier_key=_verifier_key(args.log_verifier_key, options.pki),
        oidc=options.oidc,
        identity_claim=args.oidc_identity_claim,
        idle_timeout_s=options.idle_timeout_s,
        secure_cookies=options.tls_cert is not None,
        dev_issuer=_dev_issuer(args.dev_issuer, options.identification),
    )
    return _web_options.serve_until_interrupted(
        serve_portal(
            config,
            listen=args.listen,
            broker=args.broker,
            pki=options.pki,
            org=args.org,
            tls_cert=options.tls_cert,
            tls_key=options.tls_key,
            ready_message=args.ready_message,
        )
    )


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``portal``."""
    p = sub.add_parser("portal", help="run the citizen portal (a web app on the broker)")
    _web_options.add_web_options(
        p,
        app="portal",
        listen="127.0.0.1:8080",
        org="omaportaali",
        org_help="the portal's organisation, of kind PORTAL",
        claims=(
            (
                "identity-claim",
                "personal_identity_code",
                "the claim with the personal identity code",
            ),
        ),
    )
    p.add_argument(
        "--log-verifier-key",
        default=env_default("LUUKKU_PORTAL_LOG_VERIFIER_KEY", ""),
        metavar="FILE",
        help="the audit log's public verifier key, to prove each row of the access log "
        "(default: LUUKKU_PORTAL_LOG_VERIFIER_KEY, else audit-log.vkey in --pki if there)",
    )
    p.add_argument(
        "--dev-issuer",
        default=env_default("LUUKKU_PORTAL_DEV_ISSUER", ""),
        metavar="URL",
        help="test identification only: the development issuer (on loopback) that signs the "
        "token the broker needs for the citizen, as `luukku demo run` starts it "
        "(default: LUUKKU_PORTAL_DEV_ISSUER)",
    )
    p.set_defaults(func=cmd_portal)


def _dev_issuer(url: str, identification: Identification) -> str | None:
    if not url:
        return None
    if identification is not Identification.DEV:
        raise CliError("--dev-issuer is for test identification (--identification dev) only")
    if urlsplit(url).scheme not in ("http", "https") or not is_loopback(
        urlsplit(url).hostname or ""
    ):
        raise CliError("--dev-issuer must be an http(s) URL on loopback")
    return url.rstrip("/")


def _verifier_key(path: str, pki: Path) -> str | None:
    """The verifier key's text from ``path``, else from the PKI folder, else None."""
    chosen = Path(path) if path else pki / "audit-log.vkey"
    if not chosen.is_file():
        if path:
            raise CliError(f"cannot read {path}")
        return None
    return chosen.read_text().strip()
