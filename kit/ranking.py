"""The ranking query behind every leaderboard, in the CLI and in the app.

Public board: each participant's best scored submission by public score. Private board
(once closed): among each participant's final selections (or, with none selected, their
best `final_selections` by public score), the best private score. Full precision for
ranking; ties go to the earlier submission. Baselines are shown but never ranked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from grader import get_metric
from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session, aliased

from kit.models import SCORED, Challenge, Participant, Submission, UTCDateTime


@dataclass(frozen=True)
class BoardRow:
    rank: int | None  # None for baselines
    participant: str
    is_baseline: bool
    submission_id: int
    score: float
    submitted_at: datetime
    entries: int  # scored submissions of this participant on this challenge
    public_rank: int | None = None  # on the private board: rank on the public board
    shake_up: int | None = None  # public rank − private rank (positive: climbed)


def _scored(challenge: Challenge):
    return and_(Submission.challenge_id == challenge.id, Submission.status == SCORED)


def _rank(rows: list, higher: bool, key) -> list:
    """Sort by score (direction-aware, full precision), then earliest submission, then id."""
    return sorted(rows, key=lambda r: (-key(r) if higher else key(r), r.created_at, r.id))


def _number(rows: list, make) -> list[BoardRow]:
    """Give ranks 1, 2, … to participants; baselines get a row but no rank."""
    board, rank = [], 0
    for row in rows:
        if not row.is_baseline:
            rank += 1
        board.append(make(row, None if row.is_baseline else rank))
    return board


def public_board(session: Session, challenge: Challenge) -> list[BoardRow]:
    higher = get_metric(challenge.metric).higher_is_better
    best_score = (func.max if higher else func.min)(Submission.public_score)
    best = (select(Submission.participant_id, best_score.label("best"), func.count().label("entries"))
            .where(_scored(challenge)).group_by(Submission.participant_id).subquery())
    # The earliest submission reaching the participant's best score: one index seek each.
    earliest = aliased(Submission)
    first_id = (select(earliest.id)
                .where(earliest.challenge_id == challenge.id, earliest.status == SCORED,
                       earliest.participant_id == best.c.participant_id, earliest.public_score == best.c.best)
                .order_by(earliest.created_at, earliest.id).limit(1).correlate(best).scalar_subquery())
    query = (select(Submission.id, Submission.public_score, Submission.created_at, best.c.entries,
                    Participant.name, Participant.is_baseline)
             .select_from(best)
             .join(Submission, Submission.id == first_id)
             .join(Participant, Participant.id == best.c.participant_id))
    rows = _rank(session.execute(query).all(), higher, lambda r: r.public_score)
    return _number(rows, lambda row, rank: BoardRow(rank, row.name, row.is_baseline, row.id, row.public_score,
                                                    row.created_at, row.entries))


# Each participant's candidates for the private board: their selected submissions, or
# else their `limit` best by public score (Kaggle's automatic selection). The N-th best is
# found with one index seek per participant; every row ranked at or above it is a candidate.
_PRIVATE_CANDIDATES = """
WITH per_participant AS (
    SELECT participant_id, MAX(CASE WHEN selected THEN 1 ELSE 0 END) AS has_selection, COUNT(*) AS entries
    FROM submission WHERE challenge_id = :challenge AND status = :scored GROUP BY participant_id
), nth AS MATERIALIZED (
    SELECT p.participant_id, p.has_selection, p.entries,
           (SELECT t.id FROM submission t
            WHERE t.challenge_id = :challenge AND t.status = :scored AND t.participant_id = p.participant_id
            ORDER BY t.public_score {order}, t.created_at, t.id LIMIT 1 OFFSET :offset) AS nth_id
    FROM per_participant p
), cut AS (
    SELECT nth.*, s.public_score AS nth_score, s.created_at AS nth_at
    FROM nth LEFT JOIN submission s ON s.id = nth.nth_id
)
SELECT s.id, s.participant_id, s.public_score, s.private_score, s.created_at, cut.entries
FROM cut JOIN submission s
  ON s.challenge_id = :challenge AND s.status = :scored AND s.participant_id = cut.participant_id
WHERE (cut.has_selection = 1 AND s.selected)
   OR (cut.has_selection = 0 AND (cut.nth_id IS NULL OR s.public_score {better} cut.nth_score
       OR (s.public_score = cut.nth_score AND (s.created_at < cut.nth_at
           OR (s.created_at = cut.nth_at AND s.id <= cut.nth_id)))))
"""


def private_board(session: Session, challenge: Challenge) -> list[BoardRow]:
    higher = get_metric(challenge.metric).higher_is_better
    sql = text(_PRIVATE_CANDIDATES.format(order="DESC" if higher else "ASC", better=">" if higher else "<"))
    sql = sql.columns(created_at=UTCDateTime())
    rows = session.execute(sql, {"challenge": challenge.id, "scored": SCORED,
                                 "offset": challenge.final_selections - 1}).all()
    candidates: dict[int, list] = defaultdict(list)
    for row in rows:
        candidates[row.participant_id].append(row)
    people = {p.id: p for p in session.scalars(select(Participant).where(Participant.id.in_(list(candidates))))}
    best = []
    for participant_id, rows in candidates.items():
        chosen = _rank(rows, higher, lambda r: r.private_score)[0]
        person = people[participant_id]
        best.append(SimpleNamespace(id=chosen.id, created_at=chosen.created_at, private_score=chosen.private_score,
                                    entries=chosen.entries, name=person.name, is_baseline=person.is_baseline))
    public_ranks = {row.participant: row.rank for row in public_board(session, challenge)}

    def make(row, rank):
        public_rank = public_ranks.get(row.name)
        shake_up = None if rank is None or public_rank is None else public_rank - rank
        return BoardRow(rank, row.name, row.is_baseline, row.id, row.private_score, row.created_at, row.entries,
                        public_rank, shake_up)

    return _number(_rank(best, higher, lambda r: r.private_score), make)


def public_rank_of(session: Session, challenge: Challenge, participant: Participant) -> int | None:
    for row in public_board(session, challenge):
        if row.participant == participant.name:
            return row.rank
    return None
