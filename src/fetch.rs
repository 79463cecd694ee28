//! HTTP requests through the browser's fetch API, each response read in full.

use js_sys::{JsString, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCache, RequestInit, Response};

/// A response with its whole body.
pub struct TextResponse {
    pub status: u16,
    pub status_text: String,
    pub retry_after: Option<String>,
    pub body: String,
}

/// Sends a request that bypasses the HTTP cache and reads the response body as text.
/// `body` is the content type and the text to send. Returns the browser's error, such as
/// `TypeError: Failed to fetch`, when no response arrives or its body cannot be read.
pub async fn fetch_text(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> Result<TextResponse, String> {
    send(method, url, headers, body).await.map_err(|error| {
        // `Error.prototype.toString()`: the error's name and message.
        let text: JsString = error.dyn_ref::<js_sys::Error>().map_or_else(
            || JsString::from(error.as_string().unwrap_or_default()),
            js_sys::Error::to_string,
        );
        String::from(text)
    })
}

async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> Result<TextResponse, JsValue> {
    let header_list = Headers::new()?;
    for (name, value) in headers {
        header_list.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_cache(RequestCache::NoStore);
    if let Some((content_type, text)) = body {
        header_list.set("Content-Type", content_type)?;
        init.set_body(&JsValue::from_str(text));
    }
    init.set_headers(&header_list);
    let request = Request::new_with_str_and_init(url, &init)?;

    let window =
        web_sys::window().ok_or_else(|| JsValue::from_str("the page has no window object"))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let retry_after = response.headers().get("Retry-After")?;
    let text: Promise = response.text()?;
    let body = JsFuture::from(text).await?.as_string().unwrap_or_default();
    Ok(TextResponse {
        status: response.status(),
        status_text: response.status_text(),
        retry_after,
        body,
    })
}
