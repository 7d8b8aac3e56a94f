"""``luukku serve``: the broker."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import urlsplit

from luukku.audit.checkpoints import CHECKPOINT_SECONDS, LogKeyError, LogSigner
from luukku.cli._common import (
    CliError,
    address,
    ensure_free,
    env_checked,
    env_default,
    positive_int,
    with_database,
)
from luukku.pki import PkiPaths
from luukku.server.blocking import DB_WORKERS
from luukku.server.gate.citizen_token import (
    ACR_RANK,
    EIDAS_SUBSTANTIAL,
    SUOMI_FI_IDENTITY_CLAIM,
    CitizenTokens,
    CitizenTrust,
)
from luukku.server.gate.issuer_keys import DiscoveredKeys, IssuerKeys, JwksFile
from luukku.server.gate.quotas import DEFAULT_CALLS_PER_ORG, DEFAULT_STREAMS_PER_ORG, Limits
from luukku.store.errors import StorageUnavailable
from luukku.store.opening import database_kind
from luukku.web.config import is_loopback


def cmd_serve(args: argparse.Namespace) -> int:
    from luukku.server import loop
    from luukku.server.app import serve
    from luukku.server.gate.observe import log_every_call

    log_every_call(args.access_log)
    pki = Path(args.pki)
    for name in ("ca.pem", "server.pem", "server.key"):
        if not (pki / name).exists():
            raise CliError(f"{pki / name} is missing: run `luukku pki init --dir {pki}`")
    signer = _log_signer(args.log_key or str(PkiPaths(pki).log_key))
    if args.workers is None:
        args.workers = default_workers(args.database)
    if args.workers > 1:
        return _supervise(args)
    if not args.reuse_port:  # a worker: its supervisor checked the address and holds it
        ensure_free(args.listen)
    if args.metrics:
        ensure_free(args.metrics)
    try:
        loop.run(
            serve(
                args.listen,
                pki,
                args.database,
                on_ready=args.ready_message,
                metrics_listen=args.metrics or "",
                limits=Limits(args.max_calls_per_org, args.max_streams_per_org),
                reuse_port=args.reuse_port,
                signer=signer,
                checkpoint_seconds=args.checkpoint_seconds,
                db_workers=args.db_workers,
                citizen_tokens=_citizen_tokens(args),
                audit_archive=_audit_archive(args),
            )
        )
    except (OSError, StorageUnavailable) as exc:
        raise CliError(str(exc)) from exc
    return 0


def default_workers(database_url: str) -> int:
    """On PostgreSQL, one broker process per core this process may run on; else one.

    One process is one event loop, about one core; replicas need PostgreSQL to
    share live news, and SQLite has one writer anyway.
    """
    try:
        kind = database_kind(database_url)
    except StorageUnavailable:  # refused with its reason when the broker opens it
        return 1
    return len(os.sched_getaffinity(0)) if kind == "postgresql" else 1


def _audit_archive(args: argparse.Namespace) -> Path | None:
    if not args.audit_archive:
        return None
    folder = Path(args.audit_archive)
    if not folder.is_dir():
        raise CliError(f"--audit-archive {folder}: no such folder")
    return folder


def _citizen_tokens(args: argparse.Namespace) -> CitizenTokens | None:
    """How the broker checks the citizens' tokens portals forward; None: no issuer trusted."""
    if not args.citizen_issuer:
        if args.citizen_jwks:
            raise CliError("--citizen-jwks needs --citizen-issuer (the tokens' iss)")
        return None
    issuer = args.citizen_issuer
    url = urlsplit(issuer)
    if args.citizen_dev_issuer:
        if not is_loopback(url.hostname or "") or not is_loopback(
            args.listen.rsplit(":", 1)[0].strip("[]")
        ):
            raise CliError(
                "--citizen-dev-issuer: the development issuer and the broker must be on loopback"
            )
    elif url.scheme != "https" and not args.citizen_jwks:
        raise CliError(
            "--citizen-issuer must be https (a development issuer: --citizen-dev-issuer)"
        )
    try:
        trust = CitizenTrust(
            issuer=issuer, min_acr=args.citizen_min_acr, identity_claim=args.citizen_id_claim
        )
    except ValueError as exc:
        raise CliError(f"--citizen-min-acr: {exc}") from exc
    if args.citizen_jwks:
        try:
            keys: IssuerKeys = JwksFile(Path(args.citizen_jwks))
        except (OSError, ValueError) as exc:
            raise CliError(f"--citizen-jwks: cannot read {args.citizen_jwks}") from exc
    else:
        keys = DiscoveredKeys(issuer)
    return CitizenTokens(trust, keys)


