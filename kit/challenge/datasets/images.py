"""Image sources: `images:PATH` (a folder with one subfolder of PNG/JPEG files per class) and the
pixel arrays every image source returns.

Images of any size are resized to the spec's `image_size` (height, width) and kept in
grayscale or RGB (`image_mode`; "auto" picks RGB when any image has colour). The result
is a Dataset whose `images` array is (N, H, W, C) uint8, the labels in its frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kit.challenge.datasets.dataset import Dataset
from kit.challenge.datasets.tabular import resolve_data_file
from kit.errors import DatasetError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
IMAGE_MODES = ("auto", "grayscale", "rgb")
LABEL = "label"
# Grayscale images up to 28×28 keep one column per pixel, as MNIST-style challenges do.
PIXEL_COLUMNS_UP_TO = 28 * 28


def _image_files(folder: Path) -> list[tuple[str, Path]]:
    classes = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise DatasetError(f"The image folder {folder.name!r} needs one subfolder of images per class (at least "
                           f"two); it has {len(classes)}. Lay it out as {folder.name}/CLASS/IMAGE.png.")
    files = [(c.name, f) for c in classes for f in sorted(c.iterdir())
             if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES]
    empty = [c.name for c in classes if not any(label == c.name for label, _ in files)]
    if empty:
        raise DatasetError(f"The class folder {empty[0]!r} in {folder.name!r} holds no PNG or JPEG file.")
    return files


def _is_colour(image) -> bool:
    if image.mode in ("L", "1", "I", "I;16", "F", "LA"):
        return False
    if image.mode == "P":
        image = image.convert("RGB")
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    return bool(np.any(rgb[..., 0] != rgb[..., 1]) or np.any(rgb[..., 1] != rgb[..., 2]))


def read_images(files: list[Path], size: tuple[int, int], mode: str) -> tuple[np.ndarray, str]:
    """(N, H, W, C) uint8 pixels resized to `size`, and the mode used ("grayscale" or "rgb")."""
    from PIL import Image, UnidentifiedImageError

    opened = []
    for file in files:
        try:
            with Image.open(file) as image:
                image.load()
                opened.append(image.copy())
        except (UnidentifiedImageError, OSError) as error:
            raise DatasetError(f"{file.parent.name}/{file.name} is not a readable image ({error}).") from None
    if mode == "auto":
        mode = "rgb" if any(_is_colour(image) for image in opened) else "grayscale"
    height, width = size
    channels = 3 if mode == "rgb" else 1
    pixels = np.empty((len(opened), height, width, channels), dtype=np.uint8)
    for i, picture in enumerate(opened):
        converted = picture.convert("RGB" if channels == 3 else "L").resize((width, height), Image.Resampling.BILINEAR)
        pixels[i] = np.asarray(converted, dtype=np.uint8).reshape(height, width, channels)
    return pixels, mode


def load_image_folder(path: str, *, base_dir: Path | None, image_size: tuple[int, int],
                      image_mode: str = "auto") -> Dataset:
    folder = resolve_data_file(path, base_dir, f"images:{path}")
    if not folder.is_dir():
        raise DatasetError(f"images:{path} must name a folder with one subfolder of images per class.")
    files = _image_files(folder)
    if len(files) < 10:
        raise DatasetError(f"The image folder {folder.name!r} has {len(files)} images; a challenge needs at least 10.")
    pixels, mode = read_images([file for _, file in files], image_size, image_mode)
    frame = pd.DataFrame({LABEL: [label for label, _ in files]})
    classes = sorted(frame[LABEL].unique())
    return image_dataset(pixels, frame, LABEL, description=(
        f"{len(files)} {mode} images of {image_size[0]}×{image_size[1]} pixels from {folder.name}, "
        f"{len(classes)} classes: {', '.join(classes)}."))


def image_dataset(pixels: np.ndarray, frame: pd.DataFrame, target: str, *, description: str) -> Dataset:
    """A Dataset of images: small grayscale ones as pixel columns (Kaggle's Digit Recognizer
    layout), colour or larger ones as image files in the bundle (Kaggle's CIFAR-10 layout)."""
    n, height, width, channels = pixels.shape
    if channels == 1 and height * width <= PIXEL_COLUMNS_UP_TO:
        columns = pd.DataFrame(pixels.reshape(n, -1).astype(np.int64), columns=[f"pixel{i}" for i in range(height * width)])
        return Dataset(pd.concat([columns, frame.reset_index(drop=True)], axis=1), target, "classification",
                       image_shape=(height, width), description=description)
    return Dataset(frame.reset_index(drop=True), target, "classification", image_shape=(height, width),
                   description=description, images=pixels)

