"""`kit serve`: a clear error without a workspace; one ASGI app with the leaderboard and the API."""

from kit.cli.web_server import APP_SCRIPT, build_app, run_server


def test_serve_refuses_a_missing_workspace(tmp_path, capsys):
    from typer.testing import CliRunner

    from kit.cli import app

    result = CliRunner().invoke(app, ["serve", "--workspace", str(tmp_path / "nowhere"), "--port", "8599"],
                                env={"KIT_DATABASE_URL": ""})
    assert result.exit_code == 1
    assert "No workspace at" in result.output and "Traceback" not in result.output
    assert run_server(tmp_path / "nowhere", 8599, None) == 1
    assert "No workspace at" in capsys.readouterr().err


def test_one_app_serves_the_leaderboard_and_the_api(kit_workspace):
    import streamlit as st
    from starlette.routing import Mount

    app = build_app(kit_workspace.workspace)
    assert isinstance(app, st.App) and app.script_path == APP_SCRIPT
    mounts = [route for route in app._user_routes if isinstance(route, Mount)]
    assert [m.path for m in mounts] == ["/api/v1"]


def test_the_app_explains_a_missing_workspace(tmp_path, monkeypatch, lb):
    monkeypatch.setenv("KIT_WORKSPACE", str(tmp_path / "nowhere"))
    monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    at = lb.open_page()
    lb.assert_clean(at)
    assert "No workspace at" in at.error[0].value
    assert "kit serve --workspace" in lb.page_text(at)
