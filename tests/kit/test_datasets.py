"""Dataset sources on local files: scikit-learn's, Fashion-MNIST IDX, any CSV."""

import gzip
import http.server
import struct
import threading

import numpy as np
import pytest

from kit.challenge.datasets import fashion_mnist, load_dataset
from kit.errors import DatasetError


@pytest.mark.parametrize(
    "source, rows, target, task, shape",
    [
        ("sklearn:digits", 1797, "label", "classification", (8, 8)),
        ("sklearn:breast_cancer", 569, "malignant", "classification", None),
        ("sklearn:wine", 178, "cultivar", "classification", None),
        ("sklearn:iris", 150, "species", "classification", None),
        ("sklearn:diabetes", 442, "progression", "regression", None),
    ],
)
def test_sklearn_sources(source, rows, target, task, shape):
    dataset = load_dataset(source)
    assert len(dataset.frame) == rows
    assert dataset.target == target and dataset.task == task and dataset.image_shape == shape
    assert target not in dataset.feature_columns
    if shape:
        assert dataset.feature_columns == [f"pixel{i}" for i in range(shape[0] * shape[1])]


def test_breast_cancer_target_is_malignant():
    frame = load_dataset("sklearn:breast_cancer").frame
    assert frame["malignant"].sum() == 212  # 212 malignant, 357 benign


def test_unknown_source_lists_the_known_ones():
    with pytest.raises(DatasetError, match="sklearn:digits"):
        load_dataset("sklearn:cifar")


def test_wrong_target_for_a_builtin_source():
    with pytest.raises(DatasetError, match="'label'"):
        load_dataset("sklearn:digits", target="digit")


def _write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_fashion_mnist_from_idx_files_in_the_env_folder(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 30), ("t10k", 10)):
        _write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (count, 28, 28)))
        _write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, count))
    monkeypatch.setenv("KIT_FASHION_MNIST_DIR", str(tmp_path))
    dataset = load_dataset("fashion-mnist")
    assert dataset.frame.shape == (40, 785)
    assert dataset.image_shape == (28, 28)
    images = fashion_mnist.read_idx(tmp_path / "train-images-idx3-ubyte.gz")
    assert dataset.frame.iloc[0, :784].tolist() == images[0].reshape(-1).tolist()


def test_real_fashion_mnist(fashion_mnist_files):
    dataset = load_dataset("fashion-mnist")
    assert dataset.frame.shape == (70000, 785)
    assert sorted(dataset.frame["label"].unique()) == list(range(10))
    assert dataset.frame["label"].value_counts().min() == 7000


def test_truncated_idx_is_refused(tmp_path):
    path = tmp_path / "bad-idx3-ubyte.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + b"\x00" * 3)
    with pytest.raises(DatasetError, match="truncated"):
        fashion_mnist.read_idx(path)


class _Server:
    def __init__(self, folder):
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(folder), **k)  # noqa: E731
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def test_download_checks_the_checksum_and_says_how_to_get_the_files(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    for name in fashion_mnist.FILES:
        (served / name).write_bytes(b"not the real file")
    server = _Server(served)
    try:
        with pytest.raises(DatasetError) as caught:
            fashion_mnist.download(tmp_path / "cache", base_url=server.url, progress=False)
    finally:
        server.httpd.shutdown()
    assert "checksum mismatch" in str(caught.value)
    assert "dataset-fashion-mnist" in str(caught.value)
    assert not list((tmp_path / "cache").glob("*.gz")), "a corrupt download must not be kept"


def test_download_failure_says_how_to_get_the_files(tmp_path):
    with pytest.raises(DatasetError) as caught:
        fashion_mnist.download(tmp_path, base_url="http://127.0.0.1:9/", progress=False)
    assert "KIT_FASHION_MNIST_DIR" in str(caught.value)


def test_download_keeps_a_verified_file(tmp_path, monkeypatch):
    served = tmp_path / "served"
    served.mkdir()
    content = b"pretend archive"
    import hashlib

    monkeypatch.setattr(fashion_mnist, "FILES", {"a.gz": hashlib.md5(content).hexdigest()})
    (served / "a.gz").write_bytes(content)
    server = _Server(served)
    try:
        fashion_mnist.download(tmp_path / "cache", base_url=server.url, progress=False)
    finally:
        server.httpd.shutdown()
    assert (tmp_path / "cache" / "a.gz").read_bytes() == content


def test_csv_source(tmp_path):
    (tmp_path / "houses.csv").write_text("house,rooms,price\n" + "".join(f"h{i},{i % 5},{100 + i}.5\n" for i in range(30)))
    dataset = load_dataset("csv:houses.csv", target="price", id_column="house", base_dir=tmp_path)
    assert dataset.task == "regression" and dataset.id_column == "house"
    assert dataset.feature_columns == ["rooms"]


def test_csv_integer_target_is_classification(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,y\n" + "".join(f"{i},{i * 2},{i % 3}\n" for i in range(30)))
    assert load_dataset("csv:d.csv", target="y", base_dir=tmp_path).task == "classification"


@pytest.mark.parametrize(
    "content, options, message",
    [
        ("a,b\n1,2\n", {"target": "y"}, "no target column 'y'"),
        ("a,y\n" + "1,\n" * 12, {"target": "y"}, "empty on 12 of 12 rows"),
        ("a,y\n1,2\n", {"target": "y"}, "at least 10"),
        ("id,a,y\n" + "1,1,1\n" * 12, {"target": "y", "id_column": "id"}, "unique"),
        ("a,y\n" + "1,2\n" * 12, {"target": "y", "id_column": "key"}, "no id column 'key'"),
    ],
)
def test_bad_csv_sources(tmp_path, content, options, message):
    (tmp_path / "d.csv").write_text(content)
    with pytest.raises(DatasetError, match=message):
        load_dataset("csv:d.csv", base_dir=tmp_path, **options)


def test_missing_csv_file(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset("csv:nope.csv", target="y", base_dir=tmp_path)


def test_non_utf8_csv(tmp_path):
    (tmp_path / "d.csv").write_bytes(b"a,y\n" + b"\xff\xfe,1\n" * 12)
    with pytest.raises(DatasetError, match="UTF-8"):
        load_dataset("csv:d.csv", target="y", base_dir=tmp_path)
