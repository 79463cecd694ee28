//! Static files served at `/`, so that a browser app and the API share one origin.

use std::path::{Component, Path, PathBuf};

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path to a file under `root`, or `None` for a path that leaves the root.
fn file_path(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for component in Path::new(url_path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(path)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

/// Serves `url_path` from `root`. A missing path without a file extension gets
/// `index.html`, for client-side routes.
pub async fn serve(root: &Path, url_path: &str) -> Response {
    let Some(mut path) = file_path(root, url_path) else {
        return not_found();
    };
    if path.is_dir() {
        path.push("index.html");
    }
    if !path.is_file() {
        let last_segment = url_path.rsplit('/').next().unwrap_or("");
        if last_segment.contains('.') {
            return not_found();
        }
        path = root.join("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(&path))], bytes).into_response(),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "failed to read static file");
            not_found()
        }
    }
}
