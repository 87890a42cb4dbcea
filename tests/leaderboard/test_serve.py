"""`kit serve` and leaderboard.server: a clear error without a workspace, the right Streamlit command."""

from leaderboard.server import APP, run_server, server_env, streamlit_command


def test_serve_refuses_a_missing_workspace(tmp_path, capsys):
    from typer.testing import CliRunner

    from kit.cli import app

    result = CliRunner().invoke(app, ["serve", "--workspace", str(tmp_path / "nowhere"), "--port", "8599"],
                                env={"KIT_DATABASE_URL": ""})
    assert result.exit_code == 1
    assert "No workspace at" in result.output and "Traceback" not in result.output
    assert run_server(tmp_path / "nowhere", 8599, None) == 1
    assert "No workspace at" in capsys.readouterr().err


def test_streamlit_command_and_environment(tmp_path):
    command = streamlit_command(8765, "127.0.0.1")
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == str(APP)
    assert command[command.index("--server.port") + 1] == "8765"
    assert command[command.index("--server.headless") + 1] == "true"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"
    env = server_env(tmp_path / "ws", None)
    assert env["KIT_WORKSPACE"] == str((tmp_path / "ws").resolve())
    assert env["KIT_DATABASE_URL"].startswith("sqlite:///") and env["KIT_DATABASE_URL"].endswith("kit.sqlite3")


def test_the_app_explains_a_missing_workspace(tmp_path, monkeypatch, lb):
    monkeypatch.setenv("KIT_WORKSPACE", str(tmp_path / "nowhere"))
    monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    at = lb.open_page()
    lb.assert_clean(at)
    assert "No workspace at" in at.error[0].value
    assert "kit serve --workspace" in lb.page_text(at)
