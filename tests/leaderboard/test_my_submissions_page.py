"""My submissions: history, chart, final selections; private scores only after close."""

from kit.challenge.lookup import get_challenge
from kit.services.own_submissions import own_submissions
from kit.services.participants import get_participant, register


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_needs_a_sign_in(populated, lb):
    at = lb.open_page("my_submissions")
    lb.assert_clean(at)
    assert not at.dataframe and "Sign in" in lb.page_text(at)


def test_history_of_an_open_challenge_hides_private_scores(populated, lb, participant_state):
    at = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris"})
    lb.assert_clean(at)
    table = at.dataframe[0].value
    assert list(table["File"]) == ["alice.csv"] and list(table["Message"]) == ["logreg"]
    assert "Private" not in table.columns and "hidden until close" in lb.page_text(at)
    _public, private = populated.scores["alice"]
    assert f"{private:.5f}" not in lb.page_text(at)
    assert "bob.csv" not in lb.page_text(at)  # only one's own submissions
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_choosing_final_submissions(populated, lb, participant_state):
    from kit.services.submissions import submit

    second = submit(populated.ws, slug="iris", token=populated.tokens["alice"], content=populated.good_csv,
                    filename="second.csv").submission
    at = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris"})
    at.multiselect[0].set_value([second.id])
    button(at, "Save final submissions").click()
    at.run()
    lb.assert_clean(at)
    assert f"#{second.id}" in at.success[0].value
    with populated.ws.session() as session:
        rows = own_submissions(session, get_challenge(session, "iris"), get_participant(session, "alice"))
        assert [r.id for r in rows if r.selected] == [second.id]
    assert list(at.dataframe[0].value["Final"]) == [True, False]  # newest first


def test_closed_challenge_shows_private_scores_and_frozen_finals(populated, lb, participant_state):
    at = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris-closed"})
    lb.assert_clean(at)
    table = at.dataframe[0].value
    with populated.ws.session() as session:
        row = own_submissions(session, get_challenge(session, "iris-closed"), get_participant(session, "alice"))[0]
    assert list(table["Private"]) == [row.private_score]
    assert not at.multiselect and "can no longer change" in lb.page_text(at)


def test_no_submissions_yet(populated, lb):
    from kit.services.participants import register

    with populated.ws.session(write=True) as session:
        _, token = register(session, "dora")
    at = lb.open_page("my_submissions", state={"participant_name": "dora", "participant_token": token},
                      query={"challenge": "iris"})
    lb.assert_clean(at)
    assert "kit baseline iris --model logreg --submit" in lb.page_text(at)


def test_a_stale_token_in_the_session_is_refused(populated, lb):
    at = lb.open_page("my_submissions", state={"participant_name": "alice", "participant_token": "kit_stale"})
    lb.assert_clean(at)
    assert "token is not valid" in at.error[0].value


def test_empty_workspace(app_workspace, lb):
    at = lb.open_page("my_submissions")
    lb.assert_clean(at)
    assert "<strong>Sign in</strong> to see your submissions" in lb.page_text(at) and not at.dataframe
    with app_workspace.workspace.session(write=True) as session:
        _, token = register(session, "solo")
    at = lb.open_page("my_submissions", state={"participant_name": "solo", "participant_token": token})
    lb.assert_clean(at)
    assert [i.value for i in at.info] == ["No challenge has opened yet. See the Season page for what comes next."]
    assert not at.dataframe and not at.selectbox


def test_two_participants_never_see_each_others_history(populated, lb, participant_state):
    alice = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris"})
    bob = lb.open_page("my_submissions", state=participant_state("bob"), query={"challenge": "iris"})
    again = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris"})
    assert list(alice.dataframe[0].value["File"]) == ["alice.csv"]
    assert list(bob.dataframe[0].value["File"]) == ["bob.csv"]
    assert list(again.dataframe[0].value["File"]) == ["alice.csv"]  # nothing cached across tokens
