"""Every metric against an independent reference: scikit-learn, or Kaggle's published rules."""

import math

import numpy as np
import pytest
from sklearn import metrics as skm

from grader import (
    METRICS,
    Metric,
    MetricError,
    PredictionKind,
    UnknownMetricError,
    expected_columns,
    get_metric,
    list_metrics,
)

rng = np.random.default_rng(42)
N = 500
BINARY_TRUE = rng.integers(0, 2, N)
BINARY_PROBA = np.clip(BINARY_TRUE * 0.25 + rng.random(N) * 0.75, 0.001, 0.999)
BINARY_PRED = (BINARY_PROBA > 0.5).astype(int)
MULTI_CLASSES = np.array(["bird", "cat", "dog", "fish"])
MULTI_TRUE = rng.choice(MULTI_CLASSES, N)
MULTI_PRED = np.where(rng.random(N) < 0.6, MULTI_TRUE, rng.choice(MULTI_CLASSES, N))
MULTI_PROBA = rng.dirichlet(np.ones(4), N)
ORDINAL_TRUE = rng.integers(0, 5, N)
ORDINAL_PRED = np.clip(ORDINAL_TRUE + rng.integers(-2, 3, N), 0, 4)
VALUES_TRUE = rng.random(N) * 100
VALUES_PRED = VALUES_TRUE + rng.normal(0, 10, N)

LABEL_CASES = [
    ("accuracy", lambda t, p: skm.accuracy_score(t, p)),
    ("balanced_accuracy", lambda t, p: skm.balanced_accuracy_score(t, p)),
    ("f1_macro", lambda t, p: skm.f1_score(t, p, average="macro")),
    ("f1_micro", lambda t, p: skm.f1_score(t, p, average="micro")),
]


@pytest.mark.parametrize("name,reference", LABEL_CASES)
@pytest.mark.parametrize("truth,pred,classes", [
    (BINARY_TRUE, BINARY_PRED, [0, 1]),
    (MULTI_TRUE, MULTI_PRED, list(MULTI_CLASSES)),
])
def test_label_metrics_match_sklearn(name, reference, truth, pred, classes):
    assert get_metric(name).score(truth, pred, classes) == pytest.approx(reference(truth, pred), abs=1e-12)


def test_f1_uses_the_last_class_as_positive():
    assert get_metric("f1").score(BINARY_TRUE, BINARY_PRED, [0, 1]) == pytest.approx(
        skm.f1_score(BINARY_TRUE, BINARY_PRED, pos_label=1))
    truth = np.where(BINARY_TRUE == 1, "yes", "no")
    pred = np.where(BINARY_PRED == 1, "yes", "no")
    assert get_metric("f1").score(truth, pred, ["no", "yes"]) == pytest.approx(
        skm.f1_score(truth, pred, pos_label="yes"))


def test_f1_macro_ignores_a_class_absent_from_truth_and_predictions():
    truth, pred = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    assert get_metric("f1_macro").score(truth, pred, [0, 1, 2]) == pytest.approx(
        skm.f1_score(truth, pred, average="macro"))


