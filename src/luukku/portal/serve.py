"""Running the portal: the broker connection and uvicorn in one event loop."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import uvicorn

from luukku.client import TLSConfig
from luukku.portal.app import create_app
from luukku.portal.broker import BrokerLink
from luukku.portal.config import PortalConfig

log = logging.getLogger("luukku.portal")


async def serve_portal(
    config: PortalConfig,
    *,
    listen: str,
    broker: str,
    pki: Path,
    org: str,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    ready_message: str = "",
) -> None:
    """Serve until interrupted; ``ready_message`` is printed once the port accepts."""
    link = await BrokerLink.connect(broker, TLSConfig.from_pki_dir(pki, org))
    app = create_app(config, link)
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
        log.info("portal listening", extra={"fields": {"address": address}})
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
