"""The demo season: "27 Days of Deep Learning" on data embedded in the kit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources

from sqlalchemy import select

from kit.challenge.bundle import bundle_file
from kit.challenge.datasets.fashion_mnist import is_available as fashion_mnist_available
from kit.challenge.lookup import get_challenge
from kit.challenge.spec import ChallengeSpec, parse_spec
from kit.clock import utcnow
from kit.errors import ConflictError
from kit.season.seasons import create_season, get_season, season_start, week_window
from kit.services.challenges import add_challenge
from kit.services.demo_community import CommunityResult, simulate_community
from kit.services.submissions import record_baseline
from kit.store.models import Challenge, Season
from kit.store.workspace import Workspace

DEMO_SEASON_SLUG = "27-days-of-deep-learning"
DEMO_SEASON_NAME = "27 Days of Deep Learning"
# The lived-in demo opens on day 10: week 1 is closed and revealed, week 2 runs.
# The empty one (`kit demo --empty`) opens on day 4 with every challenge open.
LIVED_IN_DAYS_AGO = 9
EMPTY_DAYS_AGO = 3
# Baselines and sample rows go in on day 1's morning, so week 1's board has them before it closes.
FIRST_ROWS_AFTER = timedelta(hours=6)


@dataclass
class DemoResult:
    season_slug: str
    challenges: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    baselines: list[str] = field(default_factory=list)
    first_rows_at: datetime | None = None  # when baselines go in (day 1's morning)
    community: CommunityResult | None = None


def demo_specs() -> list[tuple[str, str]]:
    """(file name, TOML text) of every embedded demo spec, in week order."""
    folder = resources.files("kit.services") / "demo_specs"
    return sorted((item.name, item.read_text(encoding="utf-8")) for item in folder.iterdir()
                  if item.name.endswith(".toml"))


def _open_now(spec: ChallengeSpec, season) -> ChallengeSpec:
    # Every demo challenge opens on day 1 and closes at the end of its week, so a visitor
    # can submit to all of them right away.
    assert spec.week is not None  # every demo spec names its week
    _, closes = week_window(season, spec.week)
    return spec.model_copy(update={"opens": season_start(season), "closes": closes})


def has_demo(workspace: Workspace) -> bool:
    with workspace.session() as session:
        return session.scalar(select(Season.id).where(Season.slug == DEMO_SEASON_SLUG)) is not None


def build_demo(workspace: Workspace, *, seed: int, empty: bool = False, progress: bool = True,
               moment: datetime | None = None, specs: list[tuple[str, str]] | None = None,
               on_step: Callable[[str], None] = lambda _message: None) -> DemoResult:
    """Create the demo season and its challenges and, unless `empty`, its simulated community.

    Refuses a workspace that has the demo already. The community is drawn from `seed`;
    `specs` (default: every embedded one, see demo_specs) chooses the challenges.
    """
    result = DemoResult(DEMO_SEASON_SLUG)
    if has_demo(workspace):
        raise ConflictError("This workspace already has the demo season. Use `kit demo --reset` to rebuild it.")
    now = moment or utcnow()
    with workspace.session(write=True) as session:
        days_ago = EMPTY_DAYS_AGO if empty else LIVED_IN_DAYS_AGO
        season = create_season(session, slug=DEMO_SEASON_SLUG, name=DEMO_SEASON_NAME,
                               starts_on=now.date() - timedelta(days=days_ago), hashtag="#27DaysOfDL")
        result.first_rows_at = season_start(season) + FIRST_ROWS_AFTER
    for name, text in demo_specs() if specs is None else specs:
        spec = parse_spec(text, origin=name)
        if spec.data.source == "fashion-mnist" and not fashion_mnist_available(workspace.settings.cache_dir):
            result.skipped.append(f"{spec.slug} (Fashion-MNIST files not found; "
                                  "`apt-get install dataset-fashion-mnist` or set KIT_FASHION_MNIST_DIR)")
            continue
        on_step(f"Adding challenge {spec.slug} ({spec.data.source}, {spec.metric})")
        with workspace.session(write=True) as session:
            season = get_season(session, DEMO_SEASON_SLUG)
            challenge: Challenge = add_challenge(session, _open_now(spec, season), text,
                                                 cache_dir=workspace.settings.cache_dir, progress=progress)
            result.challenges.append(challenge.slug)
        # The sample submission opens every board with a baseline row to beat.
        with workspace.session() as session:
            sample = bundle_file(session, get_challenge(session, spec.slug), "sample_submission.csv")
        # Building the workspace is the organizer's own process: no token to check.
        record_baseline(workspace, slug=spec.slug, model="sample", content=sample, filename="sample_submission.csv",
                        message="the bundle's sample submission", moment=result.first_rows_at)
    if not empty:
        result.community = simulate_community(workspace, season_slug=DEMO_SEASON_SLUG, seed=seed, moment=now,
                                              on_step=on_step)
    return result
