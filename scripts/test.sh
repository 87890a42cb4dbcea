#!/usr/bin/env bash
# One command to a passing test suite: set up (with test tools), then run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
. .venv/bin/activate
exec python -m pytest "$@"
