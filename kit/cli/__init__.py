"""The `kit` command line: a thin layer that turns the kit's services into commands."""

from __future__ import annotations

import typer

from kit.cli import (
    backup_cmds,
    baseline_cmds,
    challenge_cmds,
    checkin_cmds,
    metric_cmds,
    participant_cmds,
    season_cmds,
    serve_cmds,
    submission_cmds,
    team_cmds,
    validate_cmds,
    webhook_cmds,
    workspace_cmds,
)
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
workspace_cmds.register(app)
participant_cmds.register_commands(app)
submission_cmds.register_commands(app)
validate_cmds.register_commands(app)
metric_cmds.register_commands(app)
serve_cmds.register_commands(app)
baseline_cmds.register_commands(app)
backup_cmds.register_commands(app)
checkin_cmds.register_commands(app)
team_cmds.register_commands(app)
webhook_cmds.register_commands(app)
app.add_typer(season_cmds.app, name="season")
app.add_typer(challenge_cmds.app, name="challenge")


def main() -> None:
    app()
