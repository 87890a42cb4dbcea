#!/usr/bin/env bash
# One command to a working demo: set up, build the demo season, open the leaderboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
echo "The kit is installed in .venv: run '. .venv/bin/activate' in your shell to use the kit command."
exec kit demo "$@"
