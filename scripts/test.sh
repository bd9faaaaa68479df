#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, warnings-as-errors build, ctest (the stress test
# included), clang-tidy over the sources (scripts/tidy.sh, checks in .clang-tidy), then the sanitizer
# subsets (scripts/sanitizers.sh asan and tsan).
# SPOTCHECK_SKIP_SANITIZERS=1 skips the sanitizer builds (local iterations).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build.sh ci
ctest --preset ci "$@"
scripts/tidy.sh build
if [ "${SPOTCHECK_SKIP_SANITIZERS:-0}" != 1 ]; then
  scripts/sanitizers.sh asan
  scripts/sanitizers.sh tsan
fi
