#!/usr/bin/env bash
# Sets everything up, then runs every check and test: formatting, clippy, host tests, the
# wasm tests in headless Chromium, the release build, and the end-to-end tests in Chromium
# against the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }

step "formatting"
cargo fmt --all --check

step "test fixtures: a PFX and its Base64, both made by OpenSSL"
fixtures="$PWD/target/test-fixtures"
mkdir -p "$fixtures"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$fixtures/key.pem" -out "$fixtures/cert.pem" \
  -days 30 -subj "/CN=restore-wasm-test" 2>/dev/null
openssl pkcs12 -export -inkey "$fixtures/key.pem" -in "$fixtures/cert.pem" \
  -out "$fixtures/app.pfx" -passout pass:wasm-test
openssl base64 -A -in "$fixtures/app.pfx" > "$fixtures/app.pfx.b64"
export RESTORE_TEST_PFX="$fixtures/app.pfx" RESTORE_TEST_PFX_BASE64="$fixtures/app.pfx.b64"

step "clippy"
cargo clippy -p restore-core -p vb365-simulator --all-targets -- -D warnings
cargo clippy -p vb365-restore -p certificate-check --target wasm32-unknown-unknown --all-targets -- -D warnings

step "host tests: restore-core and the simulator"
cargo test -p restore-core -p vb365-simulator

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p vb365-restore --target wasm32-unknown-unknown --test web

step "release build"
trunk build --release

step "post-build: external start-up script and precompressed files"
scripts/post-build.sh dist

step "release build for the sub-path /restore/, for the nginx tests"
trunk build --release --public-url /restore/ --dist target/dist-restore
scripts/post-build.sh target/dist-restore
export APP_DIST_RESTORE="$PWD/target/dist-restore"

step "end-to-end tests in Chromium against the simulator"
cargo build -p vb365-simulator
# The ten-minute restore through nginx mostly waits, so it runs beside the other tests, in
# its own process group so that a failure of those stops it and its browser and servers.
long_log="$PWD/target/long-restore.log"
setsid node --test e2e/long-restore.mjs >"$long_log" 2>&1 &
long_pid=$!
trap 'kill -- -"$long_pid" 2>/dev/null || true' EXIT
node --test --test-concurrency=1 e2e/

step "end-to-end: a restore that runs ten minutes, through nginx"
if ! wait "$long_pid"; then
  cat "$long_log"
  exit 1
fi
trap - EXIT
grep -E '^# (probes|pass|fail)' "$long_log"

step "benchmark in quick mode: checks that scripts/bench.sh still runs, ignores its timings"
BENCH_APP_DIST="$PWD/dist" BENCH_SIMULATOR="$PWD/target/debug/vb365-simulator" scripts/bench.sh --quick
