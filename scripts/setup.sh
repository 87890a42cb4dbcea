#!/usr/bin/env bash
# Set up .venv with the kit installed. `--dev` adds the test tools and the system
# packages the tests use (headless Chromium, Fashion-MNIST) where apt-get is available.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        # Debian and Ubuntu ship venv separately.
        rm -rf .venv
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
        "$PYTHON" -m venv .venv
    fi
fi
. .venv/bin/activate
python -m pip install -q --upgrade pip

# Without an NVIDIA GPU, take PyTorch's CPU build first (2.13.0 is on this kind of
# machine's disk); a plain `torch` requirement would download a multi-GB CUDA build.
if ! python -c "import torch" 2>/dev/null; then
    if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
        python -m pip install -q "torch>=2.3,<3"
    else
        python -m pip install -q torch==2.13.0 \
            || python -m pip install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
    fi
fi

if [ "${1:-}" = "--dev" ]; then
    python -m pip install -q -e ".[dev]"   # everything: server, baselines, PostgreSQL driver, test tools
    missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
    [ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
    if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        echo "Installing ${missing[*]} with apt-get…"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
            || echo "warning: could not install ${missing[*]}; the tests that need them will be skipped" >&2
    fi
else
    python -m pip install -q -e ".[all]"   # the client and grader, the server and the baselines
fi
