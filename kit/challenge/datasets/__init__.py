"""The dataset registry: a source string in a spec names where labeled data comes from."""

from kit.challenge.datasets.dataset import Dataset
from kit.challenge.datasets.registry import describe_sources, load_dataset

__all__ = ["Dataset", "describe_sources", "load_dataset"]
