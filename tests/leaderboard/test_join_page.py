"""The Join page: a name gives a token shown once, kept only in session state; self-registration respected."""

from sqlalchemy import select

from kit.store.models import Participant, Season


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_join_registers_and_shows_the_token_once(populated, lb):
    at = lb.open_page("join")
    lb.assert_clean(at)
    at.text_input[0].set_value("carol")
    button(at, "Join and get my token").click()
    at.run()
    lb.assert_clean(at)
    token = at.session_state["participant_token"]
    assert token.startswith("kit_") and at.session_state["participant_name"] == "carol"
    assert [c.value for c in at.code] == [token]
    assert "only this once" in lb.page_text(at)
    assert all(token not in str(value) for value in at.query_params.values())
    with populated.ws.session() as session:
        assert session.scalar(select(Participant).where(Participant.name == "carol")) is not None

    button(at, "I have saved my token").click()
    at.run()
    assert token not in lb.page_text(at)  # gone for good
    assert "signed in as **carol**" in lb.page_text(at)


def test_join_refuses_a_taken_name_with_its_message(populated, lb):
    at = lb.open_page("join")
    at.text_input[0].set_value("Alice")
    button(at, "Join and get my token").click()
    at.run()
    assert "is taken" in at.error[0].value
    assert "participant_token" not in at.session_state


def test_join_respects_self_registration_off(populated, lb):
    with populated.ws.session(write=True) as session:
        session.scalar(select(Season)).self_registration = False
    at = lb.open_page("join")
    lb.assert_clean(at)
    assert "Self-registration is turned off" in lb.page_text(at)
    assert not at.text_input


def test_join_action_refuses_when_self_registration_is_off(populated):
    import pytest

    from kit.errors import RegistrationClosedError
    from kit.store.models import Participant
    from leaderboard.actions import join

    with populated.ws.session(write=True) as session:
        session.scalar(select(Season)).self_registration = False
    with pytest.raises(RegistrationClosedError, match="ask the organizer"):
        join(populated.ws, "mallory")
    with populated.ws.session() as session:
        assert session.scalar(select(Participant).where(Participant.name == "mallory")) is None


def test_join_on_an_empty_workspace(app_workspace, lb):
    at = lb.open_page("join")
    lb.assert_clean(at)
    assert at.text_input
