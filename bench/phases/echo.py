"""A bare grpc.aio echo server: the same mutual TLS as the broker, no database, no audit.

``python -m bench.phases.echo --listen 127.0.0.1:0 --pki DIR`` prints ``READY PORT``
once it serves ``/bench.Echo/Echo`` (raw bytes in, the same bytes out), then
runs until SIGTERM or SIGINT. It runs on uvloop, as the broker does where
uvloop is installed, so that the comparison stays like for like.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import grpc
import uvloop

from bench.harness.tls import SERVER_OPTIONS, server_credentials

SERVICE = "bench.Echo"
METHOD = f"/{SERVICE}/Echo"


async def _echo(request: bytes, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
    return request


async def serve(listen: str, pki: Path) -> None:
    """Serve the echo method until told to stop."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    server = grpc.aio.server(options=SERVER_OPTIONS)
    handler = grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "Echo": grpc.unary_unary_rpc_method_handler(
                _echo,
                request_deserializer=None,
                response_serializer=None,
            )
        },
    )
    server.add_generic_rpc_handlers((handler,))
    port = server.add_secure_port(listen, server_credentials(pki))
    await server.start()
    print(f"READY {port}", flush=True)
    await stopping.wait()
    await server.stop(1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.phases.echo", description=__doc__)
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--pki", required=True, type=Path)
    args = parser.parse_args(argv)
    uvloop.run(serve(args.listen, args.pki))


if __name__ == "__main__":
    main()
