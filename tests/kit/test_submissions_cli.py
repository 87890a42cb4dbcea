"""Submitting through the CLI: scores, rejections, limits, windows, finals, closing, ranking."""

import hashlib
import io
import json
import re
from datetime import UTC, datetime

import pandas as pd
import pytest
import time_machine

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.store.models import Submission

OPEN_DAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def iris(kit, kit_workspace, write_spec):
    spec = write_spec(slug="iris", source="sklearn:iris", metric="accuracy",
                      extra="").read_text().replace("opens = 2020-01-01T00:00:00Z", "opens = 2026-11-20T00:00:00Z") \
        .replace("closes = 2099-01-01T00:00:00Z", "closes = 2026-12-20T00:00:00Z")
    path = kit_workspace.path.parent / "iris-dated.toml"
    path.write_text(spec)
    assert kit("challenge", "add", str(path)).exit_code == 0
    with kit_workspace.session() as session:
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "iris"))))
    return truth


def register(kit, name):
    output = kit("register", name).output
    return re.search(r"kit_[A-Za-z0-9_-]+", output).group(0)


def write_submission(path, truth, *, wrong_public=False, wrong_private=False, wrong_rows=0):
    labels = truth["species"].copy()
    other = {"setosa": "versicolor", "versicolor": "virginica", "virginica": "setosa"}
    if wrong_public:
        labels[truth["Usage"] == "Public"] = labels[truth["Usage"] == "Public"].map(other)
    if wrong_private:
        labels[truth["Usage"] == "Private"] = labels[truth["Usage"] == "Private"].map(other)
    if wrong_rows:
        labels.iloc[:wrong_rows] = labels.iloc[:wrong_rows].map(other)
    pd.DataFrame({"id": truth["id"], "species": labels}).to_csv(path, index=False)
    return path


@time_machine.travel(OPEN_DAY, tick=False)
def test_a_scored_submission_is_stored_byte_for_byte(kit, kit_workspace, iris, tmp_path):
    token = register(kit, "ada")
    path = write_submission(tmp_path / "s.csv", iris)
    result = kit("submit", "iris", "-f", str(path), "-m", "perfect", token=token)
    assert result.exit_code == 0, result.output
    assert "accuracy 1.0 ↑ (higher is better, 95 % interval 0.8–1.0)" in result.output
    assert "You are #1" in result.output and "4 submission(s) left today" in result.output
    with kit_workspace.session() as session:
        row = session.query(Submission).one()
        assert row.content == path.read_bytes()
        assert row.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert row.status == "scored" and row.message == "perfect" and row.filename == "s.csv"
        assert row.created_at == OPEN_DAY


@time_machine.travel(OPEN_DAY, tick=False)
def test_a_rejected_submission_is_kept_and_explained(kit, kit_workspace, iris, tmp_path):
    token = register(kit, "ada")
    path = tmp_path / "bad.csv"
    path.write_text("id,label\n1,setosa\n")
    result = kit("submit", "iris", "-f", str(path), token=token)
    assert result.exit_code == 1
    assert "Required column 'species' could not be found" in result.output
    history = json.loads(kit("submissions", "iris", "--json", token=token).output)
    assert history[0]["status"] == "rejected" and "species" in history[0]["error"]


@time_machine.travel(OPEN_DAY, tick=False)
def test_no_rejection_message_shows_a_hidden_label(kit, iris, tmp_path):
    token = register(kit, "ada")
    path = tmp_path / "s.csv"
    pd.DataFrame({"id": iris["id"], "species": "tulip"}).to_csv(path, index=False)
    result = kit("submit", "iris", "-f", str(path), token=token)
    assert result.exit_code == 1 and "tulip" in result.output
    # The message may list the allowed classes (public), never a row's true label.
    for row in iris.head(10).itertuples():
        assert f"{row.id},{row.species}" not in result.output


def test_the_daily_limit_counts_scored_files_per_utc_day(kit, iris, tmp_path):
    token = register(kit, "ada")
    path = write_submission(tmp_path / "s.csv", iris)
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing useful\n")
    with time_machine.travel(datetime(2026, 11, 23, 23, 0, tzinfo=UTC), tick=False):
        assert kit("submit", "iris", "-f", str(bad), token=token).exit_code == 1  # does not count
        for attempt in range(5):
            assert kit("submit", "iris", "-f", str(path), token=token).exit_code == 0, attempt
        sixth = kit("submit", "iris", "-f", str(path), token=token)
        assert sixth.exit_code == 1 and "all 5 submissions for today" in sixth.output
    with time_machine.travel(datetime(2026, 11, 24, 0, 5, tzinfo=UTC), tick=False):
        assert kit("submit", "iris", "-f", str(path), token=token).exit_code == 0
    assert len(json.loads(kit("submissions", "iris", "--json", token=token).output)) == 7