def _log_signer(path: str) -> LogSigner:
    """The audit log's signer key; one line if it is missing or malformed."""
    if not Path(path).exists():
        raise CliError(f"{path} is missing: run `luukku audit keygen` to make the audit log key")
    try:
        return LogSigner.load(Path(path))
    except LogKeyError as exc:
        raise CliError(f"{path}: {exc}") from exc


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0.01 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds from 0.01 to 3600")
    return seconds


# Options the supervisor of ``--workers`` does not pass on to its workers.
_SUPERVISOR_ONLY = frozenset(
    {"help", "listen", "workers", "reuse_port", "ready_message", "metrics", "serve_parser"}
)


def _supervise(args: argparse.Namespace) -> int:
    """Run ``--workers`` broker processes sharing the address (see ``cli.workers``)."""
    from luukku.cli import workers

    try:
        kind = database_kind(args.database)
    except StorageUnavailable as exc:
        raise CliError(f"--database: {exc}") from exc
    if kind != "postgresql":
        raise CliError(
            "--workers needs PostgreSQL: live news between processes travels by LISTEN/NOTIFY"
        )
    ensure_free(args.listen)
    if args.metrics:
        ensure_free(args.metrics)
    return workers.supervise(
        args.workers,
        args.listen,
        _worker_argv(args),
        args.ready_message,
        metrics=workers.Metrics(args.metrics, Path(args.pki)) if args.metrics else None,
    )


