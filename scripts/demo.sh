#!/usr/bin/env bash
# One command to a working demo: set up, build the demo season, open the leaderboard on
# 127.0.0.1 (pass --address 0.0.0.0 to open it to your network). The installer's output
# goes to a log, so the demo's short next steps are the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -t kit-setup.XXXXXX)
echo "Setting up .venv (installer log: $log)…"
if ! bash scripts/setup.sh >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "Set-up failed; the whole log is in $log" >&2
    exit 1
fi
. .venv/bin/activate
exec kit demo "$@"
