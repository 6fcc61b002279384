#!/usr/bin/env bash
# Installs the Debian packages clustersim needs (only the missing ones), then configures and builds.
# Usage: scripts/setup.sh [build-dir]     (sourced by run.sh and test.sh; safe to run again: fast when done)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build}"

packages=(
  g++ cmake make pkg-config git time
  libsimgrid-dev libboost-graph-dev libyaml-cpp-dev libhdf5-dev hdf5-tools
  libgtest-dev libgmock-dev libcli11-dev libfmt-dev valgrind clang-format udunits-bin
  python3 python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-pandas python3-matplotlib python3-yaml
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$build" -j"$(nproc)" >&2
