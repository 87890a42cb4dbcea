"""A multi-layer perceptron trained with Lightning: works on any tabular or image challenge.

It reads the same one-hot encoded, standardised features as logistic regression (see
`baselines.preprocessing`; image pixels are just more columns); regression targets are
standardised inside training.
"""

from __future__ import annotations

from torch import nn

from baselines.features import Prepared
from baselines.lightning_training import train
from baselines.task import FittedModel, Task

ENCODING = "onehot"  # see baselines.preprocessing


class MLP(nn.Module):
    """Two hidden layers with ReLU and dropout; outputs class logits or one value."""

    def __init__(self, in_features: int, out_features: int, hidden: tuple[int, ...] = (512, 256),
                 dropout: float = 0.2) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for width in hidden:
            layers += [nn.Linear(in_features, width), nn.ReLU(), nn.Dropout(dropout)]
            in_features = width
        layers.append(nn.Linear(in_features, out_features))
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def default_epochs(n_rows: int) -> int:
    """Small sets need more passes to take enough optimiser steps; big ones converge in a few."""
    if n_rows < 5_000:
        return 30
    if n_rows < 20_000:
        return 20
    return 10


def fit(prepared: Prepared, task: Task, *, epochs: int | None = None, seed: int = 0,
        progress: bool = True, device: str = "auto") -> FittedModel:
    classification = task.kind == "classification"
    n_rows = len(prepared.X_train)
    return train(
        lambda: MLP(prepared.X_train.shape[1], prepared.n_classes if classification else 1),
        {"X_train": prepared.X_train, "y_train": prepared.y_train,
         "X_val": prepared.X_val, "y_val": prepared.y_val},
        classification=classification,
        epochs=epochs or default_epochs(n_rows),
        batch_size=64 if n_rows < 5_000 else 256,
        seed=seed,
        progress=progress,
        device=device,
        description="mlp",
        lr=1e-3,
        weight_decay=1e-4,
    )
