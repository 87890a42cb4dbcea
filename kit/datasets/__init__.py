"""The dataset registry: a source string in a spec names where labeled data comes from."""

from kit.datasets.registry import Dataset, describe_sources, load_dataset

__all__ = ["Dataset", "describe_sources", "load_dataset"]
