"""The Organizer page: nothing without the organizer token; add, close, export with it."""

import pytest

from kit.challenge.lookup import get_challenge
from kit.errors import AuthError
from kit.services.challenge_uploads import add_challenge_from_upload
from leaderboard import actions


def button(at, label):
    return next(b for b in at.button if b.label == label)


def organizer(populated):
    return {"organizer_token": populated.organizer_token}


def test_no_actions_without_the_token(populated, lb):
    at = lb.open_page("organizer")
    lb.assert_clean(at)
    assert not at.tabs and not at.get("download_button") and not at.file_uploader and not at.button
    # The sign-in is a plain form posted to the server, which sets the HttpOnly cookie (tests/server).
    assert 'action="/auth/organizer/sign-in"' in lb.page_text(at)


def test_a_wrong_token_planted_in_the_session_opens_nothing(populated, lb):
    at = lb.open_page("organizer", state={"organizer_token": "org_wrong"})
    lb.assert_clean(at)
    assert not at.tabs and 'action="/auth/organizer/sign-in"' in lb.page_text(at)


def test_a_participant_token_is_not_an_organizer_token(populated, lb):
    at = lb.open_page("organizer", state={"organizer_token": populated.tokens["alice"]})
    lb.assert_clean(at)
    assert not at.tabs
    with pytest.raises(AuthError):  # and each action checks again
        actions.close(populated.ws, organizer_token=populated.tokens["alice"], slug="iris")


def test_signed_in_close_a_challenge(populated, lb):
    at = lb.open_page("organizer", state=organizer(populated))
    lb.assert_clean(at)
    assert [t.label for t in at.tabs] == ["Add a challenge", "Close a challenge", "Export", "Register a participant",
                                         "Awards", "Webhooks"]
    at.checkbox(key="close_confirm").check()
    at.run()
    button(at, "Close challenge").click()
    at.run()
    lb.assert_clean(at)
    assert "Closed **iris**" in at.success[0].value
    with populated.ws.session() as session:
        assert get_challenge(session, "iris").closed_at is not None


def test_add_a_challenge_from_an_uploaded_spec_and_csv(populated, lb):
    spec = lb.spec_text("houses", week=3).replace('source = "sklearn:iris"', 'source = "csv:data/houses.csv"\ntarget = "y"\nid_column = "id"')
    spec = spec.replace('metric = "accuracy"', 'metric = "rmse"')
    rows = "\n".join(f"{i},{i % 7},{(i * 37) % 11},{i * 0.5 + (i % 3)}" for i in range(80))
    data = ("id,a,b,y\n" + rows + "\n").encode()
    at = lb.open_page("organizer", state=organizer(populated))
    at.file_uploader[0].set_value(("houses.toml", spec.encode(), "application/toml"))
    at.file_uploader[1].set_value(("anything.csv", data, "text/csv"))
    button(at, "Add challenge").click()
    at.run()
    lb.assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert "Added challenge **houses**" in at.success[0].value
    # 20 test rows, 6 public: the organizer hears at once that the public board cannot rank anyone.
    assert any("Public part: 6 rows" in c.value for c in at.caption)
    assert any("too small to rank anyone" in w.value for w in at.warning)
    with populated.ws.session() as session:
        assert get_challenge(session, "houses").metric == "rmse"


def test_a_bad_spec_shows_its_field_errors(populated, lb):
    at = lb.open_page("organizer", state=organizer(populated))
    at.file_uploader[0].set_value(("bad.toml", b'slug = "Bad Slug"\ntitle = "x"\n', "application/toml"))
    button(at, "Add challenge").click()
    at.run()
    lb.assert_clean(at)
    assert "slug" in at.error[0].value and "not a valid challenge spec" in at.error[0].value


def test_export_buttons(populated, lb):
    at = lb.open_page("organizer", state=organizer(populated))
    labels = {b.label: b for b in at.get("download_button")}
    assert {"Public leaderboard (CSV)", "Private leaderboard (CSV)",
            "All submissions (zip: raw files + index.csv)"} <= set(labels)
    assert labels["Private leaderboard (CSV)"].proto.disabled  # iris is open


