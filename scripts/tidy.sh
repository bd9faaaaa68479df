#!/usr/bin/env bash
# clang-tidy over every project source file (tests excluded) with the checks .clang-tidy lists and
# justifies; any finding fails. Uses the build's compile_commands.json.
#   scripts/tidy.sh [BUILD_DIR]   check the tree (default: build)
#   scripts/tidy.sh --self-test   prove the checks fire: a scratch file with a use-after-move must fail
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tidy=$(command -v clang-tidy) || { echo "tidy: clang-tidy is not installed (scripts/setup.sh installs it)" >&2; exit 2; }

if [ "${1:-}" = --self-test ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  cat >"$scratch/moved.cpp" <<'CPP'
#include <string>
#include <utility>
std::size_t moved() {
  std::string a = "text";
  std::string b = std::move(a);
  return a.size() + b.size();
}
CPP
  if out=$("$tidy" --quiet --config-file=.clang-tidy "$scratch/moved.cpp" -- -std=c++20 2>&1); then
    echo "tidy self-test: a use-after-move passed"; echo "$out"; exit 1
  fi
  grep -q 'bugprone-use-after-move' <<<"$out" || { echo "tidy self-test: not reported as use-after-move"; echo "$out"; exit 1; }
  echo "tidy self-test: the use-after-move was reported and failed the check"
  exit 0
fi

build=${1:-build}
[ -f "$build/compile_commands.json" ] || { echo "tidy: $build/compile_commands.json is missing (configure first)" >&2; exit 2; }
mapfile -t files < <(git ls-files 'contracts/*.cpp' 'fakes/*.cpp' 'harness/*.cpp' 'launchers/*.cpp' 'bench/*.cpp')
start=$SECONDS
if printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 "$tidy" --quiet -p "$build" 2>/dev/null; then
  echo "tidy: ${#files[@]} files, no findings ($((SECONDS - start)) s)"
else
  echo "tidy: findings above (checks and why: .clang-tidy)" >&2
  exit 1
fi
