"""Submissions over HTTP against in-process `submit`, the remote CLI's start-up, and `kit grade`.

    python benchmarks/api.py [--sequential 200] [--clients 8] [--per-client 50] [--submit-workers N] [--postgres URL]
                             [--grade-rows 1000000] [--repeat 5]

For each back end (SQLite; PostgreSQL when --postgres or KIT_TEST_DATABASE_URL is set) it
builds a workspace with one binary challenge whose test split has 1,000 rows, then measures
in the same run:

- in-process: `kit.services.submissions.submit` called back to back (the reference);
- over HTTP: a real `kit serve` on a loopback port, one httpx client posting the same kind of
  1,000-row CSV back to back (latency p50/p95), then 8 clients in threads, one participant
  each, posting together (throughput); afterwards the stored rows are counted: lost must be 0.

Then, on the SQLite workspace: the start-up of `kit leaderboard bench` as a whole process in
remote mode (KIT_SERVER) against the local command, and `kit grade` on a 1,000,000-row file
as a whole process against `python -c pass` and the in-process grading it wraps.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading import make_files  # noqa: E402  (the grading benchmark's 1M-row files)

ROOT = Path(__file__).resolve().parents[1]
TEST_ROWS = 1000
SPEC = """
slug = "bench"
title = "API benchmark"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 1000

[data]
source = "csv:bench.csv"
target = "label"
id_column = "id"
test_fraction = 0.25
seed = 3
"""


def build(folder: Path, url: str | None, participants: int):
    """A workspace with the challenge and `participants` tokens; returns (workspace, tokens, submissions)."""
    import pandas as pd

    from kit.challenge.bundle import solution_bytes
    from kit.challenge.lookup import get_challenge
    from kit.challenge.spec import parse_spec
    from kit.services.challenges import add_challenge
    from kit.services.participants import register
    from kit.store.workspace import init_workspace

    rows = TEST_ROWS * 4
    pd.DataFrame({"id": range(10_000, 10_000 + rows), "x": [i % 7 for i in range(rows)],
                  "label": [(i * 7 + i // 3) % 2 for i in range(rows)]}).to_csv(folder / "bench.csv", index=False)
    init = init_workspace(folder / "ws", url)
    workspace = init.workspace
    with workspace.session(write=True) as session:
        add_challenge(session, parse_spec(SPEC), SPEC, base_dir=folder, progress=False)
        tokens = [register(session, f"bench-{p}")[1] for p in range(participants)]
    with workspace.session() as session:
        solution = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "bench"))))
    assert len(solution) == TEST_ROWS, len(solution)
    ids, labels = solution["id"].to_numpy(), solution["label"].to_numpy()

    def variant(k: int) -> bytes:  # each submission distinct: flip the labels of k's bits
        flipped = labels.copy()
        bits = [b for b in range(12) if k >> b & 1]
        flipped[bits] = 1 - flipped[bits]
        return ("id,label\n" + "".join(f"{i},{y}\n" for i, y in zip(ids, flipped, strict=True))).encode()

    return init, tokens, variant


def stored(workspace) -> int:
    from sqlalchemy import func, select

    from kit.store.models import Submission

    with workspace.session() as session:
        return session.scalar(select(func.count()).select_from(Submission).where(Submission.status == "scored"))


def _process_seconds(wanted) -> float:
    """User + system CPU time so far of the processes whose /proc stat `wanted(name, process group)`
    accepts (Linux): what they cost, whatever else the machine is doing."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, fields = text.split(" ", 2)[1], text.rsplit(")", 1)[1].split()
        if wanted(name, int(fields[2])):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """The server's and its worker processes' CPU time: its process group (it started its own session)."""
    return _process_seconds(lambda _name, group: group == pid)


