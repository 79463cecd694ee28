//! Reading the picked PFX file through the File API.

use restore_core::certificate::{check_certificate_size, CertificateFile, CertificateFileError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Reads a picked or dropped file and encodes it as Base64. The size is checked before any
/// byte is read, so an empty or oversized file is rejected at once.
pub async fn read_certificate(
    file: &web_sys::File,
) -> Result<CertificateFile, CertificateFileError> {
    let name = file.name();
    // `File.size` is a whole number of bytes, carried in a JavaScript number.
    let size = file.size() as u64;
    check_certificate_size(&name, size)?;

    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|error| {
        CertificateFileError::Unreadable {
            name: name.clone(),
            detail: describe_js_error(&error),
        }
    })?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    CertificateFile::from_bytes(&name, bytes)
}

/// Returns the message of a JavaScript exception, or a generic text for other values.
pub fn describe_js_error(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .filter(|message| !message.is_empty())
        .unwrap_or_else(|| "unknown browser error".into())
}
