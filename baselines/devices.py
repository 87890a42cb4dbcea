"""Which device a baseline trains on, and in which precision.

`--device auto` (the default) takes the GPU when PyTorch sees one; `cpu` and `cuda` force a
choice, and asking for `cuda` where there is none is refused rather than quietly run on the
CPU. Mixed precision is bfloat16 where the GPU supports it (Ampere and newer), float16 with
loss scaling on older GPUs; on a CPU, bfloat16 where it has bf16 instructions of its own
(AVX512-BF16 or AMX: oneDNN's convolutions then run about twice as fast as in float32), else
full float32 (emulated bf16 would be slower than float32).
"""

from __future__ import annotations

import torch

from baselines.task import BaselineError

DEVICES = ("auto", "cpu", "cuda")


def resolve_device(requested: str | None = "auto") -> torch.device:
    """The torch device for a `--device` value; `cuda` without a usable GPU is an error."""
    choice = (requested or "auto").lower()
    if choice not in DEVICES:
        raise BaselineError(f"device must be one of {', '.join(DEVICES)}; got {requested!r}.")
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if choice == "cuda" and not torch.cuda.is_available():
        raise BaselineError("--device cuda was asked for, but PyTorch sees no CUDA GPU here "
                            f"(torch {torch.__version__}). Use --device cpu or auto.")
    return torch.device(choice)


def bf16_supported(device: torch.device) -> bool:
    return device.type == "cuda" and torch.cuda.is_bf16_supported()


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes in bfloat16 natively (AVX512-BF16 or AMX tiles)."""
    probes = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return any(probe is not None and probe() for probe in probes)


def training_precision(device: torch.device, *, bf16: bool | None = None) -> str:
    """Lightning's precision string: bf16 mixed where the hardware has it, else fp16 mixed (GPU) or fp32 (CPU).

    `bf16` overrides the capability check (tests exercise both branches on any machine).
    """
    if device.type == "cuda":
        capable = bf16_supported(device) if bf16 is None else bf16
        return "bf16-mixed" if capable else "16-mixed"
    capable = cpu_has_native_bf16() if bf16 is None else bf16
    return "bf16-mixed" if capable else "32-true"


def autocast_dtype(precision: str) -> torch.dtype | None:
    """The autocast dtype of a precision string (None: no autocast)."""
    return {"bf16-mixed": torch.bfloat16, "16-mixed": torch.float16}.get(precision)


def describe_device(device: torch.device, threads: int) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({threads} thread{'s' if threads > 1 else ''})"
