"""Grading overhead of the intervals: `grader.grade` with and without them, in the same run.

Builds the grading benchmark's binary solution (30 % Public) and a shuffled probability
submission (benchmarks/grading.py's `make_files`), then grades it with `intervals=False`
(the reference: scores only) and `intervals=True` (scores, DeLong intervals and per-row
influences of both parts), alternating the two so that a busy machine slows both alike.
Prints best-of-R times, the ratio and the extra milliseconds, for 1,000,000 and 10,000 rows.

Goals: ≤ 25 % extra on 1M rows; ≤ 5 ms extra on 10,000 rows.

Run: python benchmarks/intervals.py [--repeat R]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import platform
import tempfile
import time
from pathlib import Path

GOALS = {1_000_000: ("ratio", 1.25), 10_000: ("extra_ms", 5.0)}


def _grading_bench():
    spec = importlib.util.spec_from_file_location("grading_bench", Path(__file__).with_name("grading.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alternate(repeat: int, plain, full) -> tuple[float, float]:
    """Best-of-R times of two functions run turn about."""
    best_plain = best_full = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        plain()
        best_plain = min(best_plain, time.perf_counter() - start)
        start = time.perf_counter()
        full()
        best_full = min(best_full, time.perf_counter() - start)
    return best_plain, best_full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import grader

    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    bench = _grading_bench()
    print(f"{'rows':>10} {'no intervals':>13} {'intervals':>10} {'ratio':>7} {'extra':>9}  goal")
    for rows in (1_000_000, 10_000):
        with tempfile.TemporaryDirectory() as tmp:
            files = bench.make_files(rows, Path(tmp))
            solution = grader.read_solution(files["solution"].read_bytes())
            data = files["proba"].read_bytes()
        plain = grader.grade(solution, data, "roc_auc", intervals=False)
        full = grader.grade(solution, data, "roc_auc")
        assert (plain.public_score, plain.private_score) == (full.public_score, full.private_score)
        assert full.public_low < full.public_score < full.public_high
        repeat = args.repeat if rows > 100_000 else args.repeat * 20
        base, with_intervals = alternate(
            repeat, functools.partial(grader.grade, solution, data, "roc_auc", intervals=False),
            functools.partial(grader.grade, solution, data, "roc_auc"))
        ratio, extra_ms = with_intervals / base, (with_intervals - base) * 1000
        kind, goal = GOALS[rows]
        met = (ratio if kind == "ratio" else extra_ms) <= goal
        wanted = f"≤ {goal:.2f}×" if kind == "ratio" else f"≤ {goal:.0f} ms extra"
        print(f"{rows:>10,} {base * 1000:>10.1f} ms {with_intervals * 1000:>7.1f} ms {ratio:>6.2f}× "
              f"{extra_ms:>6.2f} ms  {wanted}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
