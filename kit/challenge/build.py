"""Building a challenge from its spec: load the data, split it, make the bundle and the solution.

Nothing here touches the store; the same spec and data always give the same files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from grader import get_metric, list_metrics
from kit.challenge.bundle import (
    IMAGE_ARCHIVES,
    ChallengeFiles,
    image_archive,
    readme,
    sample_submission,
    to_csv_bytes,
)
from kit.challenge.data_checks import class_warnings, feature_warnings, warn_about
from kit.challenge.datasets import Dataset, load_dataset
from kit.challenge.metric_of import is_custom, spec_metric
from kit.challenge.spec import USAGE_COLUMN, ChallengeSpec
from kit.challenge.split import Split, split_dataset
from kit.challenge.submission_format import header_for
from kit.errors import SpecError


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
    metric_source: str | None = None  # a custom metric's Python source, stored hidden with the challenge
    public_noise: float | None = None  # half-width of a typical submission's 95 % public interval


def _check_metric_fits(spec: ChallengeSpec, metric, dataset: Dataset, classes: list | None) -> None:
    several = len(dataset.target_columns) > 1
    if metric.prediction.multi_column and not several:
        raise SpecError(f"metric: {spec.metric!r} scores several target columns; name them as a list, "
                        "e.g. data.target = [\"toxic\", \"obscene\", \"insult\"].")
    if several and not metric.prediction.multi_column:
        multi = [n for n in list_metrics() if get_metric(n).prediction.multi_column]
        raise SpecError(f"metric: {spec.metric!r} scores one target column but data.target names "
                        f"{len(dataset.target_columns)}; use a multi-column metric: {', '.join(multi)}.")
    if metric.task != dataset.task:
        raise SpecError(
            f"metric: {spec.metric!r} is a {metric.task} metric but the data's target "
            f"{dataset.target!r} is a {dataset.task} target. Pick a {dataset.task} metric "
            "(see `kit metrics`), or set data.task."
        )
    kind = str(getattr(metric.prediction, "value", metric.prediction))
    if kind == "probability" and len(classes or []) != 2:
        raise SpecError(f"metric: {spec.metric!r} needs exactly two classes; the target has {len(classes or [])}.")


def _check_sample_scores(spec: ChallengeSpec, metric, files: ChallengeFiles, id_column: str,
                         targets: list[str], classes: list | None) -> float | None:
    """The sample submission must grade: this catches splits a metric cannot score
    (ROC AUC with a single class among the Public rows, say) before anyone submits.

    Returns the public noise: the half-width of a typical submission's public interval
    (None for a custom metric, which has no influence function to give it)."""
    import grader
    from grader.noise import typical_interval

    solution = grader.read_solution(files.solution, id_column=id_column,
                                    target_column=targets[0] if len(targets) == 1 else targets,
                                    classes=tuple(classes) if classes else None)
    sample = files.bundle["sample_submission.csv"]
    if is_custom(spec.metric):
        try:
            grader.score_for_organizer(solution, sample, metric)
        except grader.CustomMetricError as error:
            # The organizer's own traceback, here and only here: participants get a plain refusal.
            raise SpecError(f"metric: the custom metric fails on the sample submission: {error}\n"
                            f"{error.organizer_traceback}".rstrip()) from None
    try:
        grader.check_scorable(solution, metric)
        grader.grade(solution, sample, metric)
    except grader.MetricError as error:
        raise SpecError(f"metric: {spec.metric!r} cannot score this split ({error}). Use more data, "
                        "another data.seed, or other data.test_fraction / data.public_fraction.") from None
    except grader.SubmissionError as error:
        raise SpecError(f"metric: {spec.metric!r} cannot score this challenge's own sample submission "
                        f"({error.message}).") from None
    if metric.influence is None:
        return None
    half_width = typical_interval(solution, metric)[1]
    return half_width if math.isfinite(half_width) else None


IMAGE_ROW = "__image_row"  # which image a row of the split is; never written to a file


def _split(dataset: Dataset, data) -> tuple[Split, dict[str, bytes] | None]:
    """The split, and for images kept as files the train.zip and test.zip archives (PNG per id)."""
    if dataset.images is None:
        return split_dataset(dataset, id_column=data.id_name, test_fraction=data.test_fraction,
                             public_fraction=data.public_fraction, seed=data.seed, max_rows=data.max_rows), None
    rows = np.arange(len(dataset.frame))
    indexed = Dataset(dataset.frame.assign(**{IMAGE_ROW: rows}), dataset.target, dataset.task, dataset.id_column,
                      dataset.image_shape, dataset.description)
    split = split_dataset(indexed, id_column=data.id_name, test_fraction=data.test_fraction,
                          public_fraction=data.public_fraction, seed=data.seed, max_rows=data.max_rows)
    archives = {name: image_archive(folder, part[data.id_name], dataset.images[part[IMAGE_ROW].to_numpy()])
                for (name, folder), part in zip(IMAGE_ARCHIVES.items(), (split.train, split.test), strict=True)}
    clean = Split(train=split.train.drop(columns=[IMAGE_ROW]), test=split.test.drop(columns=[IMAGE_ROW]),
                  solution=split.solution)
    return clean, archives


def _refuse_classes_without_training_rows(split, target: str) -> None:
    """A class only the hidden test rows hold can be learnt by no one, and the README's list of
    classes (and every rejection naming them) would tell participants it is in the test set."""
    unseen = sorted(set(split.solution[target].astype(str)) - set(split.train[target].astype(str)))
    if unseen:
        raise SpecError(f"data: class(es) {', '.join(map(repr, unseen[:5]))} have no training rows with this split "
                        "(all their rows went to the hidden test set). Add rows of them, leave them out of the "
                        "data, or try another data.seed.")


def build_challenge(spec: ChallengeSpec, *, window: tuple[datetime, datetime], base_dir: Path | None,
                    cache_dir: Path | None, progress: bool = True) -> BuiltChallenge:
    data = spec.data
    dataset = load_dataset(data.source, target=data.target, id_column=data.id_column, task=data.task,
                           base_dir=base_dir, cache_dir=cache_dir, progress=progress,
                           drop_missing_target=data.drop_missing_target, image_size=data.image_size,
                           image_mode=data.image_mode)
    if dataset.id_column is None and data.id_name in dataset.frame.columns:
        raise SpecError(
            f"data.id_column: the data already has a column {data.id_name!r}. Set id_column = "
            f"\"{data.id_name}\" to use it as the ids, or name another column for the ids the kit assigns."
        )
    if USAGE_COLUMN in dataset.frame.columns:
        raise SpecError(f"data.source: the data has a column {USAGE_COLUMN!r}, the name the hidden solution uses "
                        "for its Public/Private column; rename that column in the data.")
    if data.task and data.task != dataset.task:
        dataset = Dataset(dataset.frame, dataset.target, data.task, dataset.id_column, dataset.image_shape,
                          dataset.description, dataset.images)
    several = len(dataset.target_columns) > 1
    classes = sorted(dataset.frame[dataset.target].unique().tolist()) \
        if dataset.task == "classification" and not several else None
    target = ",".join(dataset.target_columns)  # several targets are stored and shown comma-separated
    metric, metric_source = spec_metric(spec, base_dir)
    _check_metric_fits(spec, metric, dataset, classes)
    split, image_files = _split(dataset, data)
    if classes:
        _refuse_classes_without_training_rows(split, dataset.target)
    warn_about(feature_warnings(dataset) + (class_warnings(split, dataset.target) if classes else []))
    header = header_for(metric, data.id_name, target, classes)
    sample = sample_submission(split, id_column=data.id_name, target=target, metric_name=metric,
                               classes=classes)
    opens, closes = window
    text = readme(title=spec.title, slug=spec.slug, description=spec.description,
                  dataset_description=dataset.description, metric_name=metric, id_column=data.id_name,
                  target=target, classes=classes, opens=opens.strftime("%Y-%m-%d %H:%M"),
                  closes=closes.strftime("%Y-%m-%d %H:%M"), daily_limit=spec.daily_limit,
                  final_selections=spec.final_selections, max_file_size=spec.max_file_size,
                  train_rows=len(split.train), test_rows=len(split.test), public_fraction=data.public_fraction,
                  sample_columns=header,
                  image_files=(*dataset.image_shape, dataset.channels) if image_files and dataset.image_shape else None)
    files = ChallengeFiles(
        bundle={
            "README.md": text.encode("utf-8"),
            "train.csv": to_csv_bytes(split.train),
            "test.csv": to_csv_bytes(split.test),
            "sample_submission.csv": to_csv_bytes(sample),
            **(image_files or {}),
        },
        solution=to_csv_bytes(split.solution),
    )
    public_noise = _check_sample_scores(spec, metric, files, data.id_name, list(dataset.target_columns), classes)
    public_rows = int((split.solution[USAGE_COLUMN] == "Public").sum())
    return BuiltChallenge(spec, dataset, classes, files, len(split.train), len(split.test), public_rows,
                          metric_source, public_noise)
