"""Image challenges in Kaggle's CIFAR-10 layout: PNG files named by id in train/ and test/.

The baselines read them as pixel columns (row-major, channel-last), the same shape a
Digit Recognizer-style table has, so every baseline runs on either layout.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from baselines.task import BaselineError


def with_pixel_columns(frame: pd.DataFrame, folder: Path, id_column: str, channels: int) -> pd.DataFrame:
    """`frame` with the pixels of folder/ID.png appended as columns pixel0 … pixelN-1."""
    from PIL import Image

    images = []
    for image_id in frame[id_column].tolist():
        path = folder / f"{image_id}.png"
        if not path.is_file():
            raise BaselineError(f"The image {path} is missing; download the bundle again (`kit download`).")
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGB" if channels == 3 else "L"), dtype=np.uint8)
        images.append(pixels.reshape(-1))
    if len({len(p) for p in images}) > 1:
        raise BaselineError(f"The images in {folder} do not all have the same size.")
    pixels = pd.DataFrame(np.stack(images).astype(np.float32), columns=[f"pixel{i}" for i in range(len(images[0]))])
    return pd.concat([frame.reset_index(drop=True), pixels], axis=1)
