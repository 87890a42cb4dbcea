"""The API's request and response bodies (pydantic): the contract the `kit` client relies on.

Nothing here can hold a hidden label, a token hash, or a private score before close; the
only model with a token is `IssuedToken`, returned once by registration and token resets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from kit.store.models import SubmissionStatus

# How a season's standings count: one row per team, or one per person.
StandingsBy = Literal["team", "participant"]


class ErrorBody(BaseModel):
    """Every error: a stable code for programs and a message for a person."""

    error: str = Field(examples=["daily_limit"])
    message: str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route: each status answers with an ErrorBody."""
    return {status: {"model": ErrorBody} for status in statuses}


class BundleFile(BaseModel):
    name: str
    size: int = Field(description="Uncompressed bytes.")
    url: str


class ChallengeSummary(BaseModel):
    slug: str
    title: str
    season: str | None
    week: int | None
    status: Literal["upcoming", "open", "closed"]
    opens_at: datetime
    closes_at: datetime
    task: str
    metric: str
    higher_is_better: bool
    decimals: int = Field(description="Decimals a score is shown with (ranking uses full precision).")
    daily_limit: int
    final_selections: int
    max_file_bytes: int
    # What `kit challenge list/show` print in both modes, and `kit validate` needs: all public.
    closed_at: datetime | None = None
    source: str
    target: str
    id_column: str
    classes: list | None
    image_shape: list | None = None
    submission_header: list[str] = Field(description="The exact header a submission must have, in order.")
    train_rows: int
    test_rows: int


class ChallengeDetail(ChallengeSummary):
    description: str
    files: list[BundleFile]
    bundle_sha256: str = Field(description="One digest of the public files: it changes whenever the bundle does "
                                           "(a client keys its cached copy by it).")


class SubmissionCreated(BaseModel):
    """A scored submission, right after it was stored: never its private score."""

    id: int
    challenge: str
    filename: str
    status: Literal["scored"]
    public_score: float = Field(description="Rounded to the challenge's noise (`decimals`).")
    public_low: float | None = Field(None, description="The public score's 95 % interval.")
    public_high: float | None = None
    decimals: int = 5
    rank: int | None = Field(description="Your public rank after this submission.")
    left_today: int
    submitted_at: datetime
    ladder: str | None = Field(None, description="On a Ladder challenge: whether your displayed score moved, in words.")
    ladder_moved: bool | None = None
    comparison: str | None = Field(None, description="A paired comparison with your best before this submission.")


class OwnSubmission(BaseModel):
    id: int
    submitted_at: datetime
    filename: str
    message: str
    status: SubmissionStatus
    error: str | None
    public_score: float | None
    private_score: float | None = Field(description="Null until the challenge closes.")
    selected: bool
    public_low: float | None = Field(None, description="The public score's 95 % interval.")
    public_high: float | None = None
    private_low: float | None = Field(None, description="The private score's 95 % interval; null until close.")
    private_high: float | None = None
    ladder_step: bool | None = Field(None, description="On a Ladder challenge: moved the displayed public score.")


class OwnSubmissions(BaseModel):
    challenge: str
    participant: str
    closed: bool
    scored_today: int
    attempts_today: int
    decimals: int = Field(5, description="Public scores are rounded to this many decimals (the challenge's noise).")
    submissions: list[OwnSubmission]


class FinalsRequest(BaseModel):
    submission_ids: list[int] = Field(min_length=1, max_length=100)


class Finals(BaseModel):
    challenge: str
    selected: list[int]


class LeaderboardRow(BaseModel):
    rank: int | None = Field(description="Null for baselines, which are shown but never ranked.")
    participant: str
    baseline: bool
    score: float
    entries: int
    submitted_at: datetime
    public_rank: int | None = None
    shake_up: int | None = None
    score_low: float | None = Field(None, description="The score's 95 % interval (null: graded before intervals).")
    score_high: float | None = None
    tied_with_above: bool = Field(False, description="Not significantly different from the row above (paired test).")
    tie_group: int = Field(0, description="Rows tied with the row above share its group number.")


