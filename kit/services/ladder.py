"""The Ladder (Blum & Hardt, ICML 2015): a displayed public score that noise cannot climb.

On a challenge with ``public_board = "ladder"`` an entrant's displayed public score (and
so their rank) changes only when a submission beats it by more than the parameter-free
threshold: the standard error of the paired per-row differences (std/√n) between the new
submission and the displayed one. The private board and final selection are unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import grader
from kit.challenge.metric_of import challenge_metric
from kit.challenge.noise import board_decimals
from kit.challenge.paired import influences
from kit.store.models import Challenge, Submission, SubmissionStatus

LADDER = "ladder"


@dataclass(frozen=True)
class LadderStep:
    """What the Ladder decided for one submission, in numbers rounded to the board's precision."""

    moved: bool  # the entrant's displayed public score changed
    displayed_score: float  # after this submission
    improvement: float | None  # over the displayed score, positive = better (None for a first submission)
    threshold: float | None  # the noise a change had to exceed
    message: str


def _fmt(value: float, decimals: int, sign: bool = False) -> str:
    return f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def displayed_submission(session: Session, challenge: Challenge, entrant_filter) -> Submission | None:
    """The entrant's submission whose public score the Ladder displays (their best step)."""
    metric = challenge_metric(challenge)
    order = Submission.public_score.desc() if metric.higher_is_better else Submission.public_score.asc()
    return session.scalar(select(Submission).where(
        Submission.challenge_id == challenge.id, Submission.status == SubmissionStatus.SCORED, Submission.ladder_step.is_(True),
        entrant_filter).order_by(order, Submission.created_at, Submission.id).limit(1))


def ladder_step(session: Session, challenge: Challenge, entrant_filter, result: grader.Grade) -> LadderStep:
    """Decide whether a newly graded submission moves its entrant's displayed public score."""
    metric = challenge_metric(challenge)
    # To the board's precision, never finer: a finer difference would tell which public rows a
    # change got right, the probing the rounding and the Ladder are there to stop.
    decimals = board_decimals(challenge)
    current = displayed_submission(session, challenge, entrant_filter)
    if current is None:
        return LadderStep(True, round(result.public_score, decimals), None, None,
                          f"Your displayed public score is now {_fmt(result.public_score, decimals)}.")
    displayed = current.public_score
    assert displayed is not None  # the displayed submission is a scored one
    sign = 1.0 if metric.higher_is_better else -1.0
    improvement = sign * (result.public_score - displayed)
    stored = influences(session, "public", [current.id])[current.id]
    if stored is None or result.public_influence is None or len(stored) != len(result.public_influence):
        threshold = 0.0  # no per-row data for the displayed one (graded before intervals): any gain counts
    else:
        threshold = grader.paired_difference(result.public_score, result.public_influence,
                                              displayed, stored).standard_error
    shown = _fmt(displayed, decimals)
    if improvement > threshold and math.isfinite(improvement):
        return LadderStep(True, round(result.public_score, decimals), _rounded(improvement, decimals),
                          _rounded(threshold, decimals), f"{_fmt(improvement, decimals, True)} beats your displayed {shown} by more than the noise "
                          f"({_fmt(threshold, decimals)}): your displayed public score is now "
                          f"{_fmt(result.public_score, decimals)}.")
    if improvement <= 0:
        return LadderStep(False, round(displayed, decimals), _rounded(improvement, decimals),
                          _rounded(threshold, decimals), f"{_fmt(improvement, decimals, True)} is no improvement; your displayed public score "
                          f"stays {shown}.")
    return LadderStep(False, round(displayed, decimals), _rounded(improvement, decimals),
                      _rounded(threshold, decimals), f"{_fmt(improvement, decimals, True)} is within noise; a change needs more than "
                      f"{_fmt(threshold, decimals)}. Your displayed public score stays {shown}.")
