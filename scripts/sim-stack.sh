# Sourced by scripts/demo.sh, scripts/demo-rdap.sh and tools/bench/lookup_bench.sh: starts whoisq-sim
# with the fixture stack, then a broker and 2 workers whose config maps every
# simulated server name to 127.0.0.1 (strict resolution), all in folder $dir.
# The caller defines `dir`, the `pids` array and a trap that kills "${pids[@]}".
#
#   start_sim_stack FILTER PORTBASE
# FILTER is a command that rewrites limit lines (`cat` keeps them), applied to
# the simulator's config and to whoisq's alike; PORTBASE replaces 1770 in the
# broker endpoints of tools/demo/demo.toml (1770 keeps them: 17700-17702).
start_sim_stack() {
  local filter=$1 portbase=$2
  sed "s|^control = 0|control = 0\nresolve_file = \"$dir/resolve.toml\"\nroot = \"$PWD/tests/fixtures/sim\"|" \
    tests/fixtures/sim/stack.toml | $filter > "$dir/sim.toml"
  build/tools/whois_sim/whoisq-sim --config "$dir/sim.toml" > "$dir/sim.out" 2> "$dir/sim.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$dir/resolve.toml" ] && break; sleep 0.1; done
  sim_control=$(sed -n 's/.*"control": *\([0-9]*\).*/\1/p' "$dir/sim.out")

  $filter < tools/demo/demo.toml | sed "s/1770\([0-2]\)/${portbase}\1/" > "$dir/whoisq.toml"
  echo "path = \"$dir/store\"" >> "$dir/whoisq.toml"
  cat "$dir/resolve.toml" >> "$dir/whoisq.toml"

  start_whoisq
}

# Starts a broker and 2 workers with $dir/whoisq.toml and waits for the
# broker's endpoints line.
start_whoisq() {
  build/broker/whoisq-broker --config "$dir/whoisq.toml" > "$dir/broker.out" 2> "$dir/broker.log" &
  pids+=($!)
  for _ in 1 2; do
    build/worker/whoisq-worker --config "$dir/whoisq.toml" > /dev/null 2>> "$dir/worker.log" &
    pids+=($!)
  done
  for _ in $(seq 100); do [ -s "$dir/broker.out" ] && break; sleep 0.1; done
}