class Leaderboard(BaseModel):
    challenge: str
    title: str
    board: Literal["public", "private"]
    metric: str
    higher_is_better: bool
    decimals: int = Field(description="Decimals a score is shown with (ranking uses full precision); public "
                                      "scores are rounded to them, the challenge's noise.")
    mode: Literal["best", "ladder"] = Field("best", description="How the public board picks each entrant's score.")
    rows: list[LeaderboardRow]


class RegistrationRequest(BaseModel):
    name: str = Field(max_length=200)


class IssuedToken(BaseModel):
    """A participant's token: returned once, at registration or reset; the server keeps only its hash."""

    name: str
    token: str


class Me(BaseModel):
    name: str


class SeasonSummary(BaseModel):
    slug: str
    name: str
    starts_on: str
    days: int
    timezone: str
    hashtag: str | None
    self_registration: bool
    day: int | None = Field(description="Today's day of the season (1..days), null outside it.")


class CheckInRequest(BaseModel):
    note: str = Field(max_length=5000)
    url: str | None = Field(default=None, max_length=2000)


class CheckInOut(BaseModel):
    day: int
    created_at: datetime
    note: str
    url: str | None


class StreakOut(BaseModel):
    season: str
    participant: str
    current: int
    longest: int
    days: list[bool]
    joined_day: int = Field(description="The season day you joined on (1 if before it began).")
    checkins: list[CheckInOut]


class StandingRow(BaseModel):
    rank: int
    participant: str
    points: float
    challenge_points: float
    active_days: int
    bonus: float
    current_streak: int
    longest_streak: int


class WinnerRow(BaseModel):
    challenge: str
    week: int | None
    place: int
    participant: str
    score: float
    award: str | None


class AwardRequest(BaseModel):
    note: str = Field(max_length=2000)


class AwardOut(BaseModel):
    challenge: str
    place: int
    participant: str
    note: str


class TeamCreateRequest(BaseModel):
    name: str = Field(max_length=200, examples=["Gradient Descenders"])


class TeamJoinRequest(BaseModel):
    invite_code: str = Field(max_length=200)


class TeamOut(BaseModel):
    """Your own team: the invite code is shown to its members only."""

    name: str
    season: str
    invite_code: str
    members: list[str]
    max_size: int
    merge_deadline: datetime


class TeamListing(BaseModel):
    """A season's team as everyone sees it: no invite code."""

    name: str
    members: list[str]


class TeamRulesRequest(BaseModel):
    max_size: int | None = None
    merge_deadline: datetime | None = None
    standings_by: StandingsBy | None = None


class TeamRules(BaseModel):
    season: str
    max_size: int
    merge_deadline: datetime
    standings_by: StandingsBy


class TeamLeft(BaseModel):
    left: str


class ComparisonOut(BaseModel):
    """One submission against another on one part; `improvement` > 0 means better, whatever the direction."""

    submission_id: int
    against_id: int
    part: str
    metric: str
    score: float
    against_score: float
    improvement: float
    standard_error: float | None
    low: float | None
    high: float | None
    verdict: str = Field(description="better | worse | within noise | unknown")
    message: str


class Comparisons(BaseModel):
    challenge: str
    comparisons: list[ComparisonOut]


class ShiftOut(BaseModel):
    """A revealed submission: public and private scores with their 95 % intervals."""

    challenge: str
    submission_id: int
    metric: str
    public_score: float
    public_low: float | None
    public_high: float | None
    private_score: float
    private_low: float | None
    private_high: float | None
    gap: float = Field(description="private minus public")
    within_noise: bool | None = Field(description="the two intervals overlap")


class Shifts(BaseModel):
    participant: str
    shifts: list[ShiftOut]
