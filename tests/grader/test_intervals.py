"""Intervals and paired comparisons: coverage on simulated data, every metric's influence checked
against a bootstrap, scores unchanged, influences in the solution's row order."""

from __future__ import annotations

import math

import numpy as np
import pytest

import grader
from grader.intervals import standard_error

REPLICATIONS = 400


def _coverage(draw, truth: float, metric: str, seed: int) -> float:
    """Share of REPLICATIONS simulated data sets whose 95 % interval holds the true value."""
    rng = np.random.default_rng(seed)
    metric = grader.get_metric(metric)
    hits = 0
    for _ in range(REPLICATIONS):
        y_true, y_pred, classes = draw(rng)
        score, psi = metric.estimate(y_true, y_pred, classes)
        found = grader.interval(metric, score, psi)
        hits += found.low <= truth <= found.high
    return hits / REPLICATIONS


# With 400 replications the share of a true 95 % procedure lies in [0.925, 0.97] 97 % of the time;
# seeded, so each figure below is fixed, and a wrong standard error (off by 30 %) falls outside.
COVERED = (0.925, 0.975)


def test_accuracy_intervals_cover_the_true_accuracy():
    def draw(rng):
        truth = rng.integers(0, 3, 300)
        right = rng.random(300) < 0.8
        return truth, np.where(right, truth, (truth + 1) % 3), (0, 1, 2)

    assert COVERED[0] <= _coverage(draw, 0.8, "accuracy", seed=1) <= COVERED[1]


def test_auc_intervals_cover_the_true_auc():
    # Binormal scores: positives ~ N(1, 1), negatives ~ N(0, 1), so AUC = Φ(1/√2).
    true_auc = 0.5 * (1 + math.erf(0.5))

    def draw(rng):
        truth = (rng.random(300) < 0.4).astype(np.int64)
        return truth, rng.normal(truth.astype(float), 1.0), (0, 1)

    assert COVERED[0] <= _coverage(draw, true_auc, "roc_auc", seed=2) <= COVERED[1]


def test_log_loss_intervals_cover_the_true_log_loss():
    def draw(rng, n=300):
        p = 1 / (1 + np.exp(-rng.normal(0, 1.5, n)))  # calibrated probabilities
        truth = (rng.random(n) < np.clip(p + 0.1, 0, 1)).astype(np.int64)  # and a little off
        return truth, p, (0, 1)

    big_truth, big_p, _ = draw(np.random.default_rng(99), 2_000_000)
    expected = grader.get_metric("log_loss").score(big_truth, big_p, (0, 1))
    assert COVERED[0] <= _coverage(draw, expected, "log_loss", seed=3) <= COVERED[1]


def test_a_wrong_standard_error_would_fail_the_coverage_check():
    # The check can fail: intervals 30 % too narrow cover far less than 95 %.
    rng = np.random.default_rng(5)
    metric = grader.get_metric("accuracy")
    hits = 0
    for _ in range(REPLICATIONS):
        truth = rng.integers(0, 2, 300)
        guess = np.where(rng.random(300) < 0.8, truth, 1 - truth)
        score, psi = metric.estimate(truth, guess, (0, 1))
        narrow = grader.interval(metric, score, se=0.7 * standard_error(psi))
        hits += narrow.low <= 0.8 <= narrow.high
    assert hits / REPLICATIONS < COVERED[0]


def _simulated(metric: grader.Metric, rng, n=400):
    """Inputs of the right kind for ``metric``, with a skill between chance and perfect."""
    kind = metric.prediction.value
    if kind == "column_values":  # several regression targets
        truth = rng.gamma(2.0, 2.0, (n, 3))
        return truth, np.abs(truth + rng.normal(0, 1.5, (n, 3))), None
    if kind == "column_probabilities":  # one-hot classes, or multi-label flags
        truth = np.eye(3)[rng.integers(0, 3, n)] if "onehot" in metric.name else (rng.random((n, 3)) < 0.4) * 1.0
        raw = rng.random((n, 3)) + 0.5 * truth
        return truth, raw / raw.sum(axis=1, keepdims=True), None
    if metric.task == "regression":
        truth = rng.gamma(2.0, 2.0, n)
        return truth, np.abs(truth + rng.normal(0, 1.5, n)), None
    classes = (0, 1) if metric.binary or kind == "probability" else (0, 1, 2, 3)
    truth = rng.integers(0, len(classes), n)
    if kind == "label":
        return truth, np.where(rng.random(n) < 0.7, truth, rng.integers(0, len(classes), n)), classes
    if kind == "probability":
        return truth, 1 / (1 + np.exp(-rng.normal(2 * truth - 1, 1.5))), classes
    if kind == "class_probabilities":
        raw = rng.random((n, len(classes))) + 0.4 * np.eye(len(classes))[truth]
        return truth, raw / raw.sum(axis=1, keepdims=True), classes
    labels = [[int(t)] for t in truth]  # ranked labels, MAP@K
    return labels, [[int(t), 5, 6] if r < 0.4 else [5, int(t), 6] if r < 0.7 else [5, 6, 7]
                    for t, r in zip(truth, rng.random(n), strict=True)], None


@pytest.mark.parametrize("name", sorted(grader.METRICS))
def test_every_metric_has_an_influence_that_agrees_with_the_bootstrap(name):
    metric = grader.get_metric(name)
    assert metric.influence is not None, f"{name} has no influence function"
    y_true, y_pred, classes = _simulated(metric, np.random.default_rng(7))
    score, psi = metric.estimate(y_true, y_pred, classes)
    assert score == metric.score(y_true, y_pred, classes)  # bit for bit: ranks use full precision
    assert len(psi) == len(y_true) and abs(psi.mean()) < 1e-9 * max(1.0, abs(psi).max())
    boot = grader.bootstrap_interval(metric, y_true, y_pred, classes, replicates=400)
    assert standard_error(psi) == pytest.approx(boot.standard_error, rel=0.15), name
    assert 0 < standard_error(psi) < 0.2 * max(1.0, abs(score))


