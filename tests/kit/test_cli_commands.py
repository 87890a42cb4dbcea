"""`kit X` builds only X's command module: the table that says where each command lives stays
true, and a command reached that way parses and helps as in the whole app."""

from __future__ import annotations

import sys

import pytest

import kit.cli
from kit.cli import MODULE_OF, MODULES, build_app


def names(app) -> set[str]:
    return ({info.name or info.callback.__name__.replace("_", "-") for info in app.registered_commands}
            | {info.name for info in app.registered_groups})


def test_every_command_is_found_in_its_module():
    for module in MODULES:
        assert names(build_app([module])) == {name for name, home in MODULE_OF.items() if home == module}, module
    assert names(kit.cli.app) == set(MODULE_OF)


def run(entry, argv, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["kit", *argv])
    with pytest.raises(SystemExit) as exited:
        entry()
    printed = capsys.readouterr()
    return exited.value.code, printed.out + printed.err


@pytest.mark.parametrize("argv", [["serve", "--help"], ["leaderboard", "--help"], ["season", "--help"],
                                  ["season"], ["grade", "-s"], ["metrics", "--json", "extra"], ["select", "--help"],
                                  ["select", "x", "1", "y"], ["leaderbord"], []])
def test_a_command_alone_reads_as_in_the_whole_app(argv, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    whole = run(kit.cli.app, argv, monkeypatch, capsys)
    assert whole == run(kit.cli.main, argv, monkeypatch, capsys)
    assert whole[1].strip()
