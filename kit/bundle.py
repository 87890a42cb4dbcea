"""The files of a challenge: the public bundle and the hidden solution, as exact bytes.

Everything here is a pure function of the split and the spec, so the same spec and data
give byte-identical files on every run and every machine.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit.split import Split

BUNDLE_FILES = ("README.md", "train.csv", "test.csv", "sample_submission.csv")
SOLUTION_FILE = "solution.csv"


@dataclass(frozen=True)
class ChallengeFiles:
    """File name → bytes; `solution.csv` is hidden and never part of a bundle."""

    bundle: dict[str, bytes]
    solution: bytes


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    # Floats use Python's shortest round-trip repr: the same on every machine.
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    # mtime=0 keeps the compressed bytes identical from run to run.
    return gzip.compress(data, compresslevel=6, mtime=0)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sample_submission(split: Split, *, id_column: str, target: str, metric_name: str,
                      classes: list | None) -> pd.DataFrame:
    """A valid, naive submission: the most frequent class, the prior, or the mean."""
    from grader import expected_columns, get_metric

    metric = get_metric(metric_name)
    kind = str(getattr(metric.prediction, "value", metric.prediction))
    ids = split.test[id_column].to_numpy()
    columns = expected_columns(metric, id_column, target, classes)
    train_target = split.train[target]
    if kind == "label":
        values = [train_target.value_counts().sort_index(kind="stable").idxmax()] * len(ids)
        frame = pd.DataFrame({id_column: ids, target: values})
    elif kind == "probability":
        prior = float(np.mean(train_target.to_numpy() == classes[-1]))
        frame = pd.DataFrame({id_column: ids, target: np.round(prior, 6)})
    elif kind == "class_probabilities":
        share = 1.0 / len(classes)
        frame = pd.DataFrame({id_column: ids, **{str(c): share for c in classes}})
    elif kind == "ranked_labels":
        ranked = train_target.value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        frame = pd.DataFrame({id_column: ids, target: " ".join(str(v) for v in ranked.index[:3])})
    else:  # value
        frame = pd.DataFrame({id_column: ids, target: round(float(train_target.mean()), 6)})
    return frame[columns]


def readme(*, title: str, slug: str, description: str, dataset_description: str, metric_name: str,
           id_column: str, target: str, classes: list | None, opens: str, closes: str,
           daily_limit: int, final_selections: int, max_file_size: int, train_rows: int,
           test_rows: int, public_fraction: float, sample_columns: list[str]) -> str:
    from grader import get_metric

    metric = get_metric(metric_name)
    better = "higher is better ↑" if metric.direction == "higher" else "lower is better ↓"
    class_line = f"- Classes: {', '.join(map(str, classes))}\n" if classes else ""
    about = f"\nAbout the data: {dataset_description}\n" if description.strip() else ""
    return f"""# {title}

{description.strip() or dataset_description}

## Data

- `train.csv`: {train_rows} rows with the features and the target column `{target}`.
- `test.csv`: {test_rows} rows with the same features and no target: predict it.
- `sample_submission.csv`: a valid submission in the right format (a naive guess).
- Ids are in the column `{id_column}`.
{class_line}{about}
## Evaluation

Metric: **{metric.name}** ({better}). {metric.description}

Submit a CSV with the columns {', '.join(f'`{c}`' for c in sample_columns)} and one row per
id of `test.csv`, in any order. The public leaderboard is computed on
{round(public_fraction * 100)} % of the test rows; the private leaderboard, revealed when
the challenge closes, on the rest. Trust your validation score more than the public board.

## Dates and limits

- Opens: {opens} (UTC)
- Closes: {closes} (UTC)
- {daily_limit} scored submissions per UTC day; choose up to {final_selections} final submissions.
- Maximum file size: {max_file_size // 1024} KB.

## How to submit

```
kit baseline {slug} --model logreg -o submission.csv   # a first model
kit submit {slug} -f submission.csv -m "my first try"
kit leaderboard {slug}
```
"""
