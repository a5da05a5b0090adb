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

source scripts/sim-stack.sh
start_sim_stack cat 1770

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(example.com https://www.example.org/about example.xyz example.io nx-free.net)
build/tools/cli/whoisq lookup --config "$dir/whoisq.toml" "${names[@]}"
echo
build/tools/cli/whoisq stats --config "$dir/whoisq.toml"
