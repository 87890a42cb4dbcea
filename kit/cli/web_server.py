"""The server: one uvicorn process serving the web app and the JSON API on one address.

Streamlit's `st.App` runs the leaderboard under uvicorn and takes extra routes; the API
(FastAPI) is mounted at /api/v1 and the sign-in cookie routes at /auth. This module is
the composition root for the server: it alone knows both front ends.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

from kit.errors import KitError
from kit.store.web_sessions import DEFAULT_LIFETIME
from kit.store.workspace import Workspace, open_workspace

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_SCRIPT = PROJECT_ROOT / "leaderboard" / "app.py"


def _serve_with_tcp_nodelay() -> None:
    """Make the server's sockets TCP sockets to asyncio, so it turns Nagle's algorithm off.

    Streamlit binds the listening socket itself with `socket.socket(family)`, whose `proto`
    is 0; asyncio sets TCP_NODELAY only on connections whose `proto` is IPPROTO_TCP. Without
    it, a response written in two pieces (headers, body) on a kept-alive connection waits for
    the client's delayed ACK: about 40 ms on every API call after the first.
    """
    import socket

    from streamlit.web.server.starlette import starlette_server

    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None or getattr(bind, "tcp_nodelay", False):
        return

    def bind_tcp_socket(address: str, port: int, backlog: int) -> socket.socket:
        bound = bind(address, port, backlog)
        tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.setblocking(False)
        tcp.set_inheritable(True)
        return tcp

    bind_tcp_socket.tcp_nodelay = True  # type: ignore[attr-defined]  # uvicorn reads this flag off the function
    starlette_server._bind_socket = bind_tcp_socket


def build_app(workspace: Workspace, sign_in_lifetime: timedelta = DEFAULT_LIFETIME, submit_pool=None):
    """The ASGI application: the leaderboard with the API and the sign-in routes beside it."""
    import streamlit as st
    from starlette.middleware import Middleware
    from starlette.routing import Mount

    from kit.api.app import API_PREFIX, create_api
    from kit.api.web_auth import auth_routes
    from kit.services.sign_in_throttle import MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_NAME, SignInThrottle

    api = Mount(API_PREFIX, app=create_api(workspace, throttle=SignInThrottle(MAX_FAILURES_PER_CLIENT),
                                          submit_pool=submit_pool))
    sign_in_form = auth_routes(workspace, SignInThrottle(MAX_FAILURES_PER_NAME), sign_in_lifetime)
    return st.App(APP_SCRIPT, routes=[api, *sign_in_form],
                  middleware=[Middleware(ApiFirst, api=api, prefix=API_PREFIX)])


class ApiFirst:
    """ASGI middleware: API requests go straight to the API, past the middleware Streamlit adds
    for its pages (cookie sessions, gzip, static path checks), which cost each API call
    milliseconds of CPU and do nothing for JSON. Everything else goes on to the web app."""

    def __init__(self, app, api, prefix: str):
        from starlette.routing import Router

        # A router of its own, so that url_for inside the API still yields /api/v1/... paths.
        self.app, self.api, self.prefix = app, Router(routes=[api]), prefix

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == self.prefix or path.startswith(self.prefix + "/"):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def run_server(workspace: Path | None, port: int, database_url: str | None, address: str | None = None,
               sign_in_lifetime: timedelta = DEFAULT_LIFETIME, submit_workers: int = 0) -> int:
    """Serve until Ctrl-C or SIGTERM; returns the exit code. Blocks. With `submit_workers`, API
    submissions are graded and stored in that many worker processes (kit.api.submit_pool)."""
    try:
        ws = open_workspace(workspace, database_url)  # a clear error now rather than a broken page later
    except KitError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    # The pages find the workspace the same way the CLI does.
    os.environ["KIT_WORKSPACE"] = str(ws.settings.workspace)
    os.environ["KIT_DATABASE_URL"] = ws.settings.database_url
    host = address if address and address not in ("0.0.0.0", "::") else "localhost"
    print(f"Leaderboard for {ws.settings.workspace} at http://{host}:{port}  (Ctrl-C to stop)\n"
          f"API at http://{host}:{port}/api/v1  (docs: http://{host}:{port}/api/v1/docs)", flush=True)
    from kit.api.submit_pool import SubmitPool

    pool = SubmitPool(ws, submit_workers) if submit_workers > 0 else None
    app = build_app(ws, sign_in_lifetime, pool)
    _serve_with_tcp_nodelay()
    # st.App treats the launching script as the app's home: the leaderboard's folder gives it
    # its .streamlit/config.toml (the theme) and its imports.
    sys.argv = [str(APP_SCRIPT)]
    config: dict[str, object] = {"server.port": port, "server.headless": True, "browser.gatherUsageStats": False}
    if address:
        config["server.address"] = address
    try:
        app.run(config=config)
    finally:
        if pool is not None:
            pool.close()
    return 0
