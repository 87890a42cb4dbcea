"""`kit serve` turns Nagle's algorithm off on its connections (else each kept-alive API call
waits ~40 ms for the client's delayed ACK): the socket Streamlit binds is made a TCP socket
that asyncio sets TCP_NODELAY on."""

import asyncio
import socket

import pytest

from kit.cli import web_server


def nodelay_of_accepted_connection(listening: socket.socket) -> int:
    """TCP_NODELAY on the server side of one connection accepted by asyncio, as uvicorn does."""

    async def run() -> int:
        accepted = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname())
        value = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        return value

    return asyncio.run(run())


@pytest.fixture
def starlette_server(monkeypatch):
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)  # restored afterwards
    return starlette_server


def test_streamlits_own_socket_leaves_nagle_on(starlette_server):
    assert nodelay_of_accepted_connection(starlette_server._bind_socket("127.0.0.1", 0, 8)) == 0


def test_kit_serve_sockets_turn_nagle_off(starlette_server):
    web_server._serve_with_tcp_nodelay()
    web_server._serve_with_tcp_nodelay()  # idempotent: wrapped once
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    assert listening.proto == socket.IPPROTO_TCP and not listening.getblocking()
    assert nodelay_of_accepted_connection(listening) != 0
