"""Running a kit baseline on a challenge in the workspace: its stored facts and bundle, then `baseline_training`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kit.challenge.bundle import bundle_sha256, write_bundle
from kit.challenge.lookup import get_challenge
from kit.cli.baseline_training import BaselineRun, task_from_facts, train_on_bundle
from kit.services.submissions import record_baseline
from kit.store.workspace import Workspace

# Quick, CPU-friendly baselines per demo challenge: (model, epochs; None = the model's default).
DEMO_BASELINES: dict[str, list[tuple[str, int | None]]] = {
    "digits": [("logreg", None), ("cnn", None)],
    "breast-cancer": [("logreg", None), ("xgboost", None)],
    "diabetes": [("logreg", None), ("xgboost", None)],
    "wine": [("logreg", None), ("mlp", None)],
    "fashion-mnist": [("logreg", None), ("cnn", None)],
}


def challenge_task(challenge, session=None):
    """The baseline's view of a stored challenge (the same public facts a client gets from the API)."""
    from kit.challenge.grading import scoring_metric
    from kit.challenge.metric_of import challenge_metric, is_custom

    custom = is_custom(challenge.metric)
    metric = challenge_metric(challenge)
    if custom and session is not None:
        metric = scoring_metric(session, challenge)  # the organizer's function scores validation too
    return task_from_facts(slug=challenge.slug, id_column=challenge.id_column, target=challenge.target,
                           kind=challenge.task, metric=metric, custom=custom, classes=challenge.classes,
                           image_shape=challenge.image_shape)


def ensure_bundle(workspace: Workspace, slug: str) -> Path:
    """The challenge's bundle in the workspace, written on first use.

    The folder is named by the bundle's digest, so after `challenge add --replace` a
    baseline trains on the new split, never on a stale copy of the old one.
    """
    with workspace.session() as session:
        digest = bundle_sha256(session, get_challenge(session, slug))
    folder = workspace.settings.bundles_dir / slug / digest[:16]
    if not all((folder / name).is_file() for name in ("train.csv", "test.csv")):
        with workspace.session() as session:
            write_bundle(session, slug, folder)
    return folder


def run_challenge_baseline(workspace: Workspace, slug: str, model: str, *, output: Path | None = None,
                           epochs: int | None = None, seed: int = 0, progress: bool = True,
                           max_rows: int | None = None, device: str = "auto") -> BaselineRun:
    """Train `model` on the challenge's bundle; the predictions are written to `output` and kept in memory."""
    from kit.challenge.metric_of import challenge_metric

    with workspace.session() as session:
        challenge = get_challenge(session, slug)
        task = challenge_task(challenge, session)
        direction = challenge_metric(challenge).direction
    folder = ensure_bundle(workspace, slug)
    return train_on_bundle(folder, task, model, direction=direction, output=output, epochs=epochs, seed=seed,
                           progress=progress, max_rows=max_rows, device=device)


def train_demo_baselines(workspace: Workspace, slugs: list[str], *, progress: bool = True,
                         moment: datetime | None = None,
                         on_step: Callable[[str], None] = lambda _message: None) -> list[str]:
    """Train and submit each demo challenge's quick baselines; returns 'slug: model score' lines.

    `moment` is when they count as submitted (the demo's day 1, before week 1 closed).
    """
    lines = []
    for slug in slugs:
        for model, epochs in DEMO_BASELINES.get(slug, [("logreg", None)]):
            on_step(f"Training the {model} baseline on {slug}")
            output = workspace.settings.workspace / "baselines" / f"{slug}-{model}.csv"
            run = run_challenge_baseline(workspace, slug, model, output=output, epochs=epochs, progress=progress)
            # The demo is the organizer's own process building its workspace: no token to check.
            outcome = record_baseline(workspace, slug=slug, model=model, content=run.content, filename=output.name,
                                      message=run.message, moment=moment)
            score = outcome.submission.public_score
            score = float("nan") if score is None else score
            lines.append(f"{slug}: {model} public {run.metric} {score:.5f} ({run.train_seconds:.1f} s)")
    return lines
