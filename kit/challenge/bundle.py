"""The files of a challenge: the public bundle and the hidden solution, as exact bytes.

Making them is a pure function of the split and the spec, so the same spec and data give
byte-identical files on every run and every machine. Reading them back from the store
keeps the solution apart: only the grading bridge asks for it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.atomic_files import write_atomically
from kit.challenge.lookup import get_challenge
from kit.challenge.split import Split
from kit.errors import WorkspaceError
from kit.store.models import Challenge, ChallengeFile

BUNDLE_FILES = ("README.md", "train.csv", "test.csv", "sample_submission.csv", "train.zip", "test.zip")
# Image challenges in Kaggle's CIFAR-10 layout: PNG files named by id, in train/ and test/.
IMAGE_ARCHIVES = {"train.zip": "train", "test.zip": "test"}
SOLUTION_FILE = "solution.csv"

if TYPE_CHECKING:
    from grader import Metric


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


def sample_submission(split: Split, *, id_column: str, target: str, metric_name: str | Metric,
                      classes: list | None) -> pd.DataFrame:
    """A valid, naive submission: the most frequent class, the prior, or the mean."""
    from grader import expected_columns, get_metric

    metric = get_metric(metric_name)
    kind = str(getattr(metric.prediction, "value", metric.prediction))
    ids = split.test[id_column].to_numpy()
    if metric.prediction.multi_column:  # several target columns, named "a,b,c": each column's mean
        targets = target.split(",")
        means = {name: round(float(split.train[name].mean()), 6) for name in targets}
        if kind == "column_probabilities":
            means = {name: min(max(value, 0.001), 0.999) for name, value in means.items()}
        return pd.DataFrame({id_column: ids, **means})[expected_columns(metric, id_column, targets, classes)]
    columns = expected_columns(metric, id_column, target, classes)
    train_target = split.train[target]
    if kind == "label":
        values = [train_target.value_counts().sort_index(kind="stable").idxmax()] * len(ids)
        frame = pd.DataFrame({id_column: ids, target: values})
    elif kind == "probability":
        assert classes is not None  # probability metrics are for classification challenges
        prior = float(np.mean(train_target.to_numpy() == classes[-1]))
        frame = pd.DataFrame({id_column: ids, target: np.round(prior, 6)})
    elif kind == "class_probabilities":
        assert classes is not None
        share = 1.0 / len(classes)
        frame = pd.DataFrame({id_column: ids, **{str(c): share for c in classes}})
    elif kind == "ranked_labels":
        ranked = train_target.value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        frame = pd.DataFrame({id_column: ids, target: " ".join(str(v) for v in ranked.index[:3])})
    else:  # value
        frame = pd.DataFrame({id_column: ids, target: round(float(train_target.mean()), 6)})
    return frame[columns]


def image_lines(image_files: tuple[int, int, int] | None, id_column: str) -> str:
    if image_files is None:
        return ""
    height, width, channels = image_files
    kind = "colour (RGB)" if channels == 3 else "grayscale"
    return (f"- `train/` and `test/`: one {height}×{width} {kind} PNG per row, named by its `{id_column}` "
            "(`train/ID.png`); `kit download` unpacks them.\n")


def readme(*, title: str, slug: str, description: str, dataset_description: str, metric_name: str | Metric,
           id_column: str, target: str, classes: list | None, opens: str, closes: str,
           daily_limit: int, final_selections: int, max_file_size: int, train_rows: int,
           test_rows: int, public_fraction: float, sample_columns: list[str],
           image_files: tuple[int, int, int] | None = None) -> str:
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
{image_lines(image_files, id_column)}- Ids are in the column `{id_column}`.
{class_line}{about}
## Evaluation

Metric: **{metric.name}** ({better}). {metric.description}

Submit a CSV whose header is exactly `{','.join(sample_columns)}` (the columns in any order;
{metric.prediction.holds}) and one row per id of `test.csv`, in any order. The public leaderboard is computed on
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


# Stored files


@dataclass(frozen=True)
class BundleEntry:
    name: str
    size: int  # uncompressed bytes


def bundle_manifest(session: Session, challenge: Challenge) -> list[BundleEntry]:
    """The public bundle files in their fixed order; the hidden solution is never listed."""
    rows = session.execute(select(ChallengeFile.name, ChallengeFile.size).where(
        ChallengeFile.challenge_id == challenge.id, ChallengeFile.hidden.is_(False),
        ChallengeFile.name.in_(BUNDLE_FILES))).all()
    sizes = dict(rows)
    return [BundleEntry(name, sizes[name]) for name in BUNDLE_FILES if name in sizes]


def bundle_sha256(session: Session, challenge: Challenge) -> str:
    """One digest of the public files' contents: it changes whenever the bundle does (a new split, new data)."""
    rows = dict(session.execute(select(ChallengeFile.name, ChallengeFile.sha256).where(
        ChallengeFile.challenge_id == challenge.id, ChallengeFile.hidden.is_(False),
        ChallengeFile.name.in_(BUNDLE_FILES))).all())
    return sha256_hex("\n".join(f"{name} {rows[name]}" for name in BUNDLE_FILES if name in rows).encode())