def machine_busy_seconds() -> float:
    """CPU time every process on the machine has used so far (Linux /proc/stat, all cores)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def postgres_cpu_seconds() -> float:
    """CPU time the PostgreSQL server's processes have used so far (its backends serve the kit)."""
    return _process_seconds(lambda name, _group: name in ("(postgres)", "(postmaster)"))


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def in_process(workspace, token: str, variant, count: int) -> dict:
    from kit.services.submissions import submit

    submit(workspace, slug="bench", token=token, content=variant(0), filename="s.csv")  # warm: solution cached
    contents = [variant(k) for k in range(1, count + 1)]
    latencies = []
    cpu, started = time.process_time(), time.perf_counter()
    for content in contents:
        t = time.perf_counter()
        submit(workspace, slug="bench", token=token, content=content, filename="s.csv")
        latencies.append(time.perf_counter() - t)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    p50, p95 = percentiles(latencies)
    return {"p50": p50, "p95": p95, "per_second": count / total, "cpu_ms": cpu / count * 1000}


def post(client, token: str, content: bytes):
    return client.post("/challenges/bench/submissions", headers={"Authorization": f"Bearer {token}"},
                       files={"file": ("s.csv", content, "text/csv")})


def over_http(api: str, token: str, variant, count: int, server_pid: int) -> dict:
    import httpx

    contents = [variant(k) for k in range(1, count + 1)]
    with httpx.Client(base_url=api, timeout=60) as client:
        assert post(client, token, variant(0)).status_code == 201  # warm: solution cached in the server
        latencies, failed = [], 0
        cpu, started = cpu_seconds(server_pid), time.perf_counter()
        for content in contents:
            t = time.perf_counter()
            failed += post(client, token, content).status_code != 201
            latencies.append(time.perf_counter() - t)
        total, cpu = time.perf_counter() - started, cpu_seconds(server_pid) - cpu
    p50, p95 = percentiles(latencies)
    return {"p50": p50, "p95": p95, "per_second": count / total, "failed": failed, "cpu_ms": cpu / count * 1000}


def concurrent_http(api: str, tokens: list[str], variant, per_client: int, workspace, server_pid: int) -> dict:
    import httpx

    contents = [[variant(100 + c * per_client + i) for i in range(per_client)] for c in range(len(tokens))]
    failures: list[str] = []
    barrier = threading.Barrier(len(tokens) + 1)

    def client_thread(token: str, mine: list[bytes]) -> None:
        with httpx.Client(base_url=api, timeout=120) as client:
            client.get("/challenges/bench")  # connect before the clock starts
            barrier.wait()
            for content in mine:
                response = post(client, token, content)
                if response.status_code != 201:
                    failures.append(f"{response.status_code} {response.text[:200]}")

    before = stored(workspace)
    threads = [threading.Thread(target=client_thread, args=(t, c)) for t, c in zip(tokens, contents, strict=True)]
    for thread in threads:
        thread.start()
    barrier.wait()
    cpu, clients, database, machine = cpu_seconds(server_pid), time.process_time(), postgres_cpu_seconds(), \
        machine_busy_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds, cpu = time.perf_counter() - started, cpu_seconds(server_pid) - cpu
    clients, database = time.process_time() - clients, postgres_cpu_seconds() - database
    machine = machine_busy_seconds() - machine
    expected = len(tokens) * per_client
    return {"submissions": expected, "seconds": seconds, "per_second": expected / seconds,
            "cpu_ms": cpu / expected * 1000, "client_ms": clients / expected * 1000,
            "database_ms": database / expected * 1000, "machine_ms": machine / expected * 1000,
            "machine_share": machine / seconds / (os.cpu_count() or 1),
            "failed": len(failures), "lost": expected - (stored(workspace) - before), "first_failure": failures[:1]}


