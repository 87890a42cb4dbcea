"""The Challenge page: description, metric and direction, dates, bundle downloads, the board and its chart."""



def test_no_challenges_yet(app_workspace, lb):
    at = lb.open_page("challenge")
    lb.assert_clean(at)
    assert "No challenges yet" in lb.page_text(at)


def test_open_challenge_shows_the_public_board_and_never_a_private_score(populated, lb):
    at = lb.open_page("challenge", query={"challenge": "iris"})
    lb.assert_clean(at)
    text = lb.page_text(at)
    assert at.title[0].value == "Week 1 · Iris iris"
    assert "Public leaderboard" in text and "Private leaderboard" not in text
    assert "accuracy ↑" in text and "higher is better" in text
    assert "Classify iris flowers" in text and "5 submissions a day" in text
    assert "header id,species, one row per test id" in text.replace("`", "")  # from submission_header

    board = at.dataframe[0].value
    assert list(board["Participant"]) == ["alice", "bob", "baseline: sample"]
    assert list(board["Rank"]) == ["1", "2", "baseline"]  # the baseline has a badge, no rank
    public, private = populated.scores["alice"]
    assert board["Score"][0] == public
    assert "Shake-up" not in board.columns
    # alice's private score differs from her public one and must appear nowhere before close.
    assert f"{private:.5f}" != f"{public:.5f}"
    assert f"{private:.5f}" not in text and repr(private) not in text
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")  # the best-score chart


def test_bundle_downloads_are_the_public_files_only(populated, lb):
    at = lb.open_page("challenge", query={"challenge": "iris"})
    labels = [button.label for button in at.get("download_button")]
    assert [label.split(" · ")[0] for label in labels] == ["README.md", "train.csv", "test.csv",
                                                         "sample_submission.csv"]
    assert not any("solution" in label for label in labels)


def test_bundle_bytes_refuse_the_solution(populated):
    import pytest

    from kit.errors import WorkspaceError
    from leaderboard.data import bundle_bytes_from

    assert bundle_bytes_from(populated.ws, "iris", "test.csv").startswith(b"id,")
    with pytest.raises(WorkspaceError):
        bundle_bytes_from(populated.ws, "iris", "solution.csv")


def test_closed_challenge_shows_the_private_board_with_shake_up(populated, lb):
    at = lb.open_page("challenge", query={"challenge": "iris-closed"})
    lb.assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["Private leaderboard", "Public leaderboard"]
    board = at.dataframe[0].value
    assert "Shake-up" in board.columns and "Public rank" in board.columns
    # alice led the public board but was wrong on 9 private rows: bob overtakes her.
    ranked = board[board["Rank"] != "baseline"]
    assert list(ranked["Participant"]) == ["bob", "alice"]
    assert list(ranked["Shake-up"]) == ["▲ 1", "▼ 1"]
    assert list(board[board["Rank"] == "baseline"]["Shake-up"]) == [""]


def test_the_public_board_stays_after_close(populated, lb):
    at = lb.open_page("challenge", query={"challenge": "iris-closed"})
    public = at.dataframe[1].value  # the second tab
    assert "Shake-up" not in public.columns and "Submitted" in public.columns
    ranked = public[public["Rank"] != "baseline"]
    assert list(ranked["Participant"]) == ["alice", "bob"]  # as it stood at close: alice led


def test_an_unknown_challenge_in_the_url_says_so(populated, lb):
    at = lb.open_page("challenge", query={"challenge": "no-such-week"})
    lb.assert_clean(at)
    assert "There is no challenge" in at.error[0].value and "no\\-such\\-week" in at.error[0].value
    assert not at.dataframe and at.selectbox[0].value is None  # no other challenge shown in its place
    at.selectbox[0].select("iris").run()
    assert at.query_params["challenge"] == "iris" and at.dataframe and not at.error


def test_board_marks_the_signed_in_participant(populated, lb, participant_state):
    at = lb.open_page("challenge", state=participant_state("bob"), query={"challenge": "iris"})
    assert "bob  (you)" in list(at.dataframe[0].value["Participant"])


def test_empty_board_suggests_a_baseline(app_workspace, lb):
    from kit.challenge.spec import parse_spec
    from kit.services.challenges import add_challenge

    text = lb.spec_text("lonely").replace('season = "test-season"\nweek = 1\n', "")
    with app_workspace.workspace.session(write=True) as session:
        add_challenge(session, parse_spec(text), text, progress=False)
    at = lb.open_page("challenge")
    lb.assert_clean(at)
    page = lb.page_text(at)
    assert "No submissions yet" in page and "kit baseline lonely --model logreg --submit" in page
    assert not at.dataframe
