//! The certificate check as a wasm module of its own. The PKCS#12 code and the RustCrypto
//! crates under it made up nearly a quarter of the app's wasm: 61 of 267 KB as brotli when
//! they were moved here. So the page loads this module only when a certificate file is
//! picked (`src/certificate_module.rs` in the app).
//!
//! trunk builds it from the `data-type="worker"` link in index.html, which gives plain file
//! names (`certificate-check.js`, `certificate-check_bg.wasm`) and no script tag. The page
//! imports the JavaScript with `import()` and calls the exports below on its own thread.

use js_sys::{Array, Uint8Array};
use restore_core::certificate::CertificateFile;
use restore_core::certificate_check::check_certificate;
use restore_core::zero_on_free::ZeroOnFree;
use wasm_bindgen::prelude::*;

/// The PFX bytes and the password pass through this module's memory on every check, so it
/// zeroes each freed block as the app does (see `restore_core::zero_on_free`).
#[global_allocator]
static ALLOCATOR: ZeroOnFree<std::alloc::System> = ZeroOnFree(std::alloc::System);

/// Recognises a picked file. Returns `[note, pfx, base64]` when the file is a PFX or the
/// Base64 text of one: the sentence for the administrator, the PFX bytes as a `Uint8Array`
/// and their standard Base64. Returns `[message]` when the file is rejected.
#[wasm_bindgen]
pub fn inspect(name: &str, bytes: Vec<u8>) -> Array {
    match CertificateFile::from_bytes(name, bytes) {
        Ok(file) => Array::of3(
            &JsValue::from_str(&file.note),
            &Uint8Array::from(file.pfx.expose()),
            &JsValue::from_str(file.base64.expose()),
        ),
        Err(error) => Array::of1(&JsValue::from_str(&error.to_string())),
    }
}

/// Checks the PFX bytes with a password and returns the `CertificateReport` as JSON.
/// `now_unix_secs` decides whether the certificates have expired.
#[wasm_bindgen]
pub fn check(pfx: &[u8], password: &str, now_unix_secs: f64) -> String {
    let report = check_certificate(pfx, password, now_unix_secs as i64).report();
    serde_json::to_string(&report).expect_throw("a CertificateReport always serializes")
}

/// wasm-bindgen calls this when the module starts. There is nothing to set up.
fn main() {}
