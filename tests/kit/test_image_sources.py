"""Image sources: a folder of class subfolders (grayscale and colour), CIFAR-10 pickle batches,
Kaggle's CIFAR-10 bundle layout unpacked by `kit download`, and the CNN on it."""

from __future__ import annotations

import io
import json
import pickle

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from kit.challenge.datasets import cifar10 as cifar
from kit.challenge.datasets import load_dataset
from kit.errors import DatasetError

COLOURS = {"red": (200, 30, 30), "green": (30, 180, 40), "blue": (30, 40, 200)}


def write_folder(root, *, per_class=14, colour=True, size=(20, 24), seed=0):
    """One subfolder per class; colour images differ by hue, grayscale ones by a bright band's place."""
    rng = np.random.default_rng(seed)
    for k, (name, rgb) in enumerate(COLOURS.items()):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            noise = rng.integers(0, 40, (*size, 3))
            if colour:
                pixels = np.clip(np.array(rgb) + noise - 20, 0, 255).astype(np.uint8)
                image = Image.fromarray(pixels, "RGB")
            else:
                pixels = noise[..., 0].astype(np.uint8)
                pixels[:, k * size[1] // 3:(k + 1) * size[1] // 3] += 180
                image = Image.fromarray(pixels, "L")
            image.save(root / name / (f"{i}.png" if i % 2 else f"{i}.jpg"))
    return root


def test_a_grayscale_folder_becomes_pixel_columns(tmp_path):
    write_folder(tmp_path / "shapes", colour=False)
    dataset = load_dataset("images:shapes", base_dir=tmp_path, image_size=(12, 12))
    assert dataset.image_shape == (12, 12) and dataset.images is None
    assert dataset.feature_columns == [f"pixel{i}" for i in range(144)]
    assert sorted(dataset.frame["label"].unique()) == ["blue", "green", "red"]


def test_a_colour_folder_keeps_rgb_images_resized(tmp_path):
    write_folder(tmp_path / "colours")
    dataset = load_dataset("images:colours", base_dir=tmp_path, image_size=(16, 16))
    assert dataset.images.shape == (42, 16, 16, 3) and dataset.channels == 3
    red = dataset.images[dataset.frame["label"].to_numpy() == "red"]
    assert red[..., 0].mean() > 150 and red[..., 2].mean() < 80
    gray = load_dataset("images:colours", base_dir=tmp_path, image_size=(16, 16), image_mode="grayscale")
    assert gray.images is None and len(gray.feature_columns) == 256  # small grayscale: pixel columns


@pytest.mark.parametrize("layout, message", [
    (lambda root: (root / "only").mkdir(parents=True), "at least two"),
    (lambda root: [(root / c).mkdir(parents=True) for c in ("a", "b")], "holds no PNG or JPEG"),
])
def test_bad_image_folders_are_refused(tmp_path, layout, message):
    layout(tmp_path / "imgs")
    with pytest.raises(DatasetError, match=message):
        load_dataset("images:imgs", base_dir=tmp_path)


def write_cifar_batches(folder, per_batch=12, seed=0):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    for name in cifar.BATCHES:
        labels = rng.integers(0, 10, per_batch)
        data = rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8)
        data[:, :1024] = (labels * 25)[:, None]  # the red plane tells the class
        with open(folder / name, "wb") as handle:
            pickle.dump({b"data": data, b"labels": labels.tolist(), b"batch_label": name.encode()}, handle)
    return folder


def test_cifar10_reads_pickle_batches_from_the_env_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_CIFAR10_DIR", str(write_cifar_batches(tmp_path / "cifar-10-batches-py")))
    dataset = load_dataset("cifar10")
    assert dataset.images.shape == (72, 32, 32, 3) and dataset.image_shape == (32, 32)
    assert set(dataset.frame["label"]) <= set(cifar.CLASS_NAMES)
    images, labels = cifar.read_batch(tmp_path / "cifar-10-batches-py" / "data_batch_1")
    assert np.all(images[:, :, :, 0] == (labels * 25)[:, None, None])  # planes become channel-last


def test_cifar10_offline_gives_advice(tmp_path, monkeypatch):
    monkeypatch.setattr(cifar, "URL", "http://127.0.0.1:9/cifar-10-python.tar.gz")
    with pytest.raises(DatasetError, match="KIT_CIFAR10_DIR"):
        cifar.download(tmp_path, url=cifar.URL, progress=False)
    with pytest.raises(DatasetError, match="were not found.*KIT_CIFAR10_DIR"):
        load_dataset("cifar10")


def test_cifar10_download_checks_the_checksum_and_unpacks(tmp_path):
    import hashlib
    import http.server
    import tarfile
    import threading

    write_cifar_batches(tmp_path / "served" / "cifar-10-batches-py")
    archive = tmp_path / "served" / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "served" / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path / "served"), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/cifar-10-python.tar.gz"
    try:
        with pytest.raises(DatasetError, match="checksum mismatch"):
            cifar.download(tmp_path / "cache-bad", url=url, md5="0" * 32, progress=False)
        good = hashlib.md5(archive.read_bytes()).hexdigest()
        folder = cifar.download(tmp_path / "cache", url=url, md5=good, progress=False)
    finally:
        server.shutdown()
    assert cifar.read_batch(folder / "test_batch")[0].shape == (12, 32, 32, 3)


IMAGE_SPEC = """
slug = "colours"
title = "Colours"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
[data]
source = "images:colours"
image_size = [16, 16]
seed = 5
"""


def test_colour_images_bundle_in_kaggles_cifar_layout_and_the_cnn_learns_them(kit, kit_workspace, tmp_path):
    write_folder(tmp_path / "colours", per_class=20)
    (tmp_path / "colours.toml").write_text(IMAGE_SPEC)
    added = kit("challenge", "add", str(tmp_path / "colours.toml"))
    assert added.exit_code == 0, added.output
    assert kit("download", "colours", "-p", str(tmp_path / "bundle")).exit_code == 0
    bundle = tmp_path / "bundle"
    train, test = pd.read_csv(bundle / "train.csv"), pd.read_csv(bundle / "test.csv")
    assert list(train.columns) == ["id", "label"] and list(test.columns) == ["id"]
    assert sorted(p.stem for p in (bundle / "train").glob("*.png")) == sorted(map(str, train["id"]))
    with Image.open(bundle / "test" / f"{test['id'][0]}.png") as image:
        assert image.size == (16, 16) and image.mode == "RGB"
    assert "`train/` and `test/`" in (bundle / "README.md").read_text()
    shown = json.loads(kit("challenge", "show", "colours", "--json").output)
    assert shown["image_shape"] == [16, 16, 3]
    run = kit("baseline", "colours", "--model", "cnn", "--epochs", "8", "-o", str(tmp_path / "cnn.csv"))
    assert run.exit_code == 0, run.output
    submission = pd.read_csv(tmp_path / "cnn.csv")
    assert list(submission.columns) == ["id", "label"] and len(submission) == len(test)
    # Colours are easy: the CNN must beat the majority class (a third) by far on the hidden labels.
    from kit.challenge.bundle import solution_bytes
    from kit.challenge.lookup import get_challenge

    with kit_workspace.session() as session:
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "colours"))))
    merged = truth.merge(submission, on="id", suffixes=("", "_predicted"))
    assert (merged["label"] == merged["label_predicted"]).mean() > 0.8
