"""Shared Lightning machinery for the mlp and cnn baselines: batches, module, trainer.

The whole dataset lives in tensors (on the GPU when there is one and it fits) and batches
are slices of a shuffled index, so there is no DataLoader, no worker processes and no
per-batch host-to-device copy. The same code path runs on CPU.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import lightning.pytorch as pl
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from baselines.devices import describe_device, resolve_device, training_precision
from baselines.features import SMALL_DATA
from baselines.progress import TrainingProgress
from baselines.task import FittedModel

Augment = Callable[[torch.Tensor], torch.Tensor]


def place(tensors: list[torch.Tensor], device: torch.device) -> list[torch.Tensor]:
    """Move the data to the GPU when it fits comfortably (half the free memory), else keep it on CPU."""
    if device.type != "cuda":
        return tensors
    free, _ = torch.cuda.mem_get_info(device)
    if sum(t.nbytes for t in tensors) < free // 2:
        return [t.to(device) for t in tensors]
    return [t.pin_memory() for t in tensors]  # Lightning copies each batch over


class ResidentBatches:
    """Batches sliced from tensors that stay put; reshuffled (seeded) on every pass when `shuffle`."""

    def __init__(self, tensors: list[torch.Tensor], batch_size: int, *, shuffle: bool = False,
                 seed: int = 0, drop_last: bool = False) -> None:
        self.tensors = tensors
        self.n = len(tensors[0])
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = torch.Generator(device=tensors[0].device).manual_seed(seed)

    def __len__(self) -> int:
        if self.drop_last:
            return self.n // self.batch_size
        return (self.n + self.batch_size - 1) // self.batch_size

    def __iter__(self) -> Iterator[tuple[torch.Tensor, ...]]:
        device = self.tensors[0].device
        if self.shuffle:
            order = torch.randperm(self.n, generator=self.generator, device=device)
        else:
            order = None
        for i in range(len(self)):
            if order is None:
                yield tuple(t[i * self.batch_size:(i + 1) * self.batch_size] for t in self.tensors)
            else:
                index = order[i * self.batch_size:(i + 1) * self.batch_size]
                yield tuple(t[index] for t in self.tensors)


def make_optimizer(network: nn.Module, lr: float, weight_decay: float, total_steps: int):
    """AdamW with a one-cycle schedule: warm up, then anneal; converges in few epochs."""
    optimizer = torch.optim.AdamW(network.parameters(), lr=lr, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=max(total_steps, 1))
    return optimizer, scheduler


def loss_function(classification: bool, label_smoothing: float) -> Callable:
    if classification:
        return lambda output, y: F.cross_entropy(output, y, label_smoothing=label_smoothing)
    return lambda output, y: F.mse_loss(output.squeeze(1), y)


class SupervisedModule(pl.LightningModule):
    """Trains any network that maps a batch to class logits (classification) or one value (regression)."""

    def __init__(self, network: nn.Module, *, classification: bool, total_steps: int,
                 lr: float = 3e-3, weight_decay: float = 1e-4, label_smoothing: float = 0.0,
                 augment: Augment | None = None, channels_last: bool = False) -> None:
        super().__init__()
        self.network = network
        self.classification = classification
        self.total_steps = total_steps
        self.lr = lr
        self.weight_decay = weight_decay
        self.loss = loss_function(classification, label_smoothing)
        self.augment = augment
        self.channels_last = channels_last

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return self.network(x)

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        x, y = batch
        if self.augment is not None:
            x = self.augment(x)
        loss = self.loss(self(x), y)
        # on_step=False: values are accumulated on the device, read once per epoch (no per-step sync).
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        x, y = batch
        output = self(x)
        loss = self.loss(output, y)
        self.log("val_loss", loss, on_step=False, on_epoch=True)
        if self.classification:
            accuracy = (output.argmax(dim=1) == y).float().mean()
            self.log("val_accuracy", accuracy, on_step=False, on_epoch=True)
        return loss

    def predict_step(self, batch: tuple[torch.Tensor, ...], batch_idx: int) -> torch.Tensor:
        output = self(batch[0]).float()
        return output.softmax(dim=1) if self.classification else output.squeeze(1)

    def configure_optimizers(self):
        optimizer, scheduler = make_optimizer(self.network, self.lr, self.weight_decay, self.total_steps)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


class RichEpochProgress(pl.Callback):
    """Drives a Rich bar: one step per epoch, with the latest validation figures."""

    def __init__(self, bar: TrainingProgress) -> None:
        self.bar = bar

    def on_train_start(self, trainer: pl.Trainer, module: pl.LightningModule) -> None:
        self.bar.start()

    def on_train_epoch_end(self, trainer: pl.Trainer, module: pl.LightningModule) -> None:
        metrics = trainer.callback_metrics  # read once per epoch: the only host sync
        status = "  ".join(
            f"{name} {float(metrics[name]):.4f}" for name in ("val_loss", "val_accuracy") if name in metrics
        )
        self.bar.advance(status=status)

    def on_train_end(self, trainer: pl.Trainer, module: pl.LightningModule) -> None:
        self.bar.stop()


def cpu_thread_count(n_values: int) -> int:
    """One thread for small data (see features.SMALL_DATA), else all of torch's threads."""
    return 1 if n_values < SMALL_DATA else torch.get_num_threads()


