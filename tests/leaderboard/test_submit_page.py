"""The Submit page: sign in, upload, and the score and rank or the exact rejection at once."""

import pytest

from kit.challenge.lookup import get_challenge
from kit.services.own_submissions import own_submissions
from kit.services.participants import get_participant
from leaderboard.views import md_escape


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
    """Signed out, the page shows the sign-in form (posted to the server's /auth/sign-in, see
    tests/server/test_web_sign_in.py) and no uploader."""
    at = lb.open_page("submit")
    lb.assert_clean(at)
    assert not at.file_uploader
    (form,) = [h.proto.body for h in at.get("html") if "kit-sign-in" in h.proto.body]
    assert 'action="/auth/sign-in"' in form and 'method="post"' in form and 'name="token"' in form
    assert "participant_token" not in at.session_state


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
    assert md_escape(stored.error) in at.error[0].value
    assert "does not use up" in lb.page_text(at)


def test_a_rejection_quoting_markdown_is_shown_as_text(populated, lb, participant_state):
    """A CSV cell the rejection quotes ("[win](http://evil.example)", "**1**") is escaped, never a link."""
    at = lb.open_page("submit", state=participant_state("bob"), query={"challenge": "iris"})
    upload(at, "[x](http:evil).csv", b"id,species\n[win](http://evil.example),**1**\n")
    lb.assert_clean(at)
    shown = at.error[0].value
    assert "](http" not in shown.replace("\\]\\(http", "") and "\\[win\\]\\(http" in shown, shown


def test_oversized_file_is_refused_before_reading(populated, lb, participant_state, monkeypatch):
    from kit.challenge.spec import parse_spec
    from kit.services.challenges import add_challenge

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
    from kit.errors import AuthError, ChallengeClosedError, FileTooLargeError
    from kit.submission_file import check_file_size
    from leaderboard.actions import submit_file

    with pytest.raises(AuthError):
        submit_file(populated.ws, slug="iris", token="kit_wrong", content=populated.good_csv, filename="x.csv")
    with pytest.raises(ChallengeClosedError, match="closed"):
        submit_file(populated.ws, slug="iris-closed", token=populated.tokens["bob"], content=populated.good_csv,
                    filename="x.csv")
    with pytest.raises(FileTooLargeError, match="at most 10 bytes"):
        check_file_size(11, 10)
    outcome = submit_file(populated.ws, slug="iris", token=populated.tokens["bob"], content=populated.good_csv,
                          filename="x.csv")
    assert outcome.status == "scored" and outcome.rank is not None


def test_closed_challenges_are_not_offered(populated, lb, participant_state):
    at = lb.open_page("submit", state=participant_state(), query={"challenge": "iris-closed"})
    lb.assert_clean(at)
    assert at.selectbox[0].options == ["Iris iris  ·  open"]


def test_empty_workspace(app_workspace, lb):
    from kit.services.participants import register

    at = lb.open_page("submit")
    lb.assert_clean(at)
    assert "<strong>Sign in</strong> to submit" in lb.page_text(at) and not at.get("file_uploader")
    with app_workspace.workspace.session(write=True) as session:
        _, token = register(session, "solo")
    at = lb.open_page("submit", state={"participant_name": "solo", "participant_token": token})
    lb.assert_clean(at)
    assert [i.value for i in at.info] == ["No challenge is open for submissions right now. "
                                          "See the Season page for what comes next."]
    assert not at.get("file_uploader") and not at.selectbox
