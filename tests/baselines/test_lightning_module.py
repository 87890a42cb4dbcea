"""The Lightning pieces work on their own: steps, resident batches, augmentation, networks."""

from __future__ import annotations

import warnings

import pytest
import torch

from baselines.cnn import SmallCNN, random_shift
from baselines.lightning_training import ResidentBatches, SupervisedModule
from baselines.mlp import MLP


@pytest.fixture(autouse=True)
def no_trainer_warning():
    # self.log() without a Trainer only warns; that is expected when calling steps directly.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*self.log.*")
        yield


def test_training_step_returns_a_loss_that_trains():
    torch.manual_seed(0)
    x, y = torch.randn(32, 5), torch.randint(0, 3, (32,))
    module = SupervisedModule(MLP(5, 3), classification=True, total_steps=20, lr=1e-2)
    optimizer, _scheduler = module.configure_optimizers().values()
    first = module.training_step((x, y), 0)
    assert first.ndim == 0 and first.requires_grad
    for step in range(20):
        optimizer.zero_grad()
        module.training_step((x, y), step).backward()
        optimizer.step()
    assert module.training_step((x, y), 0).item() < first.item()


def test_validation_step_scores_without_gradients_needed():
    module = SupervisedModule(SmallCNN(4), classification=True, total_steps=1, channels_last=True)
    module.eval()
    with torch.no_grad():
        loss = module.validation_step((torch.randn(6, 1, 8, 8), torch.randint(0, 4, (6,))), 0)
    assert loss.ndim == 0 and torch.isfinite(loss)


def test_regression_module_predicts_one_value_per_row():
    module = SupervisedModule(MLP(4, 1), classification=False, total_steps=1)
    module.eval()
    x, y = torch.randn(10, 4), torch.randn(10)
    assert torch.isfinite(module.validation_step((x, y), 0))
    assert module.predict_step((x,), 0).shape == (10,)


def test_classifier_predicts_probabilities():
    module = SupervisedModule(SmallCNN(3), classification=True, total_steps=1).eval()
    with torch.no_grad():
        p = module.predict_step((torch.randn(5, 1, 28, 28),), 0)
    assert p.shape == (5, 3)
    assert torch.allclose(p.sum(dim=1), torch.ones(5))


def test_resident_batches_cover_every_row_once_and_reshuffle():
    x, y = torch.arange(10).float(), torch.arange(10)
    batches = ResidentBatches([x, y], 4, shuffle=True, seed=0)
    assert len(batches) == 3
    first = torch.cat([b[1] for b in batches])
    second = torch.cat([b[1] for b in batches])
    assert sorted(first.tolist()) == list(range(10))
    assert first.tolist() != second.tolist()
    assert len(ResidentBatches([x], 4, drop_last=True)) == 2
    assert [b[0].tolist() for b in ResidentBatches([x], 4)][-1] == [8.0, 9.0]


def test_random_shift_moves_images_without_changing_their_shape():
    torch.manual_seed(0)
    images = torch.zeros(64, 1, 8, 8)
    images[:, :, 3:5, 3:5] = 1.0
    shifted = random_shift(images, 1)
    assert shifted.shape == images.shape
    assert torch.equal(shifted.sum(dim=(1, 2, 3)), images.sum(dim=(1, 2, 3)))  # the blob stays inside
    assert not torch.equal(shifted, images)


@pytest.mark.parametrize("shape", [(8, 8), (28, 28), (5, 7)])
def test_small_cnn_takes_any_image_size(shape):
    assert SmallCNN(10)(torch.randn(2, 1, *shape)).shape == (2, 10)
