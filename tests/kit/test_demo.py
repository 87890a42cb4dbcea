"""`kit demo`: a season in full swing (people, teams, a closed week with winners, charts with
data, no baseline at the metric's ceiling), the same boards from the same seed, and `--empty`.

The lived-in demo is built once for the module with the baselines the demo trains.
Fashion-MNIST is left out to keep the suite quick: building it and training its CNN cost
more than the rest together, and the community does not submit to it (its CNN's accuracy,
about 0.88, is far from the ceiling). The CLI's own path is checked with `--empty`.
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from kit.clock import utcnow

SEED = 27
# The best score each demo metric can reach: no baseline may sit there on a public board.
CEILING = {"accuracy": 1.0, "roc_auc": 1.0, "log_loss": 0.0, "multiclass_log_loss": 0.0, "rmse": 0.0}
COMMUNITY_CHALLENGES = ["digits", "breast-cancer", "diabetes", "wine"]


def run_demo(folder, *args: str):
    from kit.cli import app

    env = {"KIT_WORKSPACE": str(folder), "KIT_DATABASE_URL": "", "COLUMNS": "100"}
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--no-baselines", *args], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def build(folder, seed: int, moment):
    """The lived-in demo without Fashion-MNIST, as the kit builds it."""
    from kit.services.demo import build_demo, demo_specs
    from kit.store.workspace import init_workspace

    ws = init_workspace(folder).workspace
    specs = [(name, text) for name, text in demo_specs() if "fashion" not in name]
    return ws, build_demo(ws, seed=seed, progress=False, moment=moment, specs=specs)


@pytest.fixture(scope="module")
def now():
    return utcnow()  # one moment for every build, so a build at midnight cannot straddle two days


@pytest.fixture(scope="module")
def demo(tmp_path_factory, now):
    """(workspace, what was built) of the lived-in demo with its quick baselines."""
    from kit.cli.baseline_runs import train_demo_baselines

    ws, built = build(tmp_path_factory.mktemp("demo") / "ws", SEED, now)
    assert built.challenges == COMMUNITY_CHALLENGES
    train_demo_baselines(ws, built.challenges, progress=False, moment=built.first_rows_at)
    return ws, built


def boards(ws) -> dict:
    """Every challenge's public and (once closed) private participant rows, and the standings."""
    from kit.challenge.lookup import is_closed, list_challenges
    from kit.challenge.ranking import private_board, public_board
    from kit.season.seasons import get_season
    from kit.season.standings import season_standings

    shown = {}
    with ws.session() as session:
        for challenge in list_challenges(session):
            rows = public_board(session, challenge) + (private_board(session, challenge)
                                                       if is_closed(challenge) else [])
            shown[challenge.slug] = [(r.rank, r.participant, r.score, r.entries, r.submitted_at, r.shake_up)
                                     for r in rows if not r.is_baseline]
        shown["standings"] = [(s.rank, s.participant, s.points, s.streak.current, s.streak.longest)
                              for s in season_standings(session, get_season(session))]
    return shown


def test_the_season_is_lived_in(demo):
    from sqlalchemy import func, select

    from kit.season.seasons import day_of_season, get_season
    from kit.season.standings import season_standings
    from kit.season.teams import members_of, teams_of_season
    from kit.store.models import CheckIn, Participant, Submission, SubmissionStatus

    ws, built = demo
    assert built.community.participants == 30 and built.community.rejected >= 3
    with ws.session() as session:
        season = get_season(session)
        assert day_of_season(season) == 10
        people = session.scalars(select(Participant).where(Participant.is_baseline.is_(False))).all()
        assert len(people) == 30 and len({p.name for p in people}) == 30
        assert all(" " in p.name or "_" in p.name or "." in p.name or "-" in p.name for p in people)
        rows = session.execute(select(Submission.participant_id, Submission.created_at, Submission.status,
                                      Submission.public_score, Submission.challenge_id)
                               .join(Participant).where(Participant.is_baseline.is_(False))
                               .order_by(Submission.created_at)).all()
        assert len(rows) >= 100
        assert len({day_of_season(season, r.created_at) for r in rows}) == 9  # every day so far, none today
        assert all(r.created_at < utcnow() for r in rows)
        rejected = [r for r in rows if r.status == SubmissionStatus.REJECTED]
        assert 3 <= len(rejected) <= len(rows) // 5
        assert session.scalar(select(func.count()).select_from(CheckIn)) > 20
        teams = teams_of_season(session, season)
        assert len(teams) == 2 and all(len(members_of(session, team)) >= 2 for team in teams)
        standings = season_standings(session, season)
        assert any(s.team_id is not None for s in standings)
        assert max(s.streak.longest for s in standings) >= 5
        assert any(s.joined_day > 1 for s in standings)  # some people joined late

    # Scores improve with practice: on most people's busiest challenge, the best beats the first.
    by_person: dict = {}
    for r in rows:
        if r.status == SubmissionStatus.SCORED:
            by_person.setdefault((r.participant_id, r.challenge_id), []).append(r.public_score)
    tried_often = [scores for scores in by_person.values() if len(scores) >= 3]
    assert tried_often
    assert sum(scores[0] != scores[-1] for scores in tried_often) >= len(tried_often) * 0.8