def test_quadratic_weighted_kappa_matches_sklearn_and_kaggle():
    score = get_metric("quadratic_weighted_kappa").score(ORDINAL_TRUE, ORDINAL_PRED, [0, 1, 2, 3, 4])
    assert score == pytest.approx(skm.cohen_kappa_score(ORDINAL_TRUE, ORDINAL_PRED, weights="quadratic"))
    # Ben Hamner's Kaggle implementation (ml_metrics) test vectors.
    qwk = get_metric("quadratic_weighted_kappa")
    assert qwk.score([1, 2, 3], [1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert qwk.score([1, 2, 3, 1, 2, 2], [1, 2, 3, 1, 2, 2], [1, 2, 3]) == pytest.approx(1.0)
    assert qwk.score([1, 3], [3, 1], [1, 2, 3]) == pytest.approx(-1.0)
    assert qwk.score([1, 2, 3, 1, 2, 3], [3, 1, 2, 3, 1, 2], [1, 2, 3]) == pytest.approx(-0.5)


def test_quadratic_weighted_kappa_refuses_a_single_class():
    with pytest.raises(MetricError, match="undefined"):
        get_metric("quadratic_weighted_kappa").score([2, 2], [2, 2], [1, 2, 3])


def test_roc_auc_matches_sklearn_with_ties():
    assert get_metric("roc_auc").score(BINARY_TRUE, BINARY_PROBA, [0, 1]) == pytest.approx(
        skm.roc_auc_score(BINARY_TRUE, BINARY_PROBA))
    tied = np.round(BINARY_PROBA, 1)  # many ties: they count one half, as in Mann-Whitney U
    assert get_metric("roc_auc").score(BINARY_TRUE, tied, [0, 1]) == pytest.approx(
        skm.roc_auc_score(BINARY_TRUE, tied))
    assert get_metric("roc_auc").score([0, 1], [0.5, 0.5], [0, 1]) == 0.5


def test_roc_auc_positive_class_is_the_last_of_the_classes():
    truth = np.where(BINARY_TRUE == 1, "spam", "ham")
    assert get_metric("roc_auc").score(truth, BINARY_PROBA, ["ham", "spam"]) == pytest.approx(
        skm.roc_auc_score(BINARY_TRUE, BINARY_PROBA))


def test_roc_auc_refuses_a_single_class_truth():
    with pytest.raises(MetricError, match="single class"):
        get_metric("roc_auc").score([1, 1, 1], [0.2, 0.4, 0.9], [0, 1])


def test_roc_auc_ovr_matches_sklearn():
    assert get_metric("roc_auc_ovr").score(MULTI_TRUE, MULTI_PROBA, list(MULTI_CLASSES)) == pytest.approx(
        skm.roc_auc_score(MULTI_TRUE, MULTI_PROBA, multi_class="ovr", average="macro", labels=MULTI_CLASSES))


def test_roc_auc_ovr_refuses_a_class_missing_from_truth():
    with pytest.raises(MetricError, match="single class"):
        get_metric("roc_auc_ovr").score(["a", "b"], [[0.5, 0.3, 0.2], [0.1, 0.8, 0.1]], ["a", "b", "c"])


def test_log_loss_matches_sklearn_away_from_the_clip():
    assert get_metric("log_loss").score(BINARY_TRUE, BINARY_PROBA, [0, 1]) == pytest.approx(
        skm.log_loss(BINARY_TRUE, BINARY_PROBA))


def test_log_loss_clips_at_1e_15_like_kaggle():
    # A confident wrong answer costs -log(1e-15) = 34.5388, not infinity.
    eps = 1e-15
    kaggle = (-math.log(eps) - math.log(1 - (1 - eps))) / 2  # y=1 at p=0, y=0 at p=1, both clipped
    assert get_metric("log_loss").score([1, 0], [0.0, 1.0], [0, 1]) == pytest.approx(kaggle, rel=1e-12)
    assert kaggle == pytest.approx(34.5, abs=0.1)
    assert get_metric("log_loss").score([1, 0], [1.0, 0.0], [0, 1]) == pytest.approx(-math.log(1 - 1e-15))


def test_multiclass_log_loss_matches_sklearn_on_normalised_rows():
    assert get_metric("multiclass_log_loss").score(MULTI_TRUE, MULTI_PROBA, list(MULTI_CLASSES)) == pytest.approx(
        skm.log_loss(MULTI_TRUE, MULTI_PROBA, labels=MULTI_CLASSES))


def test_multiclass_log_loss_renormalises_rows_then_clips_like_kaggle():
    metric = get_metric("multiclass_log_loss")
    # Row [2, 1, 1] is rescaled to [0.5, 0.25, 0.25]; row [0, 3, 0] to [0, 1, 0] then clipped.
    got = metric.score(["a", "a"], [[2, 1, 1], [0, 3, 0]], ["a", "b", "c"])
    assert got == pytest.approx((-math.log(0.5) - math.log(1e-15)) / 2)
    assert metric.score(["b"], [[0.0, 1.0, 0.0]], ["a", "b", "c"]) == pytest.approx(-math.log(1 - 1e-15))


@pytest.mark.parametrize("name,reference", [
    ("rmse", lambda t, p: math.sqrt(skm.mean_squared_error(t, p))),
    ("mae", skm.mean_absolute_error),
    ("rmsle", lambda t, p: math.sqrt(skm.mean_squared_log_error(t, p))),
    ("r2", skm.r2_score),
])
def test_regression_metrics_match_sklearn(name, reference):
    pred = np.abs(VALUES_PRED)
    assert get_metric(name).score(VALUES_TRUE, pred) == pytest.approx(reference(VALUES_TRUE, pred))


def test_r2_of_a_constant_truth_follows_sklearn():
    assert get_metric("r2").score([3.0, 3.0], [3.0, 3.0]) == skm.r2_score([3.0, 3.0], [3.0, 3.0])
    assert get_metric("r2").score([3.0, 3.0], [2.0, 3.0]) == skm.r2_score([3.0, 3.0], [2.0, 3.0])


def test_rmsle_refuses_negative_values():
    with pytest.raises(MetricError, match="negative prediction"):
        get_metric("rmsle").score([1.0, 2.0], [1.0, -0.5])
    assert get_metric("rmsle").nonnegative


def _kaggle_apk(actual, predicted, k):
    # Ben Hamner's ml_metrics.average_precision.apk, verbatim logic (Kaggle's MAP@K).
    if len(predicted) > k:
        predicted = predicted[:k]
    score, hits = 0.0, 0.0
    for i, p in enumerate(predicted):
        if p in actual and p not in predicted[:i]:
            hits += 1.0
            score += hits / (i + 1.0)
    if not actual:
        return 0.0
    return score / min(len(actual), k)


def test_map_at_k_matches_kaggle_definition():
    metric = get_metric("map@3")
    # Published vectors from ml_metrics' tests.
    assert metric.score([[1, 2, 3, 4, 5]], [[6, 4, 7, 1, 2]]) == pytest.approx(
        _kaggle_apk([1, 2, 3, 4, 5], [6, 4, 7], 3))
    assert get_metric("map@10").score([list(range(1, 6)), [1, 2, 3]], [[6, 4, 7, 1, 2], [1, 1, 1]]) == pytest.approx(
        np.mean([_kaggle_apk(list(range(1, 6)), [6, 4, 7, 1, 2], 10), _kaggle_apk([1, 2, 3], [1, 1, 1], 10)]))
    assert get_metric("map@3").score([[1, 3, 4], [1, 2, 4], [1, 3]], [[1, 2, 3, 4, 5]] * 3) == pytest.approx(
        0.685185185185185)
    assert get_metric("map@2").score([[1, 2, 3, 4, 5]], [[6, 4, 7, 1, 2]]) == pytest.approx(0.25)
    assert get_metric("map@5").score([[1, 2, 3, 4, 5]], [[1, 1, 1, 1, 1]]) == pytest.approx(0.2)
    # One true label per row: 1, 1/2, 1/3 or 0 by its rank; duplicates count once.
    assert metric.score(["a", "b", "c", "d"], [["a", "x", "y"], ["x", "b"], ["x", "x", "c"], ["x", "y", "z", "d"]]) \
        == pytest.approx((1 + 0.5 + 1 / 3 + 0) / 4)


def test_map_at_k_fuzz_against_kaggle_apk():
    local = np.random.default_rng(7)
    truth = [list(local.choice(8, local.integers(1, 4), replace=False)) for _ in range(200)]
    preds = [list(local.integers(0, 8, local.integers(1, 7))) for _ in range(200)]
    for k in (1, 3, 5):
        want = np.mean([_kaggle_apk(t, p, k) for t, p in zip(truth, preds, strict=True)])
        assert get_metric(f"map@{k}").score(truth, preds) == pytest.approx(want)


def test_registry_names_and_directions():
    assert set(list_metrics()) == {
        "accuracy", "balanced_accuracy", "f1", "f1_macro", "f1_micro", "roc_auc", "roc_auc_ovr", "log_loss",
        "multiclass_log_loss", "rmse", "mae", "rmsle", "r2", "quadratic_weighted_kappa", "map@3",
        "multiclass_log_loss_onehot", "mean_columnwise_roc_auc", "mean_columnwise_rmse"}
    for name, metric in METRICS.items():
        assert metric.name == name
        assert metric.direction in ("higher", "lower")
        assert metric.arrow == ("↑" if metric.higher_is_better else "↓")
        assert metric.task in ("classification", "regression")
        assert isinstance(metric.prediction, PredictionKind) and metric.description
    assert get_metric("log_loss").arrow == "↓" and get_metric("roc_auc").arrow == "↑"
    assert get_metric("roc_auc").ranks_scores and get_metric("roc_auc_ovr").ranks_scores
    assert not get_metric("log_loss").ranks_scores  # probabilities, checked in [0, 1]
    assert PredictionKind("class_probabilities") is PredictionKind.CLASS_PROBABILITIES


def test_map_at_k_names_parse():
    assert get_metric("map@5").name == "map@5"
    assert get_metric("map@3") is METRICS["map@3"] and get_metric("MAP@3").name == "map@3"
    with pytest.raises(UnknownMetricError, match="Did you mean 'map@3'"):
        get_metric("map_at_3")  # one spelling: map@K
    assert get_metric("map@5").prediction is PredictionKind.RANKED_LABELS
    assert isinstance(get_metric(get_metric("mae")), Metric)


def test_unknown_metric_lists_known_names():
    with pytest.raises(UnknownMetricError) as info:
        get_metric("auc")
    assert "roc_auc" in str(info.value) and "'auc'" in str(info.value)
    assert isinstance(info.value, MetricError)


def test_expected_columns():
    assert expected_columns("roc_auc", "id", "Survived", [0, 1]) == ["id", "Survived"]
    assert expected_columns("multiclass_log_loss", "id", "label", [0, 1, 2]) == ["id", "0", "1", "2"]
    with pytest.raises(MetricError):
        expected_columns("multiclass_log_loss", "id", "label")


def test_score_checks_its_inputs():
    with pytest.raises(MetricError, match="rows"):
        get_metric("accuracy").score([0, 1], [0])
    with pytest.raises(MetricError, match="zero rows"):
        get_metric("rmse").score([], [])
    with pytest.raises(MetricError, match="binary"):
        get_metric("roc_auc").score([0, 1, 2], [0.1, 0.2, 0.3], [0, 1, 2])
    with pytest.raises(MetricError, match="shape"):
        get_metric("multiclass_log_loss").score([0, 1], [[0.5, 0.5, 0.0]] * 2, [0, 1])
