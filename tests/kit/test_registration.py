"""`kit register` obeys the season's self-registration flag, as the Join page does; the organizer may always register."""

from __future__ import annotations

from sqlalchemy import select

from kit.store.models import Participant


def names(kit_workspace) -> list[str]:
    with kit_workspace.session() as session:
        return list(session.scalars(select(Participant.name).order_by(Participant.id)))


def test_self_registration_follows_the_seasons_flag(kit, kit_workspace):
    assert kit("season", "create", "closed-doors", "--name", "Closed doors", "--starts", "2026-11-02",
               "--no-self-registration").exit_code == 0
    refused = kit("register", "mallory", organizer=False)
    assert refused.exit_code == 1 and "Self-registration is turned off for Closed doors" in refused.output
    assert names(kit_workspace) == []
    wrong = kit("register", "mallory", "--organizer-token", "org_wrong", organizer=False)
    assert wrong.exit_code == 1 and "organizer action" in wrong.output and names(kit_workspace) == []
    by_organizer = kit("register", "ada", organizer=True)
    assert by_organizer.exit_code == 0 and "Registered ada" in by_organizer.output
    assert names(kit_workspace) == ["ada"]


def test_anyone_registers_while_the_season_allows_it(kit, kit_workspace):
    assert kit("season", "create", "open-doors", "--name", "Open doors", "--starts", "2026-11-02").exit_code == 0
    assert kit("register", "bob", organizer=False).exit_code == 0
    assert names(kit_workspace) == ["bob"]
