#!/usr/bin/env bash
# spotcheck outside its own tree: install it into a prefix, move the prefix (nothing may point back into the
# build or source tree), and check another team's repository with it, through the CLI and through the CMake
# package (find_package + spotcheck_add_scenarios, sharded ctest). `deb` instead builds the Debian package
# with CPack, has apt resolve its dependencies (simulated), installs it with dpkg into a scratch root and
# runs the spotcheck it holds.
#   tests/install_test.sh install BUILD_DIR SOURCE_DIR
#   tests/install_test.sh deb BUILD_DIR SOURCE_DIR
set -euo pipefail
mode=$1 build=$(cd "$2" && pwd) source=$(cd "$3" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/spotcheck-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

if [[ $mode == deb ]]; then
  (cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack -G DEB"; }
  deb=$(ls "$work"/pkg/spotcheck_*.deb)
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "install_test: $(basename "$deb"): Depends: $depends"
  [[ $depends == *bubblewrap* ]] || fail "the package does not depend on bubblewrap: $depends"
  # apt resolves its dependencies against this machine (simulated: nothing is installed system-wide)...
  apt-get install --simulate "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get cannot install $deb"; }
  grep -q "^Inst spotcheck " "$work/apt.log" || { cat "$work/apt.log"; fail "apt-get would not install spotcheck"; }
  # ...and dpkg installs it for real into a scratch root with a database of its own.
  mkdir -p "$work/admin/updates" "$work/admin/info" "$work/root"
  touch "$work/admin/status" "$work/admin/available"
  dpkg --admindir="$work/admin" --instdir="$work/root" --force-depends --force-script-chrootless --no-triggers \
    -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
  dpkg --admindir="$work/admin" -s spotcheck | grep -q "^Status: install ok installed" || fail "dpkg: not installed"
  for f in usr/bin/spotcheck usr/bin/spot-launch usr/libexec/spotcheck/spotcheck-fake usr/libexec/spotcheck/spotcheck-call \
           usr/share/spotcheck/worlds/default.json usr/lib/cmake/spotcheck/spotcheckConfig.cmake \
           usr/share/man/man1/spotcheck.1; do
    [[ -e $work/root/$f ]] || fail "the package has no /$f"
  done
  version=$("$work/root/usr/bin/spotcheck" --version)
  [[ $version == "spotcheck "* ]] || fail "spotcheck --version printed '$version'"
  echo "install_test: the .deb installs (dpkg, scratch root) and its spotcheck runs: $version"
  exit 0
fi

# The build tree's own layout, under another name: the binaries and share/ copied away from build/.
mkdir -p "$work/renamed-build/bin"
cp "$build/bin/spotcheck" "$build/bin/spotcheck-fake" "$build/bin/spotcheck-call" "$work/renamed-build/bin/"
cp -r "$build/share" "$work/renamed-build/share"
"$work/renamed-build/bin/spotcheck" run --dry-run -- "$source/tests/fixtures/external_repo/infrastructure/spot_job.sh" \
  >"$work/dry.out" 2>&1 || { cat "$work/dry.out"; fail "a copy of the build tree's binaries does not run"; }
grep -q -- "$work/renamed-build/bin/spotcheck-fake" "$work/dry.out" || { cat "$work/dry.out"; fail "the copy used another fake"; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
mv "$work/prefix" "$work/moved"  # a copy elsewhere: only paths relative to the binary may be used
spotcheck=$work/moved/bin/spotcheck
"$spotcheck" --version

# Another team's repository, from scratch: its launcher and its workload, nothing of spotcheck's.
mkdir -p "$work/repo/infrastructure"
cp "$source/tests/fixtures/external_repo/infrastructure/spot_job.sh" "$work/repo/infrastructure/"
cp "$source/tests/fixtures/external_repo/job.py" "$work/repo/"
cd "$work/repo"
"$spotcheck" init --launcher infrastructure/spot_job.sh --mode-flag --smoke >"$work/init.out" 2>&1 ||
  { cat "$work/init.out"; fail "spotcheck init"; }
grep -q "What to fill in:" "$work/init.out" || { cat "$work/init.out"; fail "init printed no TODO list"; }
grep -q '"todo"' spotcheck/workloads/job.json || fail "init's catalog lists no todo"
# The team fills in the catalog's TODOs: what each job.py invocation stands for.
python3 - spotcheck/workloads/job.json <<'PY'
import json, sys
path = sys.argv[1]
catalog = json.load(open(path))
for entry in catalog["entrypoints"]:
    for inv in entry["invocations"]:
        inv.pop("todo")
        inv["stdout"] = "job: " + " ".join(inv["args_contain"]) + " ok\n"
        inv["effects"] = ["s3.read"]
json.dump(catalog, open(path, "w"), indent=2)
PY
# A new golden is needed once the answers change (job.py now prints): the first check says so.
set +e
"$spotcheck" check >"$work/first.out" 2>&1
status=$?
set -e
[[ $status == 1 ]] || { cat "$work/first.out"; fail "a run that no longer matches its golden must fail (exit 1), got $status"; }
"$spotcheck" check --update >/dev/null || fail "check --update"
"$spotcheck" check --contract >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "check --contract"; }
grep -q "PASS:       8" "$work/check.out" || { cat "$work/check.out"; fail "expected 8 passes (2 scenarios, 6 contract claims)"; }
echo "install_test: the installed spotcheck set up and checks another repository: $(grep -c '^PASS: ' "$work/check.out") PASS"

# The CMake package: each scenario a ctest test, in two shards.
mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(team_launchers NONE)
enable_testing()
find_package(spotcheck 0.1 REQUIRED CONFIG)
spotcheck_add_scenarios($work/repo/spotcheck/scenarios PREFIX team SHARDS 2 LABELS launchers)
CMAKE
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$work/moved" >/dev/null
listed=$(cd "$work/consumer/build" && ctest -N | grep -c "Test *#")
[[ $listed == 2 ]] || fail "spotcheck_add_scenarios registered $listed tests, expected 2"
(cd "$work/consumer/build" && ctest -L spotcheck-shard-1 --output-on-failure) >"$work/ctest.out" 2>&1 ||
  { cat "$work/ctest.out"; fail "ctest -L spotcheck-shard-1"; }
grep -q "100% tests passed, 0 tests failed out of 1" "$work/ctest.out" || { cat "$work/ctest.out"; fail "shard 1"; }
echo "install_test: find_package(spotcheck) + spotcheck_add_scenarios: 2 tests, shard 1 of 2 passes"
