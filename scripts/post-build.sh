#!/usr/bin/env bash
# Prepares a trunk release build for a web server with a strict Content-Security-Policy:
# moves trunk's inline start-up script into a hashed file, then writes precompressed .gz
# and .br copies. Run it after every `trunk build --release`, and before copying the files.
# Usage: scripts/post-build.sh [dist dir, default dist]
set -euo pipefail
cd "$(dirname "$0")/.."

dist=${1:-dist}
# Stale .gz and .br files would outlive a rebuild of the originals, so start from none.
find "$dist" -type f \( -name '*.gz' -o -name '*.br' \) -delete
node deploy/externalize-boot-script.mjs "$dist"
scripts/precompress.sh "$dist"