def test_organizer_actions_refuse_without_the_token(populated):
    ws = populated.ws
    for token in (None, "", "org_wrong", populated.tokens["bob"]):
        with pytest.raises(AuthError):
            actions.close(ws, organizer_token=token, slug="iris")
        with pytest.raises(AuthError):
            actions.board_export(ws, organizer_token=token, slug="iris", private=False)
        with pytest.raises(AuthError):
            actions.submissions_export(ws, organizer_token=token, slug="iris")
        with pytest.raises(AuthError):
            add_challenge_from_upload(ws, organizer_token=token, spec_bytes=b"")
        with pytest.raises(AuthError):
            actions.register_for(ws, organizer_token=token, name="eve")
        with pytest.raises(AuthError):
            actions.reset_token_for(ws, organizer_token=token, name="alice")
    with populated.ws.session() as session:
        assert get_challenge(session, "iris").closed_at is None


def test_private_export_waits_for_close(populated):
    from kit.errors import NotRevealedError

    token = populated.organizer_token
    with pytest.raises(NotRevealedError, match="revealed when it closes"):
        actions.board_export(populated.ws, organizer_token=token, slug="iris", private=True)
    text = actions.board_export(populated.ws, organizer_token=token, slug="iris-closed", private=True)
    assert text.splitlines()[0].endswith("public_rank,shake_up")


def test_register_a_participant_as_organizer(populated, lb):
    at = lb.open_page("organizer", state=organizer(populated))
    name_box = next(t for t in at.text_input if t.label == "Participant name")
    name_box.set_value("erin")
    button(at, "Register").click()
    at.run()
    lb.assert_clean(at)
    assert "Registered **erin**" in at.success[0].value and at.code[0].value.startswith("kit_")


def test_reset_a_participants_token(populated, lb):
    from kit.services.participants import authenticate

    at = lb.open_page("organizer", state=organizer(populated))
    name_box = next(t for t in at.text_input if t.label == "Participant whose token to reset")
    name_box.set_value("ALICE")
    button(at, "Reset token").click()
    at.run()
    lb.assert_clean(at)
    assert "New token for **alice**" in at.success[0].value
    new_token = at.code[0].value
    with populated.ws.session() as session:
        assert authenticate(session, new_token).name == "alice"
        with pytest.raises(AuthError):  # the old token is dead at once
            authenticate(session, populated.tokens["alice"])


def test_empty_workspace(app_workspace, lb):
    at = lb.open_page("organizer", state={"organizer_token": app_workspace.organizer_token})
    lb.assert_clean(at)
    assert "Signed in as the organizer. Every action checks the sign-in again." in [c.value for c in at.caption]
    assert {"No challenge is open.", "No challenges yet.",
            "No challenge is closed yet: winners are known when a challenge closes."} <= {i.value for i in at.info}
    assert {"Add challenge", "Register"} <= {b.label for b in at.button}
    assert not at.get("download_button")  # nothing to export


def test_unbuildable_data_is_an_error_message_not_a_crash(populated, lb):
    spec = lb.spec_text("dupe", week=3).replace('source = "sklearn:iris"', 'source = "csv:d.csv"\ntarget = "y"')
    at = lb.open_page("organizer", state=organizer(populated))
    at.file_uploader[0].set_value(("dupe.toml", spec.encode(), "application/toml"))
    at.file_uploader[1].set_value(("d.csv", b"id,y\n1,2\n", "text/csv"))
    button(at, "Add challenge").click()
    at.run()
    lb.assert_clean(at)
    assert at.error


def test_webhooks_tab_adds_lists_logs_and_removes(populated, lb):
    import socket

    from kit.services.delivery import run_tick

    with socket.socket() as s:  # a port nobody listens on: the delivery fails and is logged
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    at = lb.open_page("organizer", state=organizer(populated))
    url = next(t for t in at.text_input if t.label == "Webhook URL")
    url.set_value(f"http://127.0.0.1:{dead_port}/api/webhooks/secret-part")
    button(at, "Add webhook").click()
    at.run()
    lb.assert_clean(at)
    assert "Added webhook 1 (discord)" in at.success[0].value
    run_tick(populated.ws)  # the open challenge's "opened" event, tried once
    at = lb.open_page("organizer", state=organizer(populated))
    shown = lb.page_text(at)
    assert "secret-part" not in shown
    log = at.dataframe[-1].value
    assert list(log["Event"]) == ["challenge_opened"] and "could not connect" in log["Answer"][0]
    button(at, "Remove").click()
    at.run()
    lb.assert_clean(at)
    assert "No webhooks yet." in lb.page_text(at)
