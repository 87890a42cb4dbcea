"""The files the demo's simulated participants upload: real predictions of growing quality.

A participant's predictions come from a "skill ladder": scikit-learn models fitted on the
challenge's public bundle (train.csv) with more and more of its features, so a newcomer's
first file is weak and a practised one is close to a tuned baseline. Seeded noise on top
makes every file different; the top rung averages a linear model with nearest neighbours,
so the best of them can pass the logistic-regression baseline. The hidden solution is never read: a simulated participant
knows exactly what a real one knows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import Ridge
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from grader import expected_columns, get_metric

# Share of the features each rung of the ladder sees: a first try, then better ones.
LADDER = (0.1, 0.3, 0.6, 1.0)
# How a participant's file goes wrong, and so how the grader rejects it.
MISTAKES = ("missing_row", "renamed_id", "empty_value")


@dataclass(frozen=True)
class SkillLadder:
    kind: str  # what a submission holds: label, probability, class_probabilities, value
    id_column: str
    target: str
    columns: tuple[str, ...]  # the submission's header
    ids: np.ndarray
    classes: tuple | None
    target_spread: float  # the train target's standard deviation (regression noise scale)
    rungs: tuple[np.ndarray, ...]  # per rung: labels or values (n,), or probabilities (n, classes)


def _rung_models(kind: str, share: float):
    """The model a participant at this rung would fit: linear on a feature subset; at the top, an ensemble."""
    if kind == "value":
        linear = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
        return [linear] if share < 1 else [linear, make_pipeline(StandardScaler(), KNeighborsRegressor(15))]
    # Linear discriminant analysis: closed form, so a rung costs milliseconds, with probabilities.
    linear = make_pipeline(StandardScaler(), LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto"))
    return [linear] if share < 1 else [linear, make_pipeline(StandardScaler(), KNeighborsClassifier(5))]


def build_ladder(train: pd.DataFrame, test: pd.DataFrame, *, id_column: str, target: str, metric: str,
                 classes: list | None, seed: int) -> SkillLadder:
    """Fit the models of each rung on train.csv and predict test.csv."""
    found = get_metric(metric)
    kind = str(getattr(found.prediction, "value", found.prediction))
    features = [c for c in train.columns if c not in (id_column, target)]
    order = np.random.default_rng(seed).permutation(len(features))
    x_train, x_test, y = train[features].to_numpy(float), test[features].to_numpy(float), train[target].to_numpy()
    rungs = []
    for share in LADDER:
        chosen = np.sort(order[:max(1, round(share * len(features)))])
        models = [model.fit(x_train[:, chosen], y) for model in _rung_models(kind, share)]
        if kind == "value":
            rungs.append(np.mean([model.predict(x_test[:, chosen]) for model in models], axis=0))
            continue
        assert classes is not None  # label and probability rungs are for classification challenges
        known = list(models[0].classes_)
        probabilities = np.mean([model.predict_proba(x_test[:, chosen]) for model in models], axis=0)
        if kind == "label":
            rungs.append(np.asarray(known, dtype=object)[probabilities.argmax(axis=1)])
        elif kind == "probability":
            rungs.append(probabilities[:, known.index(classes[-1])])
        else:  # class probabilities, in the challenge's class order
            rungs.append(probabilities[:, [known.index(c) for c in classes]])
    columns = tuple(expected_columns(found, id_column, target, classes))
    spread = float(np.std(y)) if kind == "value" else 0.0
    return SkillLadder(kind, id_column, target, columns, test[id_column].to_numpy(),
                       tuple(classes) if classes else None, spread, tuple(rungs))


def prediction_csv(ladder: SkillLadder, *, rung: int, noise: float, rng: np.random.Generator) -> bytes:
    """A submission file from one rung, blurred by `noise` (0: the rung as is; 1: mostly guessing)."""
    base = ladder.rungs[min(max(rung, 0), len(ladder.rungs) - 1)]
    n = len(ladder.ids)
    if ladder.kind == "label":
        values = base.copy()
        wrong = rng.random(n) < noise * 0.5
        values[wrong] = rng.choice(np.asarray(ladder.classes, dtype=object), size=int(wrong.sum()))
        frame = pd.DataFrame({ladder.id_column: ladder.ids, ladder.target: values})
    elif ladder.kind == "probability":
        logits = np.log(np.clip(base, 1e-4, 1 - 1e-4) / np.clip(1 - base, 1e-4, 1))
        blurred = 1 / (1 + np.exp(-(logits * (1 - 0.6 * noise) + rng.normal(0, 3 * noise, n))))
        frame = pd.DataFrame({ladder.id_column: ladder.ids, ladder.target: np.round(blurred, 6)})
    elif ladder.kind == "class_probabilities":
        logits = np.log(np.clip(base, 1e-4, 1)) * (1 - 0.6 * noise) + rng.normal(0, 3 * noise, base.shape)
        shares = np.exp(logits - logits.max(axis=1, keepdims=True))
        shares /= shares.sum(axis=1, keepdims=True)
        assert ladder.classes is not None
        frame = pd.DataFrame({ladder.id_column: ladder.ids,
                              **{str(c): np.round(shares[:, i], 6) for i, c in enumerate(ladder.classes)}})
    else:
        values = base + rng.normal(0, 0.4 * noise * ladder.target_spread, n)
        frame = pd.DataFrame({ladder.id_column: ladder.ids, ladder.target: np.round(values, 4)})
    out = io.StringIO()
    frame[list(ladder.columns)].to_csv(out, index=False, lineterminator="\n")
    return out.getvalue().encode()


def broken_csv(good: bytes, mistake: str) -> bytes:
    """A beginner's mistake on a good file, for the grader to reject as it would a real one."""
    lines = good.decode().splitlines(keepends=True)
    if mistake == "missing_row":
        return "".join(lines[:-1]).encode()
    if mistake == "renamed_id":
        header, *rest = lines
        return "".join(["Id" + header[header.index(","):], *rest]).encode()
    if mistake == "empty_value":
        cells = lines[1].rstrip("\n").split(",")
        return "".join([lines[0], ",".join([cells[0], "", *cells[2:]]) + "\n", *lines[2:]]).encode()
    raise ValueError(f"unknown mistake {mistake!r}")
