//! The one typed client of the `/api/v1` API. Every request the app makes goes through here, with the
//! request and response types of `entitle_core::dto`.

mod desk;
mod early;
mod session;
mod shop;
mod sites;

use std::cell::RefCell;

use entitle_core::dto::{
    AccessRequestView, AddCartLine, AddRenewalToCart, AuditEntry, CartView, CatalogPage,
    CatalogQuery, CategoryCount, ChangeOrderStatus, ChangePasswordRequest, ChangeRequestView,
    CheckoutOptions, ConfirmSecondFactor, CoverageItem, CreateAccessRequest, CreateQuoteRequest,
    DecideAccessRequest, ErrorBody, ErrorCode, OrderView, PartSummary, PasswordConfirmation,
    PasswordResetConfirm, PasswordResetRequest, PlaceOrder, Privileges, QuoteRequestView,
    RecoveryCodes, ReissueQuote, RenewalChannelRequest, RenewalGroup, RenewalQuoteDetail, SaveCart,
    SavedCartView, SecondFactorChallenge, SecondFactorRequest, SecondFactorSignIn,
    SecuritySettings, SendQuote, SessionInfo, SetAutoRenew, SignInRequest, SiteUserView,
    TotpEnrolment, UpdateCartLine,
};
use entitle_core::order::OrderStatus;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use desk::*;
pub use session::*;
pub use shop::*;
pub use sites::*;

thread_local! {
    /// The session's CSRF token, sent with every change (the browser sends the session cookie itself).
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers (or forgets) the CSRF token of the current session.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

/// Before a change: a session restored from this device while offline has no CSRF token yet, so it is
/// asked for once the connection is back (a signed-out visitor simply has none).
async fn ensure_csrf() {
    if CSRF.with(|c| c.borrow().is_none()) {
        let _ = session::current_session().await;
    }
}

/// The page's language (`<html lang>`, set from the chosen locale), so that what the server writes for
/// people — the messages of field errors — comes in the reader's language.
fn language() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_else(|| "en".to_owned())
}

fn with_csrf(b: RequestBuilder) -> RequestBuilder {
    early::forget_all();
    let b = b.header("Accept-Language", &language());
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

    /// The per-field problems of a validation error: (field, code, message in the page's language).
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
    /// The API's error code (`None` when the server was not reached or its answer was unreadable).
    #[must_use]
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Network(_) | ApiError::Decode(_) => None,
            ApiError::Api { body, .. } => Some(body.error.code),
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
                body: ErrorBody::new(ErrorCode::Unknown, format!("the server answered {status}")),
            }),
        }
    }
}

async fn get<T: DeserializeOwned>(path_and_query: &str) -> Result<T, ApiError> {
    let url = format!("{BASE}{path_and_query}");
    let language = language();
    let res = match early::take(&url, &language).await {
        Some(answer) => answer?,
        None => Request::get(&url)
            .header("Accept", "application/json")
            .header("Accept-Language", &language)
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?,
    };
    read(res).await
}

fn enc(value: &str) -> String {
    let mut out = String::new();
    entitle_core::dto::percent_encode_into(&mut out, value);
    out
}

/// An answer without a body (204/202): success, or the error in the API's shape.
async fn no_content(res: Response) -> Result<(), ApiError> {
    if res.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(res).await.map(|_| ())
    }
}

/// A change without a request body (DELETE, or a POST that only names its target).
async fn send_empty<T: DeserializeOwned>(b: RequestBuilder) -> Result<T, ApiError> {
    ensure_csrf().await;
    let res = with_csrf(b.header("Accept", "application/json"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(res).await
}

/// Sends a change with a JSON body (and the CSRF token): the raw answer, for callers that read its
/// status before its body.
async fn send_body<B: Serialize>(b: RequestBuilder, body: &B) -> Result<Response, ApiError> {
    ensure_csrf().await;
    with_csrf(b.header("Accept", "application/json"))
        .json(body)
        .map_err(|e| ApiError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    b: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    read(send_body(b, body).await?).await
}

async fn post_no_reply<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    no_content(send_body(Request::post(&format!("{BASE}{path}")), body).await?).await
}
