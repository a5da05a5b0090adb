#!/usr/bin/env bash
# Installs the dependencies, builds, and runs every test (unit, corpus,
# end-to-end with real processes on 127.0.0.1). This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
# End-to-end tests start their own processes; run one test at a time so the
# simulated servers' limit accounting is not disturbed by a loaded machine.
ctest --output-on-failure --timeout 300
