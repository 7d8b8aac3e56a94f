"""The portal's sign-in in test identification survives the issuer closing an idle connection.

The development issuer (uvicorn) closes a kept-alive connection after 5 s idle,
and the portal's HTTP client keeps one for 5 s: a sign-in sent at that moment
went out on a connection the issuer was closing, failed, and the citizen stayed
on the sign-in page (seen once in a full run of the suite, on a busy machine).
Here an issuer closes the kept-alive connection as the second request reaches
it, every time, without answering it.
"""

from __future__ import annotations

import asyncio
import json

import httpx

from luukku.portal.citizen_proof import from_dev_issuer

TOKEN = "header.payload.signature"


async def _answer(writer: asyncio.StreamWriter) -> None:
    body = json.dumps({"id_token": TOKEN, "expires_in": 600}).encode()
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()


async def _read_request(reader: asyncio.StreamReader) -> bool:
    """One request read whole (headers and form body); False when the client left."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return False
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    await reader.readexactly(length)
    return True


async def test_a_token_asked_on_a_connection_the_issuer_closes_is_asked_again_on_a_new_one():
    connections = requests = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections, requests
        connections += 1
        served_here = 0
        try:
            while await _read_request(reader):
                requests += 1
                if served_here == 1:
                    return  # closed as idle just as this request arrived: no answer
                served_here += 1
                await _answer(writer)
        except ConnectionError:
            return
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    issuer = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=5.0) as http:
            first = await from_dev_issuer(http, issuer, "010190-900P", "Maija")
            second = await from_dev_issuer(http, issuer, "010190-900P", "Maija")
    finally:
        server.close()
        await server.wait_closed()

    assert first is not None
    assert first.token == TOKEN
    assert second is not None, "the sign-in failed"
    assert second.token == TOKEN
    # The second request went out on the first connection, which ended under it.
    assert requests == 3
    assert connections == 2
