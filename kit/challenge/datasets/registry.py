"""Source strings (`sklearn:digits`, `fashion-mnist`, `csv:PATH`, `parquet:PATH`) → labeled tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kit.challenge.datasets.dataset import Dataset
from kit.challenge.suggestions import did_you_mean
from kit.errors import DatasetError


def _sklearn_loader(name: str) -> Callable[..., Dataset]:
    def load(**_options) -> Dataset:
        from kit.challenge.datasets.sklearn_sources import load_sklearn

        return load_sklearn(name)

    return load


def _fashion_mnist(*, cache_dir: Path | None = None, progress: bool = True, **_options) -> Dataset:
    from kit.challenge.datasets.fashion_mnist import load_fashion_mnist

    return load_fashion_mnist(cache_dir=cache_dir, progress=progress)


def _cifar10(*, cache_dir: Path | None = None, progress: bool = True, **_options) -> Dataset:
    from kit.challenge.datasets.cifar10 import load_cifar10

    return load_cifar10(cache_dir=cache_dir, progress=progress)


BUILTIN_SOURCES: dict[str, Callable[..., Dataset]] = {
    "sklearn:digits": _sklearn_loader("digits"),
    "sklearn:breast_cancer": _sklearn_loader("breast_cancer"),
    "sklearn:wine": _sklearn_loader("wine"),
    "sklearn:iris": _sklearn_loader("iris"),
    "sklearn:diabetes": _sklearn_loader("diabetes"),
    "fashion-mnist": _fashion_mnist,
    "cifar10": _cifar10,
}


def published_data_note(source: str) -> str | None:
    """For a built-in source, the warning an organizer needs: its test labels are public."""
    if source not in BUILTIN_SOURCES:
        return None
    return (f"{source} is published data: every test label can be looked up in the public copy "
            "(scikit-learn ships it; the others are online), so a score can be faked without a model. "
            "Fine for learning; for prizes use data that is not published (csv:, parquet:, images:).")


def describe_sources() -> str:
    return ", ".join(list(BUILTIN_SOURCES) + [f"{kind}:PATH" for kind in FILE_SOURCES])


# Sources read from a file or folder the organizer brings, relative to the spec's folder.
FILE_SOURCES = ("csv", "parquet", "images")


def load_dataset(
    source: str,
    *,
    target: str | list[str] | None = None,
    id_column: str | None = None,
    task: str | None = None,
    base_dir: Path | None = None,
    cache_dir: Path | None = None,
    progress: bool = True,
    drop_missing_target: bool = False,
    image_size: tuple[int, int] = (32, 32),
    image_mode: str = "auto",
) -> Dataset:
    """Load `source`; `target`, `id_column` and `task` are required or optional per source."""
    kind, _, path = source.partition(":")
    if kind in ("csv", "parquet"):
        from kit.challenge.datasets.tabular import load_table

        if not target:
            raise DatasetError(f"A {kind}: source needs the spec's `target` (the label column's name).")
        return load_table(kind, path, target=target, id_column=id_column, task=task, base_dir=base_dir,
                          drop_missing_target=drop_missing_target)
    if kind == "images":
        from kit.challenge.datasets.images import load_image_folder

        return load_image_folder(path, base_dir=base_dir, image_size=image_size, image_mode=image_mode)
    if isinstance(target, list):
        raise DatasetError(f"Several target columns need a csv: or parquet: source; {source!r} has one target.")
    loader = BUILTIN_SOURCES.get(source)
    if loader is None:
        raise DatasetError(f"Unknown data source {source!r}. Known sources: {describe_sources()}.")
    dataset = loader(cache_dir=cache_dir, progress=progress)
    if target and target != dataset.target:
        raise DatasetError(
            f"The source {source!r} has the target column {dataset.target!r}, not {target!r}.{did_you_mean(target, [dataset.target])} "
            "Leave `target` out of the spec or set it to that name."
        )
    return dataset
