"""Challenges: built from a spec, stored with their files, listed and looked up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kit.bundle import (SOLUTION_FILE, ChallengeFiles, gzip_bytes, readme, sample_submission, sha256_hex,
                        to_csv_bytes)
from kit.clock import utcnow
from kit.datasets import Dataset, load_dataset
from kit.errors import ConflictError, NotFoundError, SpecError
from kit.models import Challenge, ChallengeFile, Submission
from kit.seasons import get_season, week_window
from kit.spec import ChallengeSpec
from kit.split import split_dataset


@dataclass(frozen=True)
class BuiltChallenge:
    """What a spec and its data produce, before anything is stored."""

    spec: ChallengeSpec
    dataset: Dataset
    classes: list | None
    files: ChallengeFiles
    train_rows: int
    test_rows: int
    public_rows: int


def _check_metric_fits(spec: ChallengeSpec, dataset: Dataset, classes: list | None) -> None:
    from grader import get_metric

    metric = get_metric(spec.metric)
    if metric.task != dataset.task:
        raise SpecError(
            f"metric: {spec.metric!r} is a {metric.task} metric but the data's target "
            f"{dataset.target!r} is a {dataset.task} target. Pick a {dataset.task} metric "
            "(see `kit metrics`), or set data.task."
        )
    kind = str(getattr(metric.prediction, "value", metric.prediction))
    if kind == "probability" and len(classes or []) != 2:
        raise SpecError(f"metric: {spec.metric!r} needs exactly two classes; the target has {len(classes or [])}.")


def _check_sample_scores(spec: ChallengeSpec, files: ChallengeFiles, id_column: str, target: str,
                         classes: list | None) -> None:
    """The sample submission must grade: this catches splits a metric cannot score
    (ROC AUC with a single class among the Public rows, say) before anyone submits."""
    import grader

    solution = grader.read_solution(files.solution, id_column=id_column, target_column=target,
                                    classes=tuple(classes) if classes else None)
    try:
        grader.grade(solution, files.bundle["sample_submission.csv"], spec.metric)
    except grader.MetricError as error:
        raise SpecError(f"metric: {spec.metric!r} cannot score this split ({error}). Use more data, "
                        "another data.seed, or a larger data.public_fraction.") from None


def build_challenge(spec: ChallengeSpec, *, window: tuple[datetime, datetime], base_dir: Path | None,
                    cache_dir: Path | None, progress: bool = True) -> BuiltChallenge:
    data = spec.data
    dataset = load_dataset(data.source, target=data.target, id_column=data.id_column, task=data.task,
                           base_dir=base_dir, cache_dir=cache_dir, progress=progress)
    if dataset.id_column is None and data.id_name in dataset.frame.columns:
        raise SpecError(
            f"data.id_column: the data already has a column {data.id_name!r}. Set id_column = "
            f"\"{data.id_name}\" to use it as the ids, or name another column for the ids the kit assigns."
        )
    if data.task and data.task != dataset.task:
        dataset = Dataset(dataset.frame, dataset.target, data.task, dataset.id_column, dataset.image_shape,
                          dataset.description)
    classes = sorted(dataset.frame[dataset.target].unique().tolist()) if dataset.task == "classification" else None
    _check_metric_fits(spec, dataset, classes)
    split = split_dataset(dataset, id_column=data.id_name, test_fraction=data.test_fraction,
                          public_fraction=data.public_fraction, seed=data.seed, max_rows=data.max_rows)
    sample = sample_submission(split, id_column=data.id_name, target=dataset.target, metric_name=spec.metric,
                               classes=classes)
    opens, closes = window
    text = readme(title=spec.title, slug=spec.slug, description=spec.description,
                  dataset_description=dataset.description, metric_name=spec.metric, id_column=data.id_name,
                  target=dataset.target, classes=classes, opens=opens.strftime("%Y-%m-%d %H:%M"),
                  closes=closes.strftime("%Y-%m-%d %H:%M"), daily_limit=spec.daily_limit,
                  final_selections=spec.final_selections, max_file_size=spec.max_file_size,
                  train_rows=len(split.train), test_rows=len(split.test), public_fraction=data.public_fraction,
                  sample_columns=list(sample.columns))
    files = ChallengeFiles(
        bundle={
            "README.md": text.encode("utf-8"),
            "train.csv": to_csv_bytes(split.train),
            "test.csv": to_csv_bytes(split.test),
            "sample_submission.csv": to_csv_bytes(sample),
        },
        solution=to_csv_bytes(split.solution),
    )
    _check_sample_scores(spec, files, data.id_name, dataset.target, classes)
    public_rows = int((split.solution["Usage"] == "Public").sum())
    return BuiltChallenge(spec, dataset, classes, files, len(split.train), len(split.test), public_rows)


def _window(session: Session, spec: ChallengeSpec):
    season = get_season(session, spec.season) if spec.season else None
    if spec.opens and spec.closes:
        return season, (spec.opens, spec.closes)
    default_opens, default_closes = week_window(season, spec.week)
    return season, (spec.opens or default_opens, spec.closes or default_closes)


def add_challenge(session: Session, spec: ChallengeSpec, spec_text: str, *, base_dir: Path | None = None,
                  cache_dir: Path | None = None, replace: bool = False, progress: bool = True) -> Challenge:
    """Build the challenge's files from its spec and store everything in one transaction."""
    existing = session.scalar(select(Challenge).where(Challenge.slug == spec.slug))
    if existing is not None:
        if not replace:
            raise ConflictError(f"A challenge {spec.slug!r} already exists. Use --replace to rebuild it.")
        count = session.scalar(select(func.count()).select_from(Submission).where(Submission.challenge_id == existing.id))
        if count:
            raise ConflictError(
                f"The challenge {spec.slug!r} has {count} submission(s); replacing it would orphan them. "
                "Create a new challenge with another slug instead."
            )
    season, (opens, closes) = _window(session, spec)
    built = build_challenge(spec, window=(opens, closes), base_dir=base_dir, cache_dir=cache_dir, progress=progress)
    if existing is not None:
        session.delete(existing)
        session.flush()
    challenge = Challenge(
        season_id=season.id if season else None, slug=spec.slug, title=spec.title, description=spec.description,
        week=spec.week, opens_at=opens, closes_at=closes, closed_at=None, source=spec.data.source,
        target=built.dataset.target, id_column=spec.data.id_name, task=built.dataset.task, metric=spec.metric,
        classes=built.classes, image_shape=list(built.dataset.image_shape) if built.dataset.image_shape else None,
        feature_count=len(built.dataset.feature_columns), train_rows=built.train_rows, test_rows=built.test_rows,
        public_rows=built.public_rows, daily_limit=spec.daily_limit, final_selections=spec.final_selections,
        max_file_bytes=spec.max_file_size, spec_toml=spec_text, created_at=utcnow(),
    )
    for name, content in [*built.files.bundle.items(), (SOLUTION_FILE, built.files.solution)]:
        challenge.files.append(ChallengeFile(name=name, hidden=name == SOLUTION_FILE, gzip_content=gzip_bytes(content),
                                             size=len(content), sha256=sha256_hex(content)))
    session.add(challenge)
    session.flush()
    return challenge


