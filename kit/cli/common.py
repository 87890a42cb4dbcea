"""What every command shares: the workspace option, consoles, turning errors into messages."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from kit.cli import coercion
from kit.errors import InvalidInputError, KitError
from kit.text import is_utf8

coercion.install()  # before any command parses: plain values without pydantic

# Everything printed holds text people typed (names, messages, titles, CSV values quoted in
# rejections), so the consoles never read markup, emoji codes or highlighting in it: a
# `[/x]` is printed as `[/x]`. Styling is explicit, with `styled`.
console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", envvar="KIT_WORKSPACE", show_envvar=True,
                 help="The workspace folder (./kit-workspace when not given).", show_default=False),
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
ServerOption = Annotated[
    str | None,
    typer.Option("--server", envvar="KIT_SERVER", show_envvar=True,
                 help="A kit server's address (http://host:port): talk to its API instead of a local workspace.",
                 show_default=False),
]


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line from plain strings and (text, style) pairs; no part is ever read as markup."""
    return Text.assemble(*parts)


def status_text(text: str) -> Text:
    # Rich's status spinner parses a plain string as markup whatever the console says.
    return Text(text)


def _refuse_non_utf8(arguments: dict[str, Any]) -> None:
    # A byte that is not UTF-8 on the command line arrives as a lone surrogate; refused here,
    # naming the argument, before any work (paths are left alone: a file name may be any bytes).
    for name, value in arguments.items():
        if isinstance(value, str) and not is_utf8(value):
            raise InvalidInputError(f"The {name.replace('_', ' ')} given is not valid UTF-8 text: it holds a byte "
                                    "that is no character (often a terminal in another encoding). Type it again.")


class WholeSummaries(TyperGroup):
    """A command group whose list of commands wraps each summary instead of cutting it with "…".

    (Click cuts summaries to fit one line; at 80 columns that hid what half the commands do.)
    """

    def format_commands(self, ctx, formatter) -> None:
        rows = [(name, command.get_short_help_str(limit=1_000)) for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def reports_errors(command: Callable) -> Callable:
    """Turn a KitError into its message on stderr and exit code 1 (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _refuse_non_utf8(kwargs)
            return command(*args, **kwargs)
        except KitError as error:
            err_console.print(styled(("Error:", "bold red"), f" {error}"))
            raise typer.Exit(1) from None

    return wrapper


def open_workspace(workspace: Path | None):
    """The workspace at the current schema; imported late so `kit --help` and `kit grade` start fast."""
    from kit.store.workspace import open_workspace as open_existing

    return open_existing(workspace)


def _finite(data: Any) -> Any:
    # JSON has no NaN or Infinity: a score that is not a number is null.
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(value) for value in data]
    return data


def connect(server: str, token: str | None = None):
    """The API client for `--server`/KIT_SERVER; remote mode never opens a workspace or a database."""
    from kit.client.api import ApiClient

    return ApiClient(server, token)


def iso_utc(text: str) -> str:
    """An API timestamp ("…Z") written as the local commands write theirs ("…+00:00")."""
    from datetime import datetime

    return datetime.fromisoformat(text).isoformat()


def print_json(data: Any) -> None:
    # Plain print: Rich would wrap long lines and break the JSON.
    print(json.dumps(_finite(data), indent=2, default=str, ensure_ascii=False, allow_nan=False))


def arrow(direction: str) -> str:
    return "↑" if direction == "higher" else "↓"
