"""Plain, picklable views of the kit's records for the pages, and how values are shown.

Pages never hold ORM objects: a view is built inside a session and carries only what
a visitor may see (no solution, no private score before close).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from grader import get_metric
from kit.challenge.lookup import challenge_status
from kit.challenge.metric_of import challenge_metric
from kit.challenge.submission_format import submission_header
from kit.clock import utcnow
from kit.season.seasons import day_of_season
from kit.store.models import Challenge, Season

STATUS_BADGES = {"open": ":green-badge[open]", "upcoming": ":blue-badge[upcoming]", "closed": ":gray-badge[closed]"}


@dataclass(frozen=True)
class MetricView:
    name: str
    direction: str  # "higher" or "lower"
    arrow: str
    decimals: int
    description: str

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    @property
    def label(self) -> str:
        return f"{self.name} {self.arrow}"

    @property
    def explained(self) -> str:
        return f"{self.name} {self.arrow} ({'higher' if self.higher_is_better else 'lower'} is better)"


def metric_view(name) -> MetricView:
    metric = get_metric(name)
    return MetricView(metric.name, metric.direction, metric.arrow, metric.decimals, metric.description)


@dataclass(frozen=True)
class ChallengeView:
    slug: str
    title: str
    description: str
    season_slug: str | None
    week: int | None
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    status: str  # upcoming | open | closed, when the view was built
    metric: MetricView
    task: str
    target: str
    id_column: str
    classes: tuple | None
    submission_header: tuple[str, ...]  # the exact header, from kit.challenge.submission_format
    train_rows: int
    test_rows: int
    public_rows: int
    public_board: str  # "best" or "ladder"
    daily_limit: int
    final_selections: int
    max_file_bytes: int

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def heading(self) -> str:
        """The title, with its week in front unless the title already says it."""
        if self.week and not self.title.lower().startswith("week"):
            return f"Week {self.week} · {self.title}"
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.closed_at or self.closes_at


def challenge_view(challenge: Challenge, moment: datetime | None = None) -> ChallengeView:
    return ChallengeView(
        slug=challenge.slug, title=challenge.title, description=challenge.description or "",
        season_slug=challenge.season.slug if challenge.season else None, week=challenge.week,
        opens_at=challenge.opens_at, closes_at=challenge.closes_at, closed_at=challenge.closed_at,
        status=challenge_status(challenge, moment), metric=metric_view(challenge_metric(challenge)), task=challenge.task,
        target=challenge.target, id_column=challenge.id_column,
        classes=tuple(challenge.classes) if challenge.classes else None,
        submission_header=tuple(submission_header(challenge)), train_rows=challenge.train_rows,
        test_rows=challenge.test_rows, public_rows=challenge.public_rows,
        public_board=challenge.public_board, daily_limit=challenge.daily_limit,
        final_selections=challenge.final_selections, max_file_bytes=challenge.max_file_bytes,
    )


@dataclass(frozen=True)
class SeasonView:
    slug: str
    name: str
    starts_on: date
    days: int
    timezone: str
    hashtag: str | None
    self_registration: bool
    day: int | None  # 1..days while it runs

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(days=self.days - 1)

    def progress_text(self, today: date) -> str:
        if self.day:
            return f"day {self.day} of {self.days}"
        return "starts " + self.starts_on.isoformat() if today < self.starts_on else "ended " + self.ends_on.isoformat()


def days_over(view: SeasonView, today: date) -> int:
    """How many of the season's days are over by `today` (0 before and on day 1, all once it ended)."""
    if view.day:
        return view.day - 1
    return view.days if today > view.ends_on else 0


def season_view(season: Season, moment: datetime | None = None) -> SeasonView:
    return SeasonView(season.slug, season.name, season.starts_on, season.days, season.timezone, season.hashtag,
                      bool(season.self_registration), day_of_season(season, moment))


# ---- showing values -------------------------------------------------------------------------


def fmt_score(score: float | None, decimals: int) -> str:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "–"
    return f"{score:.{decimals}f}"


def fmt_bytes(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


def viewer_zone(name: str | None) -> ZoneInfo:
    """The visitor's time zone (from the browser), UTC when unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def fmt_time(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".strip()


def fmt_short_time(moment: datetime | None, zone: ZoneInfo) -> str:
    """'Nov 22 13:51' in the viewer's zone: short enough for a narrow column."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(zone):%b %d %H:%M}"


def fmt_duration(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"


def status_text(view: ChallengeView, moment: datetime | None = None) -> str:
    """What goes beside the status badge: '3d 4h left', 'opens in 2d 1h', 'final standings'."""
    now = moment or utcnow()
    if view.status == "open":
        return f"{fmt_duration(view.closes_at - now)} left"
    if view.status == "upcoming":
        return f"opens in {fmt_duration(view.opens_at - now)}"
    return "final standings"


def fmt_shake_up(shake_up: int | None) -> str:
    if shake_up is None:
        return ""
    if shake_up > 0:
        return f"▲ {shake_up}"
    if shake_up < 0:
        return f"▼ {-shake_up}"
    return "="


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: str) -> str:
    """Text a person typed, safe inside st.markdown: no links, images, HTML, icons or colours; one line."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))


# ---- the season: standings, winners, check-ins ------------------------------------------------


@dataclass(frozen=True)
class StandingView:
    rank: int
    participant: str
    points: float
    challenge_points: float
    active_days: int
    bonus: float
    current_streak: int
    longest_streak: int
    days: tuple[bool, ...]  # one per season day: active or not
    joined_day: int = 1


@dataclass(frozen=True)
class WinnerView:
    challenge: str
    week: int | None
    place: int
    participant: str
    score: float
    award: str | None


@dataclass(frozen=True)
class CheckInView:
    day: int
    logged_at: datetime
    note: str  # plain text: shown as text, never as markdown or HTML
    url: str | None  # http(s) only (kit.season.checkins.clean_url)


def standing_view(standing) -> StandingView:
    """From a kit.season.standings.Standing."""
    return StandingView(standing.rank, standing.participant, standing.points, standing.challenge_points,
                        standing.active_days, standing.bonus, standing.streak.current, standing.streak.longest,
                        tuple(standing.streak.days), standing.joined_day)


def winner_view(winner) -> WinnerView:
    """From a kit.season.standings.Winner."""
    return WinnerView(winner.challenge, winner.week, winner.place, winner.participant, winner.score, winner.award)


def day_states(days: tuple[bool, ...], over: int, joined: int = 1) -> list[str]:
    """One state per season day: 'active', 'missed' (a day that is over, without activity), 'to come',
    or 'before joining' (a day before the participant joined, which they could not have missed).

    `over` is how many days are over (see days_over); today stays 'to come' until it is active.
    """
    return ["active" if active else ("before joining" if day < joined else "missed" if day <= over else "to come")
            for day, active in enumerate(days, start=1)]
