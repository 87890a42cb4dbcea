#!/usr/bin/env bash
# One command to a passing test suite: set up (with test tools), then run pytest.
# With CI=true (as .ci/run sets it) the linter and the type checker run first; either failing fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
. .venv/bin/activate
if [ "${CI:-}" = "true" ]; then
    echo "ruff check ." && ruff check .
    echo "mypy (grader/ and kit/, as configured in pyproject.toml)" && mypy
fi
exec python -m pytest "$@"
