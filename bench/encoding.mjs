// Reads the console lines of tests/bench_encoding.rs from the test runner's output and
// prints the timings as JSON: { "<bytes>": { "wasm": [ms...], "filereader": [ms...] } }.
// Repetition 0 of each method and size is a warm-up and is dropped.
// Usage: node bench/encoding.mjs LOG_FILE
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/encoding.mjs LOG_FILE');

const timings = {};
let lines = 0;
for (const match of readFileSync(file, 'utf8').matchAll(/BENCH encoding (\w+) (\d+) (\d+) ([\d.]+)/g)) {
  const [, method, size, repetition, milliseconds] = match;
  lines += 1;
  if (repetition === '0') continue;
  timings[size] ??= { wasm: [], filereader: [] };
  timings[size][method].push(Number(milliseconds));
}
if (lines === 0) throw new Error(`no "BENCH encoding" lines in ${file}`);
process.stdout.write(`${JSON.stringify(timings)}\n`);
