"""The Team page: create a team, join it with its invite code, see it, leave it; codes stay with members."""

from kit.store.models import TeamMember


def button(at, label):
    return next(b for b in at.button if b.label == label)


def text_input(at, label):
    return next(t for t in at.text_input if t.label == label)


def test_create_join_and_leave_a_team(populated, lb, participant_state):
    anonymous = lb.open_page("team")
    lb.assert_clean(anonymous)
    assert "No teams yet." in lb.page_text(anonymous)

    alice = lb.open_page("team", state=participant_state("alice"))
    text_input(alice, "Team name").set_value("Petals")
    button(alice, "Create team").click()
    alice.run()
    lb.assert_clean(alice)
    assert "Created **Petals**" in alice.success[0].value
    alice.run()
    code = alice.code[0].value
    assert code.startswith("team_") and "alice" in lb.page_text(alice)

    bob = lb.open_page("team", state=participant_state("bob"))
    text_input(bob, "Invite code").set_value("team_wrong")
    button(bob, "Join team").click()
    bob.run()
    assert "No team has that invite code" in bob.error[0].value
    text_input(bob, "Invite code").set_value(code)
    button(bob, "Join team").click()
    bob.run()
    lb.assert_clean(bob)
    assert "You joined **Petals**: alice, bob" in bob.success[0].value

    # The team ranks as one on the open challenge's board, and it is marked as bob's row.
    board = lb.open_page("challenge", state=participant_state("bob"), query={"challenge": "iris"})
    names = list(board.dataframe[0].value["Participant"])
    assert "Petals  (you)" in names and not any(n.startswith(("alice", "bob")) for n in names)

    visitor = lb.open_page("team")
    shown = lb.page_text(visitor)
    assert "Petals" in shown and "alice, bob" in shown and code not in shown

    bob = lb.open_page("team", state=participant_state("bob"))
    assert button(bob, "Leave team").disabled
    bob.checkbox(key="team_leave_confirm").check()
    bob.run()
    button(bob, "Leave team").click()
    bob.run()
    lb.assert_clean(bob)
    assert "You left Petals" in bob.success[0].value
    with populated.ws.session() as session:
        assert session.query(TeamMember).count() == 1
