"""The honest leaderboard's questions over HTTP: is this submission really better, and how far
did public scores sit from private ones once revealed."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query

from kit.api.deps import ParticipantToken, WorkspaceDep
from kit.api.models import ComparisonOut, Comparisons, ShiftOut, Shifts, error_responses
from kit.challenge.lookup import get_challenge, is_closed, list_challenges
from kit.errors import InvalidInputError, NotRevealedError
from kit.services.comparisons import compare_submissions
from kit.services.participants import authenticate
from kit.services.reveal import Shift, overfitting_history, revealed_shifts

router = APIRouter(tags=["honest leaderboard"])
ERRORS = error_responses(400, 401, 404, 409)


def _shift(shift: Shift) -> ShiftOut:
    return ShiftOut(**asdict(shift), gap=shift.gap, within_noise=shift.within_noise)


@router.get("/challenges/{slug}/submissions/{submission_id}/compare", response_model=Comparisons,
            responses=ERRORS)
def compare(slug: str, submission_id: int, ws: WorkspaceDep, token: ParticipantToken,
            against: str = Query("best", description="`best` (your best other submission) or a submission id.")
            ) -> Comparisons:
    """Is this submission better than your best (or another of yours)? A paired answer on the same rows:
    public rows always, private rows once the challenge has closed."""
    if against != "best" and not against.isdigit():
        raise InvalidInputError(f"against takes `best` or a submission id, not {against!r}.")
    with ws.session() as session:
        participant = authenticate(session, token)
        found = compare_submissions(session, slug=slug, participant=participant, submission_id=submission_id,
                                    against=None if against == "best" else int(against))
        return Comparisons(challenge=slug, comparisons=[ComparisonOut(**asdict(c)) for c in found])


@router.get("/challenges/{slug}/reveal", response_model=Shifts, responses=ERRORS)
def reveal(slug: str, ws: WorkspaceDep, token: ParticipantToken) -> Shifts:
    """Each of your scored submissions, public → private with both intervals (after close only)."""
    with ws.session() as session:
        participant = authenticate(session, token)
        challenge = get_challenge(session, slug)
        if not is_closed(challenge):
            raise NotRevealedError(f"{slug!r} is still open: private scores are revealed when it closes.")
        return Shifts(participant=participant.name,
                      shifts=[_shift(s) for s in revealed_shifts(session, challenge, participant)])


@router.get("/me/overfitting", response_model=Shifts, responses=ERRORS)
def overfitting(ws: WorkspaceDep, token: ParticipantToken) -> Shifts:
    """Your public–private gap per closed challenge (your best public submission on each): an overfitting
    history across the season."""
    with ws.session() as session:
        participant = authenticate(session, token)
        history = overfitting_history(session, participant, list_challenges(session))
        return Shifts(participant=participant.name, shifts=[_shift(s) for s in history])
