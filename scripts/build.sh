#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds with the given CMake preset (default: default).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
preset="${1:-default}"
scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
