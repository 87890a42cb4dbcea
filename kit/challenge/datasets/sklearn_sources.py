"""The small datasets shipped inside scikit-learn: always available offline."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit.challenge.datasets.dataset import Dataset


def _snake(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def load_sklearn(name: str) -> Dataset:
    from sklearn import datasets

    if name == "digits":
        bunch = datasets.load_digits()
        frame = pd.DataFrame(bunch.data.astype(np.int64), columns=[f"pixel{i}" for i in range(64)])
        frame["label"] = bunch.target.astype(np.int64)
        return Dataset(frame, "label", "classification", image_shape=(8, 8),
                       description="8×8 images of handwritten digits 0–9; pixels are 0–16.")
    if name == "breast_cancer":
        bunch = datasets.load_breast_cancer()
        frame = pd.DataFrame(bunch.data, columns=[_snake(c) for c in bunch.feature_names])
        # scikit-learn codes malignant as 0; the challenge asks for P(malignant), so flip it.
        frame["malignant"] = (1 - bunch.target).astype(np.int64)
        return Dataset(frame, "malignant", "classification",
                       description="Breast tumour measurements from digitised images; 1 = malignant.")
    if name == "wine":
        bunch = datasets.load_wine()
        frame = pd.DataFrame(bunch.data, columns=[_snake(c) for c in bunch.feature_names])
        frame["cultivar"] = bunch.target.astype(np.int64)
        return Dataset(frame, "cultivar", "classification",
                       description="Chemical analysis of wines from three cultivars (0, 1, 2).")
    if name == "iris":
        bunch = datasets.load_iris()
        frame = pd.DataFrame(bunch.data, columns=[_snake(c) for c in bunch.feature_names])
        frame["species"] = np.asarray(bunch.target_names)[bunch.target]
        return Dataset(frame, "species", "classification",
                       description="Sepal and petal measurements of three iris species.")
    if name == "diabetes":
        bunch = datasets.load_diabetes(scaled=False)
        frame = pd.DataFrame(bunch.data, columns=[_snake(c) for c in bunch.feature_names])
        frame["progression"] = bunch.target.astype(np.float64)
        return Dataset(frame, "progression", "regression",
                       description="Ten baseline measurements of diabetes patients; the target is "
                       "disease progression one year later.")
    raise ValueError(f"no scikit-learn dataset {name!r}")
