#!/usr/bin/env bash
# Installs the Debian packages spotcheck builds and runs with, when any is missing.
set -euo pipefail
packages=(cmake g++ make libgtest-dev libgmock-dev libbenchmark-dev libboost-dev libboost-filesystem-dev
  libfmt-dev nlohmann-json3-dev libcli11-dev libdtl-dev libmd-dev nettle-dev bubblewrap shellcheck clang-format clang-tidy
  awscli dpkg-dev musl-tools)  # AWS CLI v2: the reference tests/test_aws_cli_parity.cpp compares the fake with, offline in bubblewrap only;
  # dpkg-dev: dpkg-shlibdeps, which CPack's Debian package uses for its library dependencies; musl-tools:
  # musl-gcc, which builds spotcheck-call (fakes/client/), the launcher's side of a call, with a cheap start-up
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Headless Chromium, for tests/html_render_test.sh (the HTML report in a real browser; skipped without it):
# apart, and without its recommends, which are a desktop's worth of packages.
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
  echo "setup: installing chromium" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
