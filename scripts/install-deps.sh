#!/usr/bin/env bash
# Installs the Debian 12 packages Kiln needs to build, test and run its demo.
# Idempotent: skips apt entirely when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libssl-dev libsqlite3-dev libpq-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev libsimdjson-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql-15 postgresql-client-15 curl wrk
  python3 python3-pytest python3-requests bc
  mosquitto mosquitto-clients libmosquitto-dev
  chromium fonts-noto-cjk unzip libxlsxwriter-dev libzip-dev libpugixml-dev libexpat1-dev python3-openpyxl
  clang libclang-rt-14-dev clang-format clang-tidy
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi

# The web console needs Node.js 20.19 or newer (Vite 8). Debian 12's own nodejs
# is 18, so a machine without a newer one gets it from Debian only as a last resort.
if ! command -v node >/dev/null; then
  echo "install-deps: node missing; installing Debian's nodejs and npm"
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
node_major=$(node -e 'console.log(process.versions.node.split(".")[0])')
if [ "$node_major" -lt 20 ]; then
  echo "install-deps: Node.js $(node --version) is too old for the web console (needs >= 20.19)" >&2
  exit 1
fi
