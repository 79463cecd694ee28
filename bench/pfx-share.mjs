// Estimates the share of the PKCS#12 code (restore_core::pfx, restore_core's certificate
// check and the RustCrypto crates they use) in the app's .wasm, from `twiggy top -f csv` of
// cargo's .wasm before wasm-bindgen and wasm-opt, which still has function names.
// Usage: node bench/pfx-share.mjs TWIGGY_CSV   (prints JSON)
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/pfx-share.mjs TWIGGY_CSV');

// Symbol paths of the PKCS#12 code. `der::` and `const_oid::` are only used by it in this
// app; base64 is not counted, because every certificate path needs it.
const PKCS12 = /^"?(restore_core::pfx::|restore_core::certificate_check::|<?(pkcs12|pkcs5|pkcs8|cms|x509_cert|spki|der|const_oid|hmac|sha1|sha2|pbkdf2|aes|cbc|des|rc2|cipher|digest|block_buffer|crypto_common)::)/;

let code = 0;
let pkcs12 = 0;
for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
  const match = line.match(/^(.*),(\d+),[\d.e-]+,/);
  if (!match) continue;
  const [, name, size] = match;
  // Custom sections, the name section and data segments are not code.
  // wasm-bindgen removes its __wbindgen_describe functions from the final module.
  if (/^"?(custom section|""function names""|data segment|type\[|table\[|import |export |elem|__wbindgen_describe)/.test(name)) continue;
  code += Number(size);
  if (PKCS12.test(name)) pkcs12 += Number(size);
}
process.stdout.write(`${JSON.stringify({ codeBytes: code, pkcs12Bytes: pkcs12 })}\n`);