@contextmanager
def cpu_threads(n: int) -> Iterator[None]:
    """Run torch's CPU ops on `n` threads, then restore the previous setting."""
    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@contextmanager
def quiet_lightning() -> Iterator[None]:
    """Hide Lightning's banners and hints that mean nothing to someone running a baseline."""
    loggers = [logging.getLogger(name) for name in ("lightning.pytorch", "lightning.fabric", "lightning")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*(num_workers|does not have many workers).*")
        warnings.filterwarnings("ignore", message=r".*GPU available but not used.*")
        warnings.filterwarnings("ignore", category=UserWarning, module=r"lightning.*")
        warnings.filterwarnings("ignore", message=r".*LeafSpec.*")  # torch deprecation inside Lightning
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def train(
    make_network: Callable[[], nn.Module],
    data: dict[str, np.ndarray],
    *,
    classification: bool,
    epochs: int,
    batch_size: int,
    seed: int = 0,
    progress: bool = True,
    description: str = "training",
    lr: float = 3e-3,
    weight_decay: float = 1e-4,
    label_smoothing: float = 0.0,
    augment: Augment | None = None,
    channels_last: bool = False,
    device: str = "auto",
) -> FittedModel:
    """Fit `make_network()` on data["X_train"], data["y_train"] (validating on X_val, y_val).

    The network is built after seeding, so its initial weights repeat with the seed.
    Regression targets are standardised for training and mapped back when predicting.
    `device` is auto, cpu or cuda (see baselines.devices); the same seed on the same device
    gives the same predictions (on a GPU, cuDNN runs its deterministic algorithms).
    """
    pl.seed_everything(seed, workers=True, verbose=False)
    network = make_network()
    threads = cpu_thread_count(data["X_train"].size)
    device = resolve_device(device)
    if device.type == "cuda":
        torch.set_float32_matmul_precision("high")  # TF32 matmuls: much faster, accurate enough here
        # cuDNN's deterministic kernels: same seed, same result. Not torch's global strict mode
        # (Lightning's deterministic=True): AdaptiveMaxPool2d has no deterministic CUDA backward
        # and would refuse to train.
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False

    y_train, y_val = data["y_train"], data["y_val"]
    y_mean, y_std = 0.0, 1.0
    if not classification:
        y_mean, y_std = float(y_train.mean()), float(y_train.std()) or 1.0
        y_train, y_val = (y_train - y_mean) / y_std, (y_val - y_mean) / y_std
    target_type = torch.long if classification else torch.float32
    X_train, y_train_t, X_val, y_val_t = place(
        [torch.as_tensor(data["X_train"]), torch.as_tensor(y_train, dtype=target_type),
         torch.as_tensor(data["X_val"]), torch.as_tensor(y_val, dtype=target_type)],
        device,
    )
    batch_size = max(2, min(batch_size, len(X_train)))
    # drop_last: a final batch of one row would break BatchNorm; every row is seen across epochs.
    train_batches = ResidentBatches([X_train, y_train_t], batch_size, shuffle=True, seed=seed, drop_last=True)
    val_batches = ResidentBatches([X_val, y_val_t], 1024)

    if channels_last:
        network = network.to(memory_format=torch.channels_last)
    module = SupervisedModule(
        network, classification=classification, total_steps=epochs * len(train_batches), lr=lr,
        weight_decay=weight_decay, label_smoothing=label_smoothing, augment=augment,
        channels_last=channels_last,
    )
    bar = TrainingProgress(description, epochs, enabled=progress)
    with quiet_lightning(), cpu_threads(threads):
        trainer = pl.Trainer(
            max_epochs=epochs,
            accelerator=device.type,
            devices=1,
            precision=training_precision(device),
            enable_checkpointing=False,
            enable_model_summary=False,
            enable_progress_bar=False,  # our Rich bar instead of Lightning's per-step one
            logger=False,
            num_sanity_val_steps=0,
            callbacks=[RichEpochProgress(bar)],
        )
        try:
            trainer.fit(module, train_dataloaders=train_batches, val_dataloaders=val_batches)
        finally:
            bar.stop()

    def predict(X: np.ndarray) -> np.ndarray:
        (X_t,) = place([torch.as_tensor(X)], device)
        with quiet_lightning(), cpu_threads(threads):
            outputs = trainer.predict(module, ResidentBatches([X_t], 1024))
        output = torch.cat(outputs).cpu().numpy().astype(np.float64)
        return output if classification else output * y_std + y_mean

    return FittedModel(model=module, predict=predict, device=describe_device(device, threads), epochs=epochs)
