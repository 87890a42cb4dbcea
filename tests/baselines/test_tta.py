"""Flip test-time augmentation is kept only where mirrored images keep their labels."""

from __future__ import annotations

import numpy as np

from baselines.tta import mirrored, with_flip_if_it_helps


def halves(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = images.shape[-1] // 2
    return images[..., :w].mean(axis=(1, 2, 3)), images[..., w:].mean(axis=(1, 2, 3))


def two_class(score: np.ndarray) -> np.ndarray:
    p = 1 / (1 + np.exp(-score))
    return np.column_stack([1 - p, p])


def test_mirrored_flips_the_width_axis_only():
    images = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    assert np.array_equal(mirrored(images)[..., 0], images[..., -1])
    assert np.array_equal(mirrored(mirrored(images)), images)


def test_flips_are_refused_where_the_mirror_changes_the_label():
    # Class 1 = the bright half is on the right: a mirror turns one class into the other.
    rng = np.random.default_rng(0)
    images = rng.random((400, 1, 6, 6)).astype(np.float32)
    labels = rng.integers(0, 2, 400)
    images[labels == 1, ..., 3:] += 1
    images[labels == 0, ..., :3] += 1

    def predict(x):
        left, right = halves(x)
        return two_class(8 * (right - left))

    chosen, flips = with_flip_if_it_helps(predict, images, labels)
    assert not flips and chosen is predict


def test_flips_are_kept_where_they_cancel_a_lopsided_model():
    # The label is overall brightness (mirror-proof); the model also leans on the left half.
    rng = np.random.default_rng(1)
    images = rng.random((400, 1, 6, 6)).astype(np.float32)
    labels = (images.mean(axis=(1, 2, 3)) > 0.5).astype(int)

    def predict(x):
        left, right = halves(x)
        return two_class(20 * (x.mean(axis=(1, 2, 3)) - 0.5) + 10 * (left - right))

    chosen, flips = with_flip_if_it_helps(predict, images, labels)
    assert flips
    plain = (predict(images).argmax(1) == labels).mean()
    assert (chosen(images).argmax(1) == labels).mean() > plain
