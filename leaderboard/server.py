"""Starting the app: `kit serve` and `kit demo` run Streamlit on a workspace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from kit.errors import KitError
from kit.settings import resolve_settings
from kit.workspace import open_workspace

APP_DIR = Path(__file__).resolve().parent
APP = APP_DIR / "app.py"


def streamlit_command(port: int, address: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if address:
        command += ["--server.address", address]
    return command


def server_env(workspace: Path | None, database_url: str | None) -> dict[str, str]:
    """The environment the app reads its workspace from (resolved here, so the app's cwd does not matter)."""
    settings = resolve_settings(workspace, database_url)
    env = dict(os.environ)
    env["KIT_WORKSPACE"] = str(settings.workspace)
    env["KIT_DATABASE_URL"] = settings.database_url
    # The app lives in leaderboard/; the project must import from it whether installed or not.
    root = str(APP_DIR.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def start_server(workspace: Path | None, port: int, database_url: str | None = None,
                 address: str | None = None, quiet: bool = False) -> subprocess.Popen:
    """Start Streamlit in the background (checking the workspace first); the caller stops it."""
    open_workspace(workspace, database_url)  # a clear error now rather than a broken page later
    output = subprocess.DEVNULL if quiet else None
    # Run from leaderboard/ so Streamlit picks up leaderboard/.streamlit/config.toml (the theme).
    return subprocess.Popen(streamlit_command(port, address), cwd=APP_DIR, env=server_env(workspace, database_url),
                            stdout=output, stderr=output)


def run_server(workspace: Path | None, port: int, database_url: str | None, address: str | None = None) -> int:
    """Serve the leaderboard until Ctrl-C; returns the exit code. Blocks."""
    try:
        process = start_server(workspace, port, database_url, address)
    except KitError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    settings = resolve_settings(workspace, database_url)
    host = address if address and address not in ("0.0.0.0", "::") else "localhost"
    print(f"Leaderboard for {settings.workspace} at http://{host}:{port}  (Ctrl-C to stop)", flush=True)
    # Stopping `kit serve` (SIGTERM) stops Streamlit too; Ctrl-C reaches both through the terminal.
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