def test_bootstrap_is_seeded():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 200)
    guess = np.where(rng.random(200) < 0.7, truth, 1 - truth)
    first = grader.bootstrap_interval("f1", truth, guess, (0, 1))
    assert first == grader.bootstrap_interval("f1", truth, guess, (0, 1))
    assert first.low < grader.get_metric("f1").score(truth, guess, (0, 1)) < first.high


def test_paired_difference_ties_identical_submissions_and_separates_a_clearly_better_one():
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 2, 500)
    metric = grader.get_metric("accuracy")
    fair = np.where(rng.random(500) < 0.75, truth, 1 - truth)
    better = np.where(rng.random(500) < 0.6, truth, fair)  # fixes most of fair's mistakes
    a, b, c = (metric.estimate(truth, guess, (0, 1)) for guess in (fair, fair.copy(), better))
    same = grader.paired_difference(*a, *b)
    assert same.difference == 0 and same.standard_error == 0 and not same.significant
    gain = grader.paired_difference(*c, *a)
    assert gain.difference > 0 and gain.significant and gain.low > 0
    # Paired is sharper than comparing the two intervals: the rows both got right cancel.
    assert gain.standard_error < math.hypot(standard_error(a[1]), standard_error(c[1]))


def _csv(ids, values, header="id,target"):
    return (header + "\n" + "".join(f"{i},{v}\n" for i, v in zip(ids, values, strict=True))).encode()


def test_grade_returns_intervals_and_influences_in_the_solutions_row_order():
    rng = np.random.default_rng(3)
    ids = np.arange(100, 700)
    truth = rng.integers(0, 2, len(ids))
    public = rng.random(len(ids)) < 0.3
    solution = grader.read_solution(("id,target,Usage\n" + "".join(
        f"{i},{t},{'Public' if p else 'Private'}\n" for i, t, p in zip(ids, truth, public, strict=True))).encode())
    proba = np.round(np.clip(truth * 0.3 + rng.random(len(ids)) * 0.7, 0, 1), 6)
    in_order = grader.grade(solution, _csv(ids, proba), "roc_auc")
    order = rng.permutation(len(ids))
    shuffled = grader.grade(solution, _csv(ids[order], proba[order]), "roc_auc")
    plain = grader.grade(solution, _csv(ids, proba), "roc_auc", intervals=False)
    assert (in_order.public_score, in_order.private_score) == (plain.public_score, plain.private_score)
    assert math.isnan(plain.public_low) and plain.public_influence is None
    bare = grader.grade(solution, _csv(ids[order], proba[order]), "roc_auc", influences=False)
    assert (bare.public_low, bare.public_high, bare.private_low, bare.private_high) == (
        in_order.public_low, in_order.public_high, in_order.private_low, in_order.private_high)
    assert bare.public_influence is None and bare.private_influence is None
    assert in_order.public_low < in_order.public_score < in_order.public_high <= 1
    assert in_order.private_low < in_order.private_score < in_order.private_high
    assert len(in_order.public_influence) == public.sum() and len(in_order.private_influence) == (~public).sum()
    np.testing.assert_array_equal(shuffled.public_influence, in_order.public_influence)
    np.testing.assert_array_equal(shuffled.private_influence, in_order.private_influence)
    # The private interval is wider than the public one only if it has fewer rows: here it has more.
    assert in_order.private_high - in_order.private_low < in_order.public_high - in_order.public_low


@pytest.mark.parametrize("metric, values", [("roc_auc", "proba"), ("log_loss", "proba"), ("accuracy", "label"),
                                            ("map@2", "label"), ("rmse", "proba")])
def test_parts_estimated_side_by_side_grade_exactly_as_one_after_the_other(monkeypatch, metric, values):
    from grader import grading

    rng = np.random.default_rng(7)
    ids = rng.permutation(np.arange(5, 2005))
    truth = rng.integers(0, 2, len(ids))
    public = rng.random(len(ids)) < 0.3
    solution = grader.read_solution(("id,target,Usage\n" + "".join(
        f"{i},{t},{'Public' if p else 'Private'}\n" for i, t, p in zip(ids, truth, public, strict=True))).encode())
    proba = np.round(np.clip(truth * 0.2 + rng.random(len(ids)) * 0.8, 0, 1), 3)
    submission = _csv(ids[::-1], (proba if values == "proba" else (proba > 0.5).astype(int))[::-1])
    grades = []
    for parallel_rows in (10**9, 0):  # one after the other, then side by side
        monkeypatch.setattr(grading, "PARALLEL_ROWS", parallel_rows)
        grades.append(grader.grade(solution, submission, metric))
    one, both = grades
    assert (one.public_score, one.private_score, one.rows) == (both.public_score, both.private_score, both.rows)
    for field in ("public_low", "public_high", "private_low", "private_high"):
        assert np.array_equal(getattr(one, field), getattr(both, field), equal_nan=True), field
    for field in ("public_influence", "private_influence"):
        a, b = getattr(one, field), getattr(both, field)
        assert (a is None and b is None) or np.array_equal(a, b), field
    monkeypatch.setattr(grading, "PARALLEL_ROWS", 0)
    single_class = "id,target,Usage\n1,1,Public\n2,1,Public\n3,0,Private\n4,1,Private\n"
    with pytest.raises(grader.SubmissionError, match="cannot be scored with roc_auc"):
        grader.grade(grader.read_solution(single_class.encode()), b"id,target\n1,0.2\n2,0.4\n3,0.1\n4,0.9\n", "roc_auc")
