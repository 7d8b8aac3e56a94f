"""``luukku demo``: demo data for a newcomer, and ``demo run`` behind ``make run``."""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

from luukku.cli._common import CliError, address, ensure_free, env_default, with_database
from luukku.pki import PkiPaths
from luukku.pki.dev_issuer import DevIssuer, bind_loopback

# The broker's, the portal's and the workspaces' own graceful shutdown takes at most
# about 5 s each.
_STOP_SECONDS = 30

# The demo desk's two member organisations, each with its clerks' workspace, and a clerk
# each to sign in as (the test identification takes any name and role).
_DEMO_CLERKS = (
    ("helsinki-social", "workspace_listen", "Kaisa Neuvoja", "neuvoja"),
    ("vantaa-health", "vantaa_workspace_listen", "Aino Koski", "lääkäri"),
)


def cmd_demo_setup(args: argparse.Namespace) -> int:
    from luukku.demo import setup_demo

    for line in setup_demo(Path(args.pki), args.database):
        print(line)
    return 0


def cmd_demo_run(args: argparse.Namespace) -> int:
    """Broker, portal and the two desk members' workspaces as processes, demo data told
    through the SDK, until Ctrl-C."""
    from luukku.demo import setup_demo

    for line in setup_demo(Path(args.pki), args.database):
        print(line)
    # Stop the children on SIGTERM as on Ctrl-C. SIGINT too is ours to handle: started by
    # a process that ignores it, Python keeps it ignored, and the children (which handle
    # it themselves) would stop on a Ctrl-C that we never saw, as a failure (seen in CI).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    workspaces = [getattr(args, option) for _, option, _, _ in _DEMO_CLERKS]
    for listen in (args.listen, args.portal_listen, args.metrics, args.issuer_listen, *workspaces):
        ensure_free(listen)
    luukku = [sys.executable, "-m", "luukku.cli"]
    children: list[subprocess.Popen[str]] = []
    try:
        try:
            _tell_the_demo(args, luukku, children)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CliError("the broker, the portal or a workspace stopped; see its log above")
        except KeyboardInterrupt:
            pass  # Ctrl-C or SIGTERM: the way to stop the demo, so exit 0 once all are down
    finally:
        _stop(children)
    return 0


def _tell_the_demo(
    args: argparse.Namespace, luukku: list[str], children: list[subprocess.Popen[str]]
) -> None:
    """Start the broker, tell the demo story through the SDK, start the portal and the
    workspaces, say where."""
    from luukku.client import RPCError
    from luukku.demo import DEMO_DESK
    from luukku.demo_story import DEMO_CITIZEN, seed_demo

    issuer_url = f"http://{args.issuer_listen}"
    issuer = [*(*luukku, "demo", "issuer", "--listen", args.issuer_listen, "--pki", args.pki)]
    _start(issuer, "development issuer", children)
    broker = [
        *(*luukku, "serve", "--listen", args.listen, "--pki", args.pki),
        *("--database", args.database, "--access-log", "--metrics", args.metrics),
        *("--citizen-issuer", issuer_url, "--citizen-dev-issuer"),
    ]
    _start(broker, "broker", children)
    signer = DevIssuer.load_or_create(PkiPaths(Path(args.pki)).root / ISSUER_KEY, issuer_url)
    try:
        story = asyncio.run(
            seed_demo(args.listen, Path(args.pki), lambda: signer.mint(DEMO_CITIZEN))
        )
    except RPCError as exc:
        raise CliError(f"telling the demo story failed: {exc}") from exc
    for line in story:
        print(line)
    portal = [
        *(*luukku, "portal", "--listen", args.portal_listen, "--broker", args.listen),
        *("--pki", args.pki, "--identification", "dev", "--dev-issuer", issuer_url),
    ]
    _start(portal, "portal", children)
    for org, option, _, _ in _DEMO_CLERKS:
        workspace = [
            *(*luukku, "workspace", "--listen", getattr(args, option), "--broker", args.listen),
            *("--pki", args.pki, "--org", org, "--identification", "dev"),
        ]
        _start(workspace, f"workspace of {org}", children)
    print(f"\nbroker (gRPC, mutual TLS): {args.listen}")
    print(f"metrics (HTTPS, client certificates): https://{args.metrics}/metrics")
    print(f"portal: http://{args.portal_listen}/")
    print(f"  sign in with the test identity code {DEMO_CITIZEN} (the demo citizen)")
    for org, option, name, role in _DEMO_CLERKS:
        print(f"workspace of {org} (the demo desk {DEMO_DESK}): http://{getattr(args, option)}/")
        print(f"  sign in as a clerk with any name and role, e.g. Name {name}, Role {role}")
    print("Ctrl-C stops them all.", flush=True)


