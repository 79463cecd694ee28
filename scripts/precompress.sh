#!/usr/bin/env bash
# Writes a gzip (.gz) and a brotli (.br) copy beside each text and wasm file of a built dist
# dir, for nginx's gzip_static and brotli_static. Usage: scripts/precompress.sh <dist dir>
#
# config.json is left alone on purpose: administrators edit it at deployment time, and a
# stale config.json.gz or .br would be served in place of the edited file.
# Files are compressed at the highest levels (gzip -9, brotli -q 11) because it happens once
# per release. gzip -n leaves the name and time out, so the output is reproducible.
set -euo pipefail

dist=${1:?usage: scripts/precompress.sh <dist dir>}
[ -f "$dist/index.html" ] || { echo "precompress: $dist/index.html not found" >&2; exit 1; }
command -v brotli >/dev/null || { echo "precompress: brotli not found; run scripts/setup.sh" >&2; exit 1; }

count=0
while IFS= read -r -d '' file; do
  gzip -9 -n -k -f "$file"
  brotli -q 11 -k -f "$file"
  count=$((count + 1))
done < <(find "$dist" -type f \
  \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) -print0)

echo "precompress: wrote .gz and .br for $count files in $dist"
