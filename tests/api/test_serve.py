"""``pantau serve --workers N``: the shared listening socket lets asyncio switch Nagle's algorithm off."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from pantau.cli import tcp_listener


def _nodelay_of_accepted_connection(listener: socket.socket) -> int:
    async def run() -> int:
        seen: list[int] = []

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=listener)
        reader, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        await reader.read()
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    return asyncio.run(run())


def test_worker_connections_have_tcp_nodelay() -> None:
    config = uvicorn.Config("pantau.api.app:app_from_environment", host="127.0.0.1", port=0, workers=2)
    listener = tcp_listener(config)
    assert listener.proto == socket.IPPROTO_TCP and listener.get_inheritable()
    assert _nodelay_of_accepted_connection(listener) != 0