def _stop(children: list[subprocess.Popen[str]]) -> None:
    """Stop the children and wait until they are down.

    A terminal's Ctrl-C reached them already (SIGTERM to us did not); either
    way each gets SIGTERM and shuts down gracefully on its own grace time.
    Only one that overruns ours, or a second Ctrl-C, is killed.
    """
    for child in children:
        if child.poll() is None:
            child.terminate()
    try:
        for child in children:
            child.wait(_STOP_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        for child in children:
            child.kill()
            child.wait()
        raise CliError("a process of the demo did not stop in time; killed them") from None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _start(command: list[str], name: str, children: list[subprocess.Popen[str]]) -> None:
    """Start ``command`` and wait for its READY line (its log goes to our stderr).

    It joins ``children`` at once, so that it is stopped with them whatever happens next.
    """
    command = [*command, "--ready-message", "READY"]
    # Our own interpreter running our own CLI, with arguments from our own options.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    children.append(process)
    assert process.stdout is not None  # stdout=PIPE
    for line in process.stdout:
        if line.strip() == "READY":
            return
    process.wait()
    raise CliError(f"the {name} did not start (exit code {process.returncode})")


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo setup`` and ``demo run``."""
    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo", required=True)
    p = with_database(demo.add_parser("setup", help="dev PKI and demo organisations, if missing"))
    _pki_option(p)
    p.set_defaults(func=cmd_demo_setup)
    run = with_database(
        demo.add_parser(
            "run", help="broker, portal, workspaces (test identification) and demo data"
        )
    )
    _pki_option(run)
    run.add_argument("--listen", type=address, default="127.0.0.1:50051", metavar="HOST:PORT")
    run.add_argument("--portal-listen", type=address, default="127.0.0.1:8080", metavar="HOST:PORT")
    run.add_argument("--metrics", type=address, default="127.0.0.1:9464", metavar="HOST:PORT")
    run.add_argument(
        "--workspace-listen",
        type=address,
        default="127.0.0.1:8090",
        metavar="HOST:PORT",
        help="the workspace of helsinki-social",
    )
    run.add_argument(
        "--vantaa-workspace-listen",
        type=address,
        default="127.0.0.1:8091",
        metavar="HOST:PORT",
        help="the workspace of vantaa-health",
    )
    run.add_argument(
        "--issuer-listen",
        type=address,
        default="127.0.0.1:8070",
        metavar="HOST:PORT",
        help="the development issuer of the citizens' tokens (loopback only)",
    )
    run.set_defaults(func=cmd_demo_run)
    p = demo.add_parser(
        "issuer",
        help="a development identity provider signing citizens' tokens for anyone (loopback)",
    )
    _pki_option(p)
    p.add_argument("--listen", type=address, default="127.0.0.1:8070", metavar="HOST:PORT")
    p.add_argument("--ready-message", default="", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo_issuer)


ISSUER_KEY = "citizen-issuer.jwk"


def cmd_demo_issuer(args: argparse.Namespace) -> int:
    """Serve the development issuer: discovery, JWKS and tokens for any identity code."""
    import uvicorn

    try:
        sock = bind_loopback(args.listen)
    except (ValueError, OSError) as exc:
        raise CliError(f"--listen: {exc}") from exc
    port = sock.getsockname()[1]
    url = f"http://{args.listen.rsplit(':', 1)[0]}:{port}"
    issuer = DevIssuer.load_or_create(Path(args.pki) / ISSUER_KEY, url)
    server = uvicorn.Server(
        uvicorn.Config(issuer.app(), log_config=None, access_log=False, server_header=False)
    )

    async def run() -> None:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn's flag
            await asyncio.sleep(0.05)
        if args.ready_message:
            print(args.ready_message.format(address=url, port=port), flush=True)
        await serving

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        return 130
    return 0


def _pki_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--pki",
        default=env_default("LUUKKU_PKI", "certs/dev"),
        help="PKI folder to create or use (default: LUUKKU_PKI, else certs/dev)",
    )
