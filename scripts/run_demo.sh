#!/usr/bin/env bash
# Serve the demo: a task worker in the background beside the development server.
#
# Used by `make demo` after migrating and loading the demo data. The worker
# (`qiao db_worker`) is stopped when the server stops (Ctrl-C, error or exit).
# HOST and PORT choose the address (default 127.0.0.1:8000).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$(dirname "$here")"
qiao="${VENV:-.venv}/bin/qiao"
export QIAO_MODE="${QIAO_MODE:-demo}"

worker=""
stop_worker() {
    if [[ -n "$worker" ]] && kill -0 "$worker" 2>/dev/null; then
        kill "$worker" 2>/dev/null || true
        # Give it a moment to finish its current task, then insist.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$worker" 2>/dev/null || break
            sleep 0.5
        done
        kill -9 "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p var
"$qiao" db_worker >> var/worker.log 2>&1 &
worker=$!
echo "run_demo: task worker running (pid $worker, log in var/worker.log);" \
     "it computes the profile embeddings for the partner suggestions in the background."
"$qiao" runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
