"""The demo season: "27 Days of Deep Learning" on data embedded in the kit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from typing import Callable

from sqlalchemy import select

from kit.challenge_files import bundle_file
from kit.challenges import add_challenge, get_challenge
from kit.clock import utcnow
from kit.datasets.fashion_mnist import is_available as fashion_mnist_available
from kit.errors import ConflictError
from kit.models import Challenge, Season
from kit.seasons import create_season, get_season, season_start, week_window
from kit.spec import ChallengeSpec, parse_spec
from kit.submissions import submit
from kit.workspace import Workspace

DEMO_SEASON_SLUG = "27-days-of-deep-learning"
DEMO_SEASON_NAME = "27 Days of Deep Learning"
# The demo opens on day 4, so the season already has a past to show.
DEMO_DAYS_AGO = 3


# Quick, CPU-friendly baselines per demo challenge: (model, epochs; None = the model's default).
DEMO_BASELINES: dict[str, list[tuple[str, int | None]]] = {
    "digits": [("logreg", None), ("cnn", None)],
    "breast-cancer": [("logreg", None), ("xgboost", None)],
    "diabetes": [("logreg", None), ("xgboost", None)],
    "wine": [("logreg", None), ("mlp", None)],
    "fashion-mnist": [("logreg", None), ("cnn", None)],
}


@dataclass
class DemoResult:
    season_slug: str
    challenges: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    baselines: list[str] = field(default_factory=list)


def demo_specs() -> list[tuple[str, str]]:
    """(file name, TOML text) of every embedded demo spec, in week order."""
    folder = resources.files("kit") / "demo_specs"
    return sorted((item.name, item.read_text(encoding="utf-8")) for item in folder.iterdir()
                  if item.name.endswith(".toml"))


def _open_now(spec: ChallengeSpec, season) -> ChallengeSpec:
    # Every demo challenge opens on day 1 and closes at the end of its week, so a visitor
    # can submit to all of them right away.
    _, closes = week_window(season, spec.week)
    return spec.model_copy(update={"opens": season_start(season), "closes": closes})


def has_demo(workspace: Workspace) -> bool:
    with workspace.session() as session:
        return session.scalar(select(Season.id).where(Season.slug == DEMO_SEASON_SLUG)) is not None


def build_demo(workspace: Workspace, *, progress: bool = True,
               on_step: Callable[[str], None] = lambda _message: None) -> DemoResult:
    """Create the demo season and its challenges; refuses a workspace that has it already."""
    result = DemoResult(DEMO_SEASON_SLUG)
    if has_demo(workspace):
        raise ConflictError("This workspace already has the demo season. Use `kit demo --reset` to rebuild it.")
    with workspace.session(write=True) as session:
        today = utcnow().date()
        create_season(session, slug=DEMO_SEASON_SLUG, name=DEMO_SEASON_NAME,
                      starts_on=today - timedelta(days=DEMO_DAYS_AGO), hashtag="#27DaysOfDL")
    for name, text in demo_specs():
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
        submit(workspace, slug=spec.slug, content=sample, filename="sample_submission.csv",
               message="the bundle's sample submission", baseline_model="sample")
    return result


def train_demo_baselines(workspace: Workspace, slugs: list[str], *, progress: bool = True,
                         on_step: Callable[[str], None] = lambda _message: None) -> list[str]:
    """Train and submit each demo challenge's quick baselines; returns 'slug: model score' lines."""
    from kit.baseline_runs import run_challenge_baseline

    lines = []
    for slug in slugs:
        for model, epochs in DEMO_BASELINES.get(slug, [("logreg", None)]):
            on_step(f"Training the {model} baseline on {slug}")
            output = workspace.settings.workspace / "baselines" / f"{slug}-{model}.csv"
            run = run_challenge_baseline(workspace, slug, model, output=output, epochs=epochs, submit_it=True,
                                         progress=progress)
            score = run.outcome.submission.public_score if run.outcome else float("nan")
            lines.append(f"{slug}: {model} public {run.metric} {score:.5f} ({run.train_seconds:.1f} s)")
    return lines
