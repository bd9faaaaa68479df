#!/usr/bin/env bash
# The HTML view in a real browser: a recording of the bundled backtest launcher's preflight, rendered by
# `spotcheck show --html` (harness/src/report_html.cpp), loaded by headless Chromium. The page fetches
# nothing, its DOM has a lane per host (the dispatcher and the spot instance), and its screenshot is not
# blank and shows the lane band and instance-lifecycle box colours.
# Usage: html_render_test.sh SPOTCHECK_BIN SOURCE_DIR   (exit 77: skipped, Chromium is not installed)
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 SPOTCHECK_BIN SOURCE_DIR" >&2
  exit 2
fi
bin=$(realpath "$1")
src=$(realpath "$2")
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium not installed (apt-get install chromium)"
  exit 77
fi

tmp=$(mktemp -d)
sessions=()
cleanup() {
  local s
  for s in "${sessions[@]}"; do kill -KILL -- "-$s" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [ ! -s "$tmp/chromium.log" ] || { echo "--- chromium's stderr:" >&2; tail -n 20 "$tmp/chromium.log" >&2; }
  exit 1
}

# Chromium in a session of its own (setsid, then timeout's process group), so that every process it forks
# (zygote, renderer, GPU, crash handler) goes with it: none outlives the test. Its profile and HOME are in
# $tmp, never the user's.
run_chromium() {
  local out=$1 pid rc=0
  shift
  mkdir -p "$tmp/home"
  HOME="$tmp/home" setsid timeout -k 5 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --disable-crash-reporter --disable-breakpad --user-data-dir="$tmp/profile" \
    --window-size=1400,900 "$@" >"$out" 2>>"$tmp/chromium.log" &
  pid=$!
  sessions+=("$pid")
  wait "$pid" || rc=$?
  kill -KILL -- "-$pid" 2>/dev/null || true
  return "$rc"
}

# A real recording: the project file is found by walk-up from the working directory.
cd "$src"
"$bin" run --record "$tmp/rec.jsonl" -- "$src/launchers/spot_backtest.sh" --preflight-only >"$tmp/run.log" 2>&1 ||
  fail "spotcheck run exited $?: $(tail -n 20 "$tmp/run.log")"
"$bin" show --html "$tmp/page.html" "$tmp/rec.jsonl" >"$tmp/show.log" 2>&1 ||
  fail "spotcheck show --html exited $?: $(tail -n 20 "$tmp/show.log")"
[ -s "$tmp/page.html" ] || fail "spotcheck show --html wrote no page"

# Self-contained: no element or style rule that would fetch anything (in-page #anchors are fine).
python3 - "$tmp/page.html" <<'PY' || fail "the page references something outside itself"
import html.parser, re, sys

class Finder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in ("link", "script", "img", "iframe", "object", "embed", "image", "use", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "xlink:href") and not (value or "").startswith("#"):
                self.found.append(f'{name}="{value}"')
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style and re.search(r"url\(|@import", data):
            self.found.append("url( or @import in <style>")

finder = Finder()
finder.feed(open(sys.argv[1], encoding="utf-8").read())
if finder.found:
    print("external references:", finder.found, file=sys.stderr)
    sys.exit(1)
PY

# The DOM as Chromium built it: a lane per host, boxes in them.
run_chromium "$tmp/dom.html" --dump-dom "file://$tmp/page.html" || fail "chromium --dump-dom exited $?"
lanes=$(grep -o 'class="lane"' "$tmp/dom.html" | wc -l)
calls=$(grep -o 'class="call ' "$tmp/dom.html" | wc -l)
records=$(wc -l <"$tmp/rec.jsonl")
((lanes >= 2)) || fail "expected a lane for the dispatcher and one for the spot instance, the DOM has $lanes"
grep -q 'class="lane" data-host="dispatcher"' "$tmp/dom.html" || fail "no dispatcher lane in the DOM"
grep -q 'class="lane" data-host="i-' "$tmp/dom.html" || fail "no spot instance lane in the DOM"
((calls == records)) || fail "expected a box per call ($records), the DOM has $calls"

# The pixels: not blank, and the lane band (#2e3d4f) and lifecycle box (#5b8def, the ec2.launch) colours
# are on screen. The PNG is decoded with the standard library alone (zlib, struct; filters 0-4).
run_chromium "$tmp/shot.log" --screenshot="$tmp/shot.png" "file://$tmp/page.html" || fail "chromium --screenshot exited $?"
[ -s "$tmp/shot.png" ] || fail "chromium wrote no screenshot"
python3 - "$tmp/shot.png" <<'PY' || fail "the screenshot does not show the swimlanes"
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if ctype == b"IHDR":
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        if depth != 8 or colour not in (2, 6) or interlace != 0:
            sys.exit(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
        bpp = 3 if colour == 2 else 4
    elif ctype == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
pixels = []
for y in range(height):
    start = y * (stride + 1)
    kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
    if kind == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 0xFF
    elif kind == 2:
        for i in range(stride):
            line[i] = (line[i] + prev[i]) & 0xFF
    elif kind == 3:
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
    elif kind != 0:
        sys.exit(f"bad filter type {kind} on row {y}")
    pixels.append(bytes(line))
    prev = line

def count(pred):
    n = 0
    for line in pixels:
        for i in range(0, len(line), bpp):
            if pred(line[i], line[i + 1], line[i + 2]):
                n += 1
    return n

def near(rgb):
    return lambda r, g, b: abs(r - rgb[0]) <= 4 and abs(g - rgb[1]) <= 4 and abs(b - rgb[2]) <= 4

total = width * height
ink = count(lambda r, g, b: min(r, g, b) < 240)
band = count(near((0x2E, 0x3D, 0x4F)))
lifecycle = count(near((0x5B, 0x8D, 0xEF)))
print(f"{width}x{height}: {100 * ink / total:.1f}% non-white, lane band {band} px, lifecycle box {lifecycle} px")
if ink < total * 0.02:
    sys.exit("the screenshot is blank")
if band < 8000:  # two lane bands are 144 x 60 px each, less their text
    sys.exit("no lane bands (#2e3d4f) on screen")
if lifecycle < 1000:  # a box is 96 x 34 px, less its text
    sys.exit("no instance-lifecycle box (#5b8def) on screen")
PY

# No Chromium process of this test is left: each ran in a session of its own, killed whole. A killed
# process may linger a moment as a zombie until its new parent reaps it; only a live one counts.
live_in_session() { pgrep -s "$1" -r R,S,D,T,t,W,P,I >/dev/null; }
for s in "${sessions[@]}"; do
  for _ in $(seq 50); do
    live_in_session "$s" || break
    sleep 0.1
  done
  ! live_in_session "$s" || fail "chromium session $s outlived its run: $(ps -o pid=,stat=,args= -s "$s")"
done
echo "html_render: $lanes lanes, $calls calls rendered"
