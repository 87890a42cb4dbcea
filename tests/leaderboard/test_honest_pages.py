"""The web app's honest board: intervals and tie marks on the Challenge page, the paired answer
and the public → private reveal on My submissions (AppTest, real workspace)."""

from __future__ import annotations


def test_the_board_carries_intervals_tie_marks_and_scores_rounded_to_the_noise(populated, lb):
    at = lb.open_page("challenge", query={"challenge": "iris"})
    lb.assert_clean(at)
    frame = at.dataframe[0].value
    assert {"Tie", "Interval"} <= set(frame.columns)
    # The iris public part is tiny: scores leave with one decimal, the noise of 12 rows.
    assert all(score == round(score, 1) for score in frame["Score"])
    assert all("–" in text for text in frame["Interval"])
    text = lb.page_text(at)
    assert "not significantly different from the row above" in text and "shown to 1 decimals" in text


def test_my_submissions_answers_whether_a_new_submission_is_better(populated, lb, participant_state):
    from kit.services.submissions import submit

    rows = lb.solution_rows(populated.ws, "iris")
    submit(populated.ws, slug="iris", token=populated.tokens["alice"], content=lb.submission_csv(rows, wrong_public=1),
           filename="second.csv")
    at = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris"})
    lb.assert_clean(at)
    text = lb.page_text(at)
    assert "Is it really better than my best?" in text
    assert "your best" in text and "95 % interval" in text and "within noise" in text
    assert "Public → private" not in text  # nothing of the private rows before close
    frame = at.dataframe[0].value
    assert "Private 95 %" not in frame.columns and "Public 95 %" in frame.columns


def test_after_close_each_submission_shows_its_public_to_private_shift(populated, lb, participant_state):
    at = lb.open_page("my_submissions", state=participant_state("alice"), query={"challenge": "iris-closed"})
    lb.assert_clean(at)
    text = lb.page_text(at)
    assert "Public → private" in text and "Your public–private gap, challenge by challenge" not in text
    reveal = next(f.value for f in at.dataframe if "Private − public" in f.value.columns or "Shift" in f.value.columns)
    shift = populated_shift(populated)
    assert abs(reveal["Shift"].iloc[0] - shift) < 1e-9
    assert reveal["Private 95 %"].iloc[0] != ""


def populated_shift(populated) -> float:
    from kit.challenge.lookup import get_challenge
    from kit.services.participants import authenticate
    from kit.services.reveal import revealed_shifts

    with populated.ws.session() as session:
        alice = authenticate(session, populated.tokens["alice"])
        (shift,) = revealed_shifts(session, get_challenge(session, "iris-closed"), alice)
    assert shift.private_score < shift.public_score  # alice was wrong on 9 private rows only
    return shift.gap


def test_the_season_gap_history_covers_closed_challenges_only(populated):
    from kit.challenge.lookup import list_challenges
    from kit.services.participants import authenticate
    from kit.services.reveal import overfitting_history

    with populated.ws.session() as session:
        alice = authenticate(session, populated.tokens["alice"])
        history = overfitting_history(session, alice, list_challenges(session))
    assert [s.challenge for s in history] == ["iris-closed"]  # iris is still open: nothing revealed
    (gap,) = history
    assert gap.public_score == 1.0 and gap.gap < 0  # right on the public rows, wrong on 9 private ones
    assert gap.within_noise is not None
