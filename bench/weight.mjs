// Sizes of the files a browser downloads on the first load of a release build: raw,
// `gzip -9` and `brotli -q 11` bytes each, measured with the gzip and brotli commands.
// The list is index.html, the scripts, the .wasm and the styles it references, and
// config.json, which the app fetches at start-up. `later` lists the certificate check's
// module, which the app loads only when a certificate file is picked.
// Usage: node bench/weight.mjs DIST_DIR  (prints JSON)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2];
if (!dist) throw new Error('usage: node bench/weight.mjs DIST_DIR');

const html = readFileSync(join(dist, 'index.html'), 'utf8');
// Paths in index.html start with the public URL from <base href>, such as / or /restore/.
const publicUrl = html.match(/<base href="([^"]*)"/)?.[1] ?? '/';
const referenced = new Set(['index.html', 'config.json']);
for (const match of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
  const path = match[1].startsWith(publicUrl) ? match[1].slice(publicUrl.length) : match[1];
  if (/\.(js|wasm|css)$/.test(path)) referenced.add(path.replace(/^\.?\//, ''));
}
// The wasm-bindgen script loads the .wasm beside it, which index.html may only preload.
for (const name of [...referenced]) {
  const wasm = name.replace(/\.js$/, '_bg.wasm');
  if (name.endsWith('.js') && existsSync(join(dist, wasm))) referenced.add(wasm);
}
const later = ['certificate-check.js', 'certificate-check_bg.wasm'].filter((name) =>
  existsSync(join(dist, name)));

const compressedSize = (command, args, file) =>
  execFileSync(command, [...args, file], { maxBuffer: 64 * 1024 * 1024 }).length;

const sizes = (name) => {
  const path = join(dist, name);
  return {
    name,
    raw: statSync(path).size,
    gzip: compressedSize('gzip', ['-9', '-c'], path),
    brotli: compressedSize('brotli', ['-q', '11', '-c'], path),
  };
};
const files = [...referenced].map(sizes).sort((a, b) => b.brotli - a.brotli);
process.stdout.write(`${JSON.stringify({ files, later: later.map(sizes) })}\n`);