def _worker_argv(args: argparse.Namespace) -> list[str]:
    """The ``serve`` options a worker gets: every one given or defaulted, but the supervisor's."""
    argv: list[str] = []
    for action in args.serve_parser._actions:
        if not action.option_strings or action.dest in _SUPERVISOR_ONLY:
            continue
        value = getattr(args, action.dest, None)
        if isinstance(action, argparse._StoreTrueAction):
            argv += [action.option_strings[-1]] if value else []
        elif value is not None:
            argv.append(f"{action.option_strings[-1]}={value}")
    return argv


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve``."""
    p = with_database(sub.add_parser("serve", help="run the broker (mutual TLS only)"))
    p.add_argument(
        "--listen",
        type=address,
        default=env_checked("LUUKKU_LISTEN", address, "127.0.0.1:50051"),
        metavar="HOST:PORT",
        help="where the broker listens (default: LUUKKU_LISTEN, else 127.0.0.1:50051; "
        "port 0: any free port)",
    )
    p.add_argument(
        "--pki",
        default=env_default("LUUKKU_PKI", "certs/dev"),
        help="PKI folder with ca.pem, server.pem and server.key "
        "(default: LUUKKU_PKI, else certs/dev)",
    )
    p.add_argument(
        "--access-log",
        action="store_true",
        default=os.environ.get("LUUKKU_ACCESS_LOG") == "1",
        help="log every call (default: only calls that fail; each line costs the broker "
        "about a tenth of a call's time; LUUKKU_ACCESS_LOG=1)",
    )
    p.add_argument(
        "--metrics",
        type=address,
        default=env_checked("LUUKKU_METRICS_LISTEN", address, None),
        metavar="HOST:PORT",
        help="serve Prometheus metrics here, over HTTPS with client certificates of the hub CA "
        "(default: LUUKKU_METRICS_LISTEN, else none)",
    )
    p.add_argument(
        "--max-calls-per-org",
        type=positive_int,
        default=env_checked("LUUKKU_MAX_CALLS_PER_ORG", positive_int, DEFAULT_CALLS_PER_ORG),
        metavar="N",
        help="unary calls one organisation may have in flight; more are refused with "
        f"QUOTA_EXCEEDED (default: LUUKKU_MAX_CALLS_PER_ORG, else {DEFAULT_CALLS_PER_ORG})",
    )
    p.add_argument(
        "--max-streams-per-org",
        type=positive_int,
        default=env_checked("LUUKKU_MAX_STREAMS_PER_ORG", positive_int, DEFAULT_STREAMS_PER_ORG),
        metavar="N",
        help="watch streams one organisation may hold open "
        f"(default: LUUKKU_MAX_STREAMS_PER_ORG, else {DEFAULT_STREAMS_PER_ORG})",
    )
    p.add_argument(
        "--log-key",
        default=os.environ.get("LUUKKU_LOG_KEY", ""),
        metavar="FILE",
        help="the audit log's signer key (default: LUUKKU_LOG_KEY, else audit-log.key in --pki)",
    )
    p.add_argument(
        "--checkpoint-seconds",
        type=_seconds,
        default=env_checked("LUUKKU_CHECKPOINT_SECONDS", _seconds, CHECKPOINT_SECONDS),
        metavar="S",
        help="sign a checkpoint of the audit log this often while it grows "
        f"(default: LUUKKU_CHECKPOINT_SECONDS, else {CHECKPOINT_SECONDS:g})",
    )
    p.add_argument(
        "--audit-archive",
        default=os.environ.get("LUUKKU_AUDIT_ARCHIVE", ""),
        metavar="DIR",
        help="the folder of `luukku audit archive`'s files: audit listings read the archived "
        "months from it too, new ones as they come (default: LUUKKU_AUDIT_ARCHIVE, else none)",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=env_checked("LUUKKU_WORKERS", positive_int, None),
        metavar="N",
        help="run N broker processes behind --listen, sharing its port among themselves only "
        "(PostgreSQL only; default: LUUKKU_WORKERS, else the number of cores on PostgreSQL "
        "and 1 on SQLite)",
    )
    p.add_argument(
        "--db-workers",
        type=positive_int,
        default=env_checked("LUUKKU_DB_WORKERS", positive_int, DB_WORKERS),
        metavar="N",
        help="database threads on PostgreSQL; few is faster, as every audited call takes the "
        f"audit log's one lock (default: LUUKKU_DB_WORKERS, else {DB_WORKERS})",
    )
    _citizen_options(p)
    p.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--ready-message", default="", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve, serve_parser=p)


def _citizen_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--citizen-issuer",
        default=env_default("LUUKKU_CITIZEN_ISSUER", ""),
        metavar="URL",
        help="the identity provider whose signed tokens prove the citizen a portal acts for "
        "(its iss; keys from its discovery document unless --citizen-jwks); without it no "
        "call may act for a citizen (default: LUUKKU_CITIZEN_ISSUER)",
    )
    p.add_argument(
        "--citizen-jwks",
        default=env_default("LUUKKU_CITIZEN_JWKS", ""),
        metavar="FILE",
        help="the provider's public keys as a JWKS file, for closed networks "
        "(default: LUUKKU_CITIZEN_JWKS)",
    )
    p.add_argument(
        "--citizen-min-acr",
        default=env_default("LUUKKU_CITIZEN_MIN_ACR", EIDAS_SUBSTANTIAL),
        choices=sorted(ACR_RANK),
        metavar="ACR",
        help="the weakest authentication level accepted (eIDAS or Suomi.fi names; "
        f"default: LUUKKU_CITIZEN_MIN_ACR, else {EIDAS_SUBSTANTIAL})",
    )
    p.add_argument(
        "--citizen-id-claim",
        default=env_default("LUUKKU_CITIZEN_ID_CLAIM", SUOMI_FI_IDENTITY_CLAIM),
        metavar="CLAIM",
        help="the token's claim with the personal identity code "
        f"(default: LUUKKU_CITIZEN_ID_CLAIM, else Suomi.fi's {SUOMI_FI_IDENTITY_CLAIM})",
    )
    p.add_argument(
        "--citizen-dev-issuer",
        action="store_true",
        default=os.environ.get("LUUKKU_CITIZEN_DEV_ISSUER") == "1",
        help="trust a development issuer over plain HTTP (luukku demo run's); both it and "
        "the broker must be on loopback (LUUKKU_CITIZEN_DEV_ISSUER=1)",
    )
