// Sizes of the files a browser downloads on the first load of a release build: raw,
// `gzip -9` and `brotli -q 11` bytes each, measured with the gzip and brotli commands.
// The list is index.html, the scripts, the .wasm and the styles it references, and
// config.json, which the app fetches at start-up.
// Usage: node bench/weight.mjs DIST_DIR  (prints JSON)
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2];
if (!dist) throw new Error('usage: node bench/weight.mjs DIST_DIR');

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const referenced = new Set(['index.html', 'config.json']);
for (const match of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
  const name = match[1].replace(/^\.?\//, '').replace(/^.*\//, '');
  if (/\.(js|wasm|css)$/.test(name)) referenced.add(name);
}
// The wasm-bindgen script loads the .wasm beside it, which index.html may only preload.
for (const name of [...referenced]) {
  if (name.endsWith('.js') && !name.startsWith('boot-')) {
    referenced.add(name.replace(/\.js$/, '_bg.wasm'));
  }
}

const compressedSize = (command, args, file) =>
  execFileSync(command, [...args, file], { maxBuffer: 64 * 1024 * 1024 }).length;

const files = [...referenced].map((name) => {
  const path = join(dist, name);
  return {
    name,
    raw: statSync(path).size,
    gzip: compressedSize('gzip', ['-9', '-c'], path),
    brotli: compressedSize('brotli', ['-q', '11', '-c'], path),
  };
});
files.sort((a, b) => b.brotli - a.brotli);
process.stdout.write(`${JSON.stringify({ files })}\n`);
