"""The outbox: a season's moments stored as events, in the transaction that caused them.

A submission that takes the lead, or an organizer closing a challenge, adds its event in
its own transaction, so nothing is lost and nothing waits on a webhook: the worker
(`kit.services.delivery`) sends them later. Moments of the clock (a challenge opens or
its window ends, a week's winners, the evening's "streak at risk" digest) are found by
`enqueue_due_events`, which the worker runs each tick; an event's unique key makes each
happen once, however many workers look.

Payloads hold public data only: names, titles, public scores while a challenge is open,
private scores once it is closed. Never a label, a token or an invite code.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.challenge.lookup import challenge_status, is_closed
from kit.challenge.metric_of import challenge_metric
from kit.challenge.ranking import private_board
from kit.season.checkins import active_days
from kit.season.seasons import day_of_season, season_zone
from kit.season.standings import WINNER_PLACES, weekly_winners
from kit.season.streaks import streak
from kit.store.models import (
    Challenge,
    OutboxEvent,
    Participant,
    Season,
    Submission,
    SubmissionStatus,
    Team,
    Webhook,
    WebhookDelivery,
)

CHALLENGE_OPENED = "challenge_opened"
NEW_LEADER = "new_leader"
CHALLENGE_CLOSED = "challenge_closed"
WEEKLY_WINNERS = "weekly_winners"
STREAK_AT_RISK = "streak_at_risk"
EVENT_KINDS = (CHALLENGE_OPENED, NEW_LEADER, CHALLENGE_CLOSED, WEEKLY_WINNERS, STREAK_AT_RISK)
PENDING = "pending"

DIGEST_HOUR = 18  # the streak digest goes out from 18:00 in the season's time zone
DIGEST_MAX_NAMES = 50


def subscribers(session: Session, season_id: int, kind: str) -> list[Webhook]:
    hooks = session.scalars(select(Webhook).where(Webhook.season_id == season_id, Webhook.removed_at.is_(None)))
    return [hook for hook in hooks if kind in hook.events]


def enqueue(session: Session, *, season_id: int, kind: str, key: str, payload: dict, now: datetime,
            deliver: bool = True) -> OutboxEvent | None:
    """Store the event and a pending delivery for each webhook that wants it; None if `key` already happened.

    `deliver=False` records that the moment passed (so it never fires later) without sending it.
    """
    if session.scalar(select(OutboxEvent.id).where(OutboxEvent.key == key)) is not None:
        return None
    event = OutboxEvent(season_id=season_id, kind=kind, key=key, payload=payload, created_at=now)
    try:
        with session.begin_nested():  # another worker may store the same moment at the same time
            session.add(event)
            session.flush()
    except IntegrityError:
        return None
    for hook in subscribers(session, season_id, kind) if deliver else []:
        session.add(WebhookDelivery(webhook_id=hook.id, event_id=event.id, status=PENDING, attempts=0,
                                    next_attempt_at=now, created_at=now))
    session.flush()
    return event


def _challenge_fields(challenge: Challenge) -> dict:
    metric = challenge_metric(challenge)
    return {"challenge": challenge.slug, "title": challenge.title, "week": challenge.week, "metric": metric.name,
            "higher_is_better": metric.higher_is_better}


def _entrant_name(session: Session, participant_id: int, team_id: int | None) -> str:
    if team_id is not None:
        return session.get_one(Team, team_id).name
    return session.get_one(Participant, participant_id).name


# ---- caused by a write: enqueued in its transaction ------------------------------------------


def note_scored_submission(session: Session, challenge: Challenge, row: Submission, now: datetime) -> None:
    """After a scored submission is flushed: a new leader on the public board is an event.

    Runs only when a webhook of the season wants new leaders. The leader is the best public
    score (ties to the earliest), baselines aside; the same entrant improving its own lead
    is not a new leader.
    """
    if challenge.season_id is None or row.status != SubmissionStatus.SCORED or not subscribers(session, challenge.season_id, NEW_LEADER):
        return
    higher = challenge_metric(challenge).higher_is_better
    order = Submission.public_score.desc() if higher else Submission.public_score.asc()
    top = session.execute(
        select(Submission.id, Submission.participant_id, Submission.team_id, Submission.public_score)
        .join(Participant, Participant.id == Submission.participant_id)
        .where(Submission.challenge_id == challenge.id, Submission.status == SubmissionStatus.SCORED, Participant.is_baseline.is_(False))
        .order_by(order, Submission.created_at, Submission.id).limit(2)).all()
    if not top or top[0].id != row.id:
        return
    previous = top[1] if len(top) > 1 else None

    def entrant(r):
        return ("team", r.team_id) if r.team_id is not None else ("participant", r.participant_id)

    if previous is not None and entrant(previous) == entrant(top[0]):
        return
    payload = {**_challenge_fields(challenge), "leader": _entrant_name(session, row.participant_id, row.team_id),
               "public_score": row.public_score,
               "previous_leader": _entrant_name(session, previous.participant_id, previous.team_id) if previous else None}
    enqueue(session, season_id=challenge.season_id, kind=NEW_LEADER, key=f"{NEW_LEADER}:{row.id}", payload=payload,
            now=now)


def note_challenge_closed(session: Session, challenge: Challenge, now: datetime) -> None:
    """A challenge closed (by the organizer or by its close time): its private top three, then the week's winners."""
    if challenge.season_id is None or not is_closed(challenge, now):
        return
    key = f"{CHALLENGE_CLOSED}:{challenge.id}"
    if session.scalar(select(OutboxEvent.id).where(OutboxEvent.key == key)) is None:
        ranked = [row for row in private_board(session, challenge) if row.rank is not None][:WINNER_PLACES]
        top = [{"place": row.rank, "name": row.participant, "private_score": row.score} for row in ranked]
        enqueue(session, season_id=challenge.season_id, kind=CHALLENGE_CLOSED, key=key,
                payload={**_challenge_fields(challenge), "top": top}, now=now)
    if challenge.week is not None:
        _note_week_winners(session, session.get_one(Season, challenge.season_id), challenge.week, now)


