"""The demo's community: about 30 people living through the season's days so far.

Everything is drawn from one seeded generator and replayed through the kit's own use
cases at stored times (`moment=`): people register on the day they join, submit real CSVs
that the real submit service grades (a few are rejected), two teams form, people check in
and pick their finals before week 1 closes, and the organizer names week 1's winners with
awards. Only days before today are simulated, so the same seed on the same day gives the
same boards.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from kit.challenge.bundle import bundle_file
from kit.challenge.lookup import get_challenge, is_closed
from kit.clock import utcnow
from kit.errors import DailyLimitError
from kit.season.awards import record_award
from kit.season.checkins import log_checkin
from kit.season.seasons import day_of_season, get_season, season_start
from kit.season.standings import WINNER_PLACES
from kit.season.teams import create_team, join_team
from kit.services.demo_people import AWARDS, CHECKIN_LINKS, CHECKIN_NOTES, community_names
from kit.services.demo_submissions import MISTAKES, SkillLadder, broken_csv, build_ladder, prediction_csv
from kit.services.own_submissions import select_finals
from kit.services.participants import authenticate, register
from kit.services.submissions import submit
from kit.store.models import SubmissionStatus
from kit.store.workspace import Workspace

COMMUNITY_SIZE = 30
# The community's models are fitted in a blink on small tables; a wider one (Fashion-MNIST's
# 784 pixels) would cost more than the demo's budget, so it keeps only its baselines.
MAX_SIMULATED_FEATURES = 100
# Two teams form on day 2, before their members' first joint submissions.
TEAMS = (("Gradient Descenders", 3), ("The Overfitters", 2))
TEAMS_FORM_ON_DAY = 2


@dataclass
class Member:
    name: str
    token: str
    joined_day: int
    skill: float  # 0..1: how good their first files are
    diligence: float  # chance of being active on a given day
    scored: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # slug → (submission id, public score)


@dataclass(frozen=True)
class CommunityResult:
    participants: int
    submissions: int
    rejected: int
    checkins: int
    awards: int


@dataclass(frozen=True)
class _Window:
    slug: str
    week: int | None
    opens_at: datetime
    closes_at: datetime


def _ladders(workspace: Workspace, windows: list[_Window], seed: int) -> dict[str, SkillLadder]:
    ladders = {}
    with workspace.session() as session:
        for window in windows:
            challenge = get_challenge(session, window.slug)
            train = pd.read_csv(io.BytesIO(bundle_file(session, challenge, "train.csv")))
            test = pd.read_csv(io.BytesIO(bundle_file(session, challenge, "test.csv")))
            ladders[window.slug] = build_ladder(train, test, id_column=challenge.id_column, target=challenge.target,
                                                metric=challenge.metric, classes=challenge.classes, seed=seed)
    return ladders


def _join(workspace: Workspace, rng: random.Random, start: datetime, today: int, size: int) -> list[Member]:
    members = []
    with workspace.session(write=True) as session:
        for name in community_names(rng, size):
            draw = rng.random()
            joined = 1 if draw < 0.55 else (rng.randint(2, 3) if draw < 0.8 else rng.randint(4, max(4, today - 1)))
            moment = start + timedelta(days=joined - 1, hours=7, minutes=rng.randint(0, 59))
            _, token = register(session, name, moment=moment)
            members.append(Member(name, token, joined, skill=rng.betavariate(2, 2),
                                  diligence=rng.uniform(0.35, 0.9)))
    return members


def _pick_challenge(rng: random.Random, windows: list[_Window], day: int, moment: datetime) -> _Window | None:
    open_now = [w for w in windows if w.opens_at <= moment < w.closes_at]
    if not open_now:
        return None
    week = (day - 1) // 7 + 1
    # Most people work on the current week's challenge; some on the others that are open.
    return rng.choices(open_now, weights=[5 if w.week == week else 1 for w in open_now])[0]


def simulate_community(workspace: Workspace, *, season_slug: str, seed: int, size: int = COMMUNITY_SIZE,
                       moment: datetime | None = None,
                       on_step: Callable[[str], None] = lambda _message: None) -> CommunityResult:
    """Replay the season's days before today for `size` simulated participants."""
    now = moment or utcnow()
    rng = random.Random(seed)
    noise_rng = np.random.default_rng(seed)
    with workspace.session() as session:
        season = get_season(session, season_slug)
        today = day_of_season(season, now) or season.days
        start = season_start(season)
        windows = [_Window(c.slug, c.week, c.opens_at, c.closed_at or c.closes_at)
                   for c in season.challenges if c.feature_count <= MAX_SIMULATED_FEATURES]
    on_step("Fitting the community's models")
    ladders = _ladders(workspace, windows, seed)
    members = _join(workspace, rng, start, today, size)
    submissions = rejected = checkins = 0
    for day in range(1, today):
        on_step(f"Simulating day {day} of {season.days}")
        if day == TEAMS_FORM_ON_DAY:
            _form_teams(workspace, rng, season_slug, members, start + timedelta(days=day - 1, hours=7, minutes=30))
        for member in members:
            if day < member.joined_day or rng.random() > member.diligence:
                continue
            when = start + timedelta(days=day - 1, hours=rng.randint(8, 20), minutes=rng.randint(0, 59))
            window = _pick_challenge(rng, windows, day, when) if rng.random() < 0.8 else None
            for attempt in range(rng.choice((1, 1, 1, 2)) if window else 0):
                assert window is not None  # no attempts without a window
                outcome = _submit_one(workspace, rng, noise_rng, member, window, ladders[window.slug],
                                      when + timedelta(hours=2 * attempt))
                if outcome is not None:
                    submissions += 1
                    rejected += outcome.status != SubmissionStatus.SCORED
            if window is None or rng.random() < 0.35:
                with workspace.session(write=True) as session:
                    participant = authenticate(session, member.token)
                    log_checkin(session, get_season(session, season_slug), participant, rng.choice(CHECKIN_NOTES),
                                rng.choice(CHECKIN_LINKS) if rng.random() < 0.2 else None,
                                moment=when + timedelta(minutes=30))
                checkins += 1
    _choose_finals(workspace, rng, members, windows, now)
    awards = _give_awards(workspace, windows, now)
    return CommunityResult(len(members), submissions, rejected, checkins, awards)


