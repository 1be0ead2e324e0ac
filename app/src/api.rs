//! The one typed client of the `/api/v1` API. Every request the app makes goes through here, with the
//! request and response types of `entitle_core::dto`.

use std::cell::RefCell;

use entitle_core::dto::{
    CatalogPage, CatalogQuery, CategoryCount, ErrorBody, RenewalGroup, SessionInfo, SignInRequest,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

thread_local! {
    /// The session's CSRF token, sent with every change (the browser sends the session cookie itself).
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers (or forgets) the CSRF token of the current session.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

fn with_csrf(b: RequestBuilder) -> RequestBuilder {
    match CSRF.with(|c| c.borrow().clone()) {
        Some(t) => b.header("X-CSRF-Token", &t),
        None => b,
    }
}

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
    /// The HTTP status, when the server answered.
    #[must_use]
    pub const fn status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The per-field problems of a validation error: (field, code, English message).
    #[must_use]
    pub fn fields(&self) -> Vec<(String, String, String)> {
        match self {
            ApiError::Api { body, .. } => body
                .error
                .fields
                .iter()
                .flat_map(|m| m.iter())
                .flat_map(|(f, errs)| {
                    errs.iter()
                        .map(move |e| (f.clone(), e.code.clone(), e.message.clone()))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
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

async fn send_json<B: Serialize, T: DeserializeOwned>(
    b: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let req = with_csrf(b.header("Accept", "application/json"))
        .json(body)
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    let res = req
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

/// Signs in; remembers the CSRF token.
///
/// # Errors
/// [`ApiError`]: 401 `invalid_credentials`, 423 `account_locked`, 422 per field.
pub async fn sign_in(email: &str, password: &str) -> Result<SessionInfo, ApiError> {
    let info: SessionInfo = send_json(
        Request::post(&format!("{BASE}/session")),
        &SignInRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        },
    )
    .await?;
    set_csrf(Some(info.csrf_token.clone()));
    Ok(info)
}

/// The current session, or `None` when signed out.
///
/// # Errors
/// [`ApiError`] other than 401.
pub async fn current_session() -> Result<Option<SessionInfo>, ApiError> {
    match get::<SessionInfo>("/session").await {
        Ok(info) => {
            set_csrf(Some(info.csrf_token.clone()));
            Ok(Some(info))
        }
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Signs out.
///
/// # Errors
/// [`ApiError`].
pub async fn sign_out() -> Result<(), ApiError> {
    let res = with_csrf(Request::delete(&format!("{BASE}/session")))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    set_csrf(None);
    if res.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(res).await.map(|_| ())
    }
}

/// Renewal quotes awaiting action, grouped `awaiting`, `month` or `agreement`.
///
/// # Errors
/// [`ApiError`].
pub async fn renewals(group: &str) -> Result<Vec<RenewalGroup>, ApiError> {
    get(&format!("/renewals?group={group}")).await
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
