"""The `kit` command line: a thin layer that turns the kit's services into commands.

`kit X …` imports and builds only the module that holds the command X: importing every
command module and building Click's whole command tree cost a remote `kit leaderboard` and
`kit grade` ≈ 40 ms before any work (issue 12). `app` holds every command, built on first use
(`kit --help`, a mistyped command, the tests' runner).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# The command modules, in the order `kit --help` lists their commands; each has `register_commands`.
MODULES = ("workspace_cmds", "participant_cmds", "submission_cmds", "validate_cmds", "metric_cmds", "serve_cmds",
           "baseline_cmds", "backup_cmds", "checkin_cmds", "team_cmds", "webhook_cmds", "season_cmds",
           "challenge_cmds")
# Which module registers each top-level command (tests/kit/test_cli_commands.py keeps this true).
MODULE_OF = {
    "init": "workspace_cmds", "demo": "workspace_cmds",
    "register": "participant_cmds", "download": "participant_cmds", "participant": "participant_cmds",
    "grade": "submission_cmds", "submit": "submission_cmds", "submissions": "submission_cmds",
    "select": "submission_cmds", "leaderboard": "submission_cmds", "compare": "submission_cmds",
    "validate": "validate_cmds", "metrics": "metric_cmds", "serve": "serve_cmds", "baseline": "baseline_cmds",
    "backup": "backup_cmds", "restore": "backup_cmds",
    "log": "checkin_cmds", "streak": "checkin_cmds", "award": "checkin_cmds",
    "team": "team_cmds", "webhook": "webhook_cmds", "season": "season_cmds", "challenge": "challenge_cmds",
}


def build_app(modules: Iterable[str] = MODULES) -> typer.Typer:
    """The `kit` app with the commands of `modules`."""
    import typer

    from kit.cli.common import WholeSummaries

    app = typer.Typer(
        cls=WholeSummaries,
        name="kit",
        help="A Kaggle-style competition and grading kit for '27 days of …' seasons.\n\n"
        "Start with `kit demo`, or `kit init` then `kit challenge add SPEC.toml`.",
        no_args_is_help=True,
        rich_markup_mode=None,  # plain Click help: no "<bool>" beside flags, clean at 80 columns
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    for module in modules:
        importlib.import_module(f"kit.cli.{module}").register_commands(app)
    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        globals()["app"] = app = build_app()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    import typer.main

    module = MODULE_OF.get(sys.argv[1]) if len(sys.argv) > 1 else None
    # Always a group (Typer makes an app of one command that command), so `kit serve …` parses as in the whole app.
    typer.main.get_group(build_app([module]) if module else build_app())()
