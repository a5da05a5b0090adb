#!/usr/bin/env bash
# Runs the stack against the project's simulated RDAP and WHOIS servers on
# 127.0.0.1 (no internet needed): whoisq-sim with tests/fixtures/sim/rdap.toml
# over HTTPS with a throw-away CA made here (openssl), a broker and 2 workers
# preferring RDAP, then a few lookups that show each path, then stops it all.
# Usage: scripts/demo-rdap.sh [names...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/tools/cli/whoisq ] || { bash scripts/install-deps.sh && bash scripts/build.sh; }
dir=$(mktemp -d)
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap stop EXIT INT TERM

# Certificates: a CA whoisq trusts ([rdap] ca_file) and one it does not, each
# with a leaf for every simulated server name.
names_csv=$(sed -n 's/^name = "\(.*\)"/DNS:\1/p' tests/fixtures/sim/rdap.toml | paste -sd, -)
for which in trusted untrusted; do
  d="$dir/pki/$which"
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=whoisq demo $which CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$d/key.pem" -out "$d/leaf.csr" -subj "/CN=whoisq demo server" 2>/dev/null
  openssl x509 -req -in "$d/leaf.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -out "$d/cert.pem" \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$names_csv") 2>/dev/null
done

sed -e "s|@PKI@|$dir/pki|g" \
    -e "s|^control = 0|control = 0\nresolve_file = \"$dir/resolve.toml\"\nroot = \"$PWD/tests/fixtures/sim\"|" \
    tests/fixtures/sim/rdap.toml > "$dir/sim.toml"
build/tools/whois_sim/whoisq-sim --config "$dir/sim.toml" > "$dir/sim.out" 2> "$dir/sim.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$dir/resolve.toml" ] && break; sleep 0.1; done

cat > "$dir/whoisq.toml" <<EOF
[broker]
frontend = "tcp://127.0.0.1:17800"
publish = "tcp://127.0.0.1:17801"
workers = "tcp://127.0.0.1:17802"
[store]
path = "$dir/store"
[network]
timeout_s = 5
strict_resolve = true   # never leave loopback
[log]
level = "warn"
[protocol]
prefer = "rdap"
[rdap]
bootstrap = ""          # the built-in IANA files
ca_file = "$dir/pki/trusted/ca.pem"
[limits.default]
concurrency = 2
per_second = 5.0
burst = 5
daily = 100000
EOF
cat "$dir/resolve.toml" >> "$dir/whoisq.toml"

source scripts/sim-stack.sh
start_whoisq

names=("$@")
# .com: RDAP registry -> registrar; .ru: no RDAP server, WHOIS; .org: its RDAP
# server is down, WHOIS instead; .app: a certificate that does not verify;
# an ARIN network and AS over RDAP.
[ ${#names[@]} -gt 0 ] || names=(example.com example.ru example.org example.app 13.64.0.1 AS13335)
build/tools/cli/whoisq lookup --config "$dir/whoisq.toml" "${names[@]}"
echo
build/tools/cli/whoisq stats --config "$dir/whoisq.toml"
