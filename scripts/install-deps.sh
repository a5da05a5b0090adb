#!/usr/bin/env bash
# Installs the Debian 12 packages whoisq builds, tests and runs with.
# Idempotent: packages already present are left alone. As root (or with
# password-less sudo) it runs apt-get; otherwise it prints the exact command.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libzmq3-dev cppzmq-dev
  librocksdb-dev
  libmsgpack-cxx-dev
  libboost-dev
  libssl-dev zlib1g-dev ca-certificates openssl
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libspdlog-dev
  libpsl-dev publicsuffix libidn2-dev
  libre2-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  clang libclang-rt-14-dev
  python3 python3-zmq python3-msgpack
  whois
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "install-deps: missing packages; run as root:"
    echo "  apt-get update && ${cmd[*]}"
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
echo "install-deps: installed ${missing[*]}"
