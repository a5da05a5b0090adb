#!/usr/bin/env bash
# Batch-lookup benchmark: `whoisq lookup --file` over N names (default 2000,
# spread over the 5 simulated TLDs) against whoisq-sim on 127.0.0.1, with a
# broker and 2 workers. Prints the CLI's figures for a cold run (every name
# walks IANA -> registry -> registrar) and a warm run (all from the store),
# and the simulated servers' breach counters. Bounded: it stops by itself.
#
#   tools/bench/lookup_bench.sh            # limits raised so whoisq itself is measured
#   LIMITS=real tools/bench/lookup_bench.sh  # the fixture's own (low) limits
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${N:-2000}"
LIMITS="${LIMITS:-raised}"
[ -x build/tools/cli/whoisq ] || bash scripts/build.sh
dir=$(mktemp -d)
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap stop EXIT INT TERM

raise() {  # the same limits in the simulator and in whoisq
  if [ "$LIMITS" = raised ]; then
    sed -e 's/^concurrency = .*/concurrency = 32/' -e 's/^per_second = .*/per_second = 2000.0/' \
        -e 's/^burst = .*/burst = 200/'
  else
    cat
  fi
}
source scripts/sim-stack.sh
start_sim_stack raise 1780

tlds=(com net org xyz io)
for i in $(seq 0 $((N - 1))); do echo "bench$i.${tlds[$((i % 5))]}"; done > "$dir/names.txt"

echo "== cold: $N names, limits $LIMITS"
timeout 900 build/tools/cli/whoisq lookup --config "$dir/whoisq.toml" --file "$dir/names.txt" \
  --out "$dir/cold.jsonl" --window 512
echo "== warm: the same $N names again (answered from the store)"
timeout 300 build/tools/cli/whoisq lookup --config "$dir/whoisq.toml" --file "$dir/names.txt" \
  --out "$dir/warm.jsonl" --window 512
echo "== results: $(grep -c '"outcome":"ok"' "$dir/cold.jsonl") ok cold, $(grep -c '"outcome":"cached"' "$dir/warm.jsonl") cached warm"
printf 'stats\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$sim_control; cat >&3; cat <&3" |
  python3 -c 'import json,sys; s=json.load(sys.stdin)["servers"]
for h,c in sorted(s.items()):
  b = c["breaches_concurrency"] + c["breaches_rate"] + c["breaches_daily"]
  print("  %-28s served %6d  breaches %d" % (h, c["served"], b))'
