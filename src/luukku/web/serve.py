"""Serving a web app: uvicorn in the app's event loop, quiet logs, a ready message."""

from __future__ import annotations

import asyncio
import logging

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger("luukku.web")


async def serve(
    app: ASGIApp,
    *,
    name: str,
    listen: str,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    ready_message: str = "",
) -> None:
    """Serve ``app`` until interrupted; ``ready_message`` is printed once the port accepts,
    with ``{address}`` in it replaced by the app's address; ``name`` names it in the log."""
    host, _, port = listen.rpartition(":")
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host.strip("[]"),
            port=int(port),
            log_config=None,  # the JSON lines of luukku.logs, not uvicorn's own format
            access_log=False,  # paths and queries stay out of the log
            ssl_certfile=tls_cert,
            ssl_keyfile=tls_key,
            proxy_headers=False,
            server_header=False,
            # Live pages hold their event streams open: stop waiting for them after 5 s.
            timeout_graceful_shutdown=5,
        )
    )

    async def announce() -> None:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.05)
        scheme = "https" if tls_cert else "http"
        address = f"{scheme}://{host}:{_bound_port(server) or port}/"
        log.info("%s listening", name, extra={"fields": {"address": address}})
        if ready_message:
            print(ready_message.format(address=address), flush=True)

    announcer = asyncio.create_task(announce())
    try:
        await server.serve()
    finally:
        announcer.cancel()


def _bound_port(server: uvicorn.Server) -> int | None:
    for s in server.servers:
        for sock in s.sockets:
            return int(sock.getsockname()[1])
    return None