@time_machine.travel(OPEN_DAY, tick=False)
def test_attempts_per_day_are_capped(kit, iris, tmp_path):
    token = register(kit, "ada")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,species\n")
    for _ in range(20):
        assert "attempts today" not in kit("submit", "iris", "-f", str(bad), token=token).output
    capped = kit("submit", "iris", "-f", str(bad), token=token)
    assert capped.exit_code == 1 and "20 attempts today" in capped.output


def test_the_window_is_enforced(kit, iris, tmp_path):
    token = register(kit, "ada")
    path = write_submission(tmp_path / "s.csv", iris)
    with time_machine.travel(datetime(2026, 11, 19, tzinfo=UTC), tick=False):
        early = kit("submit", "iris", "-f", str(path), token=token)
        assert early.exit_code == 1 and "opens at 2026-11-20" in early.output
    with time_machine.travel(datetime(2026, 12, 21, tzinfo=UTC), tick=False):
        late = kit("submit", "iris", "-f", str(path), token=token)
        assert late.exit_code == 1 and "is closed" in late.output


@time_machine.travel(OPEN_DAY, tick=False)
def test_a_token_is_required_and_checked(kit, iris, tmp_path):
    path = write_submission(tmp_path / "s.csv", iris)
    assert "token is needed" in kit("submit", "iris", "-f", str(path)).output
    wrong = kit("submit", "iris", "-f", str(path), token="kit_not-a-real-token")
    assert wrong.exit_code == 1 and "not valid" in wrong.output


@time_machine.travel(OPEN_DAY, tick=False)
def test_a_file_over_the_size_limit_is_refused_unread(kit, kit_workspace, iris, tmp_path):
    token = register(kit, "ada")
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: larger than the 20 MB default
    result = kit("submit", "iris", "-f", str(big), token=token)
    assert result.exit_code == 1 and "at most" in result.output
    with kit_workspace.session() as session:
        assert session.query(Submission).count() == 0


def test_public_and_private_scores_and_closing(kit, iris, tmp_path):
    ada, bob = register(kit, "ada"), register(kit, "bob")
    with time_machine.travel(OPEN_DAY, tick=False):
        # Ada is right on private rows only; Bob on public rows only.
        kit("submit", "iris", "-f", str(write_submission(tmp_path / "a.csv", iris, wrong_public=True)), token=ada)
        kit("submit", "iris", "-f", str(write_submission(tmp_path / "b.csv", iris, wrong_private=True)), token=bob)
        history = json.loads(kit("submissions", "iris", "--json", token=ada).output)
        assert history[0]["public_score"] == 0.0 and history[0]["private_score"] is None
        board = kit("leaderboard", "iris", "--csv").output.splitlines()
        assert board[1].split(",")[:2] == ["1", "bob"] and board[2].split(",")[:2] == ["2", "ada"]
        refused = kit("leaderboard", "iris", "--private")
        assert refused.exit_code == 1 and "revealed when it closes" in refused.output
        assert kit("challenge", "close", "iris", organizer=False).exit_code == 1
        assert kit("challenge", "close", "iris").exit_code == 0
    with time_machine.travel(datetime(2026, 11, 24, tzinfo=UTC), tick=False):
        private = kit("leaderboard", "iris", "--private", "--csv").output.splitlines()
        assert private[0] == ("rank,participant,baseline,score,score_low,score_high,tied_with_above,entries,"
                              "submitted_at,public_rank,shake_up")
        first, second = private[1].split(","), private[2].split(",")
        assert first[:2] == ["1", "ada"] and float(first[3]) == 1.0 and first[-2:] == ["2", "1"]
        assert second[:2] == ["2", "bob"] and second[-1] == "-1"
        history = json.loads(kit("submissions", "iris", "--json", token=ada).output)
        assert history[0]["private_score"] == 1.0
        table = kit("leaderboard", "iris", "--private").output
        assert "shake-up" in table and "+1" in table


def test_ties_go_to_the_earlier_submission(kit, iris, tmp_path):
    ada, bob = register(kit, "ada"), register(kit, "bob")
    path = write_submission(tmp_path / "s.csv", iris, wrong_rows=3)
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False):
        kit("submit", "iris", "-f", str(path), token=bob)
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=UTC), tick=False):
        kit("submit", "iris", "-f", str(path), token=ada)
        board = kit("leaderboard", "iris", "--csv").output.splitlines()
    assert [line.split(",")[1] for line in board[1:]] == ["bob", "ada"]
    assert board[1].split(",")[3] == board[2].split(",")[3]


