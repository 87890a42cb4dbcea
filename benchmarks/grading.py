"""Grading speed: the kit's grader against a pandas + scikit-learn reference, same run.

Builds a 1,000,000-row binary solution and a shuffled submission, grades them with
``grader.grade`` (roc_auc and accuracy) and with pandas.read_csv + merge + scikit-learn,
checks both give the same scores, and prints times, ratios, peak memory and the machine.
Also times a whole ``python -c "import grader; grader.grade(...)"`` process, and
``kit grade`` when that command exists (process times include reading the solution).

Run: python benchmarks/grading.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

GOAL_SECONDS = 0.3
GOAL_RATIO = 4.0


def make_files(rows: int, folder: Path, seed: int = 0) -> dict[str, Path]:
    rng = np.random.default_rng(seed)
    ids = np.arange(1, rows + 1) * 3 + 1000  # not 0..n-1: ids are looked up, not positions
    truth = rng.integers(0, 2, rows)
    usage = np.where(rng.random(rows) < 0.3, "Public", "Private")
    proba = np.clip(truth * 0.3 + rng.random(rows) * 0.7, 0, 1)
    order = rng.permutation(rows)  # participants may write rows in any order
    labels = (proba > 0.5).astype(int)

    def write(path: Path, header: str, columns) -> Path:
        lines = [header] + [",".join(row) for row in zip(*columns, strict=True)]
        path.write_text("\n".join(lines) + "\n")
        return path

    return {
        "solution": write(folder / "solution.csv", "id,target,Usage",
                          [ids.astype(str), truth.astype(str), usage]),
        "proba": write(folder / "proba.csv", "id,target",
                       [ids[order].astype(str), np.char.mod("%.6f", proba[order])]),
        "label": write(folder / "label.csv", "id,target",
                       [ids[order].astype(str), labels[order].astype(str)]),
    }


def reference(solution: Path, submission: Path, metric: str) -> tuple[float, float]:
    import pandas as pd
    from sklearn.metrics import accuracy_score, roc_auc_score

    sol = pd.read_csv(solution)
    sub = pd.read_csv(submission)
    merged = sol.merge(sub, on="id", suffixes=("", "_pred"), validate="one_to_one")
    fn = roc_auc_score if metric == "roc_auc" else accuracy_score
    scores = []
    for usage in ("Public", "Private"):
        part = merged[merged["Usage"] == usage]
        scores.append(fn(part["target"], part["target_pred"]))
    return scores[0], scores[1]


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def peak_memory(fn) -> int:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def process_time(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import pandas  # noqa: F401  imported before timing so the reference is not charged for it
    import sklearn.metrics  # noqa: F401

    import grader

    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(args.rows, Path(tmp))
        solution = grader.read_solution(files["solution"].read_bytes())
        print(f"rows: {args.rows:,}; submission sizes: "
              f"{files['proba'].stat().st_size / 1e6:.1f} MB (proba), {files['label'].stat().st_size / 1e6:.1f} MB (label)")
        print(f"{'metric':<10} {'grader s':>9} {'reference s':>12} {'ratio':>7} {'peak MB':>8} {'goal':>22}")
        for metric, key in (("roc_auc", "proba"), ("accuracy", "label")):
            data = files[key].read_bytes()
            ours, got = best_of(args.repeat, lambda data=data, metric=metric: grader.grade(solution, data, metric))
            theirs, want = best_of(max(1, args.repeat // 2), lambda key=key, metric=metric: reference(files["solution"], files[key], metric))
            assert np.isclose(got.public_score, want[0]) and np.isclose(got.private_score, want[1]), (got, want)
            peak = peak_memory(lambda data=data, metric=metric: grader.grade(solution, data, metric)) / 1e6
            ok = ours <= GOAL_SECONDS and theirs / ours >= GOAL_RATIO
            print(f"{metric:<10} {ours:9.3f} {theirs:12.3f} {theirs / ours:6.1f}x {peak:8.1f} "
                  f"{'met' if ok else 'MISSED'} (<= {GOAL_SECONDS}s, >= {GOAL_RATIO:.0f}x)")

        script = ("import sys, pathlib, grader; s = grader.read_solution(pathlib.Path(sys.argv[1]).read_bytes()); "
                  "print(grader.grade(s, pathlib.Path(sys.argv[2]), 'roc_auc'))")
        whole = process_time([sys.executable, "-c", script, str(files["solution"]), str(files["proba"])], 3)
        bare = process_time([sys.executable, "-c", "import grader"], 3)
        print(f"process: python -c 'import grader; read_solution + grade' {whole:.3f}s "
              f"(of which 'import grader' {bare:.3f}s)")
        kit = shutil.which("kit")
        has_grade = kit and subprocess.run([kit, "grade", "--help"], capture_output=True).returncode == 0
        if has_grade:
            cli = process_time([kit, "grade", "--solution", str(files["solution"]),
                                "--submission", str(files["proba"]), "--metric", "roc_auc"], 3)
            print(f"process: kit grade --metric roc_auc (1M rows) {cli:.3f}s")
        else:
            print("process: `kit grade` not available yet")


if __name__ == "__main__":
    main()