def test_week_one_is_closed_with_its_reveal_winners_and_awards(demo):
    from kit.challenge.lookup import get_challenge, is_closed
    from kit.challenge.ranking import private_board, public_board
    from kit.season.seasons import get_season
    from kit.season.standings import weekly_winners

    ws, _ = demo
    with ws.session() as session:
        digits = get_challenge(session, "digits")
        assert is_closed(digits)
        assert not is_closed(get_challenge(session, "breast-cancer"))
        private = [r for r in private_board(session, digits) if r.rank is not None]
        assert len(private) >= 15 and any(r.shake_up for r in private)
        assert len(public_board(session, digits)) >= len(private)  # the public board stays
        winners = weekly_winners(session, get_season(session))
        assert [(w.challenge, w.place) for w in winners] == [("digits", 1), ("digits", 2), ("digits", 3)]
        assert all(w.award for w in winners)
        assert [w.participant for w in winners] == [r.participant for r in private[:3]]


def test_every_chart_has_data(demo):
    from sqlalchemy import func, select

    from kit.challenge.lookup import get_challenge
    from kit.challenge.ranking import public_board
    from kit.challenge.score_history import best_public_history
    from kit.store.models import Submission, SubmissionStatus

    ws, _ = demo
    teams_drawn = 0
    with ws.session() as session:
        for slug in COMMUNITY_CHALLENGES:
            challenge = get_challenge(session, slug)
            board = public_board(session, challenge)
            history = best_public_history(session, challenge, board, top=len(board))
            assert len({p.participant for p in history}) >= 5, slug
            assert len({p.submitted_at.date() for p in history}) >= 3, slug  # spread over the days
            for row in board:
                if row.team_id is None:
                    continue
                # A team's line starts with its first scored submission, whichever member made it.
                first = session.scalar(select(func.min(Submission.created_at)).where(
                    Submission.challenge_id == challenge.id, Submission.team_id == row.team_id,
                    Submission.status == SubmissionStatus.SCORED))
                mine = [p for p in history if p.participant == row.participant]
                assert mine[0].submitted_at == first and mine[-1].best_score == row.score, (slug, row.participant)
                teams_drawn += 1
    assert teams_drawn >= 2


def test_no_demo_baseline_sits_at_the_metric_ceiling(demo):
    from kit.challenge.lookup import list_challenges
    from kit.challenge.ranking import public_board

    ws, _ = demo
    with ws.session() as session:
        for challenge in list_challenges(session):
            baselines = [r for r in public_board(session, challenge) if r.is_baseline]
            trained = [r for r in baselines if r.participant != "baseline: sample"]
            if challenge.slug in COMMUNITY_CHALLENGES:
                assert len(trained) == 2, challenge.slug
            for row in baselines:
                assert not math.isclose(row.score, CEILING[challenge.metric], abs_tol=5e-6), \
                    (challenge.slug, row.participant, row.score)


def test_the_same_seed_gives_the_same_boards(demo, tmp_path, now):
    ws, _ = demo
    again, _ = build(tmp_path / "again", SEED, now)
    other, _ = build(tmp_path / "other", SEED + 1, now)
    first = boards(ws)
    assert boards(again) == first
    different = boards(other)
    assert different["digits"] != first["digits"] and different["standings"] != first["standings"]


def test_empty_gives_a_clean_season(tmp_path):
    from kit.cli import app

    runner = CliRunner()
    env = {"KIT_WORKSPACE": str(tmp_path / "demo"), "KIT_DATABASE_URL": "", "COLUMNS": "200"}
    result = run_demo(tmp_path / "demo", "--empty")
    assert "27 Days of Deep Learning" in result.output and "participants" not in result.output
    # The next steps come last and short.
    tail = result.output.rstrip().splitlines()
    steps = tail[tail.index("Next steps:"):]
    assert 3 <= len(steps) <= 5 and "kit submit breast-cancer" in steps[-1]

    season = json.loads(runner.invoke(app, ["season", "show", "--json"], env=env).output)
    assert season["name"] == "27 Days of Deep Learning" and season["day"] == 4
    challenges = {row["slug"]: row for row in season["challenges"]}
    assert {"digits", "breast-cancer", "diabetes", "wine"} <= set(challenges)
    assert all(row["status"] == "open" for row in challenges.values())
    assert "No standings yet" in runner.invoke(app, ["season", "standings"], env=env).output

    listed = {row["slug"]: row for row in json.loads(runner.invoke(app, ["challenge", "list", "--json"], env=env).output)}
    assert listed["digits"]["metric"] == "accuracy"
    assert listed["breast-cancer"]["metric"] == "log_loss"
    assert listed["diabetes"]["metric"] == "rmse" and listed["diabetes"]["direction"] == "lower"

    download = runner.invoke(app, ["download", "diabetes", "-p", str(tmp_path / "bundle")], env=env)
    assert download.exit_code == 0
    assert (tmp_path / "bundle" / "train.csv").stat().st_size > 0

    board = runner.invoke(app, ["leaderboard", "digits", "--csv"], env=env).output.splitlines()
    assert board[0].startswith("rank,participant,baseline")
    assert [line.split(",")[1] for line in board[1:]] == ["baseline: sample"]

    again = runner.invoke(app, ["demo", "--no-serve", "--no-baselines"], env=env)
    assert again.exit_code == 0 and "already in" in again.output and "--reset" in again.output
    reset = runner.invoke(app, ["demo", "--no-serve", "--no-baselines", "--reset", "--empty"], env=env)
    assert reset.exit_code == 0, reset.output