def bundle_files(session: Session, challenge: Challenge) -> dict[str, bytes]:
    """The public files, in a fixed order. The hidden solution is never among them."""
    rows = session.scalars(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                       ChallengeFile.hidden.is_(False)))
    files = {row.name: gzip.decompress(row.gzip_content) for row in rows}
    return {name: files[name] for name in BUNDLE_FILES if name in files}


def bundle_file(session: Session, challenge: Challenge, name: str) -> bytes:
    if name not in BUNDLE_FILES:
        raise WorkspaceError(f"{name!r} is not a bundle file; the bundle has {', '.join(BUNDLE_FILES)}.")
    row = session.scalar(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                     ChallengeFile.name == name, ChallengeFile.hidden.is_(False)))
    if row is None:
        raise WorkspaceError(f"The challenge {challenge.slug!r} has no stored {name}.")
    return gzip.decompress(row.gzip_content)


def solution_bytes(session: Session, challenge: Challenge) -> bytes:
    """The hidden labels. Only the grading service calls this."""
    row = session.scalar(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                     ChallengeFile.name == SOLUTION_FILE))
    if row is None:
        raise WorkspaceError(f"The challenge {challenge.slug!r} has no stored solution.")
    return gzip.decompress(row.gzip_content)


def write_bundle(session: Session, slug: str, folder: Path) -> list[Path]:
    """Write the bundle into `folder`; each file appears whole or not at all, never through a link
    planted there (see kit.atomic_files). Image archives
    are unpacked into train/ and test/ (PNG files named by id), as Kaggle's CIFAR-10 bundle is."""
    challenge = get_challenge(session, slug)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in bundle_files(session, challenge).items():
        if name in IMAGE_ARCHIVES:
            written.append(unpack_images(content, folder / IMAGE_ARCHIVES[name]))
            continue
        written.append(write_atomically(folder, name, content))
    return written


def image_archive(folder: str, ids, images: np.ndarray) -> bytes:
    """A zip of `folder`/ID.png, one PNG per image; the same images always give the same bytes."""
    import zipfile

    from PIL import Image

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for image_id, pixels in zip(ids, images, strict=True):
            png = io.BytesIO()
            Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else pixels).save(png, format="PNG")
            entry = zipfile.ZipInfo(f"{folder}/{image_id}.png", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, png.getvalue())
    return buffer.getvalue()


def unpack_images(content: bytes, folder: Path) -> Path:
    """Unpack an image archive made by `image_archive` into `folder` (its PNG files only)."""
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            name = Path(info.filename).name
            if info.is_dir() or not name.endswith(".png") or name.startswith("."):
                continue
            write_atomically(folder, name, archive.read(info))
    return folder
