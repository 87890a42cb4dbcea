"""Test-time augmentation: average the predictions on each image and its mirror, when it helps.

A mirrored shirt is still a shirt, a mirrored 3 is no longer a 3: whether flips keep the
label depends on the data, which the baseline cannot know. So the flip is tried on the
validation rows and kept only when it raises validation accuracy there.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Predict = Callable[[np.ndarray], np.ndarray]


def mirrored(images: np.ndarray) -> np.ndarray:
    """(N, C, H, W) images flipped left to right."""
    return np.ascontiguousarray(images[..., ::-1])


def flip_averaged(predict: Predict) -> Predict:
    return lambda images: (predict(images) + predict(mirrored(images))) / 2


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float((probabilities.argmax(axis=1) == labels).mean())


def with_flip_if_it_helps(predict: Predict, val_images: np.ndarray, val_labels: np.ndarray) -> tuple[Predict, bool]:
    """`predict` with flip averaging when that scores strictly better on the validation images."""
    if len(val_images) == 0:
        return predict, False
    averaged = flip_averaged(predict)
    if accuracy(averaged(val_images), val_labels) > accuracy(predict(val_images), val_labels):
        return averaged, True
    return predict, False
