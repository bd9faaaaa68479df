#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, warnings-as-errors build, ctest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build.sh ci
ctest --preset ci "$@"
