#!/usr/bin/env bash
# Installs what building, running and testing the project needs, skipping what is already
# there: Debian packages, the wasm32 target, trunk, wasm-bindgen-cli and the npm tools.
# Safe to run again. Everything comes from the package registries; nothing is downloaded
# from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Must equal the wasm-bindgen version in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local wanted=(python3 chromium chromium-driver nginx libnginx-mod-http-brotli-static brotli openssl libssl-dev pkg-config curl ca-certificates)
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  # restore-core's certificate tests make Java KeyStore PFX files with keytool.
  if ! command -v keytool >/dev/null; then
    missing+=(openjdk-17-jre-headless)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "installing trunk $TRUNK_VERSION (6 to 10 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi

  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    # Not --locked: the CLI's lock file names a webpki-roots release the registry lacks.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (3 to 5 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

install_npm_tools() {
  if ! node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q 'version 132' \
    || [ ! -d node_modules/playwright-core ]; then
    log "installing npm tools (binaryen, playwright-core)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

install_debian_packages
install_rust_tools
install_npm_tools
log "fetching crates"
cargo fetch --quiet
log "ready"
