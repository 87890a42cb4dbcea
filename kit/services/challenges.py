"""Adding and closing challenges: the organizer's use cases around a challenge's life."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kit.challenge.build import BuiltChallenge, build_challenge
from kit.challenge.bundle import SOLUTION_FILE, gzip_bytes, sha256_hex
from kit.challenge.grading import challenge_solution
from kit.challenge.lookup import challenge_status, get_challenge
from kit.challenge.metric_of import CUSTOM_METRIC_FILE
from kit.challenge.noise import NoiseReport, noise_report
from kit.challenge.spec import ChallengeSpec
from kit.clock import utcnow
from kit.errors import ConflictError
from kit.season.seasons import get_season, week_window
from kit.services.outbox import note_challenge_closed
from kit.store.models import Challenge, ChallengeFile, Submission
from kit.store.organizer_token import require_organizer


def _window(session: Session, spec: ChallengeSpec):
    season = get_season(session, spec.season) if spec.season else None
    if spec.opens and spec.closes:
        return season, (spec.opens, spec.closes)
    # The spec's validator requires opens and closes unless season and week are both given.
    assert season is not None and spec.week is not None
    default_opens, default_closes = week_window(season, spec.week)
    return season, (spec.opens or default_opens, spec.closes or default_closes)


def _image_shape(dataset) -> list[int] | None:
    # [height, width] for pixel columns; [height, width, channels] for images kept as PNG files.
    if dataset.image_shape is None:
        return None
    return [*dataset.image_shape, dataset.channels] if dataset.images is not None else list(dataset.image_shape)


def _pixel_count(dataset) -> int:
    return 0 if dataset.images is None else int(np.prod(dataset.images.shape[1:]))


def _check_replaceable(session: Session, spec: ChallengeSpec, replace: bool) -> Challenge | None:
    """The existing challenge of that slug (to replace), or None; refuses what would lose data."""
    existing = session.scalar(select(Challenge).where(Challenge.slug == spec.slug))
    if existing is None:
        return None
    if not replace:
        raise ConflictError(f"A challenge {spec.slug!r} already exists. Use --replace to rebuild it.")
    count = session.scalar(select(func.count()).select_from(Submission).where(Submission.challenge_id == existing.id))
    if count:
        raise ConflictError(
            f"The challenge {spec.slug!r} has {count} submission(s); replacing it would orphan them. "
            "Create a new challenge with another slug instead."
        )
    return existing


def _files_to_store(built: BuiltChallenge) -> list[dict]:
    """Each file compressed and hashed: slow for large data, so done before any transaction."""
    hidden = [(SOLUTION_FILE, built.files.solution)]
    if built.metric_source is not None:  # the organizer's custom metric, never served
        hidden.append((CUSTOM_METRIC_FILE, built.metric_source.encode("utf-8")))
    return [{"name": name, "hidden": name in dict(hidden), "gzip_content": gzip_bytes(content),
             "size": len(content), "sha256": sha256_hex(content)}
            for name, content in [*built.files.bundle.items(), *hidden]]


def _store(session: Session, spec: ChallengeSpec, spec_text: str, built: BuiltChallenge, files: list[dict], *,
           replace: bool) -> Challenge:
    """The built challenge as rows: checks again what another process may have changed meanwhile."""
    existing = _check_replaceable(session, spec, replace)
    season, (opens, closes) = _window(session, spec)
    if existing is not None:
        session.delete(existing)
        session.flush()
    challenge = Challenge(
        season_id=season.id if season else None, slug=spec.slug, title=spec.title, description=spec.description,
        week=spec.week, opens_at=opens, closes_at=closes, closed_at=None, source=spec.data.source,
        target=",".join(built.dataset.target_columns), id_column=spec.data.id_name, task=built.dataset.task, metric=spec.metric,
        classes=built.classes, image_shape=_image_shape(built.dataset),
        feature_count=len(built.dataset.feature_columns) or _pixel_count(built.dataset), train_rows=built.train_rows,
        test_rows=built.test_rows, public_rows=built.public_rows, public_board=spec.public_board,
        public_noise=built.public_noise, daily_limit=spec.daily_limit,
        final_selections=spec.final_selections, max_file_bytes=spec.max_file_size, spec_toml=spec_text,
        created_at=utcnow(),
    )
    challenge.files.extend(ChallengeFile(**file) for file in files)
    session.add(challenge)
    session.flush()
    return challenge


def add_challenge(session: Session, spec: ChallengeSpec, spec_text: str, *, base_dir: Path | None = None,
                  cache_dir: Path | None = None, replace: bool = False, progress: bool = True) -> Challenge:
    """Build and store a challenge inside the caller's transaction (setting up a workspace: the
    demo, tests). Anything serving participants uses `add_challenge_to`, which builds outside it."""
    _check_replaceable(session, spec, replace)
    _, window = _window(session, spec)
    built = build_challenge(spec, window=window, base_dir=base_dir, cache_dir=cache_dir, progress=progress)
    return _store(session, spec, spec_text, built, _files_to_store(built), replace=replace)


def add_challenge_to(workspace, spec: ChallengeSpec, spec_text: str, *, organizer_token: str | None,
                     base_dir: Path | None = None, cache_dir: Path | None = None, replace: bool = False,
                     progress: bool = True) -> Challenge:
    """The organizer's `challenge add`: all slow work (loading, splitting, building, grading the
    sample, compressing) happens before one short write transaction, so submitters never wait
    behind it; what changed meanwhile (the slug taken, a submission arrived) is checked again there."""
    with workspace.session() as session:
        require_organizer(session, organizer_token)
        _check_replaceable(session, spec, replace)  # fail fast, before the slow work
        _, window = _window(session, spec)
    built = build_challenge(spec, window=window, base_dir=base_dir, cache_dir=cache_dir, progress=progress)
    files = _files_to_store(built)
    with workspace.session(write=True) as session:
        return _store(session, spec, spec_text, built, files, replace=replace)


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
    note_challenge_closed(session, challenge, now)  # the webhook event commits with the close
    return challenge


def public_noise(session: Session, challenge: Challenge) -> NoiseReport:
    """How wide the challenge's public intervals are, and whether that is too wide to rank anyone."""
    return noise_report(challenge, challenge_solution(session, challenge))
