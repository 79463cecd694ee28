//! Reading the picked PFX file through the File API.

use restore_core::certificate::{check_certificate_size, CertificateFile, CertificateFileError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

use crate::certificate_module::{self, Inspected};

/// Reads a picked or dropped file, recognises it and encodes it as Base64. The recognition
/// runs in the certificate module, which is loaded the first time this is called.
pub async fn read_certificate(
    file: &web_sys::File,
) -> Result<CertificateFile, CertificateFileError> {
    let name = file.name();
    let bytes = read_file_bytes(file).await?;
    match certificate_module::inspect(&name, &bytes).await {
        Ok(Inspected::Accepted(certificate)) => Ok(certificate),
        Ok(Inspected::Rejected(message)) => Err(CertificateFileError::Rejected { message }),
        Err(detail) => Err(CertificateFileError::Unchecked { name, detail }),
    }
}

/// Reads the bytes of a picked or dropped file. The size is checked before any byte is
/// read, so an empty or oversized file is rejected at once. The bytes are zeroed on drop.
pub async fn read_file_bytes(
    file: &web_sys::File,
) -> Result<Zeroizing<Vec<u8>>, CertificateFileError> {
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
    Ok(Zeroizing::new(js_sys::Uint8Array::new(&buffer).to_vec()))
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
