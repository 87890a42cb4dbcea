"""Teams and notifications on the hot paths: boards with teams, and the new-leader check a submission makes.

Builds the leaderboard benchmark's workspace (benchmarks/leaderboard.py: 1,000 participants,
100,000 submissions on one challenge), then times in the same run, medians of R runs:

- public_board and private_board with no teams (the reference), then again after half the
  participants pair up into teams of two (their submissions carry the team, as a merge
  leaves them): the ratio is what folding teams costs;
- kit.services.outbox.note_scored_submission, the new-leader check a submission makes
  inside its write transaction when a webhook wants new leaders, against the public board
  as the reference (the read a submission makes after its commit).

Run: python benchmarks/teams.py [--participants N] [--submissions M] [--repeat R]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def leaderboard_benchmark():
    spec = importlib.util.spec_from_file_location("leaderboard_benchmark", ROOT / "benchmarks" / "leaderboard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pair_up(ws, challenge_id: int) -> int:
    """Put the first half of the participants into teams of two; returns how many teams."""
    from sqlalchemy import insert, select, update

    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.store.models import Challenge, Participant, Submission, Team, TeamMember

    with ws.session(write=True) as session:
        season = create_season(session, slug="bench-season", name="Bench season", starts_on=date.today())
        session.get(Challenge, challenge_id).season_id = season.id
        people = list(session.scalars(select(Participant.id).where(Participant.is_baseline.is_(False))
                                      .order_by(Participant.id)))
        pairs = [people[i:i + 2] for i in range(0, len(people) // 2, 2)]
        now = utcnow()
        session.execute(insert(Team), [{"season_id": season.id, "name": f"team-{n:04d}", "name_key": f"team-{n:04d}",
                                        "invite_code": f"team_bench_{n}", "created_at": now}
                                       for n in range(len(pairs))])
        team_ids = list(session.scalars(select(Team.id).order_by(Team.id)))
        for team_id, pair in zip(team_ids, pairs, strict=True):
            session.execute(insert(TeamMember), [{"team_id": team_id, "season_id": season.id, "participant_id": pid,
                                                  "joined_at": now} for pid in pair])
            session.execute(update(Submission).where(Submission.participant_id.in_(pair)).values(team_id=team_id))
    return len(pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    bench = leaderboard_benchmark()

    from sqlalchemy import select

    from kit.challenge.lookup import get_challenge
    from kit.challenge.ranking import private_board, public_board
    from kit.clock import utcnow
    from kit.services.outbox import note_scored_submission
    from kit.services.webhooks import add_webhook
    from kit.store.models import Season, Submission

    print(bench.machine())
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as folder:
        ws, challenge_id = bench.build(Path(folder) / "ws", args.participants, args.submissions)

        def boards():
            with ws.session() as session:
                challenge = get_challenge(session, "bench")
                return public_board(session, challenge), private_board(session, challenge)

        def public():
            with ws.session() as session:
                return public_board(session, get_challenge(session, "bench"))

        boards()
        solo_public_s, solo_rows = bench.timed(public, args.repeat)
        solo_both_s, _ = bench.timed(boards, args.repeat)
        teams = pair_up(ws, challenge_id)
        boards()
        team_public_s, team_rows = bench.timed(public, args.repeat)
        team_both_s, (_, private_rows) = bench.timed(boards, args.repeat)
        assert len(team_rows) == len(solo_rows) - teams, (len(team_rows), len(solo_rows), teams)
        assert {r.participant for r in private_rows} == {r.participant for r in team_rows}

        # The new-leader check, as a submission makes it: the best score is already taken, so no event.
        with ws.session(write=True) as session:
            add_webhook(session, session.scalar(select(Season)), "https://example.org/hook", "json", ["new_leader"])
        with ws.session() as session:
            latest = session.scalar(select(Submission).where(Submission.status == "scored")
                                    .order_by(Submission.id.desc()).limit(1))

        def check():
            with ws.session() as session:
                challenge = get_challenge(session, "bench")
                row = session.get(Submission, latest.id)
                start = time.perf_counter()
                note_scored_submission(session, challenge, row, utcnow() + timedelta(seconds=1))
                return time.perf_counter() - start

        check()
        check_s = sorted(check() for _ in range(args.repeat))[args.repeat // 2]

    print(f"public_board, no teams ({len(solo_rows):,} rows):      {solo_public_s * 1000:7.1f} ms  (reference)")
    print(f"public_board, {teams} teams of two ({len(team_rows):,} rows): {team_public_s * 1000:7.1f} ms  "
          f"→ {team_public_s / solo_public_s:.2f}× the reference")
    print(f"public + private boards, no teams:           {solo_both_s * 1000:7.1f} ms  (reference)")
    print(f"public + private boards, with teams:         {team_both_s * 1000:7.1f} ms  "
          f"→ {team_both_s / solo_both_s:.2f}× the reference")
    print(f"new-leader check in a submission's write:    {check_s * 1000:7.1f} ms  "
          f"→ {check_s / team_public_s:.2f}× the public board read after commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