def start_server(folder: Path, url: str | None, port: int, submit_workers: int = 0) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    if url:
        env["KIT_DATABASE_URL"] = url
    return subprocess.Popen([sys.executable, "-m", "kit", "serve", "--workspace", str(folder), "--port", str(port),
                             "--address", "127.0.0.1", "--submit-workers", str(submit_workers)],
                            env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def wait_until_serving(api: str, process: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kit serve exited with {process.returncode}")
        try:
            if httpx.get(f"{api}/challenges", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit("kit serve did not start")


def stop(process: subprocess.Popen) -> None:
    import signal

    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_seconds(command: list[str], env: dict, repeat: int, cwd: Path) -> tuple[float, float]:
    """Median (wall, CPU) seconds of a whole process, after one untimed run that warms the file cache.

    CPU is the child's user + system time: on a shared machine the wall time also counts the
    time other work held the cores."""
    import resource

    walls, cpus = [], []
    for attempt in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, env=env, cwd=cwd, capture_output=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise SystemExit(f"{command} failed: {result.stderr.decode()[-1000:]}")
        if attempt:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def seconds(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.3f} s wall, {pair[1]:.3f} s CPU"


def backend(name: str, folder: Path, url: str | None, args) -> tuple:
    init, tokens, variant = build(folder, url, participants=args.clients + 2)
    workspace = init.workspace
    reference = in_process(workspace, tokens[0], variant, args.sequential)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api/v1"
    server = start_server(folder / "ws", url, port)
    try:
        wait_until_serving(api, server)
        sequential = over_http(api, tokens[1], variant, args.sequential, server.pid)
        concurrent = concurrent_http(api, tokens[2:], variant, args.per_client, workspace, server.pid)
    finally:
        stop(server)
    pooled = None
    if args.submit_workers:
        port = free_port()
        api = f"http://127.0.0.1:{port}/api/v1"
        server = start_server(folder / "ws", url, port, args.submit_workers)
        try:
            wait_until_serving(api, server)
            over_http(api, tokens[1], variant, 4 * args.submit_workers, server.pid)  # every worker warm
            pooled = concurrent_http(api, tokens[2:], variant, args.per_client, workspace, server.pid)
        finally:
            stop(server)
    print(f"\n{name}: {TEST_ROWS}-row CSV submissions ({len(variant(0)):,} bytes); "
          f"CPU = kit's own CPU time per submission (the database server's not counted)")
    print(f"  {'':<30} {'p50 ms':>7} {'p95 ms':>7} {'per second':>10} {'CPU ms':>7}")
    print(f"  {'in-process submit (reference)':<30} {reference['p50']:>7.1f} {reference['p95']:>7.1f} "
          f"{reference['per_second']:>10.1f} {reference['cpu_ms']:>7.1f}")
    print(f"  {'HTTP, 1 client':<30} {sequential['p50']:>7.1f} {sequential['p95']:>7.1f} "
          f"{sequential['per_second']:>10.1f} {sequential['cpu_ms']:>7.1f}   (failed {sequential['failed']})")
    print(f"  {f'HTTP, {args.clients} clients':<30} {'':>7} {'':>7} {concurrent['per_second']:>10.1f} "
          f"{concurrent['cpu_ms']:>7.1f}   ({concurrent['submissions']} in {concurrent['seconds']:.2f} s, "
          f"failed {concurrent['failed']}, lost {concurrent['lost']})")
    if pooled is not None:
        label = f"HTTP, {args.clients} clients, {args.submit_workers} submit workers"
        print(f"  {label:<30} {'':>7} {'':>7} {pooled['per_second']:>10.1f} "
              f"{pooled['cpu_ms']:>7.1f}   ({pooled['submissions']} in {pooled['seconds']:.2f} s, "
              f"failed {pooled['failed']}, lost {pooled['lost']})")
    for label, run in ((f"{args.clients} clients", concurrent),
                       (f"{args.clients} clients, {args.submit_workers} workers", pooled)):
        if run is None:
            continue
        others = run["machine_ms"] - run["cpu_ms"] - run["client_ms"] - run["database_ms"]
        print(f"  {label}: the whole machine spent {run['machine_ms']:.1f} ms of CPU per submission "
              f"({run['machine_share']:.0%} of its cores): server {run['cpu_ms']:.1f}, clients "
              f"{run['client_ms']:.1f}, database server {run['database_ms']:.1f}, other processes {others:.1f}")
        if run["first_failure"]:
            print(f"  first failure: {run['first_failure'][0]}")
    print(f"  HTTP p50 / in-process p50: {sequential['p50'] / reference['p50']:.2f}×; "
          f"{args.clients} clients / in-process: {concurrent['per_second'] / reference['per_second']:.2f}×; "
          f"server CPU per submission / in-process: {concurrent['cpu_ms'] / reference['cpu_ms']:.2f}×")
    return init, port


def base_only_python(folder: Path) -> Path:
    """A virtualenv that sees the project and only the base package's dependencies, as a participant's
    `pip install challenge-kit` would (tests/client/base_install.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("base_install", ROOT / "tests" / "client" / "base_install.py")
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)
    return helpers.make_base_env(folder)


def startup(folder: Path, init, args) -> None:
    """`kit leaderboard bench`, remote against local, as whole processes, on the SQLite workspace."""
    port = free_port()
    server = start_server(folder / "ws", None, port)
    participant = folder / "participant"
    participant.mkdir()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")} | {"COLUMNS": "120"}
    kit = [sys.executable, "-m", "kit"]
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/api/v1", server)
        floor = process_seconds([sys.executable, "-c", "pass"], base_env, args.repeat, participant)
        remote_env = base_env | {"KIT_SERVER": f"http://127.0.0.1:{port}"}
        remote = process_seconds([*kit, "leaderboard", "bench"], remote_env, args.repeat, participant)
        base_python = base_only_python(folder / "base-only")
        base_only = process_seconds([str(base_python), "-m", "kit", "leaderboard", "bench"],
                                    {k: v for k, v in remote_env.items() if not k.startswith("PYTHON")},
                                    args.repeat, participant)
        local = process_seconds([*kit, "leaderboard", "bench"], base_env | {"KIT_WORKSPACE": str(folder / "ws")},
                                args.repeat, folder)
    finally:
        stop(server)
    print(f"\n`kit leaderboard bench` as a whole process (median of {args.repeat})")
    print(f"  python -c pass            {seconds(floor)}")
    print(f"  remote (KIT_SERVER)       {seconds(remote)}   (this venv: everything installed)")
    print(f"  remote, base package only {seconds(base_only)}   (a participant's install: client + grader)")
    print(f"  local (workspace)         {seconds(local)}   local / remote: {local[0] / remote[0]:.2f}× wall, "
          f"{local[1] / remote[1]:.2f}× CPU")


def grade_process(folder: Path, args) -> None:
    import grader

    files = make_files(args.grade_rows, folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    floor = process_seconds([sys.executable, "-c", "pass"], env, args.repeat, folder)
    imported = process_seconds([sys.executable, "-c", "import grader"], env, args.repeat, folder)
    whole = process_seconds([sys.executable, "-m", "kit", "grade", "--solution", str(files["solution"]),
                             "--submission", str(files["proba"]), "--metric", "roc_auc"], env, args.repeat, folder)
    started = time.perf_counter()
    grader.grade(grader.read_solution(files["solution"].read_bytes()), files["proba"], "roc_auc")
    inside = time.perf_counter() - started
    print(f"\n`kit grade` on {args.grade_rows:,} rows (roc_auc), whole process, median of {args.repeat}")
    print(f"  python -c pass            {seconds(floor)}")
    print(f"  python -c 'import grader' {seconds(imported)}")
    print(f"  read_solution + grade     {inside:.3f} s wall   (in this process, grader already imported)")
    print(f"  kit grade                 {seconds(whole)}   goal ≤ 0.5 s; kit grade / in-process work: "
          f"{whole[0] / inside:.2f}×")


def postgres_schema(base: str):
    from sqlalchemy import create_engine, text

    schema = f"kit_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        from kit.store.db import dispose_engines

        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequential", type=int, default=200, help="Submissions for the latency figures.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=50)
    parser.add_argument("--submit-workers", type=int, default=os.cpu_count() or 2,
                        help="Also run the 8 clients against `kit serve --submit-workers N` (0: skip).")
    parser.add_argument("--postgres", default=os.environ.get("KIT_TEST_DATABASE_URL"))
    parser.add_argument("--grade-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["submit", "startup", "grade"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["submit", "startup", "grade"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.platform()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {load:.2f}")
    np.seterr(all="ignore")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "sqlite").mkdir()
        init = None
        if "submit" in only or "startup" in only:
            if "submit" in only:
                init, _ = backend("SQLite (WAL)", scratch / "sqlite", None, args)
            else:
                init, _, _ = build(scratch / "sqlite", None, participants=1)
            if "submit" in only and args.postgres:
                (scratch / "pg").mkdir()
                url, drop = postgres_schema(args.postgres)
                try:
                    backend("PostgreSQL", scratch / "pg", url, args)
                finally:
                    drop()
        if "startup" in only:
            startup(scratch / "sqlite", init, args)
        if "grade" in only:
            (scratch / "grade").mkdir()
            grade_process(scratch / "grade", args)


if __name__ == "__main__":
    main()
