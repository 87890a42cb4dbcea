"""The noise of a challenge's public part: how scores are rounded, and the organizer's warning.

Public scores are shown to the decimal of their noise (the first significant digit of a
typical interval's half-width): digits below it say nothing about skill and only help
someone probe the hidden labels. Ranks still use full precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from grader.noise import typical_interval
from kit.challenge.metric_of import challenge_metric
from kit.challenge.spec import parse_spec
from kit.store.models import Challenge

# Wider than this (a share of the metric's scale) and the public board cannot rank anyone.
TOO_WIDE = 0.05


def noise_decimals(half_width: float | None, metric_decimals: int) -> int:
    """Decimals that show a score to its noise: ±0.07 → 2, ±0.004 → 3, never more than the metric's."""
    if half_width is None or not math.isfinite(half_width) or half_width <= 0:
        return metric_decimals
    return max(0, min(metric_decimals, math.ceil(-math.log10(half_width))))


def board_decimals(challenge: Challenge) -> int:
    """How many decimals the challenge's public scores are shown with."""
    return noise_decimals(challenge.public_noise, challenge_metric(challenge).decimals)


@dataclass(frozen=True)
class NoiseReport:
    half_width: float  # of a typical submission's 95 % public interval
    decimals: int  # public scores are shown to this many decimals
    too_wide: bool
    rows_needed: int | None  # public rows for a half-width of TOO_WIDE × the scale
    summary: str
    warning: str | None


def noise_report(challenge: Challenge, solution) -> NoiseReport:
    """What the split's public part can tell apart, in words for the organizer."""
    metric = challenge_metric(challenge)
    if metric.influence is None:  # a custom metric: intervals come from a bootstrap, per submission
        return NoiseReport(math.nan, metric.decimals, False, None,
                           f"Public part: {challenge.public_rows} rows; {metric.name} has no analytic interval, so "
                           "each submission's is bootstrapped when it is graded.", None)
    score, half_width = typical_interval(solution, metric)
    decimals = noise_decimals(half_width, metric.decimals)
    # Bounded metrics (accuracy, AUC, F1, R², kappa) move on a scale of 1; losses, on their own size.
    scale = abs(score) if math.isinf(metric.bounds[1]) else 1.0
    target = TOO_WIDE * scale
    too_wide = math.isfinite(half_width) and half_width > target
    rows = challenge.public_rows
    needed = math.ceil(rows * (half_width / target) ** 2) if too_wide and target > 0 else None
    summary = (f"Public part: {rows} rows; a typical submission's public {metric.name} is known to "
               f"±{half_width:.{decimals + 1}f} (95 % interval), so public scores are shown to {decimals} decimals.")
    warning = None
    if too_wide:
        data = parse_spec(challenge.spec_toml).data
        warning = (f"The public part is too small to rank anyone: gaps under ±{half_width:.{decimals + 1}f} in "
                   f"{metric.name} are noise, and most public gaps will be that small. For ±{target:.{decimals + 1}f} "
                   f"it needs about {needed:,} public rows: raise data.public_fraction (now "
                   f"{data.public_fraction}) or data.test_fraction (now {data.test_fraction}), "
                   "or use more data.")
    return NoiseReport(half_width, decimals, too_wide, needed, summary, warning)
