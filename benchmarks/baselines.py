"""Benchmark the baselines on Fashion-MNIST (or sklearn digits, or a mixed table): accuracy, time, memory.

    python benchmarks/baselines.py                       # all models, Fashion-MNIST
    python benchmarks/baselines.py --models cnn --quick  # a fast smoke run
    python benchmarks/baselines.py --dataset digits
    python benchmarks/baselines.py --device cuda        # on a GPU machine (the H100 goals)
    python benchmarks/baselines.py --dataset mixed --models logreg,xgboost,mlp

`--dataset mixed` is a 100,000-row table as found in the wild (numbers, categories, dates,
a boolean, 10 % of every feature missing; 80,000 rows to train on, 20,000 to test). Each
tabular baseline is timed end to end (encoding, training, predicting) against scikit-learn's
HistGradientBoostingClassifier with native categorical support, run in the same session.

Each model trains in its own subprocess so that peak memory (ru_maxrss) is its own.
The CNN is also trained by a plain PyTorch loop over the same network, batches and epochs;
the ratio Lightning time / raw time is Lightning's overhead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# This file is called baselines.py too: keep its folder off the path so that
# `import baselines` finds the package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

FASHION_MNIST = Path(os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
MODELS = ("logreg", "xgboost", "mlp", "cnn")
# Goals on 2 CPU cores: (minimum test accuracy, maximum training seconds).
GOALS = {"logreg": (0.84, 60), "xgboost": (0.85, 120), "mlp": (0.88, 120), "cnn": (0.92, 300)}
XGBOOST_CPU_ROWS = 20_000


def read_idx(path: Path) -> np.ndarray:
    """A gzipped IDX file (the MNIST format): magic 0 0 dtype ndim, ndim big-endian sizes, data."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


MIXED_ROWS = 100_000
# Goal on 2 CPU cores: the XGBoost baseline within 1 % of HistGradientBoosting's accuracy, in ≤ 2× its time.
MIXED_GOAL = (0.01, 2.0)


def mixed_table(rows: int, seed: int = 0) -> pd.DataFrame:
    """Numbers, categories (5, 30 and 200 levels), a date, a boolean, 10 % gaps; a binary target
    that depends on all of them, with interactions and noise."""
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10, 0.6, rows)
    age = rng.integers(18, 90, rows).astype(np.float64)
    visits = rng.poisson(3, rows).astype(np.float64)
    score = rng.normal(0, 1, rows)
    plan = rng.choice(["free", "basic", "plus", "pro", "team"], rows, p=[0.4, 0.25, 0.15, 0.12, 0.08])
    region = rng.choice([f"region-{i:02d}" for i in range(30)], rows)
    city = rng.choice([f"city-{i:03d}" for i in range(200)], rows)
    joined = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 5 * 365, rows), unit="D")
    mobile = rng.random(rows) < 0.6
    region_effect = dict(zip(sorted(set(region)), rng.normal(0, 0.8, 30), strict=True))
    city_effect = dict(zip(sorted(set(city)), rng.normal(0, 0.6, 200), strict=True))
    logit = (0.9 * score - 0.02 * (age - 50) + 0.4 * np.log(visits + 1)
             + pd.Series(plan).map({"free": -1.0, "basic": -0.2, "plus": 0.3, "pro": 0.9, "team": 1.2}).to_numpy()
             + pd.Series(region).map(region_effect).to_numpy() + pd.Series(city).map(city_effect).to_numpy()
             + 0.5 * np.where(joined.month.isin([11, 12]), 1, 0) + 0.3 * mobile * (score > 0)
             - 0.3 * (np.log(income) - 10) + rng.logistic(0, 1, rows) * 0.8)
    frame = pd.DataFrame({"income": income.round(2), "age": age, "visits": visits, "score": score.round(4),
                          "plan": plan, "region": region, "city": city,
                          "joined": joined.strftime("%Y-%m-%d"), "mobile": mobile})
    for column in frame.columns:
        gaps = rng.random(rows) < 0.10
        frame[column] = frame[column].astype(object).where(~gaps, None) if column == "mobile" else \
            frame[column].where(~gaps)
    frame["label"] = np.where(logit > 0, "yes", "no")
    return frame


