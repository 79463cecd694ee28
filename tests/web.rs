//! Browser tests of the certificate path: a `File` goes through the File API read and the
//! Base64 encoding in wasm, in headless Chromium.
//!
//! In the app, the recognition and the encoding (`CertificateFile::from_bytes`) run in the
//! certificate module that the page loads with `import()`. The test runner serves no such
//! module, so these tests call the same function in this wasm; the end-to-end tests cover
//! the loading.
//!
//! `scripts/test.sh` makes the PFX with OpenSSL before building this test and sets
//! `RESTORE_TEST_PFX` (the file) and `RESTORE_TEST_PFX_BASE64` (its Base64, also by
//! OpenSSL), so the expected value does not come from the code under test.
#![cfg(target_arch = "wasm32")]

use restore_app::certificate_file::read_file_bytes;
use restore_core::certificate::{CertificateFile, CertificateFileError, MAX_CERTIFICATE_BYTES};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PFX: &[u8] = include_bytes!(env!("RESTORE_TEST_PFX"));
const PFX_BASE64: &str = include_str!(env!("RESTORE_TEST_PFX_BASE64"));

/// Reads a file as the app's `read_certificate` does, with the recognition in this wasm
/// instead of the module.
async fn read_certificate(file: &web_sys::File) -> Result<CertificateFile, CertificateFileError> {
    let bytes = read_file_bytes(file).await?;
    CertificateFile::from_bytes(&file.name(), bytes.to_vec())
}

fn file_from(bytes: &[u8], name: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    options.set_type("application/x-pkcs12");
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options)
        .expect("File constructor")
}

#[wasm_bindgen_test]
async fn pfx_encodes_like_openssl() {
    let file = file_from(PFX, "app.pfx");
    let certificate = read_certificate(&file).await.expect("PFX read");

    assert_eq!(certificate.name, "app.pfx");
    assert_eq!(certificate.size, PFX.len() as u64);
    assert_eq!(certificate.base64.expose(), PFX_BASE64.trim());
}

#[wasm_bindgen_test]
async fn empty_file_rejected() {
    let error = read_certificate(&file_from(&[], "empty.pfx"))
        .await
        .unwrap_err();
    assert_eq!(
        error,
        CertificateFileError::Empty {
            name: "empty.pfx".into()
        }
    );
}

#[wasm_bindgen_test]
async fn oversized_file_rejected() {
    let bytes = vec![0x30; MAX_CERTIFICATE_BYTES as usize + 1];
    let error = read_certificate(&file_from(&bytes, "big.pfx"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, CertificateFileError::TooLarge { size, .. } if size == MAX_CERTIFICATE_BYTES + 1)
    );
}

#[wasm_bindgen_test]
async fn file_at_limit_read_then_recognised() {
    // At the limit the file is read; these bytes are no PFX, so the content check rejects it.
    let bytes = vec![0xab; MAX_CERTIFICATE_BYTES as usize];
    let error = read_certificate(&file_from(&bytes, "limit.pfx"))
        .await
        .unwrap_err();
    assert!(matches!(error, CertificateFileError::Rejected { .. }));
}

#[wasm_bindgen_test]
async fn base64_text_file_decoded() {
    let file = file_from(PFX_BASE64.as_bytes(), "base64.txt");
    let certificate = read_certificate(&file).await.expect("Base64 text read");
    assert_eq!(certificate.pfx.expose(), PFX);
    assert_eq!(certificate.base64.expose(), PFX_BASE64.trim());
}
