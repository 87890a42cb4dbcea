"""`kit team` as a client of a real `kit serve`: create, join, show, list and leave over HTTP, from a folder
with no workspace, printing as the local commands do (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from kit.cli import app


def both_modes(organizer, *args: str, token: str = "") -> tuple:
    runner = CliRunner()
    base = {"COLUMNS": "200", "KIT_TOKEN": token, "KIT_ORGANIZER_TOKEN": ""}
    local = runner.invoke(app, list(args), env={**base, "KIT_WORKSPACE": str(organizer.folder),
                                                 "KIT_DATABASE_URL": organizer.database_url or "", "KIT_SERVER": ""})
    remote = runner.invoke(app, list(args), env={**base, "KIT_SERVER": organizer.base, "KIT_WORKSPACE": "/nonexistent"})
    return (local.exit_code, local.output), (remote.exit_code, remote.output)


def test_teams_from_a_remote_client(organizer, remote):
    alice, bob = organizer.tokens["alice"], organizer.tokens["bob"]
    created = remote("team", "create", "Remote Rowers", token=alice)
    assert created.returncode == 0, created.stderr
    code = re.search(r"Invite code: (team_[A-Za-z0-9_-]+)", created.stdout).group(1)
    wrong = remote("team", "join", "team_nope", token=bob)
    assert wrong.returncode == 1 and "No team has that invite code" in wrong.stderr
    joined = remote("team", "join", code, token=bob)
    assert joined.returncode == 0 and "alice, bob" in joined.stdout

    local, over_http = both_modes(organizer, "team", "show", token=bob)
    assert over_http == local and code in local[1]
    local, over_http = both_modes(organizer, "team", "show", "--json", token=bob)
    assert over_http == local
    local, over_http = both_modes(organizer, "team", "list")
    assert over_http == local and "Remote Rowers" in local[1] and code not in local[1]

    left = remote("team", "leave", token=bob)
    assert left.returncode == 0 and "You left team Remote Rowers." in left.stdout
    alone = remote("team", "show", token=bob)
    assert alone.returncode == 1 and "not in a team" in alone.stderr
    # The client never imports the database side.
    assert all(not heavy for argv, heavy in remote.imported()), remote.imported()
