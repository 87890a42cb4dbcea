"""CIFAR-10 from its python-pickle batches: KIT_CIFAR10_DIR, the cache, or the official download.

The batches (data_batch_1 … data_batch_5, test_batch, batches.meta) each hold a dict with
`data` (N × 3072 uint8, the red, green and blue planes of 32×32 images) and `labels`.
"""

from __future__ import annotations

import os
import pickle
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

from kit.challenge.datasets.dataset import Dataset
from kit.challenge.datasets.downloads import download_bar, download_checked, folder_holding, md5_of
from kit.errors import DatasetError

URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
ARCHIVE_MD5 = "c58f30108f718f92721af3b95e74349a"  # published on the CIFAR-10 page
FOLDER = "cifar-10-batches-py"
BATCHES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
CLASS_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
HOW_TO_GET = (
    f"Download {URL} (163 MB) on a machine with network access, unpack it, and set KIT_CIFAR10_DIR to the "
    f"{FOLDER} folder (it holds data_batch_1 … data_batch_5 and test_batch); or copy that folder into "
    "the workspace's cache folder."
)


def candidate_dirs(cache_dir: Path | None) -> list[Path]:
    dirs = []
    if os.environ.get("KIT_CIFAR10_DIR"):
        dirs.append(Path(os.environ["KIT_CIFAR10_DIR"]))
    if cache_dir is not None:
        dirs.append(cache_dir / FOLDER)
    return dirs


def find_local_batches(cache_dir: Path | None) -> Path | None:
    return folder_holding(candidate_dirs(cache_dir), BATCHES)


def read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 32, 32, 3) uint8, labels (N,) int64) from one pickle batch."""
    try:
        with open(path, "rb") as handle:
            batch = pickle.load(handle, encoding="bytes")  # the official batches: trusted data
    except (pickle.UnpicklingError, EOFError, OSError) as error:
        raise DatasetError(f"{path.name} is not a CIFAR-10 batch ({error}). {HOW_TO_GET}") from None
    data = batch.get(b"data", batch.get("data")) if isinstance(batch, dict) else None
    labels = batch.get(b"labels", batch.get("labels")) if isinstance(batch, dict) else None
    if data is None or labels is None:
        raise DatasetError(f"{path.name} holds no 'data' and 'labels': not a CIFAR-10 batch. {HOW_TO_GET}")
    data = np.asarray(data, dtype=np.uint8)
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(data) != len(labels):
        raise DatasetError(f"{path.name} has unexpected shapes {data.shape} and {len(labels)} labels.")
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), np.asarray(labels, dtype=np.int64)


def download(cache_dir: Path, *, url: str = URL, md5: str = ARCHIVE_MD5, progress: bool = True) -> Path:
    """Download the archive into the cache with a progress bar, check its MD5, unpack the batches."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    archive = cache_dir / "cifar-10-python.tar.gz"
    if not (archive.is_file() and md5_of(archive) == md5):
        with download_bar(progress) as bar:
            download_checked(url, archive, md5, bar=bar, what="CIFAR-10", how_to_get=HOW_TO_GET)
    with tarfile.open(archive, "r:gz") as tar:
        wanted = [m for m in tar.getmembers() if m.isfile() and Path(m.name).name in BATCHES + ["batches.meta"]]
        tar.extractall(cache_dir, members=wanted, filter="data")
    return cache_dir / FOLDER


def load_cifar10(*, cache_dir: Path | None = None, progress: bool = True) -> Dataset:
    from kit.challenge.datasets.images import image_dataset

    folder = find_local_batches(cache_dir)
    if folder is None:
        if cache_dir is None:
            raise DatasetError(f"The CIFAR-10 batches were not found. {HOW_TO_GET}")
        folder = download(cache_dir, progress=progress)
    parts = [read_batch(folder / name) for name in BATCHES]
    images = np.concatenate([images for images, _ in parts])
    labels = np.concatenate([labels for _, labels in parts])
    if labels.min() < 0 or labels.max() >= len(CLASS_NAMES):
        raise DatasetError(f"The CIFAR-10 batches in {folder} hold labels outside 0–9.")
    frame = pd.DataFrame({"label": np.asarray(CLASS_NAMES)[labels].astype(object)})
    return image_dataset(images, frame, "label", description=(
        f"{len(images)} 32×32 colour photos in ten classes: {', '.join(CLASS_NAMES)} (CIFAR-10)."))


def is_available(cache_dir: Path | None = None) -> bool:
    return find_local_batches(cache_dir) is not None
