//! Loads the certificate check (`certificate-check/`), a wasm module of its own, and calls
//! it. The page's first load leaves out the PKCS#12 code: the module is fetched the first
//! time a certificate file is picked, and every call after that is synchronous.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use leptos::logging::warn;
use restore_core::certificate::CertificateFile;
use restore_core::certificate_check::CertificateReport;
use restore_core::secret::{Secret, SecretBytes};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::certificate_file::describe_js_error;

/// The module's JavaScript, beside index.html. trunk gives worker-type builds a plain name.
const MODULE_FILE: &str = "certificate-check.js";

// `import()` is syntax, not a function, so it needs a line of JavaScript. wasm-bindgen writes
// this to a file under `snippets/`, which the Content-Security-Policy allows as 'self'.
#[wasm_bindgen(inline_js = "export function importModule(url) { return import(url); }")]
extern "C" {
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> Promise;
}

/// The exports of the loaded module.
#[derive(Clone)]
struct CertificateModule {
    inspect: Function,
    check: Function,
}

thread_local! {
    static LOADED: RefCell<Option<CertificateModule>> = const { RefCell::new(None) };
}

/// Loads and starts the module, once. Returns a reason when it cannot be loaded.
async fn load() -> Result<CertificateModule, String> {
    if let Some(module) = LOADED.with_borrow(Clone::clone) {
        return Ok(module);
    }
    let module = fetch_module().await.map_err(|error| {
        let detail = describe_js_error(&error);
        warn!("Loading {MODULE_FILE} failed: {detail}");
        detail
    })?;
    LOADED.set(Some(module.clone()));
    Ok(module)
}

async fn fetch_module() -> Result<CertificateModule, JsValue> {
    // Relative to the document's base URL, which trunk sets to the public URL (such as
    // /restore/), so the module loads from any route of the app.
    let base = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.base_uri().ok().flatten())
        .ok_or_else(|| JsValue::from_str("the page has no base URL"))?;
    let url = web_sys::Url::new_with_base(MODULE_FILE, &base)?.href();
    let exports = JsFuture::from(import_module(&url)).await?;
    let export = |name: &str| -> Result<Function, JsValue> {
        Reflect::get(&exports, &JsValue::from_str(name))?
            .dyn_into::<Function>()
            .map_err(|_| JsValue::from_str(&format!("{MODULE_FILE} exports no function {name}")))
    };
    // The default export is wasm-bindgen's `init`, which fetches and starts the .wasm
    // beside the JavaScript file.
    let started = export("default")?.call0(&JsValue::UNDEFINED)?;
    JsFuture::from(Promise::resolve(&started)).await?;
    Ok(CertificateModule {
        inspect: export("inspect")?,
        check: export("check")?,
    })
}

/// Outcome of [`inspect`].
pub enum Inspected {
    Accepted(CertificateFile),
    /// Not a PFX file nor the Base64 text of one, with the message for the administrator.
    Rejected(String),
}

/// Recognises a picked file with the module, loading it first if needed. Returns a reason
/// when the module cannot be loaded or run.
pub async fn inspect(name: &str, bytes: &[u8]) -> Result<Inspected, String> {
    let module = load().await?;
    let result = module
        .inspect
        .call2(
            &JsValue::UNDEFINED,
            &JsValue::from_str(name),
            &Uint8Array::from(bytes),
        )
        .map_err(|error| describe_js_error(&error))?;
    let parts: Array = result.unchecked_into();
    let text = parts.get(0).as_string().unwrap_or_default();
    let (Some(pfx), Some(base64)) = (
        parts.get(1).dyn_into::<Uint8Array>().ok(),
        parts.get(2).as_string(),
    ) else {
        return Ok(Inspected::Rejected(text));
    };
    Ok(Inspected::Accepted(CertificateFile {
        name: name.into(),
        size: bytes.len() as u64,
        pfx: SecretBytes::new(pfx.to_vec()),
        base64: Secret::new(base64),
        note: text,
    }))
}

/// Checks PFX bytes with a password. The module is loaded by then, because the bytes came
/// from [`inspect`]. If it is not, or the call fails, the report states that the check did
/// not run.
pub fn check(pfx: &[u8], password: &str, now_unix_secs: i64) -> CertificateReport {
    let Some(module) = LOADED.with_borrow(Clone::clone) else {
        return CertificateReport::unavailable("the check module is not loaded");
    };
    let result = module.check.call3(
        &JsValue::UNDEFINED,
        &Uint8Array::from(pfx),
        &JsValue::from_str(password),
        &JsValue::from_f64(now_unix_secs as f64),
    );
    let json = match result {
        Ok(value) => value.as_string().unwrap_or_default(),
        Err(error) => {
            let detail = describe_js_error(&error);
            warn!("The certificate check in {MODULE_FILE} failed: {detail}");
            return CertificateReport::unavailable(&detail);
        }
    };
    serde_json::from_str(&json).unwrap_or_else(|error| {
        warn!("{MODULE_FILE} returned a report this page cannot read: {error}");
        CertificateReport::unavailable("the check module does not match this page")
    })
}
