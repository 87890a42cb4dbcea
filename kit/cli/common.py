"""What every command shares: the workspace option, consoles, turning errors into messages."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Annotated, Any, Callable

import typer
from rich.console import Console

from kit.errors import KitError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", envvar="KIT_WORKSPACE", show_envvar=True,
                 help="The workspace folder [default: ./kit-workspace].", show_default=False),
]
OrganizerTokenOption = Annotated[
    str | None,
    typer.Option("--organizer-token", envvar="KIT_ORGANIZER_TOKEN", show_envvar=True,
                 help="The organizer token printed by `kit init`.", show_default=False),
]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", "-t", envvar="KIT_TOKEN", show_envvar=True,
                 help="Your participant token from `kit register`.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def reports_errors(command: Callable) -> Callable:
    """Turn a KitError into its message on stderr and exit code 1 (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KitError as error:
            err_console.print(f"[bold red]Error:[/] {error}", markup=True, highlight=False)
            raise typer.Exit(1) from None

    return wrapper


def open_workspace(workspace: Path | None):
    """The workspace at the current schema; imported late so `kit --help` and `kit grade` start fast."""
    from kit.workspace import open_workspace as open_existing

    return open_existing(workspace)


def print_json(data: Any) -> None:
    # Plain print: Rich would wrap long lines and break the JSON.
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def arrow(direction: str) -> str:
    return "↑" if direction == "higher" else "↓"
