"""The fast CNN on small generated images, on the CPU: it learns shapes, in the precision the CPU has natively."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from baselines import Task, run_baseline
from baselines.devices import training_precision

SIZE = 12
SHAPES = ("horizontal bar", "vertical bar", "square", "cross")


def draw(shape: int, rng: np.random.Generator) -> np.ndarray:
    """One noisy 12×12 image of a shape at a random place (so only a translation-tolerant model gets it)."""
    image = rng.normal(0, 0.15, (SIZE, SIZE))
    y, x = rng.integers(2, SIZE - 6, 2)
    if shape == 0:
        image[y + 2, x:x + 5] += 1
    elif shape == 1:
        image[y:y + 5, x + 2] += 1
    elif shape == 2:
        image[y:y + 4, x:x + 4] += 1
    else:
        image[y + 2, x:x + 5] += 1
        image[y:y + 5, x + 2] += 1
    return image.ravel()


def shapes_bundle(rows: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(SHAPES), rows)
    pixels = np.stack([draw(label, rng) for label in labels])
    frame = pd.DataFrame(pixels, columns=[f"pixel{i}" for i in range(SIZE * SIZE)])
    frame.insert(0, "id", np.arange(rows))
    frame["shape"] = labels
    cut = rows * 3 // 4
    return frame.iloc[:cut], frame.iloc[cut:].drop(columns=["shape"]), labels[cut:]


def test_the_cnn_learns_generated_shapes_on_the_cpu():
    train, test, truth = shapes_bundle(480)
    task = Task(id_column="id", target="shape", kind="classification", prediction="label",
                classes=list(range(len(SHAPES))), image_shape=(SIZE, SIZE), metric="accuracy")
    result = run_baseline("cnn", train, test, task, epochs=8, progress=False, device="cpu")
    accuracy = (result.submission["shape"].to_numpy() == truth).mean()
    assert accuracy >= 0.9, accuracy
    assert result.validation_score >= 0.9
    # bf16 autocast where the CPU has bf16 instructions (oneDNN), float32 elsewhere.
    assert result.model.trainer.precision == training_precision(torch.device("cpu"))
