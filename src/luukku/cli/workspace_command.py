"""``luukku workspace``: the clerks' web app of a member organisation, a client of the broker."""

from __future__ import annotations

import argparse

from luukku.cli import _web_options
from luukku.cli._common import CliError


def cmd_workspace(args: argparse.Namespace) -> int:
    from luukku.workspace.app import serve_workspace
    from luukku.workspace.config import WorkspaceConfig

    if not args.org:
        raise CliError("--org (or LUUKKU_WORKSPACE_ORG) names the workspace's organisation")
    options = _web_options.checked(args)
    config = WorkspaceConfig(
        org=args.org,
        identification=options.identification,
        oidc=options.oidc,
        role_claim=args.oidc_role_claim,
        idle_timeout_s=options.idle_timeout_s,
        secure_cookies=options.tls_cert is not None,
    )
    return _web_options.serve_until_interrupted(
        serve_workspace(
            config,
            listen=args.listen,
            broker=args.broker,
            pki=options.pki,
            tls_cert=options.tls_cert,
            tls_key=options.tls_key,
            ready_message=args.ready_message,
        )
    )


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``workspace``."""
    p = sub.add_parser("workspace", help="run the clerks' workspace of a member organisation")
    _web_options.add_web_options(
        p,
        app="workspace",
        listen="127.0.0.1:8090",
        org="",
        org_help="the member organisation whose certificate the workspace holds",
        claims=(("role-claim", "role", "the claim with the clerk's role"),),
    )
    p.set_defaults(func=cmd_workspace)