def _note_week_winners(session: Session, season: Season, week: int, now: datetime) -> None:
    """Once every challenge of a week has closed: the week's winners, with the organizer's award notes so far."""
    key = f"{WEEKLY_WINNERS}:{season.id}:{week}"
    week_challenges = [c for c in season.challenges if c.week == week]
    if not week_challenges or not all(is_closed(c, now) for c in week_challenges):
        return
    if session.scalar(select(OutboxEvent.id).where(OutboxEvent.key == key)) is not None:
        return
    winners = [{"challenge": w.challenge, "place": w.place, "name": w.participant, "private_score": w.score,
                "award": w.award} for w in weekly_winners(session, season, now) if w.week == week]
    enqueue(session, season_id=season.id, kind=WEEKLY_WINNERS, key=key,
            payload={"season": season.name, "week": week, "winners": winners}, now=now, deliver=bool(winners))


# ---- moments of the clock: found by the worker -----------------------------------------------


def _moment_keys(session: Session, now: datetime) -> set[str]:
    """The keys of every clock moment that has come, stored or not."""
    keys = set()
    for season in session.scalars(select(Season)):
        for challenge in season.challenges:
            status = challenge_status(challenge, now)
            if status == "open":
                keys.add(f"{CHALLENGE_OPENED}:{challenge.id}")
            elif status == "closed":
                keys.add(f"{CHALLENGE_CLOSED}:{challenge.id}")
                week = [c for c in season.challenges if c.week == challenge.week]
                if challenge.week is not None and all(is_closed(c, now) for c in week):
                    keys.add(f"{WEEKLY_WINNERS}:{season.id}:{challenge.week}")
        day = day_of_season(season, now)
        if day is not None and now.astimezone(season_zone(season)).hour >= DIGEST_HOUR:
            keys.add(f"{STREAK_AT_RISK}:{season.id}:{day}")
    return keys


def due_moments(session: Session, now: datetime) -> set[str]:
    """The clock's moments that have come and are not stored yet (a read: the worker checks before writing)."""
    keys = _moment_keys(session, now)
    if not keys:
        return set()
    return keys - set(session.scalars(select(OutboxEvent.key).where(OutboxEvent.key.in_(keys))))


def enqueue_due_events(session: Session, now: datetime) -> int:
    """Store every moment that has come and not yet been stored; returns how many events were stored."""
    due = due_moments(session, now)
    if not due:
        return 0
    stored = session.scalars(select(func.count()).select_from(OutboxEvent)).one()
    for season in session.scalars(select(Season)):
        for challenge in season.challenges:
            if f"{CHALLENGE_OPENED}:{challenge.id}" in due:
                enqueue(session, season_id=season.id, kind=CHALLENGE_OPENED, key=f"{CHALLENGE_OPENED}:{challenge.id}",
                        payload={**_challenge_fields(challenge), "closes_at": challenge.closes_at.isoformat(),
                                 "daily_limit": challenge.daily_limit}, now=now)
            elif (f"{CHALLENGE_CLOSED}:{challenge.id}" in due
                  or f"{WEEKLY_WINNERS}:{season.id}:{challenge.week}" in due):
                note_challenge_closed(session, challenge, now)
        _note_streak_digest(session, season, now, due)
    return session.scalars(select(func.count()).select_from(OutboxEvent)).one() - stored


def _note_streak_digest(session: Session, season: Season, now: datetime, due: set[str]) -> None:
    """From DIGEST_HOUR on each season day: who has a streak going but nothing logged or submitted today."""
    day = day_of_season(season, now)
    key = f"{STREAK_AT_RISK}:{season.id}:{day}"
    if key not in due:
        return
    names = dict(session.execute(select(Participant.id, Participant.name)
                                 .where(Participant.is_baseline.is_(False))).all())
    at_risk: list[dict[str, Any]] = []
    for participant_id, days in active_days(session, season).items():
        if day in days or participant_id not in names:
            continue
        current = streak(days, season_days=season.days, today=day).current
        if current >= 1:
            at_risk.append({"name": names[participant_id], "streak": current})
    at_risk.sort(key=lambda r: (-r["streak"], r["name"].lower()))
    ends = datetime.combine(now.astimezone(season_zone(season)).date() + timedelta(days=1), datetime.min.time(),
                            tzinfo=season_zone(season))
    enqueue(session, season_id=season.id, kind=STREAK_AT_RISK, key=key,
            payload={"season": season.name, "day": day, "days": season.days, "hashtag": season.hashtag,
                     "at_risk": at_risk[:DIGEST_MAX_NAMES], "more": max(0, len(at_risk) - DIGEST_MAX_NAMES),
                     "day_ends_at": ends.isoformat()},
            now=now, deliver=bool(at_risk))
