#!/usr/bin/env bash
# Installs the dependencies, builds, and starts a broker and 2 workers with the
# built-in defaults (or --config FILE): clients on tcp://127.0.0.1:7700,
# results on :7701, workers on :7702, store in ./whoisq-data. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
args=("$@")
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap stop EXIT INT TERM
build/broker/whoisq-broker "${args[@]}" &
pids+=($!)
sleep 0.5
for _ in 1 2; do
  build/worker/whoisq-worker "${args[@]}" &
  pids+=($!)
done
echo "whoisq: broker and 2 workers running; try: build/tools/cli/whoisq lookup example.com" >&2
wait "${pids[0]}"
