#!/usr/bin/env bash
# Installs the dependencies, builds, and runs every test (unit, corpus,
# end-to-end with real processes on 127.0.0.1). This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

# The parser's libFuzzer target, in its own clang build, in bounded smoke mode
# (20,000 inputs seeded with the corpus; see tests/parse/CMakeLists.txt).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DWHOISQ_FUZZ=ON -DWHOISQ_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "${JOBS:-2}" --target parse_fuzzer
(cd build-fuzz && ctest -R '^parse_fuzzer_smoke$' --output-on-failure)

cd build
# End-to-end tests start their own processes; run one test at a time so the
# simulated servers' limit accounting is not disturbed by a loaded machine.
ctest --output-on-failure --timeout 300
