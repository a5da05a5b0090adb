#!/usr/bin/env bash
# Runs the whole stack against the project's simulated WHOIS servers on
# 127.0.0.1 (no internet needed): whoisq-sim with tests/fixtures/sim/stack.toml,
# a broker and 2 workers on free ports, then a few lookups, then stops it all.
# Usage: scripts/demo.sh [names...]   (default: a name under each simulated TLD)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/tools/cli/whoisq ] || { bash scripts/install-deps.sh && bash scripts/build.sh; }
dir=$(mktemp -d)
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap stop EXIT INT TERM

# 1. The simulated servers; they write a [resolve] table with their ports.
sed "s|^control = 0|control = 0\nresolve_file = \"$dir/resolve.toml\"\nroot = \"$PWD/tests/fixtures/sim\"|" \
  tests/fixtures/sim/stack.toml > "$dir/sim.toml"
build/tools/whois_sim/whoisq-sim --config "$dir/sim.toml" > "$dir/sim.out" 2> "$dir/sim.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$dir/resolve.toml" ] && break; sleep 0.1; done

# 2. whoisq's config: its own limits, and every server name mapped to loopback.
cat tools/demo/demo.toml > "$dir/whoisq.toml"
echo "path = \"$dir/store\"" >> "$dir/whoisq.toml"
cat "$dir/resolve.toml" >> "$dir/whoisq.toml"

build/broker/whoisq-broker --config "$dir/whoisq.toml" > "$dir/broker.out" 2> "$dir/broker.log" &
pids+=($!)
for _ in 1 2; do
  build/worker/whoisq-worker --config "$dir/whoisq.toml" > /dev/null 2>> "$dir/worker.log" &
  pids+=($!)
done
for _ in $(seq 100); do [ -s "$dir/broker.out" ] && break; sleep 0.1; done

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(example.com https://www.example.org/about example.xyz example.io nx-free.net)
build/tools/cli/whoisq lookup --config "$dir/whoisq.toml" "${names[@]}"
echo
build/tools/cli/whoisq stats --config "$dir/whoisq.toml"
