//! Serving the built app: precompressed files, cache headers, SPA fallback and security headers.

use std::path::PathBuf;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// Static files from `dir`, `.br`/`.gz` siblings served when the browser accepts them. Under `/assets/`
/// a missing file is a 404 (a stale chunk must fail loudly, not load `index.html` as wasm); any other
/// path gets `index.html` so the app's router can handle it.
pub fn router(dir: PathBuf) -> Router {
    let index = dir.join("index.html");
    let assets = ServeDir::new(dir.join("assets"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(&dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .nest_service("/assets", assets)
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_headers))
}

/// Whether a path is under a content-hashed directory (`/assets/<hash>/…`, written by
/// `scripts/build-app.sh`): a new build gets a new directory, so these never change.
fn is_hashed(path: &str) -> bool {
    path.strip_prefix("/assets/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(hash, file)| {
            hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && !file.is_empty()
        })
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() {
        // The name changes whenever the content does.
        "public, max-age=31536000, immutable"
    } else {
        // index.html, the service worker and anything unhashed: always revalidate.
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// The Content-Security-Policy: the app's own scripts and wasm only, nothing inline, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let tls = req.uri().scheme_str() == Some("https")
        || req
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes() == b"https");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn files_under_a_hashed_assets_directory_are_immutable_and_index_is_not() {
        assert!(is_hashed("/assets/408d89f0291cec81/entitle_app_bg.wasm"));
        assert!(is_hashed("/assets/408d89f0291cec81/main.css"));
        assert!(!is_hashed("/assets/not-a-hash/main.css"));
        assert!(!is_hashed("/assets/408d89f0291cec81/"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/catalog"));
        assert!(!is_hashed("/sw.js"));
    }
}
