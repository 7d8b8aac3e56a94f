"""Running the portal: the broker connection and the web server in one event loop."""

from __future__ import annotations

from pathlib import Path

from luukku.client import TLSConfig
from luukku.portal.app import create_app
from luukku.portal.config import PortalConfig
from luukku.web.broker import BrokerLink
from luukku.web.serve import serve


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
    await serve(
        app,
        name="portal",
        listen=listen,
        tls_cert=tls_cert,
        tls_key=tls_key,
        ready_message=ready_message,
    )