def load(dataset: str, quick: bool):
    """train_df, test_df (pixel columns, no label), test labels, image shape."""
    if dataset == "mixed":
        frame = mixed_table(MIXED_ROWS // 5 if quick else MIXED_ROWS)
        frame.insert(0, "id", np.arange(len(frame)))
        cut = int(len(frame) * 0.8)
        train_df, test = frame.iloc[:cut].reset_index(drop=True), frame.iloc[cut:].reset_index(drop=True)
        return train_df, test.drop(columns=["label"]), test["label"].to_numpy(), None
    if dataset == "fashion-mnist":
        X_train = read_idx(FASHION_MNIST / "train-images-idx3-ubyte.gz").reshape(60_000, -1)
        y_train = read_idx(FASHION_MNIST / "train-labels-idx1-ubyte.gz")
        X_test = read_idx(FASHION_MNIST / "t10k-images-idx3-ubyte.gz").reshape(10_000, -1)
        y_test = read_idx(FASHION_MNIST / "t10k-labels-idx1-ubyte.gz")
        shape = (28, 28)
    else:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        digits = load_digits()
        X_train, X_test, y_train, y_test = train_test_split(
            digits.data.astype(np.uint8), digits.target, test_size=0.25, random_state=0,
            stratify=digits.target)
        shape = (8, 8)
    if quick:
        X_train, y_train, X_test, y_test = X_train[:6000], y_train[:6000], X_test[:2000], y_test[:2000]
    columns = [f"pixel{i}" for i in range(X_train.shape[1])]
    train_df = pd.DataFrame(X_train, columns=columns)
    train_df.insert(0, "id", np.arange(len(train_df)))
    train_df["label"] = y_train.astype(np.int64)
    test_df = pd.DataFrame(X_test, columns=columns)
    test_df.insert(0, "id", np.arange(len(train_df), len(train_df) + len(test_df)))
    return train_df, test_df, y_test.astype(np.int64), shape


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def raw_cnn_loop(train_df, test_df, task, epochs: int | None, seed: int,
                 device_name: str = "auto") -> tuple[float, np.ndarray]:
    """The cnn baseline's training without Lightning: same network, batches, optimiser, epochs."""
    import lightning.pytorch as pl
    import torch

    from baselines import cnn
    from baselines.devices import autocast_dtype, resolve_device, training_precision
    from baselines.features import prepare
    from baselines.lightning_training import (
        ResidentBatches,
        cpu_thread_count,
        loss_function,
        make_optimizer,
        place,
    )

    prepared = prepare(train_df, test_df, task, seed=seed, encoding=cnn.ENCODING)  # as cnn.fit gets it
    images = cnn.image_scaler(prepared.X_train, task.image_shape)
    n_rows = len(prepared.X_train)
    epochs = epochs or cnn.default_epochs(n_rows)
    device = resolve_device(device_name)
    if device.type == "cuda":
        torch.set_float32_matmul_precision("high")  # as the Lightning run does
        torch.backends.cudnn.deterministic = True
    torch.set_num_threads(cpu_thread_count(prepared.X_train.size))  # as the Lightning run does
    started = time.perf_counter()
    pl.seed_everything(seed, workers=True, verbose=False)
    network = cnn.SmallCNN(prepared.n_classes).to(device).to(memory_format=torch.channels_last)
    X_train, y_train, X_val, y_val = place(
        [torch.as_tensor(images(prepared.X_train)), torch.as_tensor(prepared.y_train),
         torch.as_tensor(images(prepared.X_val)), torch.as_tensor(prepared.y_val)], device)
    train_batches = ResidentBatches([X_train, y_train], cnn.batch_size(n_rows), shuffle=True, seed=seed,
                                    drop_last=True)
    val_batches = ResidentBatches([X_val, y_val], 1024)
    optimizer, scheduler = make_optimizer(network, cnn.LR, cnn.WEIGHT_DECAY, epochs * len(train_batches))
    loss_fn = loss_function(True, cnn.LABEL_SMOOTHING)
    shift = cnn.max_shift(task.image_shape)
    dtype = autocast_dtype(training_precision(device))
    autocast = torch.autocast(device.type, dtype=dtype or torch.bfloat16, enabled=dtype is not None)
    for _ in range(epochs):
        network.train()
        for x, y in train_batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            if cnn.augments(n_rows):
                x = cnn.random_shift(x, shift)
            x = x.contiguous(memory_format=torch.channels_last)
            with autocast:
                loss = loss_fn(network(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
        network.eval()
        with torch.no_grad(), autocast:  # validate every epoch, as the Lightning run does
            for x, y in val_batches:
                x = x.to(device).contiguous(memory_format=torch.channels_last)
                loss_fn(network(x), y.to(device))
    seconds = time.perf_counter() - started
    with torch.no_grad(), autocast:
        X_test = torch.as_tensor(images(prepared.X_test)).to(device).contiguous(memory_format=torch.channels_last)
        predictions = torch.cat([network(X_test[i:i + 1024]).argmax(1) for i in range(0, len(X_test), 1024)])
    return seconds, predictions.cpu().numpy()


def hist_gradient_boosting(train_df: pd.DataFrame, test_df: pd.DataFrame) -> np.ndarray:
    """The reference: scikit-learn's HistGradientBoostingClassifier, categories native, dates as numbers."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    def features(frame: pd.DataFrame, levels: dict | None = None) -> tuple[pd.DataFrame, dict]:
        out = frame.drop(columns=["id", "label"], errors="ignore").copy()
        joined = pd.to_datetime(out.pop("joined"), format="ISO8601")
        out["joined_days"] = (joined - pd.Timestamp("1970-01-01")).dt.days
        out["joined_month"], out["joined_weekday"] = joined.dt.month, joined.dt.day_of_week
        out["mobile"] = out["mobile"].astype("float64")
        levels = levels or {c: sorted(out[c].dropna().unique()) for c in ("plan", "region", "city")}
        for column, known in levels.items():
            out[column] = pd.Categorical(out[column], categories=known)
        return out, levels

    X_train, levels = features(train_df)
    X_test, _ = features(test_df, levels)
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
    model.fit(X_train, train_df["label"])
    return model.predict(X_test)


def worker(model: str, args) -> dict:
    """Train one model in this process; return its figures."""
    import torch

    from baselines import Task, run_baseline
    from baselines.devices import resolve_device

    train_df, test_df, y_test, shape = load(args.dataset, args.quick)
    classes = ["no", "yes"] if args.dataset == "mixed" else list(range(10))
    task = Task(id_column="id", target="label", kind="classification", prediction="label",
                classes=classes, image_shape=shape, metric="accuracy", name=args.dataset)
    started = time.perf_counter()
    if model == "hgb":
        predictions = hist_gradient_boosting(train_df, test_df)
        figures = {"test_accuracy": float((predictions == y_test).mean()),
                   "train_seconds": time.perf_counter() - started, "device": "cpu", "validation_score": None,
                   "train_rows": len(train_df)}
    elif model == "raw-cnn":
        seconds, predictions = raw_cnn_loop(train_df, test_df, task, args.epochs, args.seed, args.device)
        figures = {"test_accuracy": float((predictions == y_test).mean()), "train_seconds": seconds,
                   "device": resolve_device(args.device).type, "validation_score": None,
                   "train_rows": None}
    else:
        max_rows = None
        if (model == "xgboost" and args.dataset != "mixed" and resolve_device(args.device).type == "cpu"
                and len(train_df) > XGBOOST_CPU_ROWS):
            max_rows = XGBOOST_CPU_ROWS
        result = run_baseline(model, train_df, test_df, task, epochs=args.epochs, seed=args.seed,
                              progress=sys.stderr.isatty(), max_rows=max_rows, device=args.device)
        predicted = result.submission.set_index("id").loc[test_df["id"], "label"].to_numpy()
        figures = {"test_accuracy": float((predicted == y_test).mean()), "train_seconds": result.train_seconds,
                   "device": result.device, "validation_score": result.validation_score,
                   "train_rows": result.train_rows, "epochs": result.epochs}
    figures["total_seconds"] = time.perf_counter() - started  # encoding + training + predicting
    figures["peak_rss_mb"] = peak_memory_mb()
    if torch.cuda.is_available():
        figures["peak_cuda_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated: logreg,xgboost,mlp,cnn")
    parser.add_argument("--dataset", choices=["fashion-mnist", "digits", "mixed"], default="fashion-mnist")
    parser.add_argument("--quick", action="store_true", help="6000 training rows, 2000 test rows")
    parser.add_argument("--epochs", type=int, default=None, help="override every model's default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--no-raw", action="store_true", help="skip the plain-PyTorch CNN reference loop")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args)))
        return

    import torch

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = set(models) - set(MODELS)
    if unknown:
        parser.error(f"unknown model(s) {sorted(unknown)}; choose from {', '.join(MODELS)}")
    runs = models + (["raw-cnn"] if "cnn" in models and not args.no_raw else [])
    if args.dataset == "mixed":
        if "cnn" in models:
            parser.error("the cnn needs images; the mixed table is tabular")
        runs.append("hgb")
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, torch {torch.__version__}, CUDA {torch.version.cuda or 'none'}, "
          f"GPU: {torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'}")
    print(f"dataset: {args.dataset}{' (quick)' if args.quick else ''}, seed {args.seed}", flush=True)
    results = {}
    for run in runs:
        command = [sys.executable, __file__, "--worker", run, "--dataset", args.dataset, "--seed", str(args.seed)]
        command += ["--device", args.device] + (["--quick"] if args.quick else [])
        command += ["--epochs", str(args.epochs)] if args.epochs else []
        completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if completed.returncode != 0:
            print(f"{run}: failed (exit {completed.returncode})", flush=True)
            continue
        results[run] = figures = json.loads(completed.stdout.strip().splitlines()[-1])
        goal = GOALS.get(run)
        verdict = ""
        if goal and args.dataset == "fashion-mnist" and not args.quick:
            ok = figures["test_accuracy"] >= goal[0] and figures["train_seconds"] <= goal[1]
            verdict = f"  goal ≥{goal[0]:.0%} in ≤{goal[1]}s: {'met' if ok else 'MISSED'}"
        memory = f"{figures['peak_rss_mb']:.0f} MB RSS"
        if "peak_cuda_mb" in figures:
            memory += f", {figures['peak_cuda_mb']:.0f} MB CUDA"
        rows = f", {figures['train_rows']} train rows" if figures.get("train_rows") else ""
        print(f"{run:8} test accuracy {figures['test_accuracy']:.4f}  train {figures['train_seconds']:.1f}s  "
              f"end to end {figures['total_seconds']:.1f}s  peak {memory}  on {figures['device']}{rows}{verdict}",
              flush=True)
    if args.dataset == "mixed" and "hgb" in results:
        reference = results["hgb"]
        majority = max(np.mean(load("mixed", args.quick)[2] == label) for label in ("no", "yes"))
        print(f"trivial (majority class) accuracy {majority:.4f}")
        for run in (r for r in runs if r != "hgb" and r in results):
            gap = reference["test_accuracy"] - results[run]["test_accuracy"]
            ratio = results[run]["total_seconds"] / reference["total_seconds"]
            line = (f"{run:8} vs HistGradientBoosting: accuracy {gap * 100:+.2f} points behind, "
                    f"time {ratio:.2f}×")
            if run == "xgboost":
                met = gap <= MIXED_GOAL[0] and ratio <= MIXED_GOAL[1]
                line += f"  goal within 1 point at ≤ 2× the time: {'met' if met else 'MISSED'}"
            print(line, flush=True)
    if "cnn" in results and "raw-cnn" in results:
        ratio = results["cnn"]["train_seconds"] / results["raw-cnn"]["train_seconds"]
        print(f"Lightning overhead: cnn {results['cnn']['train_seconds']:.1f}s / raw loop "
              f"{results['raw-cnn']['train_seconds']:.1f}s = {ratio:.3f} (goal ≤ 1.10)")


if __name__ == "__main__":
    main()
