//! Serving the built app: precompressed files, cache headers, SPA fallback and security headers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Static files from `dir`, `.br`/`.gz` siblings served when the browser accepts them. Under `/assets/`
/// a missing file is a 404 (a stale chunk must fail loudly, not load `index.html` as wasm); any other
/// path gets `index.html` so the app's router can handle it.
///
/// The files are read once, here, and served from memory: the built app is a few megabytes, and
/// reading it per request cost a blocking thread per concurrent response (136 threads under 32
/// connections, ~50 MB that stayed) and ~2 ms each. A new build needs a restart.
pub fn router(dir: PathBuf) -> Router {
    let files = Arc::new(StaticFiles::load(&dir));
    Router::new()
        .fallback(move |req: Request| {
            let files = Arc::clone(&files);
            async move { files.serve(req.method(), req.uri().path(), req.headers()) }
        })
        .layer(axum::middleware::from_fn(cache_headers))
}

/// One file of the built app with its precompressed variants.
struct StaticFile {
    identity: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: &'static str,
    /// A strong validator: a hash of the content.
    etag: HeaderValue,
}

/// The built app, by URL path (`/index.html`, `/assets/<hash>/main.css`, …).
struct StaticFiles(HashMap<String, StaticFile>);

impl StaticFiles {
    fn load(dir: &Path) -> Self {
        let mut files = HashMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path.to_string_lossy();
                if name.ends_with(".br") || name.ends_with(".gz") {
                    continue;
                }
                let Ok(identity) = std::fs::read(&path) else {
                    continue;
                };
                let sibling =
                    |ext: &str| std::fs::read(format!("{name}.{ext}")).ok().map(Bytes::from);
                let Ok(rel) = path.strip_prefix(dir) else {
                    continue;
                };
                let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
                let digest = sha2::Digest::finalize(
                    <sha2::Sha256 as sha2::Digest>::new_with_prefix(&identity),
                );
                let etag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
                files.insert(
                    url,
                    StaticFile {
                        content_type: content_type(&path),
                        br: sibling("br"),
                        gzip: sibling("gz"),
                        identity: Bytes::from(identity),
                        etag: HeaderValue::from_str(&format!("\"{etag}\""))
                            .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
                    },
                );
            }
        }
        StaticFiles(files)
    }

    fn serve(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                [(header::ALLOW, "GET, HEAD")],
            )
                .into_response();
        }
        let file = match path {
            "/" => self.0.get("/index.html"),
            p => self.0.get(p),
        };
        let file = match file {
            Some(f) => f,
            None if path.starts_with("/assets/") => return StatusCode::NOT_FOUND.into_response(),
            None => match self.0.get("/index.html") {
                Some(index) => index,
                None => return StatusCode::NOT_FOUND.into_response(),
            },
        };
        let mut res = Response::builder()
            .header(header::CONTENT_TYPE, file.content_type)
            .header(header::ETAG, file.etag.clone())
            .header(header::VARY, "accept-encoding");
        if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim() == file.etag || t.trim() == "*")
            })
        {
            return res
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .unwrap_or_default();
        }
        let (body, encoding) = match (
            file.br.as_ref().filter(|_| accepts(headers, "br")),
            file.gzip.as_ref().filter(|_| accepts(headers, "gzip")),
        ) {
            (Some(br), _) => (br.clone(), Some("br")),
            (None, Some(gz)) => (gz.clone(), Some("gzip")),
            (None, None) => (file.identity.clone(), None),
        };
        if let Some(e) = encoding {
            res = res.header(header::CONTENT_ENCODING, e);
        }
        res = res.header(header::CONTENT_LENGTH, body.len());
        let body = if method == Method::HEAD {
            Body::empty()
        } else {
            Body::from(body)
        };
        res.body(body).unwrap_or_default()
    }
}

/// Whether the request's Accept-Encoding takes `coding` (listed, and not with q=0).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
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
///
/// HSTS follows the secure-cookie setting (`AuthSettings::secure`): whether the portal is reached over
/// HTTPS is configuration, not something to guess from a request's headers.
pub async fn security_headers(State(tls): State<bool>, req: Request, next: Next) -> Response {
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
    use super::{accepts, is_hashed};
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn an_encoding_is_taken_when_listed_and_not_refused_with_q_zero() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            h
        };
        assert!(accepts(&with("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&with("gzip;q=0.5, BR"), "br"));
        assert!(!accepts(&with("gzip, br;q=0"), "br"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

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
