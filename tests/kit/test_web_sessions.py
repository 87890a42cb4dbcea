"""Lasting web sign-in sessions in the store: signed, hashed, expiring, ended by sign-out and resets;
the organizer's and a participant's never pass for each other."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kit.clock import utcnow
from kit.errors import AuthError, InvalidInputError
from kit.services.participants import authenticate, register
from kit.services.token_resets import reset_token
from kit.store.models import KitSetting, WebSession
from kit.store.organizer_token import (
    ORGANIZER_KEY,
    is_organizer,
    organizer_sign_in,
    organizer_sign_out,
    require_organizer,
)
from kit.store.web_sessions import end_web_session, participant_of_web_session, start_web_session
from kit.tokens import hash_token


def test_a_session_expires_and_a_forged_or_resigned_cookie_is_refused(kit_workspace):
    ws = kit_workspace.workspace
    now = utcnow()
    with ws.session(write=True) as session:
        participant, token = register(session, "ada")
        cookie = start_web_session(session, participant, timedelta(minutes=5), moment=now)
    with ws.session() as session:
        assert participant_of_web_session(session, cookie, now + timedelta(minutes=4)).name == "ada"
        assert participant_of_web_session(session, cookie, now + timedelta(minutes=6)) is None
        assert participant_of_web_session(session, cookie[:-2] + "xx", now) is None
        assert participant_of_web_session(session, token, now) is None  # a token is not a cookie
        assert token not in cookie
        key_hash = session.query(WebSession.key_hash).scalar()
        assert key_hash not in cookie
    with ws.session(write=True) as session:  # a new server secret invalidates every signed cookie
        session.get(KitSetting, "web_session_secret").value = "0" * 64
    with ws.session() as session:
        assert participant_of_web_session(session, cookie, now) is None


def test_sign_out_and_token_reset_end_sessions(kit_workspace):
    ws = kit_workspace.workspace
    with ws.session(write=True) as session:
        participant, _ = register(session, "bea")
        first = start_web_session(session, participant)
        second = start_web_session(session, participant)
    with ws.session(write=True) as session:
        end_web_session(session, first)
    with ws.session() as session:
        with pytest.raises(AuthError, match="ended or expired"):
            authenticate(session, first)
        assert authenticate(session, second).name == "bea"
    with ws.session(write=True) as session:
        reset_token(session, "bea", kit_workspace.organizer_token)
    with ws.session() as session:
        assert participant_of_web_session(session, second) is None


def test_a_lifetime_out_of_bounds_is_refused(kit_workspace):
    with kit_workspace.session(write=True) as session:
        participant, _ = register(session, "cyd")
        for lifetime in (timedelta(seconds=5), timedelta(days=401)):
            with pytest.raises(InvalidInputError):
                start_web_session(session, participant, lifetime)


def test_an_organizer_session_lasts_until_sign_out_and_never_passes_for_a_participant(kit_workspace):
    ws = kit_workspace.workspace
    with ws.session(write=True) as session:
        with pytest.raises(AuthError, match="not the organizer token"):
            organizer_sign_in(session, "org_wrong")
        participant, token = register(session, "dee")
        with pytest.raises(AuthError):
            organizer_sign_in(session, token)
        organizer = organizer_sign_in(session, kit_workspace.organizer_token, timedelta(minutes=5))
        visitor = start_web_session(session, participant)
    assert kit_workspace.organizer_token not in organizer
    with ws.session() as session:
        require_organizer(session, organizer)
        assert is_organizer(session, organizer) and not is_organizer(session, organizer, utcnow() + timedelta(minutes=6))
        assert not is_organizer(session, organizer[:-2] + "xx")
        # Neither kind of cookie passes for the other, whatever its prefix says.
        assert not is_organizer(session, visitor) and not is_organizer(session, "wo." + visitor[3:])
        assert participant_of_web_session(session, organizer) is None
        assert participant_of_web_session(session, "ws." + organizer[3:]) is None
        with pytest.raises(AuthError):
            authenticate(session, organizer)
        with pytest.raises(AuthError):
            require_organizer(session, visitor)
    with ws.session(write=True) as session:
        end_web_session(session, organizer)  # a participant's sign-out does not end the organizer's
        organizer_sign_out(session, visitor)  # nor the other way round
    with ws.session() as session:
        assert is_organizer(session, organizer) and participant_of_web_session(session, visitor).name == "dee"
    with ws.session(write=True) as session:
        organizer_sign_out(session, organizer)
    with ws.session() as session:
        with pytest.raises(AuthError, match="ended or expired"):
            require_organizer(session, organizer)
        assert participant_of_web_session(session, visitor).name == "dee"


def test_a_new_organizer_token_ends_organizer_sessions(kit_workspace):
    ws = kit_workspace.workspace
    with ws.session(write=True) as session:
        cookie = organizer_sign_in(session, kit_workspace.organizer_token)
    with ws.session(write=True) as session:  # what replacing the organizer token stores
        session.get(KitSetting, ORGANIZER_KEY).value = hash_token("org_new")
    with ws.session() as session:
        assert not is_organizer(session, cookie) and is_organizer(session, "org_new")
