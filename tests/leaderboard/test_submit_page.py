"""The Submit page: sign in, upload, and the score and rank or the exact rejection at once."""

import pytest

from kit.challenges import get_challenge
from kit.participants import get_participant
from kit.submissions import own_submissions


def button(at, label):
    return next(b for b in at.button if b.label == label)


def upload(at, name, content):
    at.file_uploader[0].set_value((name, content, "text/csv"))
    button(at, "Submit").click()
    at.run()
    return at


def mine(populated, name, slug="iris"):
    with populated.ws.session() as session:
        return own_submissions(session, get_challenge(session, slug), get_participant(session, name))


def test_submit_needs_a_sign_in(populated, lb):
    at = lb.open_page("submit")
    lb.assert_clean(at)
    assert not at.file_uploader
    at.text_input[0].set_value("alice")
    at.text_input[1].set_value("kit_not-the-token")
    button(at, "Sign in").click()
    at.run()
    assert "token is not valid" in at.error[0].value
    assert "participant_token" not in at.session_state


def test_sign_in_checks_name_and_token_together(populated, lb):
    at = lb.open_page("submit")
    at.text_input[0].set_value("bob")
    at.text_input[1].set_value(populated.tokens["alice"])
    button(at, "Sign in").click()
    at.run()
    assert "do not belong together" in at.error[0].value
    at.text_input[0].set_value("ALICE")
    button(at, "Sign in").click()
    at.run()
    lb.assert_clean(at)
    assert at.session_state["participant_name"] == "alice" and at.file_uploader
    assert not any(populated.tokens["alice"] in str(v) for v in at.query_params.values())


def test_accepted_submission_shows_score_and_rank(populated, lb, participant_state):
    at = lb.open_page("submit", state=participant_state("bob"), query={"challenge": "iris"})
    lb.assert_clean(at)
    assert "4 of 5" in lb.page_text(at)  # one used today already
    upload(at, "better.csv", populated.good_csv)
    lb.assert_clean(at)
    latest = mine(populated, "bob")[-1]
    assert latest.status == "scored" and latest.filename == "better.csv"
    message = at.success[0].value
    assert f"**{latest.public_score:.5f}** public accuracy ↑" in message
    assert "You are **#2** on the public leaderboard" in message  # ties alice's 1.0; she was first
    assert "3 submission(s) left today" in message
    assert latest.private_score != latest.public_score
    assert f"{latest.private_score:.5f}" not in lb.page_text(at)


def test_rejected_submission_shows_the_exact_message(populated, lb, participant_state):
    at = lb.open_page("submit", state=participant_state("bob"), query={"challenge": "iris"})
    upload(at, "broken.csv", b"id,species\n1,0\n")
    lb.assert_clean(at)
    stored = mine(populated, "bob")[-1]
    assert stored.status == "rejected" and stored.error
    assert stored.error in at.error[0].value
    assert "does not use up" in lb.page_text(at)


def test_oversized_file_is_refused_before_reading(populated, lb, participant_state, monkeypatch):
    from kit.challenges import add_challenge
    from kit.spec import parse_spec

    text = lb.spec_text("tiny", week=3, max_file_size=1024)
    with populated.ws.session(write=True) as session:
        add_challenge(session, parse_spec(text), text, progress=False)
    read = []
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    original = UploadedFile.getvalue
    monkeypatch.setattr(UploadedFile, "getvalue", lambda self: read.append(self.name) or original(self))
    at = lb.open_page("submit", state=participant_state("bob"), query={"challenge": "tiny"})
    upload(at, "huge.csv", b"id,species\n" + b"1,0\n" * 600)
    assert "accepts at most 1,024 bytes" in at.error[0].value
    assert read == []  # refused on UploadedFile.size, before the bytes were read
    assert mine(populated, "bob", "tiny") == []
    upload(at, "small.csv", b"id,species\n1,0\n")
    assert read == ["small.csv"]  # the hook sees reads: a small file is read and graded
    assert len(mine(populated, "bob", "tiny")) == 1


def test_submit_action_refuses_with_kit_errors(populated):
    from kit.errors import AuthError, SubmissionRefused
    from leaderboard.actions import check_upload_size, submit_file

    with pytest.raises(AuthError):
        submit_file(populated.ws, slug="iris", token="kit_wrong", content=populated.good_csv, filename="x.csv")
    with pytest.raises(SubmissionRefused, match="closed"):
        submit_file(populated.ws, slug="iris-closed", token=populated.tokens["bob"], content=populated.good_csv,
                    filename="x.csv")
    with pytest.raises(SubmissionRefused, match="at most 10 bytes"):
        check_upload_size(11, 10)
    outcome = submit_file(populated.ws, slug="iris", token=populated.tokens["bob"], content=populated.good_csv,
                          filename="x.csv")
    assert outcome.status == "scored" and outcome.rank is not None


def test_closed_challenges_are_not_offered(populated, lb, participant_state):
    at = lb.open_page("submit", state=participant_state(), query={"challenge": "iris-closed"})
    lb.assert_clean(at)
    assert at.selectbox[0].options == ["Iris iris  ·  open"]


def test_empty_workspace(app_workspace, lb):
    at = lb.open_page("submit")
    lb.assert_clean(at)
