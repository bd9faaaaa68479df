#!/usr/bin/env bash
# The layering ARCHITECTURE.md draws, checked on the #include lines: each folder may include only the
# layers below it. Prints every offending line as FILE:LINE: what it includes and which rule it breaks.
#   check_layers.sh SOURCE_DIR      check a tree
#   check_layers.sh --self-test     prove the check fires: a scratch tree with one violation per rule
set -euo pipefail

check_tree() {
  local root=$1 failures=0 contracts_headers
  # The contracts are whatever contracts/include/spotcheck/ holds: spotcheck/(error|record|...)\.hpp
  contracts_headers="spotcheck/($(find "$root/contracts/include/spotcheck" -maxdepth 1 -name '*.hpp' -printf '%f\n' 2>/dev/null |
    sed 's/\.hpp$//' | paste -sd '|'))\.hpp"
  # rule: FOLDER ; allowed-include regex (quoted includes only) ; why
  local rules=(
    "contracts;^(${contracts_headers})$;contracts/ is the bottom layer: it includes only itself"
    "fakes;^(${contracts_headers}|spotcheck/fakes/.*|(aws|world|jmespath|shims)/.*|[a-z_]+\.hpp)$;fakes/ sits on contracts/ only, never on harness/"
    "fakes/src/world;^(${contracts_headers}|spotcheck/fakes/.*|world/.*|ordered_json\.hpp)$;world/ is below aws/ and shims/"
    "fakes/src/jmespath;^(jmespath/.*|ordered_json\.hpp)$;jmespath/ works on JSON only"
    "fakes/src/aws;^(${contracts_headers}|spotcheck/fakes/.*|(aws|world|jmespath)/.*|ordered_json\.hpp)$;aws/ is below shims/"
  )
  for rule in "${rules[@]}"; do
    IFS=';' read -r folder allowed why <<<"$rule"
    [ -d "$root/$folder" ] || continue
    while IFS=: read -r file line text; do
      local target=${text#*\"}
      target=${target%%\"*}
      if ! [[ $target =~ $allowed ]]; then
        echo "${file#"$root"/}:$line: includes \"$target\" ($why)"
        failures=$((failures + 1))
      fi
    done < <(grep -rn --include='*.cpp' --include='*.hpp' '^#include "' "$root/$folder" || true)
  done
  return $((failures > 0))
}

self_test() {
  local scratch
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' RETURN
  mkdir -p "$scratch"/{contracts/src,contracts/include/spotcheck,fakes/src/world,fakes/src/jmespath,fakes/src/aws}
  touch "$scratch/contracts/include/spotcheck/record.hpp"
  echo '#include "spotcheck/record.hpp"' >"$scratch/fakes/src/allowed.cpp"  # a contract: not reported
  echo '#include "spotcheck/scenario.hpp"' >"$scratch/contracts/src/a.cpp"
  echo '#include "spotcheck/reporters.hpp"' >"$scratch/fakes/src/b.cpp"
  echo '#include "aws/cli_args.hpp"' >"$scratch/fakes/src/world/c.cpp"
  echo '#include "world/common.hpp"' >"$scratch/fakes/src/jmespath/d.cpp"
  echo '#include "shims/ssh.hpp"' >"$scratch/fakes/src/aws/e.cpp"
  local out
  out=$(check_tree "$scratch") && { echo "self-test: a tree with violations passed"; return 1; }
  for f in contracts/src/a.cpp fakes/src/b.cpp fakes/src/world/c.cpp fakes/src/jmespath/d.cpp fakes/src/aws/e.cpp; do
    grep -q "^$f:1:" <<<"$out" || { echo "self-test: $f not reported"; echo "$out"; return 1; }
  done
  if grep -q "allowed.cpp" <<<"$out"; then echo "self-test: an include of a contract was reported"; return 1; fi
  echo "self-test: all 5 violations reported, the allowed include not"
}

case ${1:-} in
  --self-test) self_test ;;
  "") echo "usage: check_layers.sh SOURCE_DIR | --self-test" >&2; exit 2 ;;
  *) check_tree "$1" && echo "layers: every #include points down" ;;
esac
