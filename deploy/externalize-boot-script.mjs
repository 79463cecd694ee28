// Moves the inline `<script type="module">` that trunk writes into index.html (it imports the
// wasm-bindgen glue and starts the wasm) into its own file, `boot-<hash>.js`, so the
// Content-Security-Policy can use `script-src 'self'` without 'unsafe-inline' or a hash.
//
// Usage: node deploy/externalize-boot-script.mjs <dist dir>
//
// The file name carries the first 16 hex digits of the script's SHA-256, the longest form of
// trunk's own asset hashes, so the server's cache rule for hashed assets covers it. The new
// tag carries a SHA-384 `integrity` attribute like trunk's other tags. Running it again on
// a processed dist dir changes nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INLINE_MODULE = /<script type="module">([\s\S]*?)<\/script>/g;
const GLUE_IMPORT = /from\s+'([^']*\/)[^'/]+\.js'/;

function fail(message) {
  console.error(`externalize-boot-script: ${message}`);
  process.exit(1);
}

const dist = process.argv[2];
if (!dist) fail('usage: node deploy/externalize-boot-script.mjs <dist dir>');
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) fail(`${indexPath} not found; run trunk build first`);

const html = readFileSync(indexPath, 'utf8');
const inline = [...html.matchAll(INLINE_MODULE)];

if (inline.length === 0) {
  const external = readdirSync(dist).filter((name) => /^boot-[0-9a-f]{16}\.js$/.test(name));
  if (external.length > 0 && html.includes(external[0])) {
    console.log(`externalize-boot-script: ${indexPath} already loads ${external[0]}`);
    process.exit(0);
  }
  fail(`no inline <script type="module"> in ${indexPath}; trunk's output format may have changed`);
}
if (inline.length > 1) {
  fail(`${inline.length} inline module scripts in ${indexPath}, expected exactly one (trunk's start-up script)`);
}

const [tag, code] = inline[0];

// The start-up script imports the glue by absolute URL ('/vb365-restore-<hash>.js', or
// '/restore/vb365-restore-<hash>.js' with --public-url /restore/). The boot file goes beside
// it under the same public URL, so it also loads from an app route such as /restore/a/b.
const glue = code.match(GLUE_IMPORT);
if (!glue) fail(`the inline module script in ${indexPath} imports no .js file; cannot tell the public URL`);
const publicUrl = glue[1];

const sha256 = createHash('sha256').update(code).digest('hex');
const fileName = `boot-${sha256.slice(0, 16)}.js`;
const sha384 = createHash('sha384').update(code).digest('base64');

writeFileSync(join(dist, fileName), code);
const replacement =
  `<script type="module" src="${publicUrl}${fileName}" integrity="sha384-${sha384}"></script>`;
writeFileSync(indexPath, html.replace(tag, () => replacement));
console.log(`externalize-boot-script: moved the start-up script of ${indexPath} to ${fileName}`);
