"""Fashion-MNIST from IDX gzip files: local copies first, the official download last."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pandas as pd

from kit.challenge.datasets.dataset import Dataset
from kit.challenge.datasets.downloads import download_bar, download_checked, folder_holding, md5_of
from kit.errors import DatasetError

SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")  # Debian's dataset-fashion-mnist
BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
# MD5 of the official archives, as published in the Fashion-MNIST README.
FILES = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
HOW_TO_GET = (
    "Get the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
    "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) one of these ways: "
    "`sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or download them from "
    "https://github.com/zalandoresearch/fashion-mnist and set KIT_FASHION_MNIST_DIR to their folder."
)


def read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (gzip or plain): the magic number gives the type and rank."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise DatasetError(f"{path} is not an IDX file of unsigned bytes.")
    rank = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank))
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if body.size != int(np.prod(shape)):
        raise DatasetError(f"{path} is truncated: expected {int(np.prod(shape))} values, found {body.size}.")
    return body.reshape(shape)


def candidate_dirs(cache_dir: Path | None) -> list[Path]:
    dirs = []
    if os.environ.get("KIT_FASHION_MNIST_DIR"):
        dirs.append(Path(os.environ["KIT_FASHION_MNIST_DIR"]))
    dirs.append(SYSTEM_DIR)
    if cache_dir is not None:
        dirs.append(cache_dir / "fashion-mnist")
    return dirs


def find_local_files(cache_dir: Path | None) -> Path | None:
    return folder_holding(candidate_dirs(cache_dir), FILES)


def download(folder: Path, *, base_url: str = BASE_URL, progress: bool = True) -> Path:
    """Download the four archives into `folder`, checking each one's MD5."""
    folder.mkdir(parents=True, exist_ok=True)
    with download_bar(progress) as bar:
        for name, expected in FILES.items():
            target = folder / name
            if not (target.is_file() and md5_of(target) == expected):
                download_checked(base_url + name, target, expected, bar=bar, what=f"Fashion-MNIST's {name}",
                                 how_to_get=HOW_TO_GET)
    return folder


def load_fashion_mnist(*, cache_dir: Path | None = None, progress: bool = True) -> Dataset:
    folder = find_local_files(cache_dir)
    if folder is None:
        if cache_dir is None:
            raise DatasetError(f"Fashion-MNIST files were not found. {HOW_TO_GET}")
        folder = download(cache_dir / "fashion-mnist", progress=progress)
    images = np.concatenate([read_idx(folder / "train-images-idx3-ubyte.gz"),
                             read_idx(folder / "t10k-images-idx3-ubyte.gz")])
    labels = np.concatenate([read_idx(folder / "train-labels-idx1-ubyte.gz"),
                             read_idx(folder / "t10k-labels-idx1-ubyte.gz")])
    if images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise DatasetError(f"The Fashion-MNIST files in {folder} have unexpected shapes {images.shape}, {labels.shape}.")
    frame = pd.DataFrame(images.reshape(len(images), -1).astype(np.int64),
                         columns=[f"pixel{i}" for i in range(28 * 28)])
    frame["label"] = labels.astype(np.int64)
    names = ", ".join(f"{i} = {name}" for i, name in enumerate(CLASS_NAMES))
    return Dataset(frame, "label", "classification", image_shape=(28, 28),
                   description=f"28×28 grayscale photos of clothing (pixels 0–255), ten classes: {names}.")


def is_available(cache_dir: Path | None = None) -> bool:
    return find_local_files(cache_dir) is not None
