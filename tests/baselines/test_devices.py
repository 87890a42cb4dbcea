"""Device selection, the precision fallback, and determinism per device."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import torch

from baselines import run_baseline
from baselines.devices import autocast_dtype, cpu_has_native_bf16, resolve_device, training_precision
from baselines.task import BaselineError

CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not CUDA, reason="no CUDA GPU on this machine")


def test_auto_takes_the_gpu_only_when_there_is_one():
    assert resolve_device("auto").type == ("cuda" if CUDA else "cpu")
    assert resolve_device(None).type == resolve_device("auto").type
    assert resolve_device("CPU").type == "cpu"


def test_an_unknown_device_is_refused_with_the_choices():
    with pytest.raises(BaselineError, match=r"auto, cpu, cuda; got 'tpu'"):
        resolve_device("tpu")


@pytest.mark.skipif(CUDA, reason="this machine has a GPU")
def test_cuda_without_a_gpu_is_refused_not_run_on_the_cpu(digits):
    with pytest.raises(BaselineError, match="no CUDA GPU"):
        resolve_device("cuda")
    # ...and every model refuses it the same way, before any training.
    for model in ("logreg", "xgboost", "mlp", "cnn"):
        with pytest.raises(BaselineError, match="no CUDA GPU"):
            run_baseline(model, digits.train, digits.test, digits.task, epochs=1, progress=False, device="cuda")


def test_precision_is_bf16_where_native_else_fp16_on_gpus_fp32_on_cpus():
    cuda, cpu = torch.device("cuda"), torch.device("cpu")
    assert training_precision(cuda, bf16=True) == "bf16-mixed"
    assert training_precision(cuda, bf16=False) == "16-mixed"
    assert training_precision(cpu, bf16=True) == "bf16-mixed"
    assert training_precision(cpu, bf16=False) == "32-true"  # emulated bf16 is slower than fp32
    assert training_precision(cpu) == ("bf16-mixed" if cpu_has_native_bf16() else "32-true")
    assert autocast_dtype("bf16-mixed") is torch.bfloat16
    assert autocast_dtype("16-mixed") is torch.float16
    assert autocast_dtype("32-true") is None


@pytest.mark.skipif(not Path("/proc/cpuinfo").is_file(), reason="needs Linux's /proc/cpuinfo")
def test_native_bf16_is_read_from_the_cpu_itself():
    # The kernel's own list of the CPU's instruction sets is the independent witness.
    flags = set(Path("/proc/cpuinfo").read_text().split())
    assert cpu_has_native_bf16() == bool(flags & {"avx512_bf16", "amx_bf16"})


def _probabilities(model, bundle, device, seed=7):
    # Probabilities, not labels: labels would hide small numerical differences.
    task = replace(bundle.task, prediction="class_probabilities", metric="multiclass_log_loss")
    return run_baseline(model, bundle.train, bundle.test, task, epochs=1 if model == "cnn" else 2, seed=seed,
                        progress=False, device=device)


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_the_same_seed_on_the_cpu_repeats_exactly(model, digits):
    first, second = _probabilities(model, digits, "cpu"), _probabilities(model, digits, "cpu")
    assert first.device.startswith("cpu")
    pd.testing.assert_frame_equal(first.submission, second.submission, check_exact=True)


@needs_cuda
@pytest.mark.parametrize("model", ["xgboost", "mlp", "cnn"])
def test_the_same_seed_on_the_gpu_repeats_exactly(model, digits):
    first, second = _probabilities(model, digits, "cuda"), _probabilities(model, digits, "cuda")
    assert first.device.startswith("cuda")
    pd.testing.assert_frame_equal(first.submission, second.submission, check_exact=True)


@needs_cuda
def test_forcing_the_cpu_on_a_gpu_machine_trains_on_the_cpu(digits):
    assert _probabilities("mlp", digits, "cpu").device.startswith("cpu")
