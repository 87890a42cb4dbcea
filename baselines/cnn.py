"""A small convolutional network trained with Lightning, for image challenges.

Three conv blocks (conv, max pooling on the first two, batchnorm, ReLU), then a linear
classifier; trained in bf16 where the hardware has it (see baselines.devices). Images are
rebuilt from the pixel columns with the task's image shape and standardised with the
training pixels' mean and standard deviation; on small sets they are also shifted a
little at random while training.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from baselines.features import Prepared, as_images
from baselines.lightning_training import train
from baselines.task import BaselineError, FittedModel, Task
from baselines.tta import with_flip_if_it_helps


def conv_block(in_channels: int, out_channels: int, *, pool: bool) -> list[nn.Module]:
    """Conv, then (optionally) 2×2 max pooling, then batchnorm and ReLU.

    Pooling before the batchnorm and ReLU (as airbench does) gives them a quarter of the
    pixels: on a CPU those memory-bound layers cost as much as the convolutions themselves.
    """
    # No conv bias: the batchnorm after it has its own shift.
    layers: list[nn.Module] = [nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)]
    if pool:
        layers.append(nn.MaxPool2d(2, ceil_mode=True))
    return [*layers, nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]


class SmallCNN(nn.Module):
    """32 → 64 → 128 channels, halving the image after the first two; ~0.1 M weights."""

    def __init__(self, out_features: int, in_channels: int = 1, dropout: float = 0.2) -> None:
        super().__init__()
        self.features = nn.Sequential(
            *conv_block(in_channels, 32, pool=True),
            *conv_block(32, 64, pool=True),
            *conv_block(64, 128, pool=False),
            nn.AdaptiveMaxPool2d(3),  # 3×3 whatever the input size (28×28 → 7×7 → 3×3)
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(128 * 9, out_features))

    def forward(self, x):
        return self.classifier(self.features(x))


def random_shift(images: torch.Tensor, max_shift: int) -> torch.Tensor:
    """Move each image by up to `max_shift` pixels (pad, then crop at a random offset).

    Done on tensors on the training device; no horizontal flips, since mirrored digits or
    letters change meaning.
    """
    n, _c, h, w = images.shape
    low = images.amin()  # the background; a tensor, so no host sync on a GPU
    padded = F.pad(images - low, (max_shift,) * 4) + low
    dy = torch.randint(0, 2 * max_shift + 1, (n, 1, 1), device=images.device)
    dx = torch.randint(0, 2 * max_shift + 1, (n, 1, 1), device=images.device)
    rows = (dy + torch.arange(h, device=images.device).view(1, h, 1)).expand(n, h, w)
    cols = (dx + torch.arange(w, device=images.device).view(1, 1, w)).expand(n, h, w)
    batch = torch.arange(n, device=images.device).view(n, 1, 1).expand(n, h, w)
    return padded.permute(0, 2, 3, 1)[batch, rows, cols].permute(0, 3, 1, 2)


def random_flip(images: torch.Tensor) -> torch.Tensor:
    """Mirror half the images left to right (for photos; never for digits or letters)."""
    flip = torch.rand(len(images), device=images.device) < 0.5
    return torch.where(flip.view(-1, 1, 1, 1), images.flip(3), images)


def require_images(task: Task) -> None:
    """Refuse tabular challenges: there is no image to convolve over."""
    if task.image_shape is None:
        raise BaselineError(
            f"The cnn baseline needs an image challenge (pixel columns with a known shape); "
            f"{task.label} is tabular. Try --model mlp or xgboost."
        )


ENCODING = "pixels"  # pixel columns as they are; see baselines.features.prepare

# Training settings (also used by benchmarks/baselines.py for its plain-PyTorch reference loop).
LR = 3e-3
WEIGHT_DECAY = 5e-4
LABEL_SMOOTHING = 0.1


def default_epochs(n_rows: int) -> int:
    if n_rows < 5_000:
        return 20
    if n_rows < 20_000:
        return 10
    return 10  # Fashion-MNIST's 47,500 training rows: 10 epochs ≈ 135 s of one CPU core in bf16


def batch_size(n_rows: int) -> int:
    return 64 if n_rows < 5_000 else 256


def augments(n_rows: int) -> bool:
    return n_rows < 20_000


def max_shift(image_shape: tuple[int, int]) -> int:
    return max(1, min(image_shape) // 14)  # 2 pixels for 28×28, 1 for 8×8


def image_scaler(X_train: np.ndarray, image_shape: tuple[int, int],
                 channels: int = 1) -> Callable[[np.ndarray], np.ndarray]:
    """Pixel columns → standardised (N, C, H, W) float32 images, with the training pixels' statistics."""
    mean, std = float(X_train.mean()), float(X_train.std()) or 1.0

    def images(X: np.ndarray) -> np.ndarray:
        return ((as_images(X, image_shape, channels) - mean) / std).astype(np.float32)

    return images


def fit(prepared: Prepared, task: Task, *, epochs: int | None = None, seed: int = 0,
        progress: bool = True, device: str = "auto") -> FittedModel:
    require_images(task)
    channels = task.image_channels
    images = image_scaler(prepared.X_train, task.image_shape, channels)
    classification = task.kind == "classification"
    n_rows = len(prepared.X_train)
    shift = max_shift(task.image_shape)
    if channels == 3:
        # Colour photos: a mirrored cat is a cat, so flips and crops (shifts) help at any size.
        augment = lambda x: random_shift(random_flip(x), shift)  # noqa: E731
    elif augments(n_rows):
        # Random shifts pay off over many epochs of few images; in the handful of epochs a big
        # set gets, they only slow convergence down.
        augment = lambda x: random_shift(x, shift)  # noqa: E731
    else:
        augment = None
    fitted = train(
        lambda: SmallCNN(prepared.n_classes if classification else 1, in_channels=channels),
        {"X_train": images(prepared.X_train), "y_train": prepared.y_train,
         "X_val": images(prepared.X_val), "y_val": prepared.y_val},
        classification=classification,
        epochs=epochs or default_epochs(n_rows),
        batch_size=batch_size(n_rows),
        seed=seed,
        progress=progress,
        device=device,
        description="cnn",
        lr=LR,
        weight_decay=WEIGHT_DECAY,
        label_smoothing=LABEL_SMOOTHING if classification else 0.0,
        augment=augment,
        channels_last=True,  # faster convolutions on GPUs and on oneDNN CPUs alike
    )
    predict_images = fitted.predict
    if classification:
        predict_images, _flips = with_flip_if_it_helps(predict_images, images(prepared.X_val), prepared.y_val)
    fitted.predict = lambda X: predict_images(images(X))
    return fitted