def get_challenge(session: Session, slug: str) -> Challenge:
    challenge = session.scalar(select(Challenge).where(Challenge.slug == slug))
    if challenge is None:
        known = ", ".join(session.scalars(select(Challenge.slug).order_by(Challenge.opens_at)).all()) or "none yet"
        raise NotFoundError(f"No challenge {slug!r}. Known challenges: {known}.")
    return challenge


def list_challenges(session: Session) -> list[Challenge]:
    return list(session.scalars(select(Challenge).order_by(Challenge.opens_at, Challenge.slug)))


def challenge_status(challenge: Challenge, moment: datetime | None = None) -> str:
    """upcoming, open or closed; closing early (kit challenge close) wins over the dates."""
    now = moment or utcnow()
    if challenge.closed_at is not None or now >= challenge.closes_at:
        return "closed"
    return "open" if now >= challenge.opens_at else "upcoming"


def is_closed(challenge: Challenge, moment: datetime | None = None) -> bool:
    return challenge_status(challenge, moment) == "closed"


def close_challenge(session: Session, slug: str, moment: datetime | None = None) -> Challenge:
    """Close a challenge now: no more submissions, and the private board is revealed."""
    challenge = get_challenge(session, slug)
    now = moment or utcnow()
    if challenge_status(challenge, now) == "closed":
        raise ConflictError(f"{slug!r} is already closed.")
    if challenge_status(challenge, now) == "upcoming":
        raise ConflictError(f"{slug!r} has not opened yet; change its dates instead of closing it.")
    challenge.closed_at = now
    session.flush()
    return challenge
