"""The ranking query behind every leaderboard, in the CLI and in the app.

Public board: each entrant's best scored submission by public score. Private board
(once closed): among each entrant's final selections (or, with none selected, their
best `final_selections` by public score), the best private score. Full precision for
ranking; ties go to the earlier submission. Baselines are shown but never ranked.

An entrant is a team (its submissions carry its `team_id`) or a participant alone. Each
board runs the same query twice, per participant and per team, each reading only its
covering index (ix_submission_rank, ix_submission_team).
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, func, select, text
from sqlalchemy.orm import Session, aliased

from kit.challenge.metric_of import challenge_metric
from kit.challenge.paired import differences
from kit.store.models import Challenge, Participant, Submission, SubmissionStatus, Team, TeamMember, UTCDateTime


@dataclass(frozen=True)
class BoardRow:
    rank: int | None  # None for baselines
    participant: str  # the entrant's name: a team's, or a participant's
    is_baseline: bool
    submission_id: int
    score: float
    submitted_at: datetime
    entries: int  # scored submissions of this entrant on this challenge
    public_rank: int | None = None  # on the private board: rank on the public board
    shake_up: int | None = None  # public rank − private rank (positive: climbed)
    participant_id: int | None = None  # who made the ranked submission
    team_id: int | None = None  # set when the entrant is a team
    members: tuple[str, ...] = ()  # a team's members
    score_low: float | None = None  # the score's 95 % interval (None: graded before intervals)
    score_high: float | None = None
    # Not significantly different from the row above (a paired test on the same rows);
    # None for the first row, or when either has no per-row data.
    tied_with_above: bool | None = None

    def belongs_to(self, name: str | None) -> bool:
        """Whether this row is `name`'s: their own, or their team's."""
        return bool(name) and not self.is_baseline and (self.participant == name or name in self.members)

    @property
    def entrant(self) -> tuple[str, int | None]:
        return ("team", self.team_id) if self.team_id is not None else ("participant", self.participant_id)


# Scored submissions of the challenge bound as :challenge_id (the statements below are built once).
_SCORED = and_(Submission.challenge_id == bindparam("challenge_id"), Submission.status == SubmissionStatus.SCORED)


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


def _team_names(session: Session, team_ids) -> dict[int, tuple[str, tuple[str, ...]]]:
    """team id → (name, member names)."""
    if not team_ids:
        return {}
    names = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(list(team_ids)))).all())
    members: dict[int, list[str]] = defaultdict(list)
    for team_id, name in session.execute(
            select(TeamMember.team_id, Participant.name).join(Participant, Participant.id == TeamMember.participant_id)
            .where(TeamMember.team_id.in_(list(team_ids))).order_by(TeamMember.joined_at, TeamMember.id)):
        members[team_id].append(name)
    return {team_id: (name, tuple(members[team_id])) for team_id, name in names.items()}


@functools.cache
def _best_public_query(higher: bool, teams: bool, ladder: bool):
    """The statement behind `_best_public`, built once per shape with the challenge as a bound
    parameter: building it (an aliased, correlated subquery) cost more than running it."""
    key = Submission.team_id if teams else Submission.participant_id
    # On a Ladder challenge only the submissions that moved the displayed score count (kit.services.ladder).
    shown = [Submission.ladder_step.is_(True)] if ladder else []
    best_score = (func.max if higher else func.min)(Submission.public_score)
    grouped = select(key.label("key"), best_score.label("best"), func.count().label("entries"),
                     func.max(Submission.team_id).label("team_id")).where(_SCORED, *shown)
    if teams:
        grouped = grouped.where(Submission.team_id.is_not(None))
    best = grouped.group_by(key).subquery()
    earliest = aliased(Submission)
    earliest_key = earliest.team_id if teams else earliest.participant_id
    first_id = (select(earliest.id)
                .where(earliest.challenge_id == bindparam("challenge_id"), earliest.status == SubmissionStatus.SCORED,
                       earliest_key == best.c.key, earliest.public_score == best.c.best,
                       *([earliest.ladder_step.is_(True)] if ladder else []))
                .order_by(earliest.created_at, earliest.id).limit(1).correlate(best).scalar_subquery())
    return (select(Submission.id, Submission.public_score, Submission.created_at, Submission.participant_id,
                   best.c.entries, best.c.team_id, best.c.key, Submission.public_low, Submission.public_high)
            .select_from(best).join(Submission, Submission.id == first_id))


@functools.cache
def _entries_query(teams: bool):
    """Every scored submission counted per entrant (a Ladder board's entries)."""
    key = Submission.team_id if teams else Submission.participant_id
    return select(key, func.count()).where(_SCORED).group_by(key)


def _best_public(session: Session, challenge: Challenge, higher: bool, *, teams: bool) -> list:
    """Each entrant's best scored submission by public score (the earliest of equals), with its entries.

    Per participant (rows of solo participants; team rows are told apart by team_id and left
    out) or per team. Each reads one index: a GROUP BY in index order, then one seek per
    entrant for the earliest submission reaching its best score.
    """
    ladder = challenge.public_board == "ladder"
    bound = {"challenge_id": challenge.id}
    rows = [row for row in session.execute(_best_public_query(higher, teams, ladder), bound).all()
            if teams or row.team_id is None]
    if not ladder:
        return rows
    # entries counts every scored submission, not only the Ladder's steps.
    counts = dict(session.execute(_entries_query(teams), bound).all())
    return [SimpleNamespace(**{**row._asdict(), "entries": counts[row.key]}) for row in rows]


def _entries(session: Session, solo: list, teams: list, **score) -> list:
    """Board entries with their names: a participant's, or a team's with its members."""
    people = {p.id: p for p in session.scalars(
        select(Participant).where(Participant.id.in_([row.participant_id for row in solo])))}
    names = _team_names(session, {row.team_id for row in teams})
    entries = []
    for row in solo:
        person = people[row.participant_id]
        entries.append(SimpleNamespace(id=row.id, created_at=row.created_at, entries=row.entries, name=person.name,
                                       is_baseline=person.is_baseline, participant_id=row.participant_id,
                                       team_id=None, members=(), **{k: getattr(row, v) for k, v in score.items()}))
    for row in teams:
        name, members = names[row.team_id]
        entries.append(SimpleNamespace(id=row.id, created_at=row.created_at, entries=row.entries, name=name,
                                       is_baseline=False, participant_id=row.participant_id, team_id=row.team_id,
                                       members=members, **{k: getattr(row, v) for k, v in score.items()}))
    return entries


def public_board(session: Session, challenge: Challenge, *, with_ties: bool = True) -> list[BoardRow]:
    """Each entrant's best public score; on a Ladder challenge, their best Ladder step."""
    higher = challenge_metric(challenge).higher_is_better
    entries = _entries(session, _best_public(session, challenge, higher, teams=False),
                       _best_public(session, challenge, higher, teams=True), public_score="public_score",
                       public_low="public_low", public_high="public_high")
    rows = _rank(entries, higher, lambda r: r.public_score)
    tied = _tie_marks(session, rows, "public", lambda r: r.public_score) if with_ties else {}
    return _number(rows, lambda row, rank: BoardRow(rank, row.name, row.is_baseline, row.id, row.public_score,
                                                    row.created_at, row.entries, participant_id=row.participant_id,
                                                    team_id=row.team_id, members=row.members,
                                                    score_low=row.public_low, score_high=row.public_high,
                                                    tied_with_above=tied.get(row.id)))


def _tie_marks(session: Session, rows: list, part: str, score) -> dict[int, bool | None]:
    """Submission id → not significantly different from the row above it (a paired test on
    ``part``'s rows); None where either has no per-row data. The first row has no mark."""
    pairs = [(row.id, score(row), above.id, score(above)) for above, row in itertools.pairwise(rows)]
    found = differences(session, part, pairs)
    return {row.id: None if diff is None else not diff.significant
            for row, diff in zip(rows[1:], found, strict=True)}


# Each entrant's candidates for the private board: their selected submissions, or else
# their `limit` best by public score (Kaggle's automatic selection). The N-th best is found
# with one index seek per entrant; every row ranked at or above it is a candidate. `{key}`
# is participant_id (solo rows: team rows are dropped by their team_id) or team_id.
_PRIVATE_CANDIDATES = """
WITH per_entrant AS (
    SELECT {key} AS entrant, MAX(CASE WHEN selected THEN 1 ELSE 0 END) AS has_selection, COUNT(*) AS entries,
           MAX(team_id) AS team_id
    FROM submission WHERE challenge_id = :challenge AND status = :scored {only} GROUP BY {key}
), nth AS MATERIALIZED (
    SELECT p.entrant, p.has_selection, p.entries,
           (SELECT t.id FROM submission t
            WHERE t.challenge_id = :challenge AND t.status = :scored AND t.{key} = p.entrant
            ORDER BY t.public_score {order}, t.created_at, t.id LIMIT 1 OFFSET :offset) AS nth_id
    FROM per_entrant p WHERE p.team_id IS {solo_or_team}
), cut AS (
    SELECT nth.*, s.public_score AS nth_score, s.created_at AS nth_at
    FROM nth LEFT JOIN submission s ON s.id = nth.nth_id
)
SELECT s.id, s.participant_id, s.team_id, s.public_score, s.private_score, s.created_at, cut.entrant, cut.entries
FROM cut JOIN submission s
  ON s.challenge_id = :challenge AND s.status = :scored AND s.{key} = cut.entrant
WHERE (cut.has_selection = 1 AND s.selected)
   OR (cut.has_selection = 0 AND (cut.nth_id IS NULL OR s.public_score {better} cut.nth_score
       OR (s.public_score = cut.nth_score AND (s.created_at < cut.nth_at
           OR (s.created_at = cut.nth_at AND s.id <= cut.nth_id)))))
"""


def _best_private(session: Session, challenge: Challenge, higher: bool, *, teams: bool) -> list:
    """Each entrant's best private score among its final candidates."""
    sql = text(_PRIVATE_CANDIDATES.format(
        order="DESC" if higher else "ASC", better=">" if higher else "<",
        key="team_id" if teams else "participant_id", only="AND team_id IS NOT NULL" if teams else "",
        solo_or_team="NOT NULL" if teams else "NULL"))
    rows = session.execute(sql.columns(created_at=UTCDateTime()),
                           {"challenge": challenge.id, "scored": SubmissionStatus.SCORED.value,
                            "offset": challenge.final_selections - 1}).all()
    candidates: dict[int, list] = defaultdict(list)
    for row in rows:
        candidates[row.entrant].append(row)
    return [_rank(rows, higher, lambda r: r.private_score)[0] for rows in candidates.values()]


def private_board(session: Session, challenge: Challenge) -> list[BoardRow]:
    higher = challenge_metric(challenge).higher_is_better
    best = _entries(session, _best_private(session, challenge, higher, teams=False),
                    _best_private(session, challenge, higher, teams=True), private_score="private_score")
    public_ranks = {row.entrant: row.rank for row in public_board(session, challenge, with_ties=False)}
    intervals = {row.id: (row.private_low, row.private_high) for row in session.execute(
        select(Submission.id, Submission.private_low, Submission.private_high)
        .where(Submission.id.in_([entry.id for entry in best]))).all()} if best else {}

    def make(row, rank):
        entrant = ("team", row.team_id) if row.team_id is not None else ("participant", row.participant_id)
        public_rank = public_ranks.get(entrant)
        shake_up = None if rank is None or public_rank is None else public_rank - rank
        low, high = intervals.get(row.id, (None, None))
        return BoardRow(rank, row.name, row.is_baseline, row.id, row.private_score, row.created_at, row.entries,
                        public_rank, shake_up, row.participant_id, row.team_id, row.members, low, high,
                        tied.get(row.id))

    ranked = _rank(best, higher, lambda r: r.private_score)
    tied = _tie_marks(session, ranked, "private", lambda r: r.private_score)
    return _number(ranked, make)


_BASELINE_IDS = select(Participant.id).where(Participant.is_baseline.is_(True))
# The team (or None) of the participant's latest scored submission: the entrant they rank as.
_LATEST_TEAM = (select(Submission.team_id).where(_SCORED, Submission.participant_id == bindparam("participant_id"))
                .order_by(Submission.id.desc()).limit(1))


def public_rank_of(session: Session, challenge: Challenge, participant: Participant) -> int | None:
    """The rank of the participant's entrant (their team's, or their own) on the public board, as
    `public_board` numbers it, without the names and tie marks it reads: this runs on every submit."""
    team_id = session.scalar(_LATEST_TEAM, {"challenge_id": challenge.id, "participant_id": participant.id})
    entrant = ("team", team_id) if team_id is not None else ("participant", participant.id)
    higher = challenge_metric(challenge).higher_is_better
    baselines = set(session.scalars(_BASELINE_IDS))
    solo = [SimpleNamespace(entrant=("participant", row.key), id=row.id, created_at=row.created_at,
                            public_score=row.public_score)
            for row in _best_public(session, challenge, higher, teams=False) if row.key not in baselines]
    teams = [SimpleNamespace(entrant=("team", row.key), id=row.id, created_at=row.created_at,
                             public_score=row.public_score)
             for row in _best_public(session, challenge, higher, teams=True)]
    for rank, row in enumerate(_rank(solo + teams, higher, lambda r: r.public_score), start=1):
        if row.entrant == entrant:
            return rank
    return None
