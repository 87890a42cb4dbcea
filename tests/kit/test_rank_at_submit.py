"""The rank a submitter is told equals their row's rank on the public board.

`public_rank_of` runs on every submit and counts ranks without building the board's names
and tie marks; here, after every one of many random submissions (solo participants, a team
of two, baseline rows, equal scores at different times, a Ladder board), it is compared
with `public_board` itself. SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from kit.challenge.lookup import get_challenge
from kit.challenge.ranking import public_board
from kit.challenge.spec import parse_spec
from kit.season.seasons import create_season
from kit.season.teams import create_team, join_team
from kit.services.challenges import add_challenge
from kit.services.participants import get_participant, register
from kit.services.submissions import record_baseline, submit
from tests.known_submissions import solution_rows, submission_csv

START = datetime(2026, 11, 2, tzinfo=UTC)
SPEC = """slug = "{slug}"
title = "Rank check"
metric = "{metric}"
season = "rank-season"
week = 1
daily_limit = 1000
public_board = "{board}"
[data]
source = "sklearn:{source}"
seed = 5
"""


@pytest.mark.parametrize(("board", "metric", "source"), [("best", "accuracy", "iris"),
                                                         ("ladder", "accuracy", "iris")])
def test_the_rank_told_at_submit_is_the_boards(kit_workspace, board, metric, source):
    ws = kit_workspace.workspace
    with ws.session(write=True) as session:
        create_season(session, slug="rank-season", name="Rank season", starts_on=START.date())
        text = SPEC.format(slug="ranks", metric=metric, board=board, source=source)
        add_challenge(session, parse_spec(text), text, progress=False)
        tokens = {name: register(session, name, moment=START)[1] for name in ("ann", "ben", "cyd", "dee", "eve")}
        season = get_challenge(session, "ranks").season
        team = create_team(session, season, get_participant(session, "dee"), "Dee and Eve", moment=START)
        join_team(session, get_participant(session, "eve"), team.invite_code, moment=START)
    rows = solution_rows(ws, "ranks")
    rng = random.Random(f"{board}-{metric}")
    moment = START + timedelta(hours=1)
    for step in range(30):
        moment += timedelta(minutes=rng.choice([1, 7, 30]))
        content = submission_csv(rows, wrong_public=rng.choice([0, 1, 1, 2, 3, 5, 8]),
                                 wrong_private=rng.randrange(5))
        if step % 9 == 4:
            record_baseline(ws, slug="ranks", model=rng.choice(["logreg", "xgboost"]), content=content,
                            filename="b.csv", moment=moment)
            continue
        name = rng.choice(sorted(tokens))
        outcome = submit(ws, slug="ranks", token=tokens[name], content=content, filename="s.csv", moment=moment)
        with ws.session() as session:
            board_rows = public_board(session, get_challenge(session, "ranks"))
        mine = [row for row in board_rows if row.belongs_to(name)]
        assert len(mine) == 1 and outcome.rank == mine[0].rank, (step, name, outcome.rank, board_rows)