def _submit_one(workspace: Workspace, rng: random.Random, noise_rng: np.random.Generator, member: Member,
                window: _Window, ladder: SkillLadder, when: datetime):
    tries = len(member.scored.get(window.slug, []))
    # Practice pays: each scored try on a challenge lifts the next file's quality.
    quality = min(1.0, max(0.0, 0.25 + 0.5 * member.skill + 0.12 * tries + rng.uniform(-0.1, 0.1)))
    content = prediction_csv(ladder, rung=round(quality * (len(ladder.rungs) - 1)), noise=0.02 + 0.5 * (1 - quality),
                             rng=noise_rng)
    message = rng.choice(("first try", "more features", "tuned C", "standardised inputs", "added dropout",
                          "averaged two models", "early stopping", "wider layer", ""))
    if rng.random() < (0.15 if tries == 0 else 0.04):
        content, message = broken_csv(content, rng.choice(MISTAKES)), "quick fix before dinner"
    try:
        outcome = submit(workspace, slug=window.slug, token=member.token, content=content,
                         filename=f"{window.slug}-submission-{tries + 1}.csv", message=message, moment=when)
    except DailyLimitError:  # a team shares one daily limit: a teammate used it up
        return None
    score = outcome.submission.public_score
    if outcome.submission.status == SubmissionStatus.SCORED and score is not None:
        member.scored.setdefault(window.slug, []).append((outcome.submission.id, score))
    return outcome.submission


def _form_teams(workspace: Workspace, rng: random.Random, season_slug: str, members: list[Member],
                moment: datetime) -> None:
    """Two groups of early joiners pair up: one creates the team, the others join with its invite code."""
    early = [m for m in members if m.joined_day == 1]
    chosen = rng.sample(early, k=sum(size for _, size in TEAMS))
    with workspace.session(write=True) as session:
        season = get_season(session, season_slug)
        for name, size in TEAMS:
            founder, *others = [chosen.pop() for _ in range(size)]
            team = create_team(session, season, authenticate(session, founder.token), name, moment=moment)
            for other in others:
                join_team(session, authenticate(session, other.token), team.invite_code, moment=moment)


def _choose_finals(workspace: Workspace, rng: random.Random, members: list[Member], windows: list[_Window],
                   now: datetime) -> None:
    """Some people pick their finals (not always their best public ones) before a week closes."""
    for window in windows:
        if window.closes_at > now:
            continue
        for member in members:
            scored = member.scored.get(window.slug, [])
            if len(scored) < 3 or rng.random() > 0.4:
                continue
            picked = rng.sample([submission_id for submission_id, _ in scored], k=rng.choice((1, 2)))
            with workspace.session(write=True) as session:
                select_finals(session, slug=window.slug, participant=authenticate(session, member.token),
                              submission_ids=picked, moment=window.closes_at - timedelta(hours=3))


def _give_awards(workspace: Workspace, windows: list[_Window], now: datetime) -> int:
    given = 0
    with workspace.session(write=True) as session:
        for window in windows:
            if not is_closed(get_challenge(session, window.slug), now):
                continue
            for place in range(1, WINNER_PLACES + 1):
                record_award(session, window.slug, place, AWARDS[place], moment=now)
                given += 1
    return given
