#!/usr/bin/env bash
# One command to a working demo: set up, build the demo season, open the leaderboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
exec kit demo "$@"
