"""How long `kit demo` takes after set-up, and what the lived-in community adds to it.

Runs, each in a fresh temporary workspace and in this one process (so the numbers include
no interpreter start-up): the empty season (`--empty`: the challenges and their sample
rows, the reference), the lived-in season (the same plus 30 simulated people), and the
quick baselines the demo trains. Prints wall and CPU seconds, the community's cost as a
ratio of the reference, the whole demo's wall time against its 60 s goal, and the machine.
Pin it to two cores as the goal says: `taskset -c 0,1 python benchmarks/demo.py`.

Run: python benchmarks/demo.py [--no-baselines]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL_SECONDS = 60.0


def timed(label: str, work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<34} {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
    return result, wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-baselines", action="store_true", help="Skip training the baselines.")
    args = parser.parse_args()

    from kit.cli.baseline_runs import train_demo_baselines
    from kit.services.demo import build_demo
    from kit.store.workspace import init_workspace

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{platform.platform()}, Python {platform.python_version()}, {cores} core(s) available, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        empty_ws = init_workspace(Path(folder) / "empty").workspace
        _, empty_wall, _ = timed("empty season (reference)", lambda: build_demo(empty_ws, seed=27, empty=True,
                                                                                 progress=False))
        lived_ws = init_workspace(Path(folder) / "lived").workspace
        built, lived_wall, _ = timed("lived-in season", lambda: build_demo(lived_ws, seed=27, progress=False))
        baselines_wall = 0.0
        if not args.no_baselines:
            _, baselines_wall, _ = timed("quick baselines", lambda: train_demo_baselines(
                lived_ws, built.challenges, progress=False, moment=built.first_rows_at))
    community = built.community
    print(f"community: {community.participants} people, {community.submissions} submissions, "
          f"{community.checkins} check-ins")
    print(f"the community adds {lived_wall - empty_wall:.1f} s: lived-in / empty = {lived_wall / empty_wall:.2f}×")
    if not args.no_baselines:
        total = lived_wall + baselines_wall
        print(f"kit demo after set-up ≈ {total:.1f} s (goal ≤ {GOAL_SECONDS:.0f} s on 2 cores: "
              f"{'met' if total <= GOAL_SECONDS else 'not met'}); baselines {baselines_wall / total:.0%} of it")


if __name__ == "__main__":
    main()
