"""The ranking query behind every leaderboard, in the CLI and in the app.

Public board: each participant's best scored submission by public score. Private board
(once closed): among each participant's final selections (or, with none selected, their
best `final_selections` by public score), the best private score. Full precision for
ranking; ties go to the earlier submission. Baselines are shown but never ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from grader import get_metric
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from kit.models import SCORED, Challenge, Participant, Submission


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


def _order(column, higher_is_better: bool):
    return column.desc() if higher_is_better else column.asc()


def _best_public(challenge: Challenge, higher: bool):
    """Each participant's scored submissions, numbered best-first by public score."""
    return select(
        Submission.id, Submission.participant_id, Submission.public_score, Submission.private_score,
        Submission.created_at, Submission.selected,
        func.row_number().over(partition_by=Submission.participant_id,
                               order_by=(_order(Submission.public_score, higher), Submission.created_at,
                                         Submission.id)).label("public_order"),
        func.count().over(partition_by=Submission.participant_id).label("entries"),
        func.max(case((Submission.selected, 1), else_=0)).over(partition_by=Submission.participant_id)
        .label("has_selection"),
    ).where(Submission.challenge_id == challenge.id, Submission.status == SCORED).subquery()


def _rank(rows: list, higher: bool, key) -> list:
    """Sort by score (direction-aware, full precision), then earliest submission, then id."""
    return sorted(rows, key=lambda r: (-key(r) if higher else key(r), r.created_at, r.id))


def public_board(session: Session, challenge: Challenge) -> list[BoardRow]:
    higher = get_metric(challenge.metric).higher_is_better
    ranked = _best_public(challenge, higher)
    query = (select(ranked, Participant.name, Participant.is_baseline)
             .join(Participant, Participant.id == ranked.c.participant_id)
             .where(ranked.c.public_order == 1))
    rows = _rank(session.execute(query).all(), higher, lambda r: r.public_score)
    board, rank = [], 0
    for row in rows:
        if not row.is_baseline:
            rank += 1
        board.append(BoardRow(None if row.is_baseline else rank, row.name, row.is_baseline, row.id,
                              row.public_score, row.created_at, row.entries))
    return board


def private_board(session: Session, challenge: Challenge) -> list[BoardRow]:
    higher = get_metric(challenge.metric).higher_is_better
    ranked = _best_public(challenge, higher)
    candidates = select(
        ranked,
        func.row_number().over(partition_by=ranked.c.participant_id,
                               order_by=(_order(ranked.c.private_score, higher), ranked.c.created_at,
                                         ranked.c.id)).label("private_order"),
    ).where(or_(and_(ranked.c.has_selection == 1, ranked.c.selected.is_(True)),
                and_(ranked.c.has_selection == 0, ranked.c.public_order <= challenge.final_selections))).subquery()
    query = (select(candidates, Participant.name, Participant.is_baseline)
             .join(Participant, Participant.id == candidates.c.participant_id)
             .where(candidates.c.private_order == 1))
    rows = _rank(session.execute(query).all(), higher, lambda r: r.private_score)
    public_ranks = {row.participant: row.rank for row in public_board(session, challenge)}
    board, rank = [], 0
    for row in rows:
        if not row.is_baseline:
            rank += 1
        public_rank = public_ranks.get(row.name)
        board.append(BoardRow(
            None if row.is_baseline else rank, row.name, row.is_baseline, row.id, row.private_score,
            row.created_at, row.entries, public_rank,
            None if row.is_baseline or public_rank is None else public_rank - rank,
        ))
    return board


def public_rank_of(session: Session, challenge: Challenge, participant: Participant) -> int | None:
    for row in public_board(session, challenge):
        if row.participant == participant.name:
            return row.rank
    return None
