"""`kit grade` exits cleanly: no worker thread of Arrow's pool is alive when the interpreter exits.

It aborted 3 of 240 and 5 of 200 runs under load ("terminate called without an active
exception", signal 6) after printing its result: the C++ runtime tore the process down while
threads of Arrow's CSV thread pool still existed. Small files now parse on the calling thread,
so the pool never starts. One test checks that cause directly (the threads alive at exit);
another repeats the real command enough to catch a 1 % failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOLUTION = "id,y,Usage\n" + "".join(f"{i},{i % 2},{'Public' if i % 3 else 'Private'}\n" for i in range(1, 41))
SUBMISSION = "id,y\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))

# Runs `kit grade` in this process and records, at exit, the threads that appeared since import.
THREADS_AT_EXIT = textwrap.dedent("""
    import atexit, json, os, sys
    def threads():
        return sorted(open(f"/proc/self/task/{t}/comm").read().strip() + ":" + t for t in os.listdir("/proc/self/task"))
    import grader, kit.cli  # everything the command imports, before it runs
    before = threads()
    record = sys.argv.pop(1)
    atexit.register(lambda: open(record, "w").write(json.dumps({"before": before, "at_exit": threads()})))
    sys.argv[0] = "kit"
    kit.cli.main()
""")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "solution.csv").write_text(SOLUTION)
    (tmp_path / "submission.csv").write_text(SUBMISSION)
    return tmp_path


def test_no_pool_thread_is_alive_when_kit_grade_exits(files):
    record = files / "threads.json"
    done = subprocess.run([sys.executable, "-c", THREADS_AT_EXIT, str(record), "grade", "-s", str(files / "solution.csv"),
                           "-f", str(files / "submission.csv"), "-m", "accuracy"],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, timeout=120)
    assert done.returncode == 0 and b"accuracy" in done.stdout, done.stderr.decode()[-2000:]
    seen = json.loads(record.read_text())
    new = [name.split(":")[0] for name in seen["at_exit"] if name not in seen["before"]]
    # jemalloc's background thread is plain C and harmless; Arrow's pool threads are C++ std::threads.
    assert set(new) <= {"jemalloc_bg_thd"}, new


REPEAT = textwrap.dedent("""
    import os, sys
    runs, batch, args = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    import grader, kit.cli  # imported once; each child runs the command and exits the normal way
    codes = []
    for start in range(0, runs, batch):
        pids = []
        for _ in range(min(batch, runs - start)):
            pid = os.fork()
            if pid == 0:
                fd = os.open(os.devnull, os.O_WRONLY)
                os.dup2(fd, 1)
                sys.argv = ["kit", *args]
                kit.cli.main()  # ends in sys.exit: interpreter shutdown and C++ teardown, as a real run
            pids.append(pid)
        codes += [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    print(" ".join(map(str, codes)))
""")


@pytest.mark.slow
def test_kit_grade_exits_cleanly_150_times_in_parallel_batches(files):
    runs = 150  # a 1 % abort rate escapes 150 runs with probability 0.99 ** 150 = 22 %; the issue saw 1.5-2.5 %
    done = subprocess.run([sys.executable, "-c", REPEAT, str(runs), "6", "grade", "-s", str(files / "solution.csv"),
                           "-f", str(files / "submission.csv"), "-m", "accuracy"],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    codes = [int(code) for code in done.stdout.split()]
    assert len(codes) == runs and set(codes) == {0}, sorted(set(codes))
    assert b"terminate called" not in done.stderr, done.stderr.decode()[-2000:]
