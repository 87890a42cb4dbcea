"""`kit baseline` as a client: the challenge's public facts and bundle from the server, trained here.

No workspace and no database: the facts come from the challenge's API details, the bundle from
its files.zip, cached under the user's cache folder by the bundle's digest (a replaced challenge
gets a fresh copy, an unchanged one is downloaded once).
"""

from __future__ import annotations

import os
from pathlib import Path

from kit.cli.baseline_training import BaselineRun, task_from_facts, train_on_bundle
from kit.client.api import ApiClient, ChallengeDetail
from kit.errors import BaselineRunError, InvalidInputError

BASELINES_MISSING = ("The baselines are not installed with the base package. Install them with "
                     "pip install 'challenge-kit[baselines]' and run the command again.")


def bundle_cache(slug: str, digest: str) -> Path:
    """Where a downloaded bundle is kept: $XDG_CACHE_HOME (or ~/.cache)/challenge-kit/bundles/SLUG/DIGEST."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "challenge-kit" / "bundles" / slug / digest[:16]


def remote_task(detail: ChallengeDetail):
    """The baselines' Task from the API's public details; the metric's prediction kind from the grader's catalog."""
    import grader

    slug, metric = detail["slug"], detail["metric"]
    if metric.startswith("custom:"):
        # Its validation score needs the organizer's function, which only the server holds.
        raise InvalidInputError(
            f"{slug!r} is scored by the organizer's own metric, which only the server holds, so a baseline cannot "
            f"score its validation split here. Start from `kit download {slug}` and a copy of a baseline module.")
    try:
        chosen = grader.get_metric(metric)
    except grader.UnknownMetricError as error:  # a server newer than this client
        raise InvalidInputError(f"{error} Upgrade the kit (pip install -U challenge-kit).") from None
    return task_from_facts(slug=slug, id_column=detail["id_column"], target=detail["target"], kind=detail["task"],
                           metric=chosen, custom=False, classes=detail.get("classes"),
                           image_shape=detail.get("image_shape"))


def run_remote_baseline(client: ApiClient, slug: str, model: str, *, output: Path | None = None,
                        epochs: int | None = None, seed: int = 0, device: str = "auto") -> BaselineRun:
    """Train `model` on the server's public bundle of `slug`; the predictions go to `output`."""
    try:
        import baselines  # noqa: F401  (pandas and scikit-learn come with it)
    except ModuleNotFoundError as error:
        raise BaselineRunError(f"{BASELINES_MISSING} ({error.name} is missing)") from None
    detail = client.challenge(slug)
    task = remote_task(detail)
    folder = bundle_cache(detail["slug"], detail["bundle_sha256"])
    if not all((folder / name).is_file() for name in ("train.csv", "test.csv")):
        client.download(detail["slug"], folder)
    direction = "higher" if detail["higher_is_better"] else "lower"
    return train_on_bundle(folder, task, model, direction=direction, output=output, epochs=epochs, seed=seed,
                           device=device)
