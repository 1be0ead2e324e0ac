//! The signed-in user, shared through the component tree, and the guard that sends signed-out visitors
//! to sign in and back.

use entitle_core::dto::SessionInfo;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

/// Whether the session has been asked for yet, and who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Not known yet (the first `GET /session` is on its way).
    Loading,
    /// Signed out.
    SignedOut,
    /// Signed in.
    SignedIn(SessionInfo),
}

/// The session signal.
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

/// Where the signed-in user is remembered on this device, so that a reload while offline opens the
/// page (and its draft) instead of the sign-in page. Only who they are and their sites: never the
/// session cookie or the CSRF token, and it is removed at sign-out.
const REMEMBERED: &str = "entitle.user";

fn remember(info: &SessionInfo) {
    let kept = SessionInfo {
        csrf_token: String::new(),
        ..info.clone()
    };
    if let (Some(s), Ok(json)) = (crate::i18n::storage(), serde_json::to_string(&kept)) {
        let _ = s.set_item(REMEMBERED, &json);
    }
}

fn forget() {
    if let Some(s) = crate::i18n::storage() {
        let _ = s.remove_item(REMEMBERED);
    }
}

fn remembered() -> Option<SessionInfo> {
    crate::i18n::storage()
        .and_then(|s| s.get_item(REMEMBERED).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
}

/// Provides the session and asks the server who is signed in. When the server cannot be reached, the
/// user remembered on this device stays signed in until the connection returns and the server answers.
pub fn provide_session() {
    let state = RwSignal::new(SessionState::Loading);
    provide_context(Session(state));
    let locale = crate::i18n::locale_signal();
    Effect::new(move |_| match state.get() {
        // An answer of the server (not the user remembered here while offline).
        SessionState::SignedIn(info) if !info.csrf_token.is_empty() => {
            crate::i18n::adopt_account_locale(locale, info.locale);
            remember(&info);
        }
        SessionState::SignedOut => forget(),
        _ => {}
    });
    leptos::task::spawn_local(async move {
        loop {
            match crate::api::current_session().await {
                Ok(Some(info)) => return state.set(SessionState::SignedIn(info)),
                Ok(None) => return state.set(SessionState::SignedOut),
                Err(crate::api::ApiError::Network(_)) => match remembered() {
                    Some(info) => {
                        if state.get_untracked() == SessionState::Loading {
                            state.set(SessionState::SignedIn(info));
                        }
                        // Asked again when the connection returns: the server has the last word.
                        crate::network::until_online_or_retry().await;
                    }
                    None => return state.set(SessionState::SignedOut),
                },
                // The server answered with an error: pages that need a session ask to sign in.
                Err(_) => return state.set(SessionState::SignedOut),
            }
        }
    });
}

/// The session signal (panics only if called outside the app, which is a programming error).
#[must_use]
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(SessionState::SignedOut)))
}

/// A `return_to` value is only followed when it names one of the app's own screens (core's rule in
/// `entitle_core::navigation`); otherwise sign-in leads to the renewals.
#[must_use]
pub fn safe_return_to(raw: Option<String>) -> String {
    raw.filter(|r| entitle_core::navigation::safe_return_to(r).is_some())
        .unwrap_or_else(|| "/renewals".to_owned())
}

/// Shows `children` only when signed in; otherwise goes to sign-in with a way back here.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.0.get() == SessionState::SignedOut {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let mut target = String::from("/sign-in?return_to=");
            entitle_core::dto::percent_encode_into(&mut target, &here);
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    move || matches!(session.0.get(), SessionState::SignedIn(_)).then(|| children())
}