def test_finals_decide_the_private_board(kit, iris, tmp_path):
    ada = register(kit, "ada")
    good_private = write_submission(tmp_path / "gp.csv", iris, wrong_public=True)
    good_public = write_submission(tmp_path / "gq.csv", iris, wrong_private=True)
    with time_machine.travel(OPEN_DAY, tick=False):
        kit("submit", "iris", "-f", str(good_private), token=ada)   # id 1: public 0, private 1
        kit("submit", "iris", "-f", str(good_public), token=ada)    # id 2: public 1, private 0
        too_many = kit("select", "iris", "1", "2", "1", "2", "3", token=ada)
        assert too_many.exit_code == 1
        assert kit("select", "iris", "2", token=ada).exit_code == 0
        kit("challenge", "close", "iris")
    with time_machine.travel(datetime(2026, 11, 24, tzinfo=UTC), tick=False):
        private = kit("leaderboard", "iris", "--private", "--csv").output.splitlines()
        assert float(private[1].split(",")[3]) == 0.0  # the selected one counts, not the best private
        late = kit("select", "iris", "1", token=ada)
        assert late.exit_code == 1 and "closed" in late.output


def test_without_a_selection_the_best_public_ones_count(kit, iris, tmp_path):
    ada = register(kit, "ada")
    with time_machine.travel(OPEN_DAY, tick=False):
        kit("submit", "iris", "-f", str(write_submission(tmp_path / "1.csv", iris, wrong_public=True)), token=ada)
        kit("submit", "iris", "-f", str(write_submission(tmp_path / "2.csv", iris, wrong_rows=2)), token=ada)
        kit("submit", "iris", "-f", str(write_submission(tmp_path / "3.csv", iris, wrong_rows=1)), token=ada)
        kit("challenge", "close", "iris")
    with time_machine.travel(datetime(2026, 11, 24, tzinfo=UTC), tick=False):
        private = kit("leaderboard", "iris", "--private", "--csv").output.splitlines()
    # Submission 1 (public 0) is not among the two best public, so its perfect private score does not count.
    assert float(private[1].split(",")[3]) < 1.0


@time_machine.travel(OPEN_DAY, tick=False)
def test_selecting_someone_elses_submission_is_refused(kit, iris, tmp_path):
    ada, bob = register(kit, "ada"), register(kit, "bob")
    kit("submit", "iris", "-f", str(write_submission(tmp_path / "s.csv", iris)), token=ada)
    result = kit("select", "iris", "1", token=bob)
    assert result.exit_code == 1 and "no submission 1" in result.output


@time_machine.travel(OPEN_DAY, tick=False)
def test_baselines_are_marked_and_take_no_rank(kit, kit_workspace, iris, tmp_path):
    from kit.services.submissions import submit_baseline

    path = write_submission(tmp_path / "s.csv", iris)
    submit_baseline(kit_workspace.workspace, organizer_token=kit_workspace.organizer_token, slug="iris",
                    model="logreg", content=path.read_bytes(), filename="s.csv")
    ada = register(kit, "ada")
    kit("submit", "iris", "-f", str(write_submission(tmp_path / "a.csv", iris, wrong_rows=4)), token=ada)
    board = kit("leaderboard", "iris", "--csv").output.splitlines()
    assert board[1].split(",")[:3] == ["", "baseline: logreg", "1"]
    assert board[2].split(",")[:3] == ["1", "ada", "0"]
    assert "baseline" in kit("leaderboard", "iris").output


@time_machine.travel(OPEN_DAY, tick=False)
def test_leaderboard_csv_neutralises_formulas(kit, kit_workspace, iris, tmp_path):
    from kit.challenge.ranking import public_board
    from kit.services.exports import board_csv

    ada = register(kit, "ada")
    kit("submit", "iris", "-f", str(write_submission(tmp_path / "s.csv", iris)), token=ada)
    with kit_workspace.session() as session:
        board = public_board(session, get_challenge(session, "iris"))
    hostile = [type(board[0])(**{**board[0].__dict__, "participant": "=HYPERLINK(\"x\")"})]
    assert "'=HYPERLINK" in board_csv(hostile, private=False)


def test_kit_grade_grades_two_files(kit, iris, tmp_path):
    solution = tmp_path / "solution.csv"
    iris.to_csv(solution, index=False)
    good = write_submission(tmp_path / "s.csv", iris, wrong_public=True)
    result = kit("grade", "--solution", str(solution), "--submission", str(good), "--metric", "accuracy", "--json")
    assert result.exit_code == 0
    scores = json.loads(result.output)
    assert scores["public_score"] == 0.0 and scores["private_score"] == 1.0
    plain = kit("grade", "-s", str(solution), "-f", str(good), "-m", "accuracy")
    assert "public 0.00000" in plain.output and "private 1.00000" in plain.output
    bad = tmp_path / "bad.csv"
    bad.write_text("id,species\n1,setosa\n")
    rejected = kit("grade", "-s", str(solution), "-f", str(bad), "-m", "accuracy")
    assert rejected.exit_code == 1 and "must have" in rejected.output
    unknown = kit("grade", "-s", str(solution), "-f", str(good), "-m", "accurracy")
    assert unknown.exit_code == 1 and "accuracy" in unknown.output
