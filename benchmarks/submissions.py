"""Sustained submissions per second with concurrent writer processes, on SQLite and PostgreSQL.

    python benchmarks/submissions.py [--writers 8] [--per-writer 100] [--postgres URL]

Builds a workspace with one 200-row binary challenge (50 test rows, so each submission is a
small CSV), registers one participant per writer, writes every submission file up front
(each one distinct), then starts the writer processes. Each imports the kit, opens the
workspace, warms up with one submission, and waits for a shared "go" file; the clock runs
from "go" until the last writer is done, so process start-up is not counted. The reference
is one writer measured the same way in the same run: the ratio shows how throughput scales
with concurrency. Afterwards the database is counted: every submission must be stored and
scored (lost = expected - stored, must be 0).

PostgreSQL runs when --postgres URL (or KIT_TEST_DATABASE_URL) is given and reachable; the
benchmark works in a fresh schema and drops it afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pandas as pd

WORKER = textwrap.dedent("""
    import json, os, sys, time
    workspace, url, token, count, name, go, content_dir = sys.argv[1:8]
    from kit.services.submissions import submit
    from kit.store.workspace import open_workspace
    ws = open_workspace(workspace, url or None)
    contents = [open(os.path.join(content_dir, f"{name}-{i}.csv"), "rb").read() for i in range(int(count) + 1)]
    submit(ws, slug="bench", token=token, content=contents[0], filename="s.csv", message=f"{name} warm-up")
    open(go + "." + name, "w").close()  # ready
    while not os.path.exists(go):
        time.sleep(0.002)
    started = time.perf_counter()
    errors = 0
    for i, content in enumerate(contents[1:]):
        try:
            out = submit(ws, slug="bench", token=token, content=content, filename="s.csv", message=f"{name} #{i}")
            errors += out.submission.status != "scored"
        except Exception as error:
            errors += 1
            print(repr(error), file=sys.stderr)
    print(json.dumps({"seconds": time.perf_counter() - started, "errors": errors, "end": time.time()}))
""")

SPEC = """
slug = "bench"
title = "Submissions benchmark"
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


def build(folder: Path, url: str | None, writers: int):
    from kit.challenge.bundle import solution_bytes
    from kit.challenge.lookup import get_challenge
    from kit.challenge.spec import parse_spec
    from kit.services.challenges import add_challenge
    from kit.services.participants import register
    from kit.store.workspace import init_workspace

    rows = 200
    pd.DataFrame({"id": range(1000, 1000 + rows), "x": [i % 7 for i in range(rows)],
                  "label": [(i * 7 + i // 3) % 2 for i in range(rows)]}).to_csv(folder / "bench.csv", index=False)
    workspace = init_workspace(folder / "ws", url).workspace
    with workspace.session(write=True) as session:
        add_challenge(session, parse_spec(SPEC), SPEC, base_dir=folder, progress=False)
        tokens = [register(session, f"writer-{w}")[1] for w in range(writers)]
    with workspace.session() as session:
        solution = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "bench"))))
    return workspace, tokens, solution


def variant(solution: pd.DataFrame, k: int) -> bytes:
    labels = solution["label"].to_numpy().copy()
    flipped = [bit for bit in range(len(labels)) if k >> bit & 1]
    labels[flipped] = 1 - labels[flipped]
    buffer = io.StringIO()
    pd.DataFrame({"id": solution["id"], "label": labels}).to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def run(folder: Path, url: str | None, writers: int, per_writer: int, offset: int) -> dict:
    """One timed round: `writers` processes × `per_writer` submissions each."""
    from sqlalchemy import func, select

    from kit.store.models import Submission

    round_dir = folder / f"round-{writers}"
    round_dir.mkdir()
    workspace, tokens, solution = build(round_dir, url, writers)
    content_dir = round_dir / "contents"
    content_dir.mkdir()
    for w in range(writers):
        for i in range(per_writer + 1):
            (content_dir / f"w{w}-{i}.csv").write_bytes(variant(solution, offset + w * (per_writer + 1) + i))
    go = round_dir / "go"
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, str(round_dir / "ws"), url or "", tokens[w],
                                   str(per_writer), f"w{w}", str(go), str(content_dir)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for w in range(writers)]
    while not all((round_dir / f"go.w{w}").exists() for w in range(writers)):
        if any(p.poll() not in (None, 0) for p in processes):
            raise SystemExit(f"a writer failed: {[p.stderr.read().decode()[-2000:] for p in processes if p.poll()]}")
        time.sleep(0.01)
    start = time.time()
    go.touch()
    reports, stderr = [], []
    for process in processes:
        out, err = process.communicate()
        stderr.append(err.decode())
        reports.append(json.loads(out.decode().strip().splitlines()[-1]))
    elapsed = max(r["end"] for r in reports) - start
    with workspace.session() as session:
        stored = session.scalar(select(func.count()).select_from(Submission).where(Submission.status == "scored"))
    expected = writers * (per_writer + 1)
    return {"writers": writers, "submissions": writers * per_writer, "seconds": elapsed,
            "per_second": writers * per_writer / elapsed, "lost": expected - stored,
            "errors": sum(r["errors"] for r in reports), "locked": sum("locked" in e for e in stderr)}


def postgres_schema(base: str):
    from sqlalchemy import create_engine, text

    schema = f"kit_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"

    def drop():
        from kit.store.db import dispose_engines

        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{separator}options=-csearch_path%3D{schema}", drop


def backend(name: str, url_factory, writers: int, per_writer: int) -> None:
    rows = []
    for count in (1, writers):
        with tempfile.TemporaryDirectory() as folder:
            url, cleanup = url_factory()
            try:
                rows.append(run(Path(folder), url, count, per_writer if count > 1 else per_writer * 2, offset=0))
            finally:
                cleanup()
    single, many = rows
    print(f"\n{name}")
    print(f"  {'writers':>7} {'submissions':>11} {'seconds':>8} {'per second':>10} {'lost':>5} {'errors':>6}")
    for row in rows:
        print(f"  {row['writers']:>7} {row['submissions']:>11} {row['seconds']:>8.2f} {row['per_second']:>10.1f} "
              f"{row['lost']:>5} {row['errors'] + row['locked']:>6}")
    print(f"  {writers} writers / 1 writer: {many['per_second'] / single['per_second']:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--per-writer", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get("KIT_TEST_DATABASE_URL"),
                        help="A PostgreSQL URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"{platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    if not args.skip_sqlite:
        backend("SQLite (WAL)", lambda: (None, lambda: None), args.writers, args.per_writer)
    if args.postgres:
        try:
            factory = lambda: postgres_schema(args.postgres)  # noqa: E731
            backend("PostgreSQL", factory, args.writers, args.per_writer)
        except Exception as error:  # unreachable server: say so, keep the SQLite figures
            print(f"\nPostgreSQL skipped: {type(error).__name__}: {error}")


if __name__ == "__main__":
    main()
