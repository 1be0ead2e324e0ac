//! The one typed client of the `/api/v1` API. Every request the app makes goes through here, with the
//! request and response types of `entitle_core::dto`.

use entitle_core::dto::{CatalogPage, CatalogQuery, CategoryCount, ErrorBody};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// The API's path prefix (same origin as the app).
pub const BASE: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request did not reach the server (offline, DNS, connection refused …).
    Network(String),
    /// The server answered with an error in the API's error shape.
    Api {
        /// HTTP status.
        status: u16,
        /// The error body.
        body: ErrorBody,
    },
    /// The server answered something unreadable.
    Decode(String),
}

impl ApiError {
    /// The machine code of the error, for translation (`network`, `decode`, or the API's code).
    #[must_use]
    pub fn code(&self) -> &str {
        match self {
            ApiError::Network(_) => "network",
            ApiError::Decode(_) => "decode",
            ApiError::Api { body, .. } => &body.error.code,
        }
    }
}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    if res.ok() {
        res.json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    } else {
        let status = res.status();
        match res.json::<ErrorBody>().await {
            Ok(body) => Err(ApiError::Api { status, body }),
            Err(_) => Err(ApiError::Api {
                status,
                body: ErrorBody::new("http", format!("the server answered {status}")),
            }),
        }
    }
}

async fn get<T: DeserializeOwned>(path_and_query: &str) -> Result<T, ApiError> {
    let res = Request::get(&format!("{BASE}{path_and_query}"))
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

/// Searches the catalog.
///
/// # Errors
/// [`ApiError`].
pub async fn search_catalog(query: &CatalogQuery) -> Result<CatalogPage, ApiError> {
    get(&format!("/catalog/parts?{}", query.to_query_string())).await
}

/// Lists the catalog's categories.
///
/// # Errors
/// [`ApiError`].
pub async fn categories() -> Result<Vec<CategoryCount>, ApiError> {
    get("/catalog/categories").await
}
