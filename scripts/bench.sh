#!/usr/bin/env bash
# Measures the release build: download weight, start-up against a static page, search
# latency over 10,000 to 50,000 mailboxes, Base64 encoding against FileReader, the app's
# overhead on a restore against curl, and set-up and build times. Prints the tables and
# writes them into docs/benchmarks.md between its markers.
#
# Usage: scripts/bench.sh [--quick]
#   --quick  few repetitions, 10,000 mailboxes only, no builds of older commits and no cold
#            build; for scripts/test.sh, to check that the benchmark still runs.
# Nothing here fails on a timing; it fails only when a step cannot run.
#
# Environment:
#   BENCH_WORK_DIR   where builds and raw results go (default /tmp/vb365-bench)
#   BENCH_APP_DIST   with --quick: measure this post-built release dist instead of building
#                    one, and skip the build timings (scripts/test.sh passes its own dist)
#   BENCH_SIMULATOR  a vb365-simulator binary to use instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=full
case "${1:-}" in
  --quick) mode=quick ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
esac

# Build products go to /tmp, so the benchmark never touches the project's target/ or dist/.
work=${BENCH_WORK_DIR:-/tmp/vb365-bench}
target_dir=$work/target
dist=$work/dist
# Separate per mode, so a quick run keeps the raw figures of the last full run.
results=$work/results-$mode
mkdir -p "$work" "$results"
rm -f "$results"/*.json

log() { printf '\n==> %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.3f", end - start }'; }

log "scripts/setup.sh with everything installed"
start=$(now)
scripts/setup.sh >&2
printf '{"warmSeconds": %s}\n' "$(elapsed "$start")" > "$results/setup.json"
source scripts/env.sh

memory=$(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1024 / 1024 }' /proc/meminfo)
node -e '
  const [mode, cpu, cores, memory, chromium, rustc, load] = process.argv.slice(1);
  console.log(JSON.stringify({ date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    mode, cpu, cores, memory, chromium, rustc, load }));
' "$mode" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)" "$memory" \
  "$(/usr/bin/chromium --version 2>/dev/null | head -1)" "$(rustc --version)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" > "$results/machine.json"

# Runs a trunk release build of the tree in $1 into $2 with cargo's target dir $3, and prints
# its duration in seconds.
release_build() {
  local tree=$1 out=$2 cargo_target=$3 start
  start=$(now)
  (cd "$tree" && CARGO_TARGET_DIR=$cargo_target trunk build --release --dist "$out" >&2)
  elapsed "$start"
}

# Appends one build timing to build_steps: its name, the seconds and a note.
build_steps=()
record_build() {
  build_steps+=("{\"name\": \"$1\", \"seconds\": $2, \"note\": \"$3\"}")
}

if [ "$mode" = quick ] && [ -n "${BENCH_APP_DIST:-}" ]; then
  dist=$BENCH_APP_DIST
  log "using the release build in $dist; no build timings"
else
  if [ "$mode" = full ]; then
    log "release build in an empty target dir"
    rm -rf "$target_dir"
    record_build "trunk build --release, empty target dir" \
      "$(release_build "$root" "$dist" "$target_dir")" "measured; crates already downloaded"
  fi
  log "release build again"
  if [ "$mode" = full ]; then
    note="measured; nothing changed since the build above"
  else
    note="measured; compiles what changed since the last run, everything on the first run"
  fi
  record_build "trunk build --release again" "$(release_build "$root" "$dist" "$target_dir")" "$note"
  log "release build after touching src/lib.rs"
  touch src/lib.rs
  record_build "trunk build --release after touching src/lib.rs" \
    "$(release_build "$root" "$dist" "$target_dir")" \
    "measured; recompiles the app crate, then runs wasm-bindgen and wasm-opt"
  (IFS=,; echo "{\"steps\": [${build_steps[*]}]}") > "$results/build.json"
  scripts/post-build.sh "$dist" >&2
fi

log "weight of the first load"
if grep -rqE 'restore_core::pfx|pfx::' src; then pfx_used=true; else pfx_used=false; fi
node bench/weight.mjs "$dist" | node -e '
  let text = ""; process.stdin.on("data", (c) => text += c).on("end", () => {
    const weight = JSON.parse(text); weight.pfxUsedByApp = process.argv[1] === "true";
    console.log(JSON.stringify(weight)); });
' "$pfx_used" > "$results/weight.json"

# twiggy is optional (`cargo install twiggy`); it needs cargo's .wasm, so not with BENCH_APP_DIST.
cargo_wasm=$target_dir/wasm32-unknown-unknown/release/vb365-restore.wasm
if [ "$pfx_used" = true ] && command -v twiggy > /dev/null && [ -z "${BENCH_APP_DIST:-}" ] && [ -f "$cargo_wasm" ]; then
  log "share of the PKCS#12 code (twiggy)"
  twiggy top -n 1000000 -f csv "$cargo_wasm" > "$work/twiggy.csv"
  node bench/pfx-share.mjs "$work/twiggy.csv" > "$results/pfx-share.json"
fi

# Prints the sizes of the app's .wasm in a dist dir as JSON with the given label. The
# certificate check's module (certificate-check_bg.wasm) is not part of it.
wasm_sizes() {
  local label=$1 wasm
  wasm=$(ls "$2"/vb365-restore-*_bg.wasm)
  printf '{"label": "%s", "raw": %s, "gzip": %s, "brotli": %s}' "$label" \
    "$(stat -c %s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" "$(brotli -q 11 -c "$wasm" | wc -c)"
}

if [ "$mode" = full ]; then
  history=()
  # The commits of bench/milestones.txt, oldest first, each in its own worktree and target
  # dir. Building every commit would take about a minute each.
  while read -r commit feature <&3; do
    case "$commit" in ''|'#'*) continue ;; esac
    short=$(git rev-parse --short "$commit")
    subject=$(printf '%s' "$feature" | sed 's/"/\\"/g')
    tree=$work/worktree-$short
    # A commit's build does not change, so a dist from an earlier run is reused.
    if ls "$work/dist-$short"/vb365-restore-*_bg.wasm >/dev/null 2>&1; then
      log "commit $short ($subject): reusing $work/dist-$short"
      history+=("$(wasm_sizes "commit $short: $subject" "$work/dist-$short")")
      continue
    fi
    log "release build of commit $short ($subject)"
    git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
    git worktree add --detach "$tree" "$commit" >&2
    # The build starts from a copy of the working tree's target dir, so unchanged crates
    # are not compiled again. The app and restore-core are rebuilt from the commit.
    rm -rf "$work/target-$short"
    cp -a "$target_dir" "$work/target-$short"
    release_build "$tree" "$work/dist-$short" "$work/target-$short" > /dev/null
    rm -rf "$work/target-$short"
    history+=("$(wasm_sizes "commit $short: $subject" "$work/dist-$short")")
    git worktree remove --force "$tree"
  done 3< bench/milestones.txt
  history+=("$(wasm_sizes "working tree (uncommitted changes included)" "$dist")")
  (IFS=,; echo "[${history[*]}]") > "$results/history.json"
fi

log "Base64 encoding in wasm against FileReader (tests/bench_encoding.rs)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p vb365-restore --target wasm32-unknown-unknown --release --target-dir "$target_dir" \
    --test bench_encoding -- --nocapture > "$work/encoding.log" 2>&1 \
  || { cat "$work/encoding.log" >&2; echo "the encoding benchmark failed; its output is above" >&2; exit 1; }
node bench/encoding.mjs "$work/encoding.log" > "$results/encoding.json"

simulator=${BENCH_SIMULATOR:-}
if [ -z "$simulator" ]; then
  log "simulator (release build)"
  cargo build -p vb365-simulator --release --target-dir "$target_dir" >&2
  simulator=$target_dir/release/vb365-simulator
fi

log "start-up, search and restore in Chromium"
if [ "$mode" = quick ]; then
  browser_args=(--loads 3 --search-rounds 1 --search-sizes 10000 --restores 3)
else
  browser_args=(--loads 21 --search-rounds 2 --search-sizes 10000,20000,50000 --restores 15)
fi
node bench/browser.mjs --dist "$dist" --baseline bench/baseline \
  --simulator "$simulator" "${browser_args[@]}" > "$results/browser.json"

log "report"
if [ "$mode" = full ]; then
  node bench/report.mjs "$results" docs/benchmarks.md
else
  # Quick figures are too few to publish, so the page keeps the last full run.
  node bench/report.mjs "$results" "$work/benchmarks-quick.md"
fi
