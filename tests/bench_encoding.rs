//! Benchmark, not a check: times the app's certificate read path (the File API read, the
//! PFX structure check and Base64 in wasm) against the browser's `FileReader.readAsDataURL`
//! on the same bytes in the same page, in headless Chromium.
//!
//! The app runs the check and the encoding (`CertificateFile::from_bytes`) in its
//! certificate module, which this test runner does not serve, so the benchmark calls the
//! same function in this wasm. It leaves out the app's copies of the bytes into and out of
//! that module.
//!
//! Each timing is printed to the console as one line that `bench/encoding.mjs` parses:
//! `BENCH encoding <method> <bytes> <repetition> <milliseconds>`. `scripts/bench.sh` runs it.
#![cfg(target_arch = "wasm32")]

use restore_app::certificate_file::read_file_bytes;
use restore_core::certificate::CertificateFile;
use wasm_bindgen::{closure::Closure, prelude::wasm_bindgen, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

// Declared here because the app's web-sys features include neither `FileReader` nor
// `Performance`, and this benchmark does not change the app's dependencies.
#[wasm_bindgen]
extern "C" {
    type FileReader;

    #[wasm_bindgen(constructor)]
    fn new() -> FileReader;

    #[wasm_bindgen(method, js_name = readAsDataURL)]
    fn read_as_data_url(this: &FileReader, blob: &web_sys::Blob);

    #[wasm_bindgen(method, setter)]
    fn set_onload(this: &FileReader, handler: &JsValue);

    #[wasm_bindgen(method, setter)]
    fn set_onerror(this: &FileReader, handler: &JsValue);

    #[wasm_bindgen(method, getter)]
    fn result(this: &FileReader) -> JsValue;

    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;

    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(line: &str);
}

wasm_bindgen_test_configure!(run_in_browser);

/// 10 KiB and 1 MiB: a typical PFX and the largest certificate file the app accepts.
const SIZES: [usize; 2] = [10 * 1024, 1024 * 1024];
/// Repetitions per method and size; the first of each is dropped as warm-up by the parser.
const REPETITIONS: usize = 21;

/// Encodes a DER length.
fn der_length(length: usize) -> Vec<u8> {
    if length < 0x80 {
        return vec![length as u8];
    }
    let bytes: Vec<u8> = length
        .to_be_bytes()
        .into_iter()
        .skip_while(|byte| *byte == 0)
        .collect();
    let mut encoded = vec![0x80 | bytes.len() as u8];
    encoded.extend(bytes);
    encoded
}

/// Encodes one DER element: tag, length and contents.
fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut element = vec![tag];
    element.extend(der_length(contents.len()));
    element.extend_from_slice(contents);
    element
}

/// Builds a PFX structure (RFC 7292: version 3, an `id-data` ContentInfo, no MAC) whose
/// content is `payload`. The app's read path accepts it, because it decodes the PFX
/// structure only; the content would not open as a real certificate.
fn pfx_with_payload(payload: &[u8]) -> Vec<u8> {
    const ID_DATA: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
    let content = der(0xa0, &der(0x04, payload));
    let mut content_info = der(0x06, &ID_DATA);
    content_info.extend(content);
    let mut pfx = der(0x02, &[3]);
    pfx.extend(der(0x30, &content_info));
    der(0x30, &pfx)
}

/// Builds a PFX structure of `size` bytes, or a few bytes less where DER lengths allow no
/// exact fit, around pseudo-random bytes, so no encoder gets an easy input.
fn file_of(size: usize) -> web_sys::File {
    let mut state: u32 = 0x9e37_79b9;
    let random: Vec<u8> = (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let mut payload_length = size;
    let mut bytes = pfx_with_payload(&random[..payload_length]);
    while bytes.len() > size {
        payload_length -= 1;
        bytes = pfx_with_payload(&random[..payload_length]);
    }
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = web_sys::FilePropertyBag::new();
    options.set_type("application/x-pkcs12");
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, "bench.pfx", &options)
        .expect("File constructor")
}

/// Reads the file with `FileReader.readAsDataURL` and returns the length of the data URL.
async fn read_as_data_url(file: &web_sys::File) -> usize {
    let reader = FileReader::new();
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let on_load = Closure::once_into_js(move || {
            resolve.call0(&JsValue::NULL).ok();
        });
        let on_error = Closure::once_into_js(move || {
            reject.call0(&JsValue::NULL).ok();
        });
        reader.set_onload(&on_load);
        reader.set_onerror(&on_error);
    });
    reader.read_as_data_url(file);
    JsFuture::from(done).await.expect("FileReader load");
    reader.result().as_string().map_or(0, |url| url.len())
}

fn report(method: &str, size: usize, repetition: usize, milliseconds: f64) {
    console_log(&format!(
        "BENCH encoding {method} {size} {repetition} {milliseconds:.4}"
    ));
}

#[wasm_bindgen_test]
async fn encoding_timings() {
    for size in SIZES {
        let file = file_of(size);
        let file_size = file.size() as usize;
        let base64_len = file_size.div_ceil(3) * 4;
        // Interleaved, so a slow phase of the machine hits both methods alike.
        for repetition in 0..REPETITIONS {
            let start = now_ms();
            let bytes = read_file_bytes(&file).await.expect("file read");
            let certificate =
                CertificateFile::from_bytes(&file.name(), bytes.to_vec()).expect("PFX accepted");
            report("wasm", file_size, repetition, now_ms() - start);
            assert_eq!(certificate.base64.expose().len(), base64_len);

            let start = now_ms();
            let url_len = read_as_data_url(&file).await;
            report("filereader", file_size, repetition, now_ms() - start);
            assert!(url_len > base64_len);
        }
    }
}
